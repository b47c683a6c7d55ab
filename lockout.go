package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"time"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
)

// Lockout defaults: this many failed attempts within the window lock the
// secret for the rest of the window.
const (
	DefaultLockoutFailures = 5
	DefaultLockoutWindow   = 15 * time.Minute
)

// WithLockout sets how many failed logins, or failed client secrets, within
// window lock further attempts from the same client address until the
// window ends (default 5 in 15 minutes). Failures are counted per account
// (or client ID) and address, so an attacker locks out only their own
// address, never the real user elsewhere; see SECURITY.md.
func WithLockout(failures int, window time.Duration) Option {
	return func(c *config) { c.lockFailures, c.lockWindow = failures, window }
}

// failureKey identifies a secret under attack without storing who it is.
func failureKey(kind string, parts ...string) string {
	h := sha256.New()
	h.Write([]byte(kind))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// locked refuses an attempt when f already holds the most failures the
// window allows.
func (s *Service) locked(f storage.Failures, now time.Time) error {
	ends := f.WindowStart.Add(s.lockWindow)
	wait := ends.Sub(now)
	if f.Count < s.lockFailures || wait <= 0 {
		return nil
	}
	return errs.New(errs.TooManyRequests, "", "too many failed attempts; try again in %d minutes", int(math.Ceil(wait.Minutes())))
}

// failed records a failed attempt at now.
func (s *Service) failed(ctx context.Context, tx storage.Tx, key, address string, now time.Time) error {
	_, err := tx.RecordFailure(ctx, key, address, now, now.Add(-s.lockWindow))
	return err
}
