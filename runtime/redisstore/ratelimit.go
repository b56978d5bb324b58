package redisstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-chi/httprate"
	"github.com/redis/go-redis/v9"

	"github.com/secgen/secgen/runtime/ratelimit"
)

// Fallback says what a rate limit does while Redis cannot be reached.
type Fallback uint8

const (
	// Refuse refuses the requests that cannot be counted: the limiter
	// answers 503 with a bare problem document and logs the error, whose
	// text never reaches the client. A store outage then cannot switch the
	// limit off.
	Refuse Fallback = iota
	// CountLocally counts in this process until Redis answers again: each
	// replica then enforces the whole limit on the traffic it receives,
	// starting from zero.
	CountLocally
)

// defaultPrefix starts every key when Options.Prefix is empty.
const defaultPrefix = "secgen"

// defaultRetry is Options.Retry when it is zero.
const defaultRetry = time.Second

// Options tune the rate-limit counters.
type Options struct {
	// Prefix starts every key; "secgen" when empty. Services that share
	// one Redis keep their counts apart by prefix.
	Prefix string
	// Fallback says what happens while Redis cannot be reached.
	Fallback Fallback
	// Retry is how long the counters leave Redis alone after it failed,
	// refusing or counting locally, before they try it again; a second
	// when zero. So only one request in each Retry waits for an
	// unreachable Redis.
	Retry time.Duration
	// Logger gets one line when Redis fails and one when it answers
	// again; slog.Default() when nil.
	Logger *slog.Logger
}

// ErrUnavailable is the error of a counter that leaves Redis alone after a
// failure, under Refuse.
var ErrUnavailable = errors.New("redisstore: redis is unavailable")

// RateLimits returns what a generated server's WithRateLimitCounter
// takes: for each policy, a RateLimitCounter in client.
func RateLimits(client redis.UniversalClient, opts Options) func(ratelimit.Policy) httprate.LimitCounter {
	return func(p ratelimit.Policy) httprate.LimitCounter { return NewRateLimitCounter(client, p.Name, opts) }
}

// RateLimitCounter is an httprate.LimitCounter in Redis for one policy,
// and a ratelimit.Reserver: runtime/ratelimit counts each request and reads
// its counts in one transaction (INCRBY, PEXPIRE, GET: one round trip),
// decides with the sliding window over the current and previous windows,
// and takes a refused request back with a DECRBY. Replicas therefore never
// let more than the limit through together, however their requests
// interleave, and they agree on the windows, which are aligned to the wall
// clock.
//
// A key's count in a window is the Redis string
// "<prefix>:rl:<policy>:{<hex SHA-256 of the key, 128 bits>}:<window start, Unix seconds>",
// given an expiry of two windows whenever it is raised, so Redis drops it
// once it can no longer count as the previous window. The braces make the
// hash the key's hash tag: a key's two windows share a Redis Cluster slot,
// so the transaction that reads both works on a cluster client too.
type RateLimitCounter struct {
	client   redis.UniversalClient
	policy   string
	prefix   string // "<prefix>:rl:<policy>:"
	fallback Fallback
	retry    time.Duration
	log      *slog.Logger

	window time.Duration         // from Config
	local  httprate.LimitCounter // the counts under CountLocally, from Config

	// downUntil is when, in Unix nanoseconds, the counter tries Redis again
	// after a failure; 0 while Redis answers.
	downUntil atomic.Int64
}

var _ ratelimit.Reserver = (*RateLimitCounter)(nil)

// NewRateLimitCounter returns the counter of the policy named policy.
// Config must be called before it counts (runtime/ratelimit does).
func NewRateLimitCounter(client redis.UniversalClient, policy string, opts Options) *RateLimitCounter {
	prefix := opts.Prefix
	if prefix == "" {
		prefix = defaultPrefix
	}
	c := &RateLimitCounter{
		client:   client,
		policy:   policy,
		prefix:   prefix + ":rl:" + policy + ":",
		fallback: opts.Fallback,
		retry:    opts.Retry,
		log:      opts.Logger,
	}
	if c.retry <= 0 {
		c.retry = defaultRetry
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	return c
}

// Config sets the window length; the limit is runtime/ratelimit's to
// apply.
func (c *RateLimitCounter) Config(requestLimit int, windowLength time.Duration) {
	c.window = windowLength
	c.local = httprate.NewLocalLimitCounter(windowLength)
}

// Increment counts one request of key in the window starting at
// currentWindow.
func (c *RateLimitCounter) Increment(key string, currentWindow time.Time) error {
	return c.IncrementBy(key, currentWindow, 1)
}

// IncrementBy counts amount requests of key in the window starting at
// currentWindow.
func (c *RateLimitCounter) IncrementBy(key string, currentWindow time.Time, amount int) error {
	err := c.call(func() error {
		k := c.key(c.base(key), currentWindow)
		ctx := context.Background()
		_, err := c.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.IncrBy(ctx, k, int64(amount))
			p.PExpire(ctx, k, 2*c.window)
			return nil
		})
		return err
	})
	if err != nil {
		return c.fallbackIncrement(key, currentWindow, amount, err)
	}
	return nil
}

// Reserve counts one request of key in the window starting at
// currentWindow and returns the counts before it, in that window and in the
// one starting at previousWindow.
func (c *RateLimitCounter) Reserve(key string, currentWindow, previousWindow time.Time) (int, int, error) {
	var n [2]int
	err := c.call(func() (err error) {
		n[0], n[1], err = c.reserve(key, currentWindow, previousWindow)
		return err
	})
	if err != nil {
		return c.fallbackReserve(key, currentWindow, previousWindow, err)
	}
	return n[0], n[1], nil
}

// reserve is Reserve in Redis: INCRBY, PEXPIRE and GET of the previous
// window in one transaction.
func (c *RateLimitCounter) reserve(key string, currentWindow, previousWindow time.Time) (int, int, error) {
	base := c.base(key)
	k := c.key(base, currentWindow)
	ctx := context.Background()
	var incr *redis.IntCmd
	var prev *redis.StringCmd
	_, err := c.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		incr = p.IncrBy(ctx, k, 1)
		p.PExpire(ctx, k, 2*c.window)
		prev = p.Get(ctx, c.key(base, previousWindow))
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) { // Nil: the previous window holds no count
		return 0, 0, err
	}
	after, err := incr.Result()
	if err != nil {
		return 0, 0, err
	}
	if after < 1 {
		return 0, 0, fmt.Errorf("a count fell to %d", after)
	}
	v, err := prev.Result()
	if errors.Is(err, redis.Nil) {
		return int(after) - 1, 0, nil
	}
	if err != nil {
		return 0, 0, err
	}
	before, err := count(v)
	return int(after) - 1, before, err
}

// Get returns key's counts in the windows starting at currentWindow and
// previousWindow.
func (c *RateLimitCounter) Get(key string, currentWindow, previousWindow time.Time) (int, int, error) {
	var n [2]int
	err := c.call(func() error {
		base := c.base(key)
		vals, err := c.client.MGet(context.Background(), c.key(base, currentWindow), c.key(base, previousWindow)).Result()
		if err == nil && len(vals) != 2 {
			err = fmt.Errorf("MGET answered %d values for 2 keys", len(vals))
		}
		for i := 0; err == nil && i < 2; i++ {
			n[i], err = count(vals[i])
		}
		return err
	})
	if err != nil {
		return c.fallbackGet(key, currentWindow, previousWindow, err)
	}
	return n[0], n[1], nil
}

// call runs op against Redis, unless Redis failed less than Retry ago
// (then it returns ErrUnavailable), and notes whether Redis answered.
func (c *RateLimitCounter) call(op func() error) error {
	if c.resting() {
		return ErrUnavailable
	}
	if err := op(); err != nil {
		c.failed(err)
		return err
	}
	c.answered()
	return nil
}

// count reads one MGET value: nil for a key Redis does not hold.
func count(v any) (int, error) {
	switch v := v.(type) {
	case nil:
		return 0, nil
	case string:
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("a count is %q, not a count", v)
		}
		return n, nil
	default:
		return 0, fmt.Errorf("a count is a %T, not a string", v)
	}
}

// base returns the start of key's Redis keys: the prefix, the policy and
// the key's hash.
func (c *RateLimitCounter) base(key string) []byte {
	b := make([]byte, 0, len(c.prefix)+hashHex+3+20)
	b = appendKeyHash(append(b, c.prefix+"{"...), key)
	return append(b, "}:"...)
}

// key names a count in the window starting at window, from its base.
func (c *RateLimitCounter) key(base []byte, window time.Time) string {
	return string(strconv.AppendInt(base, window.Unix(), 10))
}

// resting reports whether Redis failed less than Retry ago.
func (c *RateLimitCounter) resting() bool {
	d := c.downUntil.Load()
	return d != 0 && time.Now().UnixNano() < d
}

// failed notes that Redis failed: the counter leaves it alone for Retry,
// and says so in the log once per outage.
func (c *RateLimitCounter) failed(err error) {
	if c.downUntil.Swap(time.Now().Add(c.retry).UnixNano()) == 0 {
		c.log.Warn("rate limit store unreachable",
			slog.String("event", "ratelimit.store_down"),
			slog.String("policy", c.policy),
			slog.String("fallback", c.fallback.String()),
			slog.String("retry", c.retry.String()),
			slog.Any("error", err))
	}
}

// answered notes that Redis answered, and says so in the log when that
// ends an outage.
func (c *RateLimitCounter) answered() {
	if c.downUntil.Load() != 0 && c.downUntil.Swap(0) != 0 {
		c.log.Info("rate limit store answers again",
			slog.String("event", "ratelimit.store_up"),
			slog.String("policy", c.policy))
	}
}

func (c *RateLimitCounter) fallbackGet(key string, curr, prev time.Time, err error) (int, int, error) {
	if c.fallback == CountLocally {
		return c.local.Get(key, curr, prev)
	}
	return 0, 0, fmt.Errorf("redisstore: read counts: %w", err)
}

func (c *RateLimitCounter) fallbackReserve(key string, curr, prev time.Time, err error) (int, int, error) {
	if c.fallback != CountLocally {
		return 0, 0, fmt.Errorf("redisstore: count: %w", err)
	}
	currCount, prevCount, err := c.local.Get(key, curr, prev)
	if err == nil {
		err = c.local.IncrementBy(key, curr, 1)
	}
	return currCount, prevCount, err
}

func (c *RateLimitCounter) fallbackIncrement(key string, curr time.Time, amount int, err error) error {
	if c.fallback == CountLocally {
		return c.local.IncrementBy(key, curr, amount)
	}
	return fmt.Errorf("redisstore: count: %w", err)
}

// String names the fallback as Options documents it.
func (f Fallback) String() string {
	switch f {
	case Refuse:
		return "refuse"
	case CountLocally:
		return "count locally"
	}
	return "Fallback(" + strconv.Itoa(int(f)) + ")"
}
