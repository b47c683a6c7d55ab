package user_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/user"
)

// TestLegacyHashes checks that a hash made by another system matches as
// stale, and that Rehash leaves a bcrypt hash that matches outright. The
// bcrypt vector is of cost 5, under the Hasher's 6, so it is stale too.
func TestLegacyHashes(t *testing.T) {
	ctx := context.Background()
	h, _ := user.NewHasher(6)
	for _, v := range testkit.LegacyHashes() {
		if got := must(h.Verify(ctx, []byte(v.Hash), v.Password)); got != user.MatchStale {
			t.Errorf("%s: the right password gives %v, want MatchStale", v.Format, got)
		}
		if got := must(h.Verify(ctx, []byte(v.Hash), v.Password+"!")); got != user.Mismatch {
			t.Errorf("%s: a wrong password gives %v, want Mismatch", v.Format, got)
		}
		fresh, err := h.Rehash(ctx, v.Password)
		if err != nil {
			t.Fatalf("%s: Rehash: %v", v.Format, err)
		}
		if cost, err := bcrypt.Cost(fresh); err != nil || cost != h.Cost() {
			t.Errorf("%s: Rehash gave no bcrypt hash of cost %d: %v", v.Format, h.Cost(), err)
		}
		if got := must(h.Verify(ctx, fresh, v.Password)); got != user.Match {
			t.Errorf("%s: the rehashed password gives %v, want Match", v.Format, got)
		}
	}
}

// TestLegacyHashNormalization checks that a legacy hash matches a password
// typed in NFC or NFD, whichever form it was made from.
func TestLegacyHashNormalization(t *testing.T) {
	ctx := context.Background()
	h, _ := user.NewHasher(4)
	nfc, nfd := "caf\u00e9 cr\u00e8me", "cafe\u0301 cre\u0300me"
	for _, made := range []string{nfc, nfd} {
		sum := md5.Sum([]byte(made))
		stored := []byte(hex.EncodeToString(sum[:]))
		if got := must(h.Verify(ctx, stored, made)); got != user.MatchStale {
			t.Errorf("made from %+q, typed the same: %v, want MatchStale", made, got)
		}
		if got := must(h.Verify(ctx, stored, "cafe cr\u00e8me")); got != user.Mismatch {
			t.Errorf("made from %+q, a wrong password: %v", made, got)
		}
	}
	sum := md5.Sum([]byte(nfc))
	if got := must(h.Verify(ctx, []byte(hex.EncodeToString(sum[:])), nfd)); got != user.MatchStale {
		t.Errorf("made from NFC, typed in NFD: %v, want MatchStale", got)
	}
}

// TestCorruptStoredHash checks that a stored value that is no hash matches
// nothing, without an error.
func TestCorruptStoredHash(t *testing.T) {
	ctx := context.Background()
	h, _ := user.NewHasher(4)
	for _, stored := range []string{
		"password",
		"e10adc3949ba59abbe56e057f20f883",
		"md5$$e10adc3949ba59abbe56e057f20f883z",
		"$argon2id$v=19$m=1048576,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ",
		"$scrypt$ln=30,r=8,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"pbkdf2_sha256$99999999$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=",
		"$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4",
		"$2a$05$",
		strings.Repeat("$", 600),
		"\xff\xfe",
	} {
		for _, pw := range []string{"123456", "password", "U*U"} {
			if v, err := h.Verify(ctx, []byte(stored), pw); v != user.Mismatch || err != nil {
				t.Errorf("Verify(%.20q) = %v, %v; want Mismatch", stored, v, err)
			}
		}
	}
}

// TestRehash checks that Rehash skips the rules for new passwords but not
// bcrypt's length limit, and waits for a hashing slot.
func TestRehash(t *testing.T) {
	ctx := context.Background()
	h, _ := user.NewHasher(4)
	short, err := h.Rehash(ctx, "abc")
	if err != nil || must(h.Verify(ctx, short, "abc")) != user.Match {
		t.Errorf("a short password: %v", err)
	}
	if _, err := h.Rehash(ctx, strings.Repeat("x", 73)); errs.CodeOf(err) != errs.Invalid || errs.FieldOf(err) != "password" {
		t.Errorf("a 73-byte password: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for range cap(user.SlotsOf(h)) {
		user.SlotsOf(h) <- struct{}{}
	}
	if _, err := h.Rehash(cancelled, "abc"); err == nil {
		t.Error("Rehash ran with every slot taken and a cancelled context")
	}
	if _, err := h.Verify(cancelled, []byte("e10adc3949ba59abbe56e057f20f883e"), "123456"); err == nil {
		t.Error("a legacy Verify ran with every slot taken and a cancelled context")
	}
}
