package user

import "time"

// CodeKind says what a one-time code is for.
type CodeKind string

// The kinds of code.
const (
	CodeActivation CodeKind = "activation" // activates a signed-up team and its first admin
	CodeInvitation CodeKind = "invitation" // lets an invited member set a password
	CodeEmail      CodeKind = "email"      // moves an account to the address it was sent to
	CodeReset      CodeKind = "reset"      // sets a forgotten password
)

// Code is a one-time code sent through the host's notifier. Only its hash is
// stored.
type Code struct {
	Hash      []byte `json:"-"`
	Kind      CodeKind
	UserID    string
	TeamID    string
	Email     string // the address a CodeEmail moves the account to, "" for the others
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Expired reports whether the code is past its expiry at now: a code issued
// with a TTL of 30 minutes is refused at exactly 30 minutes.
func (c Code) Expired(now time.Time) bool { return !now.Before(c.ExpiresAt) }

// Session is a logged-in user in one team. Only its token's hash is stored;
// ID names it to its user, who lists and revokes sessions by it, and tells
// nothing about the token.
type Session struct {
	Hash       []byte `json:"-"`
	ID         string
	UserID     string
	TeamID     string
	CreatedAt  time.Time
	LastSeenAt time.Time
	IdleLimit  time.Duration
	MaxAge     time.Duration // from CreatedAt, however often the session is used
	IP         string        // the client address it was opened from, "" if unknown
}

// Expired reports whether the session has been idle for its whole idle
// limit, or has lived for its whole maximum age.
func (s Session) Expired(now time.Time) bool {
	return !now.Before(s.LastSeenAt.Add(s.IdleLimit)) || !now.Before(s.ExpiresAt())
}

// ExpiresAt is when the session ends however often it is used.
func (s Session) ExpiresAt() time.Time { return s.CreatedAt.Add(s.MaxAge) }
