package user

import (
	"context"
	"runtime"
	"sync"

	"golang.org/x/crypto/bcrypt"

	"github.com/embedid/identity/internal/errs"
)

// Password length limits in bytes. bcrypt reads at most 72 bytes; a longer
// password is refused rather than silently truncated.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 72
)

// CheckPassword validates a new password for field.
func CheckPassword(field, password string) error {
	switch {
	case password == "":
		return errs.New(errs.Invalid, field, "is required")
	case len(password) < MinPasswordLen:
		return errs.New(errs.Invalid, field, "must be at least %d characters", MinPasswordLen)
	case len(password) > MaxPasswordLen:
		return errs.New(errs.Invalid, field, "is %d bytes long; the limit is %d bytes", len(password), MaxPasswordLen)
	}
	return nil
}

// Hasher hashes and verifies passwords with bcrypt. It runs at most as many
// hashes at once as there are CPUs, so a flood of logins queues instead of
// starving other work. The zero value is not usable; call NewHasher.
type Hasher struct {
	cost  int
	slots chan struct{}
	dummy func() []byte // a hash at cost that matches no password in use
}

// NewHasher returns a Hasher with the bcrypt cost (bcrypt.DefaultCost if 0).
func NewHasher(cost int) (*Hasher, error) {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return nil, errs.New(errs.Invalid, "bcrypt_cost", "must be from %d to %d, got %d", bcrypt.MinCost, bcrypt.MaxCost, cost)
	}
	dummy := sync.OnceValue(func() []byte {
		hash, _ := bcrypt.GenerateFromPassword([]byte("\x00no password"), cost)
		return hash
	})
	return &Hasher{cost: cost, slots: make(chan struct{}, runtime.GOMAXPROCS(0)), dummy: dummy}, nil
}

// Cost returns the bcrypt cost.
func (h *Hasher) Cost() int { return h.cost }

// Stale reports whether hash was made at a lower cost than h's: the password
// it matches should be hashed again.
func (h *Hasher) Stale(hash []byte) bool {
	cost, err := bcrypt.Cost(hash)
	return err == nil && cost < h.cost
}

// Hash validates password for field and returns its bcrypt hash.
func (h *Hasher) Hash(ctx context.Context, field, password string) ([]byte, error) {
	if err := CheckPassword(field, password); err != nil {
		return nil, err
	}
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	defer h.release()
	hash, err := bcrypt.GenerateFromPassword([]byte(password), h.cost)
	return hash, errs.Wrap("hash password", err)
}

// Verify reports whether password matches hash. A missing hash never matches,
// but costs the same time as a real comparison so that timing does not tell
// whether an account has a password.
func (h *Hasher) Verify(ctx context.Context, hash []byte, password string) (bool, error) {
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	if len(hash) == 0 {
		bcrypt.CompareHashAndPassword(h.dummy(), []byte(password))
		return false, nil
	}
	return bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil, nil
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return errs.Wrap("wait for a password hashing slot", ctx.Err())
	}
}

func (h *Hasher) release() { <-h.slots }
