package identity

import (
	"fmt"
	"testing"
	"time"
)

func TestMemoBound(t *testing.T) {
	c := newMemo[string](time.Second)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i := range memoSize {
		c.put(fmt.Sprint("old", i), "v", 0, now, time.Time{})
	}
	later := now.Add(time.Second)
	c.put("new", "v", 0, later, time.Time{})
	if len(c.m) != 1 {
		t.Fatalf("a full cache of stale entries kept %d entries after a put, want 1", len(c.m))
	}
	for i := range 2 * memoSize {
		c.put(fmt.Sprint("fresh", i), "v", 0, later, time.Time{})
		if len(c.m) > memoSize {
			t.Fatalf("cache holds %d entries, more than %d", len(c.m), memoSize)
		}
	}
	if v, _, ok := c.get(fmt.Sprint("fresh", 2*memoSize-1), later); !ok || v != "v" {
		t.Fatalf("the latest entry is missing: %q %v", v, ok)
	}
}

func TestMemoLifetime(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	c := newMemo[int](2 * time.Second)
	c.put("ttl", 1, 0, now, time.Time{})
	c.put("end", 2, 0, now, now.Add(time.Second))
	c.put("later end", 3, 0, now, now.Add(time.Hour))
	for _, tc := range []struct {
		key  string
		at   time.Duration
		want bool
	}{
		{"ttl", 2*time.Second - 1, true}, {"ttl", 2 * time.Second, false},
		{"end", time.Second - 1, true}, {"end", time.Second, false},
		{"later end", 2*time.Second - 1, true}, {"later end", 2 * time.Second, false},
	} {
		if _, _, ok := c.get(tc.key, now.Add(tc.at)); ok != tc.want {
			t.Errorf("%s after %v: fresh %v, want %v", tc.key, tc.at, ok, tc.want)
		}
	}
	off := newMemo[int](0)
	off.put("k", 1, 0, now, time.Time{})
	if _, _, ok := off.get("k", now); ok || len(off.m) != 0 {
		t.Fatal("a cache with no time to live stored an entry")
	}
}

func TestMemoForget(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	c := newMemo[string](time.Minute)
	c.put("team", "old", 0, now, time.Time{})
	_, gen, _ := c.get("other", now) // a read begins
	c.forget("team")                 // a write ends meanwhile
	if _, _, ok := c.get("team", now); ok {
		t.Fatal("a forgotten entry is still fresh")
	}
	c.put("other", "read before the write", gen, now, time.Time{})
	if _, _, ok := c.get("other", now); ok {
		t.Fatal("a read begun before forget stored what it read")
	}
	_, gen, _ = c.get("team", now)
	c.put("team", "new", gen, now, time.Time{})
	if v, _, ok := c.get("team", now); !ok || v != "new" {
		t.Fatalf("a read begun after forget: %q %v, want new", v, ok)
	}
}
