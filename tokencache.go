package identity

import (
	"slices"
	"sync"
	"time"
)

// Defaults of the token cache.
const (
	DefaultTokenCacheTTL = 2 * time.Second
	// tokenCacheSize bounds the tokens the cache holds; at 100 bytes or so
	// each, a full cache is under a megabyte.
	tokenCacheSize = 8192
)

// WithTokenCache sets how long AuthenticateToken remembers a verified access
// token in memory, so that the requests of a client within that time do not
// read the store (default 2 seconds; 0 turns the cache off). A token is
// still refused once it expires, cached or not. No use case revokes a token
// or changes an application's permissions; the cache only delays, by at
// most ttl, a change made to the store by other means.
func WithTokenCache(ttl time.Duration) Option { return func(c *config) { c.tokenCacheTTL = ttl } }

// tokenCache holds verified access tokens by their hash, never the tokens
// themselves.
type tokenCache struct {
	ttl time.Duration
	mu  sync.RWMutex
	m   map[string]cachedToken
}

type cachedToken struct {
	client    Client
	expiresAt time.Time // the token's
	until     time.Time // the entry's
}

func newTokenCache(ttl time.Duration) *tokenCache {
	return &tokenCache{ttl: ttl, m: make(map[string]cachedToken)}
}

// get returns the client of a token verified less than ttl ago and not
// expired at now.
func (c *tokenCache) get(hash []byte, now time.Time) (Client, bool) {
	if c.ttl <= 0 {
		return Client{}, false
	}
	c.mu.RLock()
	e, ok := c.m[string(hash)]
	c.mu.RUnlock()
	if !ok || !now.Before(e.until) || !now.Before(e.expiresAt) {
		return Client{}, false
	}
	cl := e.client
	cl.Permissions = slices.Clone(cl.Permissions)
	return cl, true
}

// put remembers a verified token until ttl from now. A full cache first
// drops its stale entries, then arbitrary ones until a quarter is free, so
// that its scans stay rare.
func (c *tokenCache) put(hash []byte, cl Client, expiresAt, now time.Time) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= tokenCacheSize {
		for k, e := range c.m {
			if !now.Before(e.until) {
				delete(c.m, k)
			}
		}
		for k := range c.m {
			if len(c.m) <= tokenCacheSize*3/4 {
				break
			}
			delete(c.m, k)
		}
	}
	cl.Permissions = slices.Clone(cl.Permissions)
	c.m[string(hash)] = cachedToken{client: cl, expiresAt: expiresAt, until: now.Add(c.ttl)}
}
