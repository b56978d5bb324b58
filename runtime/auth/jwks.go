package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/MicahParks/jwkset"
)

// JWKSOptions tune how a JSON Web Key Set is fetched and kept fresh.
type JWKSOptions struct {
	// Refresh is how often the set is fetched again in the background, and
	// the minimum gap between two refetches for an unknown kid. 0 means
	// 15 minutes; less than a second is refused.
	Refresh time.Duration
	// Client fetches the set; nil means a client with a 10 second timeout
	// that follows redirects only to https (or loopback) URLs.
	Client *http.Client
	// MaxBytes bounds a response body; 0 means 1 MiB. A bigger response is
	// an error.
	MaxBytes int64
}

// JWKS defaults and bounds.
const (
	jwksDefaultRefresh  = 15 * time.Minute
	jwksMinRefresh      = time.Second
	jwksDefaultTimeout  = 10 * time.Second
	jwksDefaultMaxBytes = 1 << 20
)

// jwksOptions checks opts and fills in the defaults.
func jwksOptions(opts JWKSOptions) (JWKSOptions, error) {
	switch {
	case opts.Refresh == 0:
		opts.Refresh = jwksDefaultRefresh
	case opts.Refresh < jwksMinRefresh:
		return opts, fmt.Errorf("auth: jwks: Refresh %s is below %s: the key server would be polled in a loop", opts.Refresh, jwksMinRefresh)
	}
	switch {
	case opts.MaxBytes == 0:
		opts.MaxBytes = jwksDefaultMaxBytes
	case opts.MaxBytes < 0:
		return opts, fmt.Errorf("auth: jwks: MaxBytes %d is negative", opts.MaxBytes)
	}
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: jwksDefaultTimeout, CheckRedirect: jwksCheckRedirect}
	}
	return opts, nil
}

// jwksCheckRedirect lets the default client follow a redirect only to a
// URL jwksCheckURL accepts, so that https cannot be downgraded on the way.
func jwksCheckRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return jwksCheckURL(req.URL.String())
}

// JWKS fetches the key set at url once, returning an error if that fails
// or the set holds no usable key (start-up must fail loudly), then fetches
// it again every opts.Refresh in the background until ctx is done. A failed
// background fetch keeps the previous set.
//
// A token's kid selects its key. A token without kid is accepted only when
// the set holds exactly one usable key. A key whose "alg" is set verifies
// only that algorithm; a key whose "use" is set must say "sig", and one
// whose "key_ops" is set must include "verify". Symmetric ("oct") keys,
// unsupported key types and curves, and RSA keys below 2048 bits are
// skipped. An unknown kid fetches the set again, at most once per Refresh;
// requests arriving meanwhile share that fetch, each waiting no longer
// than its own context allows.
func JWKS(ctx context.Context, url string, opts JWKSOptions) (Keys, error) {
	o, err := jwksOptions(opts)
	if err != nil {
		return nil, err
	}
	return jwksStart(ctx, url, o, time.Now)
}

// jwksKeys is a JWKS kept fresh in the background and refetched on demand.
type jwksKeys struct {
	life     context.Context // fetches run under it; done stops refreshing
	url      string
	client   *http.Client
	maxBytes int64
	refresh  time.Duration
	now      func() time.Time

	set atomic.Pointer[jwksSet]

	mu          sync.Mutex
	call        *jwksCall // the fetch in flight, or nil
	lastRefetch time.Time // when the last unknown-kid refetch started
}

// jwksCall is one fetch that any number of requests may wait for.
type jwksCall struct {
	done chan struct{}
	err  error // set before done closes
}

// jwksSet is one fetched key set.
type jwksSet struct {
	keys []jwksKey
}

// jwksKey is one usable key of a set.
type jwksKey struct {
	kid  string   // "" when the key has none: no token's kid names it
	algs []string // what the key can verify, narrowed by its "alg"
	key  any
}

// errJWKSTooSoon says an unknown kid could not cause a refetch because one
// happened less than Refresh ago.
var errJWKSTooSoon = errors.New("the key set was fetched again less than the refresh interval ago")

// jwksStart fetches the set at url under opts (already defaulted), then
// starts the background refresh. now is the clock refetches are rationed by.
func jwksStart(ctx context.Context, url string, opts JWKSOptions, now func() time.Time) (*jwksKeys, error) {
	if err := jwksCheckURL(url); err != nil {
		return nil, fmt.Errorf("auth: jwks: %w", err)
	}
	k := &jwksKeys{
		life:     ctx,
		url:      url,
		client:   opts.Client,
		maxBytes: opts.MaxBytes,
		refresh:  opts.Refresh,
		now:      now,
	}
	set, err := k.fetch()
	if err != nil {
		return nil, fmt.Errorf("auth: jwks: %w", err)
	}
	k.set.Store(set)
	go k.refreshLoop()
	return k, nil
}

func (k *jwksKeys) jwtAlgorithms() []string { return jwtPublicAlgorithms }

func (k *jwksKeys) jwtLookup(ctx context.Context, alg, kid string, hasKid bool) (any, error) {
	set := k.set.Load()
	if !hasKid {
		if len(set.keys) != 1 {
			return nil, fmt.Errorf("jwks: token has no kid and the key set holds %d keys", len(set.keys))
		}
		return set.keys[0].fit(alg)
	}
	if key, found, err := set.find(alg, kid); found {
		return key, err
	}
	if err := k.refetch(ctx); err != nil {
		return nil, fmt.Errorf("jwks: unknown kid %q: %w", kid, err)
	}
	key, found, err := k.set.Load().find(alg, kid)
	if !found {
		return nil, fmt.Errorf("jwks: unknown kid %q, also after fetching the key set again", kid)
	}
	return key, err
}

// find returns the key named kid that verifies alg. found says whether
// any key is named kid: if one is but none fits alg, fetching the set
// again would not help.
func (s *jwksSet) find(alg, kid string) (key any, found bool, err error) {
	for i := range s.keys {
		if s.keys[i].kid != "" && s.keys[i].kid == kid {
			found = true
			if key, err = s.keys[i].fit(alg); err == nil {
				return key, true, nil
			}
		}
	}
	return nil, found, err
}

// fit returns the key if it verifies alg.
func (k *jwksKey) fit(alg string) (any, error) {
	if !slices.Contains(k.algs, alg) {
		return nil, fmt.Errorf("jwks: key %q verifies %v, not %s", k.kid, k.algs, alg)
	}
	return k.key, nil
}

// refetch fetches the set again for an unknown kid, or joins the fetch in
// flight, unless the last unknown-kid refetch started less than Refresh
// ago. It waits until the fetch ends or ctx is done; the fetch itself goes
// on for the requests that come after.
func (k *jwksKeys) refetch(ctx context.Context) error {
	k.mu.Lock()
	c := k.call
	if c == nil {
		now := k.now()
		if !k.lastRefetch.IsZero() && now.Sub(k.lastRefetch) < k.refresh {
			k.mu.Unlock()
			return errJWKSTooSoon
		}
		k.lastRefetch = now
		c = k.startLocked()
	}
	k.mu.Unlock()
	select {
	case <-c.done:
		return c.err
	case <-ctx.Done():
		return fmt.Errorf("waiting for the key set: %w", context.Cause(ctx))
	}
}

// startLocked starts a fetch; k.mu must be held and no fetch in flight.
func (k *jwksKeys) startLocked() *jwksCall {
	c := &jwksCall{done: make(chan struct{})}
	k.call = c
	go func() {
		set, err := k.fetch()
		if err == nil {
			k.set.Store(set)
		}
		c.err = err
		k.mu.Lock()
		k.call = nil
		k.mu.Unlock()
		close(c.done)
	}()
	return c
}

// refreshLoop fetches the set every Refresh until the lifetime context is
// done. It shares a fetch already in flight and does not count against the
// unknown-kid ration.
func (k *jwksKeys) refreshLoop() {
	t := time.NewTicker(k.refresh)
	defer t.Stop()
	for {
		select {
		case <-k.life.Done():
			return
		case <-t.C:
		}
		k.mu.Lock()
		c := k.call
		if c == nil {
			c = k.startLocked()
		}
		k.mu.Unlock()
		select {
		case <-k.life.Done():
			return
		case <-c.done:
		}
	}
}

// fetch downloads and parses the set.
func (k *jwksKeys) fetch() (*jwksSet, error) {
	body, err := jwksGet(k.life, k.client, k.url, k.maxBytes)
	if err != nil {
		return nil, err
	}
	set, err := jwksParse(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", k.url, err)
	}
	return set, nil
}

// jwksGet GETs url and returns a 200 response's body, refusing one longer
// than maxBytes.
func jwksGet(ctx context.Context, client *http.Client, url string, maxBytes int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	if resp.ContentLength > maxBytes {
		return nil, fmt.Errorf("GET %s: response is %d bytes, over the %d byte limit", url, resp.ContentLength, maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: read body: %w", url, err)
	}
	if int64(len(body)) > maxBytes {
		return nil, fmt.Errorf("GET %s: response is over the %d byte limit", url, maxBytes)
	}
	return body, nil
}

// jwksParse parses a JWK set, keeping the keys that can verify signatures
// and skipping the rest. A set without usable keys is an error.
func jwksParse(body []byte) (*jwksSet, error) {
	var doc struct {
		Keys *[]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("not a JWK set: %w", err)
	}
	if doc.Keys == nil {
		return nil, errors.New(`not a JWK set: no "keys" member`)
	}
	set := &jwksSet{}
	for _, raw := range *doc.Keys {
		if key, ok := jwksUsable(raw); ok {
			set.keys = append(set.keys, key)
		}
	}
	if len(set.keys) == 0 {
		return nil, fmt.Errorf("none of the %d keys can verify signatures", len(*doc.Keys))
	}
	return set, nil
}

// jwksUsable turns one JWK into a verification key, or reports it unusable.
func jwksUsable(raw json.RawMessage) (jwksKey, bool) {
	// The zero validate options never fetch an x5u; symmetric keys fail
	// because Private is off.
	jwk, err := jwkset.NewJWKFromRawJSON(raw, jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{})
	if err != nil {
		return jwksKey{}, false
	}
	m := jwk.Marshal()
	if m.USE != "" && m.USE != jwkset.UseSig {
		return jwksKey{}, false
	}
	if len(m.KEYOPS) > 0 && !slices.Contains(m.KEYOPS, jwkset.KeyOpsVerify) {
		return jwksKey{}, false
	}
	algs, err := jwtKeyAlgorithms(jwk.Key())
	if err != nil {
		return jwksKey{}, false
	}
	if m.ALG != "" {
		if !slices.Contains(algs, string(m.ALG)) {
			return jwksKey{}, false
		}
		algs = []string{string(m.ALG)}
	}
	return jwksKey{kid: m.KID, algs: algs, key: jwk.Key()}, true
}
