// Package audit holds the events of the audit trail: what a use case
// changed, who changed it, in which team, about which user, from which
// address and which fields, by name. An event never holds a value: no
// secret, code, hash, email address or phone number.
package audit

import (
	"time"

	"github.com/embedid/identity/internal/errs"
)

// ActorKind is what kind of party did what an event records.
type ActorKind string

// The kinds of actors.
const (
	Member      ActorKind = "member"      // a member of the team, by user ID
	Application ActorKind = "application" // an application, by client ID
	Operator    ActorKind = "operator"    // the host's operator (identityd, a host's own call)
	User        ActorKind = "user"        // the person themselves: sign-up, activation, reset, login
	Anonymous   ActorKind = "anonymous"   // nobody known, e.g. a failed login with no known user
)

// Actor is who did what an event records: its kind and ID ("" for an
// operator or anonymous one).
type Actor struct {
	Kind ActorKind `json:"kind"`
	ID   string    `json:"id,omitempty"`
}

// Event is one change recorded in the transaction that made it.
type Event struct {
	ID      int64     `json:"id"` // assigned by the store, in commit order
	At      time.Time `json:"at"`
	TeamID  string    `json:"team_id,omitempty"` // "" where no team is known (a failed login with an unknown email)
	UserID  string    `json:"user_id,omitempty"` // the user the event is about, "" if none
	Address string    `json:"address,omitempty"` // the client's network address, "" where unknown
	Actor   Actor     `json:"actor"`
	Action  string    `json:"action"`           // one of the action constants
	Fields  []string  `json:"fields,omitempty"` // names of the changed fields, never their values
}

// The actions, stable dotted names.
const (
	TeamCreated   = "team.created"
	TeamActivated = "team.activated"
	TeamUpdated   = "team.updated"

	MemberCreated     = "member.created"
	MemberUpdated     = "member.updated"
	MemberRoleChanged = "member.role_changed"
	MemberRemoved     = "member.removed"
	MemberActivated   = "member.activated"
	MemberSuspended   = "member.suspended"
	MemberReinstated  = "member.reinstated"
	UserClaimed       = "user.claimed"

	PasswordChanged      = "password.changed"
	PasswordChangeFailed = "password.change_failed"
	PasswordResetRequest = "password.reset_requested"
	PasswordResetLocked  = "password.reset_locked"
	PasswordResetRefused = "password.reset_refused"
	PasswordReset        = "password.reset"
	EmailChangeRequested = "email.change_requested"
	EmailChanged         = "email.changed"
	CodeSent             = "code.sent"
	SessionCreated       = "session.created"
	SessionRevoked       = "session.revoked"
	LoginFailed          = "login.failed"
	LoginLocked          = "login.locked"
	LoginRefused         = "login.refused"
	AddressBudgetSpent   = "address.budget_spent"
	TokenIssued          = "token.issued"
	TokenRevoked         = "token.revoked"
	TokenFailed          = "token.failed"
	TokenLocked          = "token.locked"
	TokenRefused         = "token.refused"
	TokenDisabled        = "token.disabled"
	ApplicationCreated   = "application.created"
	SecretRotated        = "application.secret_rotated"
	ApplicationDisabled  = "application.disabled"
	ApplicationEnabled   = "application.enabled"
	PermissionsChanged   = "application.permissions_changed"
	ProjectCreated       = "project.created"
	ProjectMemberAdded   = "project.member_added"
	ProjectMemberRemoved = "project.member_removed"
	ProjectUpdated       = "project.updated"
	ProjectDeleted       = "project.deleted"
	OwnerChanged         = "owner.changed"
	PoolChanged          = "pool.changed"
	ImportCompleted      = "import.completed"
)

// Actions are all the actions, in the order declared.
var Actions = []string{
	TeamCreated, TeamActivated, TeamUpdated,
	MemberCreated, MemberUpdated, MemberRoleChanged, MemberRemoved, MemberActivated, MemberSuspended, MemberReinstated, UserClaimed,
	PasswordChanged, PasswordChangeFailed, PasswordResetRequest, PasswordResetLocked, PasswordResetRefused, PasswordReset,
	EmailChangeRequested, EmailChanged, CodeSent, SessionCreated, SessionRevoked,
	LoginFailed, LoginLocked, LoginRefused, AddressBudgetSpent,
	TokenIssued, TokenRevoked, TokenFailed, TokenLocked, TokenRefused, TokenDisabled,
	ApplicationCreated, SecretRotated, ApplicationDisabled, ApplicationEnabled, PermissionsChanged,
	ProjectCreated, ProjectMemberAdded, ProjectMemberRemoved, ProjectUpdated, ProjectDeleted, OwnerChanged, PoolChanged, ImportCompleted,
}

var known = func() map[string]bool {
	m := make(map[string]bool, len(Actions))
	for _, a := range Actions {
		m[a] = true
	}
	return m
}()

// Known reports whether action is one of the declared actions.
func Known(action string) bool { return known[action] }

var kinds = map[ActorKind]bool{Member: true, Application: true, Operator: true, User: true, Anonymous: true}

// Validate refuses an event with an undeclared action or actor kind, or a
// field that is not a name.
func (e Event) Validate() error {
	if !Known(e.Action) {
		return errs.New(errs.Invalid, "action", "%q is not a declared action", e.Action)
	}
	if !kinds[e.Actor.Kind] {
		return errs.New(errs.Invalid, "actor", "%q is not a kind of actor", e.Actor.Kind)
	}
	for _, f := range e.Fields {
		if !isName(f) {
			return errs.New(errs.Invalid, "fields", "%q is not a field name (a-z, 0-9, _ only)", f)
		}
	}
	return nil
}

// isName reports whether s is a field name: 1 to 64 of a-z, 0-9 and _.
func isName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// Filter selects a team's events for a page, newest first.
type Filter struct {
	UserID string    // only events about this user, if set
	Action string    // only events of this action, if set
	Since  time.Time // only events at or after Since, if set
	Until  time.Time // only events before Until, if set
	Before int64     // the keyset cursor, if > 0: only events older than the one of this ID (by time, then ID)
	Limit  int       // the page size, 1 to MaxLimit; 0 is DefaultLimit
}

// Page sizes of a Filter.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Validate refuses a filter with an unknown action, a negative cursor or a
// page size out of range, and fills the default page size.
func (f *Filter) Validate() error {
	if f.Action != "" && !Known(f.Action) {
		return errs.New(errs.Invalid, "action", "%q is not a declared action", f.Action)
	}
	if f.Before < 0 {
		return errs.New(errs.Invalid, "after", "must not be negative")
	}
	if f.Limit == 0 {
		f.Limit = DefaultLimit
	}
	if f.Limit < 1 || f.Limit > MaxLimit {
		return errs.New(errs.Invalid, "page_size", "must be between 1 and %d", MaxLimit)
	}
	return nil
}
