package redisstore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/secgen/secgen/runtime/bruteforce"
)

// BruteForceStore keeps bruteforce.Store's counts in Redis, so that every
// replica of a service counts one account's failed logins together and
// enforces the same lockouts. Its behaviour is bruteforce.MemoryStore's:
// a fixed failure window that starts at the first failure after the
// previous window ended; the failure that reaches the limit clears the
// count, raises the key's lockout level (at most 63) and locks the key for
// lockout(level), never shortening a lockout already running; the level
// is kept until twice the longest lockout after the last lockout ended;
// a success forgets everything.
//
// A key's entry is the Redis hash "<prefix>:bf:<first 32 hex digits of the
// SHA-256 of the key>" with the fields count, windowEnd, level,
// lockedUntil and levelUntil, the times in Unix nanoseconds. Times come
// from the callers' now, never from Redis's clock, so replicas must keep
// their clocks in step (NTP). Each entry expires (PEXPIREAT) when nothing
// about it matters any more, by Redis's clock, so Redis holds no more
// than the keys that matter and needs no eviction of its own.
//
// Fail runs as a Lua script, so failures from any number of replicas are
// counted atomically. A lockout that is longer than lockout(1) takes a
// second, small script: the first already locks the key for lockout(1),
// a lower bound of every lockout, so the key is locked from the failure
// on even if the second never runs. A single key per script keeps it
// usable with Redis Cluster.
type BruteForceStore struct {
	client redis.UniversalClient
	prefix string // "<prefix>:bf:"
}

var _ bruteforce.Store = (*BruteForceStore)(nil)

// bfDefaultPrefix starts every key when NewBruteForceStore is given "".
const bfDefaultPrefix = "secgen"

// bfMaxLevel is the highest lockout level kept, as in
// bruteforce.MemoryStore; the Lua script caps the level at it too.
const bfMaxLevel = 63

// NewBruteForceStore returns a store that keeps its entries in client
// under keys starting with prefix ("secgen" when prefix is ""). Services
// that share one Redis keep their counts apart by prefix.
func NewBruteForceStore(client redis.UniversalClient, prefix string) *BruteForceStore {
	if prefix == "" {
		prefix = bfDefaultPrefix
	}
	return &BruteForceStore{client: client, prefix: prefix + ":bf:"}
}

// Locked returns how much longer key is locked out at now; 0 when it is
// not. It reads one hash field (HGET).
func (s *BruteForceStore) Locked(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	v, err := s.client.HGet(ctx, s.key(key), "lockedUntil").Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("redisstore: read a lockout: %w", err)
	}
	until, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("redisstore: read a lockout: %w", err)
	}
	if d := time.Unix(0, until).Sub(now); d > 0 {
		return d, nil
	}
	return 0, nil
}

// Fail counts a failure for key at now, as bruteforce.Store documents,
// and returns lockout(level) when the failure locks the key (0 if not).
// It fails when limit < 1, window <= 0 or lockout is nil, without asking
// Redis, and when Redis fails.
func (s *BruteForceStore) Fail(ctx context.Context, key string, now time.Time, limit int, window time.Duration, lockout func(level int) time.Duration) (time.Duration, error) {
	switch {
	case limit < 1:
		return 0, errors.New("redisstore: limit must be at least 1")
	case window <= 0:
		return 0, errors.New("redisstore: window must be positive")
	case lockout == nil:
		return 0, errors.New("redisstore: lockout function is nil")
	}
	k := s.key(key)
	at := now.UnixNano()
	first, longest := lockout(1), lockout(bfMaxLevel)
	lockedUntil := bfAdd(at, first)
	level, err := bfFailScript.Run(ctx, s.client, []string{k},
		at, bfAdd(at, window), limit, lockedUntil, bfLevelUntil(lockedUntil, longest)).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisstore: count a failure: %w", err)
	}
	if level <= 0 {
		return 0, nil
	}
	d := lockout(int(level))
	if d <= first {
		return d, nil // the script locked the key for lockout(1) already
	}
	lockedUntil = bfAdd(at, d)
	err = bfLockScript.Run(ctx, s.client, []string{k},
		lockedUntil, bfLevelUntil(lockedUntil, longest), level).Err()
	if err != nil {
		return 0, fmt.Errorf("redisstore: lock out: %w", err)
	}
	return d, nil
}

// Succeed forgets key's failures and lockout level, and with them any
// lockout still running (DEL).
func (s *BruteForceStore) Succeed(ctx context.Context, key string) error {
	if err := s.client.Del(ctx, s.key(key)).Err(); err != nil {
		return fmt.Errorf("redisstore: forget failures: %w", err)
	}
	return nil
}

// key returns the Redis key of key's entry: the prefix and key's hash.
func (s *BruteForceStore) key(key string) string {
	var buf [128]byte
	return string(appendKeyHash(append(buf[:0], s.prefix...), key))
}

// bfAdd returns the Unix nanoseconds at, plus d, saturated at the int64
// range (a window or lockout of centuries stays a far future).
func bfAdd(at int64, d time.Duration) int64 {
	switch {
	case d > 0 && at > math.MaxInt64-int64(d):
		return math.MaxInt64
	case d < 0 && at < math.MinInt64-int64(d):
		return math.MinInt64
	}
	return at + int64(d)
}

// bfLevelUntil returns when a level raised by a lockout until lockedUntil
// is forgotten: twice the longest lockout after the lockout ends.
func bfLevelUntil(lockedUntil int64, longest time.Duration) int64 {
	return bfAdd(bfAdd(lockedUntil, longest), longest)
}

// bfLuaHelpers are the functions both scripts use. Redis's Lua numbers
// are doubles, exact only up to 2^53, and Unix nanoseconds exceed that:
// the scripts never compute with times. Go computes every time it needs,
// go-redis passes them as canonical decimal strings, and the scripts
// compare them as strings of digits (before) and store them as they are.
const bfLuaHelpers = `
-- before reports whether the decimal integer a is less than b, exactly.
local function before(a, b)
	local na, nb = a:sub(1, 1) == '-', b:sub(1, 1) == '-'
	if na ~= nb then return na end
	if na then a, b = b:sub(2), a:sub(2) end
	if #a ~= #b then return #a < #b end
	local n = #a - 9
	if n > 0 then
		local ha, hb = tonumber(a:sub(1, n)), tonumber(b:sub(1, n))
		if ha ~= hb then return ha < hb end
		a, b = a:sub(n + 1), b:sub(n + 1)
	end
	return tonumber(a) < tonumber(b)
end

-- later returns the later of the times a and b; either may be false.
local function later(a, b)
	if not a then return b end
	if not b or before(b, a) then return a end
	return b
end

-- expire sets key to expire when nothing about its entry matters any
-- more: its lockout has ended, its failures' window is over (when it
-- counts failures) and its level is forgotten (when it has one).
local function expire(key, count, windowEnd, level, lockedUntil, levelUntil)
	local e = lockedUntil
	if count > 0 then e = later(e, windowEnd) end
	if level > 0 then e = later(e, levelUntil) end
	-- PEXPIREAT takes Unix milliseconds: round the nanoseconds up. A time
	-- before 1970 or a missing one is in the past: Redis deletes the key.
	local ms = 0
	if e and e:sub(1, 1) ~= '-' and #e > 6 then
		ms = tonumber(e:sub(1, -7))
		if e:sub(-6) ~= '000000' then ms = ms + 1 end
	end
	redis.call('PEXPIREAT', key, ms)
end
`

// bfFailScript counts a failure. KEYS[1] is the entry; ARGV: now, the end
// of a window starting now, limit, the end of a lockout(1) starting now,
// and when a level raised by that lockout is forgotten. When the failure
// reaches the limit it clears the count, raises the level (at most 63),
// locks the key until at least ARGV[4] and keeps the level until at least
// ARGV[5]; it returns the new level then, 0 otherwise.
var bfFailScript = redis.NewScript(bfLuaHelpers + `
local key, now, limit = KEYS[1], ARGV[1], tonumber(ARGV[3])
local f = redis.call('HMGET', key, 'count', 'windowEnd', 'level', 'lockedUntil', 'levelUntil')
local count, windowEnd, level = tonumber(f[1]) or 0, f[2], tonumber(f[3]) or 0
local lockedUntil, levelUntil = f[4], f[5]
if level > 0 and not (levelUntil and before(now, levelUntil)) then
	level = 0
	levelUntil = false
end
if count == 0 or not (windowEnd and before(now, windowEnd)) then
	count = 0
	windowEnd = ARGV[2]
end
count = count + 1
local raised = 0
if count >= limit then
	count = 0
	if level < 63 then level = level + 1 end
	raised = level
	lockedUntil = later(lockedUntil, ARGV[4])
	levelUntil = later(levelUntil, ARGV[5])
	redis.call('HSET', key, 'lockedUntil', lockedUntil, 'levelUntil', levelUntil)
end
redis.call('HSET', key, 'count', count, 'windowEnd', windowEnd, 'level', level)
expire(key, count, windowEnd, level, lockedUntil, levelUntil)
return raised
`)

// bfLockScript lengthens the lockout bfFailScript started. KEYS[1] is the
// entry; ARGV: the end of the lockout, when its level is forgotten, and
// the level bfFailScript returned. Neither time is ever shortened. When
// the entry's level is now lower (a success forgot it in between) it
// does nothing and returns 0, else 1.
var bfLockScript = redis.NewScript(bfLuaHelpers + `
local key = KEYS[1]
local f = redis.call('HMGET', key, 'count', 'windowEnd', 'level', 'lockedUntil', 'levelUntil')
local count, windowEnd, level = tonumber(f[1]) or 0, f[2], tonumber(f[3]) or 0
if level < tonumber(ARGV[3]) then return 0 end
local lockedUntil, levelUntil = later(f[4], ARGV[1]), later(f[5], ARGV[2])
redis.call('HSET', key, 'lockedUntil', lockedUntil, 'levelUntil', levelUntil)
expire(key, count, windowEnd, level, lockedUntil, levelUntil)
return 1
`)
