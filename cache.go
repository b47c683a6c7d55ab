package identity

import (
	"sync"
	"time"
)

// Defaults of the caches.
const (
	DefaultTokenCacheTTL = 2 * time.Second
	DefaultTeamCacheTTL  = 2 * time.Second
	// memoSize bounds the entries a cache holds; at a few hundred bytes
	// each, a full cache is a few megabytes at most.
	memoSize = 8192
)

// WithTokenCache sets how long AuthenticateToken remembers a verified access
// token in memory, so that the requests of a client within that time do not
// read the store (default 2 seconds; 0 turns the cache off). A token is
// still refused once it expires, cached or not. RevokeToken and the changes
// of an application (RotateSecret, DisableApplication, ...) made through
// this Service take effect at once; made through another Service or by
// other means, they show within ttl.
func WithTokenCache(ttl time.Duration) Option { return func(c *config) { c.tokenCacheTTL = ttl } }

// WithTeamCache sets how long the lookups of an application's own team
// (ClientTeam, and the team region FindByMobile reads national numbers in)
// remember a team read from the store (default 2 seconds; 0 turns the cache
// off). UpdateTeam and activation through this Service take effect at once;
// a change made to the store by other means, such as another process, shows
// within ttl.
func WithTeamCache(ttl time.Duration) Option { return func(c *config) { c.teamCacheTTL = ttl } }

// memo remembers values read from the store, by key, for a short time. It
// never holds more than memoSize entries. forget drops an entry and keeps
// any read that began before it from storing what it read, so that a write
// made through the Service never leaves a stale entry behind.
type memo[V any] struct {
	ttl time.Duration
	mu  sync.RWMutex
	m   map[string]memoEntry[V]
	gen uint64 // counts the calls of forget
}

type memoEntry[V any] struct {
	v     V
	until time.Time
}

func newMemo[V any](ttl time.Duration) *memo[V] {
	return &memo[V]{ttl: ttl, m: make(map[string]memoEntry[V])}
}

// get returns the value stored for key if it is still fresh at now, and
// the generation a read of the store that follows a miss passes to put.
func (c *memo[V]) get(key string, now time.Time) (v V, gen uint64, ok bool) {
	if c.ttl <= 0 {
		return v, 0, false
	}
	c.mu.RLock()
	e, ok := c.m[key]
	gen = c.gen
	c.mu.RUnlock()
	if !ok || !now.Before(e.until) {
		return v, gen, false
	}
	return e.v, gen, true
}

// put stores v for key until ttl from now, or until end if that is sooner
// and not zero, unless forget has run since the get that returned gen. A full cache
// first drops its stale entries, then arbitrary ones until a quarter is
// free, so that its scans stay rare.
func (c *memo[V]) put(key string, v V, gen uint64, now, end time.Time) {
	if c.ttl <= 0 {
		return
	}
	until := now.Add(c.ttl)
	if !end.IsZero() && end.Before(until) {
		until = end
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if len(c.m) >= memoSize {
		for k, e := range c.m {
			if !now.Before(e.until) {
				delete(c.m, k)
			}
		}
		for k := range c.m {
			if len(c.m) <= memoSize*3/4 {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[key] = memoEntry[V]{v: v, until: until}
}

// forget drops the entry of key, if any; reads under way store nothing.
func (c *memo[V]) forget(key string) {
	c.mu.Lock()
	delete(c.m, key)
	c.gen++
	c.mu.Unlock()
}

// clear drops every entry; reads under way store nothing.
func (c *memo[V]) clear() {
	c.mu.Lock()
	clear(c.m)
	c.gen++
	c.mu.Unlock()
}
