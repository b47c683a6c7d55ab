package main

import (
	"path/filepath"
	"testing"
	"time"
)

// TestSeedBlocks seeds twice into one store: the second run's numbers
// follow the first's block, which kept room for its creates, and every
// member has the ID the import gave it.
func TestSeedBlocks(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "identity.db")
	s := seeding{members: 3, creates: 5, bcryptCost: 4, tokenTTL: time.Hour}
	first, err := seed(t.Context(), dsn, s)
	if err != nil {
		t.Fatal(err)
	}
	s.creates = 0
	second, err := seed(t.Context(), dsn, s)
	if err != nil {
		t.Fatal(err)
	}
	if first.nextMobile != 0 || second.nextMobile != 5 {
		t.Errorf("blocks start at %d and %d, want 0 and 5", first.nextMobile, second.nextMobile)
	}
	if m := second.members[0]; m.mobile != "13900000005" || m.id == "" || m.id == first.members[0].id {
		t.Errorf("the second run's first member is %+v", m)
	}
}

func TestBlockEnd(t *testing.T) {
	if end, err := blockEnd(blockName("run", 12, 2012)); err != nil || end != 2012 {
		t.Errorf("blockEnd = %d, %v; want 2012", end, err)
	}
	for _, bad := range []string{"", "loadgen run", "loadgen run, numbers 1 to x"} {
		if _, err := blockEnd(bad); err == nil {
			t.Errorf("blockEnd(%q) accepted it", bad)
		}
	}
}
