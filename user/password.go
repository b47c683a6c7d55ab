package user

import (
	"context"
	"runtime"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/text/unicode/norm"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/passhash"
)

// Password length limits. A password is normalized to Unicode NFC before it
// is checked and hashed, so that the same characters typed on different
// systems are the same password; the minimum counts its characters, and the
// maximum its normalized bytes, because bcrypt reads at most 72 bytes: a
// longer password is refused rather than silently truncated.
const (
	MinPasswordLen = 8  // characters
	MaxPasswordLen = 72 // bytes, once normalized
)

// CheckPassword validates a new password for field.
func CheckPassword(field, password string) error {
	_, err := normalized(field, password)
	return err
}

// normalized returns password in NFC, or why it cannot be a new password.
func normalized(field, password string) (string, error) {
	nfc := norm.NFC.String(password)
	switch {
	case password == "":
		return "", errs.New(errs.Invalid, field, "is required")
	case !utf8.ValidString(password):
		return "", errs.New(errs.Invalid, field, "is not valid UTF-8 text")
	case utf8.RuneCountInString(nfc) < MinPasswordLen:
		return "", errs.New(errs.Invalid, field, "must be at least %d characters", MinPasswordLen)
	case len(nfc) > MaxPasswordLen:
		return "", errs.New(errs.Invalid, field, "is %d bytes long in UTF-8 (NFC); the limit is %d bytes", len(nfc), MaxPasswordLen)
	}
	return nfc, nil
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

// Hash validates password for field and returns the bcrypt hash of its NFC
// form.
func (h *Hasher) Hash(ctx context.Context, field, password string) ([]byte, error) {
	nfc, err := normalized(field, password)
	if err != nil {
		return nil, err
	}
	return h.hash(ctx, nfc)
}

// Rehash returns the bcrypt hash of the NFC form of a password that has
// just matched a stale hash. It does not apply the rules for new passwords,
// so that a password accepted under an older policy still leaves its legacy
// hash behind; it refuses only one longer than MaxPasswordLen bytes.
func (h *Hasher) Rehash(ctx context.Context, password string) ([]byte, error) {
	nfc := norm.NFC.String(password)
	if len(nfc) > MaxPasswordLen {
		return nil, errs.New(errs.Invalid, "password", "is %d bytes long in UTF-8 (NFC); the limit is %d bytes", len(nfc), MaxPasswordLen)
	}
	return h.hash(ctx, nfc)
}

// hash returns the bcrypt hash of nfc, in a hashing slot.
func (h *Hasher) hash(ctx context.Context, nfc string) ([]byte, error) {
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	defer h.release()
	hash, err := bcrypt.GenerateFromPassword([]byte(nfc), h.cost)
	return hash, errs.Wrap("hash password", err)
}

// Verdict is what Verify finds.
type Verdict int

// The verdicts.
const (
	Mismatch Verdict = iota
	Match
	// MatchStale is a match on a hash that should be made again from the
	// password (see Rehash): one of a lower cost than the Hasher's, one made
	// before passwords were normalized from a password that NFC changes, or
	// one made by another system.
	MatchStale
)

// Verify checks password against hash. A missing hash never matches, but
// costs the same time as a real comparison so that timing does not tell
// whether an account has a password; a password longer than any hash can
// hold matches nothing and costs nothing. The password is compared in NFC
// and, if NFC changes it and that fails, as given: hashes made before
// passwords were normalized match, and are stale. A hash that is not bcrypt
// is read as one made by another system (see internal/passhash): a match
// is stale, and a value that is no hash Parse accepts matches nothing.
func (h *Hasher) Verify(ctx context.Context, hash []byte, password string) (Verdict, error) {
	nfc := norm.NFC.String(password)
	if len(nfc) > MaxPasswordLen {
		return Mismatch, nil
	}
	if err := h.acquire(ctx); err != nil {
		return Mismatch, err
	}
	defer h.release()
	if len(hash) == 0 {
		bcrypt.CompareHashAndPassword(h.dummy(), []byte(nfc))
		return Mismatch, nil
	}
	if !passhash.IsBcrypt(hash) {
		return verifyLegacy(hash, nfc, password), nil
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(nfc)) == nil {
		if cost, err := bcrypt.Cost(hash); err == nil && cost < h.cost {
			return MatchStale, nil
		}
		return Match, nil
	}
	if nfc != password && len(password) <= MaxPasswordLen && bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil {
		return MatchStale, nil
	}
	return Mismatch, nil
}

// verifyLegacy checks a password, in NFC and then as given, against a hash
// made by another system. A match is stale, so that it is made again with
// bcrypt.
func verifyLegacy(hash []byte, nfc, password string) Verdict {
	legacy, err := passhash.Parse(string(hash))
	if err != nil {
		return Mismatch
	}
	if legacy.Verify([]byte(nfc)) || nfc != password && legacy.Verify([]byte(password)) {
		return MatchStale
	}
	return Mismatch
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
