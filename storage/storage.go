// Package storage declares what the identity use cases need from a database
// and implements it for SQLite and Postgres.
//
// What a use case may ask is a few small interfaces named for what they hold
// (Users, Teams, Members, Credentials, Applications, Lockout, Projects,
// Events, Outbox), each with a read-only part (UserReads, ...):
// Tx embeds them all, Reads the read-only parts. A file per interface
// declares it, its rows, its statements and their implementation;
// storagetest holds their conformance cases, a file per interface too.
//
// Every statement is declared once, as a stmt with ? placeholders, next to
// its table (stmt.go); a store prepares it on first use and keeps it. A
// dialect (dialect.go, one file per database) rebinds, locks, classifies
// errors and scans rows. bun gives the tables' columns, the migrations and
// the host's *bun.DB; a row type embeds the domain type whose fields are
// its columns as bun names them (team.Team, team.Membership and the
// user.Profile in it, user.Code, user.Settings), and spells out the others. Adding a single-row read is one stmt, one method and
// its line in the interface, in that interface's file.
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
//   - Times are stored with microsecond precision in UTC; a zero time is
//     stored as NULL, and read back as the zero time in UTC.
package storage

import "context"

// Store is a database the use cases run on. The statements of the fn given
// to Read, Query or Write run in the context given with it, so its deadline
// and cancellation bound all of fn's work; the context that each method of
// Tx and Reads takes should be the same one, and is not consulted.
type Store interface {
	// Read runs fn in a read-only transaction that sees one snapshot.
	Read(ctx context.Context, fn func(Tx) error) error
	// Query runs fn outside any transaction, saving its cost, for reads that
	// need no common snapshot: each statement sees what was committed when
	// it ran. fn must not write.
	Query(ctx context.Context, fn func(Reads) error) error
	// Write runs fn in one transaction, committed if fn returns nil and rolled
	// back otherwise. The rows that User, UserByEmail, UserByMobile,
	// Membership, Member, Team and Application return stay locked against other writers
	// until it ends, so read-modify-write cycles lose no update. A failed
	// statement may abort the transaction (Postgres): fn must return the
	// first error it gets.
	Write(ctx context.Context, fn func(Tx) error) error
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the store's connections if the store opened them.
	Close() error
}

// Reads are the queries that change nothing, which Query offers outside a
// transaction.
type Reads interface {
	UserReads
	TeamReads
	MemberReads
	CredentialReads
	ApplicationReads
	LockoutReads
	ProjectReads
	EventReads
	OutboxReads
}

// Tx is the set of queries available inside Read and Write. A Tx is used
// by one goroutine at a time, as a database/sql transaction's statements
// run one at a time anyway.
type Tx interface {
	Users
	Teams
	Members
	Credentials
	Applications
	Lockout
	Projects
	Events
	Outbox
}
