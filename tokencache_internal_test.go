package identity

import (
	"fmt"
	"testing"
	"time"
)

func TestTokenCacheBound(t *testing.T) {
	c := newTokenCache(time.Second)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	expires := now.Add(time.Hour)
	for i := range tokenCacheSize {
		c.put(fmt.Appendf(nil, "old%d", i), Client{TeamID: "t"}, expires, now)
	}
	later := now.Add(time.Second)
	c.put([]byte("new"), Client{TeamID: "t"}, expires, later)
	if len(c.m) != 1 {
		t.Fatalf("a full cache of stale entries kept %d entries after a put, want 1", len(c.m))
	}
	for i := range 2 * tokenCacheSize {
		c.put(fmt.Appendf(nil, "fresh%d", i), Client{TeamID: "t"}, expires, later)
		if len(c.m) > tokenCacheSize {
			t.Fatalf("cache holds %d entries, more than %d", len(c.m), tokenCacheSize)
		}
	}
	if cl, ok := c.get(fmt.Appendf(nil, "fresh%d", 2*tokenCacheSize-1), later); !ok || cl.TeamID != "t" {
		t.Fatalf("the latest entry is missing: %+v %v", cl, ok)
	}
}
