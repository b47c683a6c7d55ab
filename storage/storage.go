// Package storage declares what the identity use cases need from a database
// and implements it on bun for SQLite and Postgres.
//
// Contract shared by every method:
//   - A missing row is an *errs.Error with code NotFound.
//   - A write that would break a uniqueness rule (a second user with the same
//     normalized email or E.164 mobile, a second membership of one user in one
//     team, a second application with one client ID, ...) is an *errs.Error
//     with code Conflict whose Field names the offending column ("email",
//     "mobile", "user_id", ...), whichever dialect raised it.
//   - Every other error is an internal *errs.Error wrapping the driver error.
//   - Every method that reads or writes team-scoped rows takes the team ID and
//     filters by it in the query itself.
//   - Times are stored with microsecond precision in UTC.
package storage

import (
	"context"
	"time"

	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// Store is a database the use cases run on.
type Store interface {
	// Read runs fn in a read-only transaction that sees one snapshot.
	Read(ctx context.Context, fn func(Tx) error) error
	// Query runs fn outside any transaction, saving its cost, for reads that
	// need no common snapshot: each statement sees what was committed when
	// it ran. fn must not write.
	Query(ctx context.Context, fn func(Tx) error) error
	// Write runs fn in one transaction, committed if fn returns nil and rolled
	// back otherwise. The rows that User, UserByEmail, UserByMobile,
	// Membership, Member and Team return stay locked against other writers
	// until it ends, so read-modify-write cycles lose no update. A failed
	// statement may abort the transaction (Postgres): fn must return the
	// first error it gets.
	Write(ctx context.Context, fn func(Tx) error) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the store's connections if the store opened them.
	Close() error
}

// Tx is the set of queries available inside Read and Write. A Tx is used
// by one goroutine at a time, as a database/sql transaction's statements
// run one at a time anyway.
type Tx interface {
	// LockTeam serializes writers of one team's memberships until the
	// transaction ends (SELECT ... FOR NO KEY UPDATE on Postgres; SQLite's write
	// lock already does). NotFound if the team does not exist.
	LockTeam(ctx context.Context, teamID string) error

	InsertTeam(ctx context.Context, t team.Team) error
	Team(ctx context.Context, teamID string) (team.Team, error)
	// TeamRegion returns the team's region, "" if it has none: what reading
	// a national phone number needs, without the rest of the team.
	TeamRegion(ctx context.Context, teamID string) (string, error)
	// UpdateTeam writes every mutable column of t (all but ID and CreatedAt).
	UpdateTeam(ctx context.Context, t team.Team) error
	TeamStats(ctx context.Context, teamID string) (team.Stats, error)

	// InsertUser adds u; Conflict on a taken email or mobile.
	InsertUser(ctx context.Context, u user.User) error
	// InsertUserIfAbsent adds u unless its email or mobile is taken, in which
	// case it does nothing and reports false (INSERT ... ON CONFLICT DO
	// NOTHING), so concurrent callers never fail or duplicate.
	InsertUserIfAbsent(ctx context.Context, u user.User) (bool, error)
	// InsertUsersIfAbsent adds, in multi-row statements, every user whose
	// email and mobile nobody holds, skips the others as InsertUserIfAbsent
	// does, and returns the IDs of those it added.
	InsertUsersIfAbsent(ctx context.Context, us []user.User) (map[string]bool, error)
	User(ctx context.Context, userID string) (user.User, error)
	UserByEmail(ctx context.Context, normalized string) (user.User, error)
	UserByMobile(ctx context.Context, e164 string) (user.User, error)
	// UsersByEmails returns the users holding any of the normalized emails,
	// in no order; UsersByMobiles does the same for E.164 mobiles.
	UsersByEmails(ctx context.Context, normalized []string) ([]user.User, error)
	UsersByMobiles(ctx context.Context, e164 []string) ([]user.User, error)
	// UpdateUser writes every mutable column of u (all but ID and CreatedAt);
	// Conflict on a taken email or mobile.
	UpdateUser(ctx context.Context, u user.User) error

	// InsertMembership adds m; Conflict (field "user_id") if the user is
	// already in the team.
	InsertMembership(ctx context.Context, m team.Membership) error
	// InsertMembershipIfAbsent adds m unless the user is already in the team.
	InsertMembershipIfAbsent(ctx context.Context, m team.Membership) (bool, error)
	// InsertMembershipsIfAbsent adds, in multi-row statements, every
	// membership whose user is not yet in its team, and returns the user IDs
	// of those it added. users may hold users of ms as this transaction has
	// just inserted them: their sort keys, which memberships copy, are taken
	// from there rather than read back.
	InsertMembershipsIfAbsent(ctx context.Context, ms []team.Membership, users []user.User) (map[string]bool, error)
	Membership(ctx context.Context, teamID, userID string) (team.Membership, error)
	// UpdateMembership writes Role, Status, Pool and UpdatedAt of m.
	UpdateMembership(ctx context.Context, m team.Membership) error
	CountActiveAdmins(ctx context.Context, teamID string) (int, error)
	// Teams lists every team userID belongs to with its membership, oldest
	// membership first.
	Teams(ctx context.Context, userID string) ([]team.Teamed, error)

	// Member returns a member of the team in any member status.
	Member(ctx context.Context, teamID, userID string) (team.Member, error)
	// FindMembers returns the team's members that are not removed and match
	// every criterion given, ordered by user ID, at most limit of them.
	FindMembers(ctx context.Context, teamID string, c team.Criteria, limit int) ([]team.Member, error)
	// ListMembers returns one page of the team's members that are not
	// removed, and the number of all that match. q is already validated.
	ListMembers(ctx context.Context, teamID string, q team.ListQuery) ([]team.Member, int, error)

	// AddOwner makes ownerID an owner of userID in the team; adding an
	// existing owner does nothing.
	AddOwner(ctx context.Context, teamID, userID, ownerID string, at time.Time) error
	// RemoveOwner removes the owner; removing a missing one does nothing.
	RemoveOwner(ctx context.Context, teamID, userID, ownerID string) error
	// Owners lists the owners of userID in the team in the order added.
	Owners(ctx context.Context, teamID, userID string) ([]string, error)

	InsertCode(ctx context.Context, c user.Code) error
	// InsertCodes adds codes in multi-row statements.
	InsertCodes(ctx context.Context, cs []user.Code) error
	// Code finds a code by its hash, expired or not.
	Code(ctx context.Context, hash []byte) (user.Code, error)
	// DeleteCodes removes every code of kind for the user in the team.
	DeleteCodes(ctx context.Context, teamID, userID string, kind user.CodeKind) error

	InsertSession(ctx context.Context, s user.Session) error
	Session(ctx context.Context, hash []byte) (user.Session, error)
	// TouchSession sets the session's last use to at.
	TouchSession(ctx context.Context, hash []byte, at time.Time) error
	// DeleteSessions removes the sessions that match f.
	DeleteSessions(ctx context.Context, f SessionFilter) error

	// InsertApplication adds a; Conflict (field "client_id") on a taken
	// client ID.
	InsertApplication(ctx context.Context, a team.Application) error
	Application(ctx context.Context, clientID string) (team.Application, error)
	InsertToken(ctx context.Context, t team.Token) error
	// Token finds an access token by its hash with its application's team,
	// client ID and current permissions.
	Token(ctx context.Context, hash []byte) (team.Token, error)

	// Failures returns the failed attempts recorded for key from address;
	// none is the zero Failures.
	Failures(ctx context.Context, key, address string) (Failures, error)
	// RecordFailure counts one more failed attempt for key from address at
	// at, in the current window if it began after windowStartsAfter and in a
	// new window starting at at otherwise, and returns the count. It is one
	// atomic statement, so concurrent failures are all counted.
	RecordFailure(ctx context.Context, key, address string, at, windowStartsAfter time.Time) (Failures, error)
	// ClearFailures forgets the failed attempts of key from address.
	ClearFailures(ctx context.Context, key, address string) error

	InsertProject(ctx context.Context, p team.Project) error
	Project(ctx context.Context, teamID, projectID string) (team.Project, error)
	// ProjectByID finds a project in any team, for operators only.
	ProjectByID(ctx context.Context, projectID string) (team.Project, error)
	// AddProjectMember adds a member to a project of the team, or changes the
	// project role of one already in it.
	AddProjectMember(ctx context.Context, teamID, projectID, userID string, role int, at time.Time) error
	// ProjectMembers lists the project's members that are not removed from
	// the team, in the order added.
	ProjectMembers(ctx context.Context, teamID, projectID string) ([]team.ProjectMember, error)
}

// Failures are the failed attempts at one secret from one address in the
// current window.
type Failures struct {
	Count       int
	WindowStart time.Time
}

// SessionFilter selects sessions to delete. UserID or Hash is required.
type SessionFilter struct {
	Hash   []byte // one session
	UserID string // every session of the user...
	TeamID string // ...in this team only, if set
	Except []byte // ...but this one
}
