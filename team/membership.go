package team

import (
	"time"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/user"
)

// MemberStatus is a member's state in one team.
type MemberStatus int

// The member states.
const (
	MemberPending MemberStatus = 0 // awaiting activation or invitation
	MemberActive  MemberStatus = 1
	MemberRemoved MemberStatus = 2 // kept for the record; cannot log in
	// MemberSuspended is deactivated by the team's provisioning (SCIM
	// active: false): listed and kept, but cannot log in until reactivated.
	MemberSuspended MemberStatus = 3
)

// Pool is the pool a member is in (v5 entity API).
type Pool string

// The pools.
const (
	PoolAlive  Pool = "alive"
	PoolDead   Pool = "dead"
	PoolPublic Pool = "public"
)

// ParsePool checks that s names a pool.
func ParsePool(field, s string) (Pool, error) {
	switch p := Pool(s); p {
	case PoolAlive, PoolDead, PoolPublic:
		return p, nil
	}
	return "", errs.New(errs.Invalid, field, "must be alive, dead or public, got %q", s)
}

// Membership is a user's place in a team, and what the team records about
// them: its own names and attributes of the person, and their last login to
// the team.
type Membership struct {
	TeamID    string
	UserID    string
	Role      Role
	Status    MemberStatus
	Pool      Pool
	CreatedAt time.Time
	UpdatedAt time.Time
	// PasswordHash is the password the team's admin or import set for a user
	// who has not claimed the account: it opens this team only, and a claim
	// ends it.
	PasswordHash      []byte `json:"-"`
	PasswordChangedAt time.Time

	user.Profile
	Extension   map[string]any // free-form attributes, stored as a JSON object
	LastLoginAt time.Time
	LastLoginIP string
}

// Member is a user seen from one team.
type Member struct {
	User       user.User
	Membership Membership
}

// PasswordHash returns the hash of the password that opens the team to the
// member: the owner's once the account is claimed, else the team's own.
func (m *Member) PasswordHash() []byte {
	if m.User.Claimed() {
		return m.User.PasswordHash
	}
	return m.Membership.PasswordHash
}

// PasswordChangedAt returns when the password PasswordHash returns was set.
func (m *Member) PasswordChangedAt() time.Time {
	if m.User.Claimed() {
		return m.User.PasswordChangedAt
	}
	return m.Membership.PasswordChangedAt
}

// SetPassword replaces the password PasswordHash returns with hash, set at.
func (m *Member) SetPassword(hash []byte, at time.Time) {
	if m.User.Claimed() {
		m.User.PasswordHash, m.User.PasswordChangedAt = hash, at
	} else {
		m.Membership.PasswordHash, m.Membership.PasswordChangedAt = hash, at
	}
}

// DisplayName returns the user name if set, else the full name the team
// records.
func (m *Member) DisplayName() string {
	if m.User.UserName != "" {
		return m.User.UserName
	}
	return m.Membership.FullName()
}

// Teamed is one of a user's teams.
type Teamed struct {
	Team       Team
	Membership Membership
}
