// Package redisstore keeps the counts of a generated server's rate limits
// and brute-force guards in Redis (go-redis v9), so that every replica of a
// service enforces one combined limit (checklist R4) instead of one limit
// each.
//
// A generated server counts in its own process unless told otherwise:
//
//	client := redis.NewClient(&redis.Options{Addr: "redis:6379", DialTimeout: 100 * time.Millisecond,
//		ReadTimeout: 100 * time.Millisecond, WriteTimeout: 100 * time.Millisecond})
//	h, err := api.NewRouter(service, auth,
//		api.WithRateLimitCounter(redisstore.RateLimits(client, redisstore.Options{Fallback: redisstore.CountLocally})),
//		api.WithBruteForceStore(redisstore.NewBruteForceStore(client, "")))
//
// The client's timeouts bound how long a request waits for Redis, so keep
// them short: a rate limit that waits seconds for its store is an outage of
// its own.
//
// Keys are hashed (SHA-256) before they reach Redis: they hold client
// addresses, account names and API keys, which a shared store should not
// keep in the clear.
//
// Any redis.UniversalClient serves, a cluster client included: every
// command and script touches one key, or keys that share a hash tag.
package redisstore
