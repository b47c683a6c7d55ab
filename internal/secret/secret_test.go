package secret_test

import (
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/internal/secret"
)

func TestTokenAndCode(t *testing.T) {
	tok, h := secret.Token()
	if len(tok) != 43 || !secret.Equal(tok, h) || secret.Equal(tok+"x", h) {
		t.Fatalf("token %q does not match its hash", tok)
	}
	code, ch := secret.Code()
	if len(code) != 32 || strings.ToLower(code) != code || !secret.Equal(code, ch) {
		t.Fatalf("code %q is not 32 lower-case characters matching its hash", code)
	}
	if other, _ := secret.Token(); other == tok {
		t.Fatal("two tokens are equal")
	}
}

func TestIDSortsByTime(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, b := secret.ID(t0), secret.ID(t0.Add(time.Millisecond))
	if len(a) != 32 || a >= b {
		t.Fatalf("IDs %q and %q are not 32 hex digits in time order", a, b)
	}
}

func TestIDsAscend(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := secret.IDs(t0, 500)
	if len(ids) != 500 {
		t.Fatalf("got %d IDs, want 500", len(ids))
	}
	prefix := secret.ID(t0)[:12] // the milliseconds
	for i, id := range ids {
		if len(id) != 32 || id[:12] != prefix {
			t.Fatalf("ID %q is not 32 hex digits of time %s", id, t0)
		}
		if i > 0 && id <= ids[i-1] {
			t.Fatalf("IDs %q and %q do not ascend", ids[i-1], id)
		}
	}
}
