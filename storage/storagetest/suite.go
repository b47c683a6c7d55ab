// Package storagetest holds the conformance suite that every storage.Store
// passes, and helpers that open the library's stores for tests.
package storagetest

import (
	"context"
	"testing"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
)

// Run runs the conformance suite on stores from open, which it calls once
// per subtest, from parallel subtests, for a store of its own with the
// schema migrated and no rows.
func Run(t *testing.T, open func(t *testing.T) storage.Store) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, open(t))
		})
	}
}

// randomCases is how many random cases a differential test runs: full, or
// a tenth under -short. CI's race pass runs -short: random cases find wrong
// answers, which the full pass looks for, while the race detector looks for
// unsynchronized goroutines, which a few cases reach as well as many.
func randomCases(full int) int {
	if testing.Short() {
		return max(1, full/10)
	}
	return full
}

var cases = []struct {
	name string
	run  func(*testing.T, storage.Store)
}{
	// storage.Users (users.go)
	{"UserRoundTrip", testUserRoundTrip},
	{"UserZeroValues", testUserZeroValues},
	{"UserAnyText", testUserAnyText},
	{"UserConflicts", testUserConflicts},
	{"UpdateUser", testUpdateUser},
	{"InsertUserIfAbsent", testInsertUserIfAbsent},
	{"UserByNormalizedEmail", testUserByNormalizedEmail},
	// storage.Teams (teams.go)
	{"Team", testTeam},
	{"TeamStats", testTeamStats},
	{"LockTeam", testLockTeam},
	// storage.Members (members.go, members_list.go)
	{"Memberships", testMemberships},
	{"CountActiveAdmins", testCountActiveAdmins},
	{"Teams", testTeams},
	{"Member", testMember},
	{"FindMembers", testFindMembers},
	{"ReadsKeepTheirValues", testReadsKeepTheirValues},
	{"TeamScoping", testTeamScoping},
	{"ListMembersSort", testListMembersSort},
	{"ListMembersSearch", testListMembersSearch},
	{"ListMembersSearchEscaping", testListMembersSearchEscaping},
	{"ListMembersPaging", testListMembersPaging},
	{"SearchMatchesScan", testSearchMatchesScan},
	{"ListFollowsChanges", testListFollowsChanges},
	{"ListKeysFollowUser", testListKeysFollowUser},
	{"ListCountFollowsStatus", testListCountFollowsStatus},
	{"Owners", testOwners},
	// storage.Members' SCIM search (search.go)
	{"SearchMembersFilter", testSearchMembersFilter},
	{"SearchMembersReads", testSearchMembersReads},
	{"SearchMembersSortAndPage", testSearchMembersSortAndPage},
	{"SearchMembersRandom", testSearchMembersRandom},
	// storage.Credentials (credentials.go)
	{"Codes", testCodes},
	{"Sessions", testSessions},
	// storage.Applications (applications.go)
	{"ApplicationsAndTokens", testApplicationsAndTokens},
	{"ApplicationLifecycle", testApplicationLifecycle},
	// storage.Projects (projects.go)
	{"Projects", testProjects},
	{"ProjectsQuery", testProjectsQuery},
	{"ProjectWrites", testProjectWrites},
	{"ProjectWriteLosesNoUpdate", testProjectWriteLosesNoUpdate},
	// storage.Lockout (lockout.go)
	{"Failures", testFailures},
	// storage.Events (events.go)
	{"Events", testEvents},
	{"EventsInCommitOrder", testEventsInCommitOrder},
	// storage.Outbox (outbox.go)
	{"OutboxClaim", testOutboxClaim},
	{"OutboxDeliver", testOutboxDeliver},
	{"OutboxClaimsOnce", testOutboxClaimsOnce},
	{"OldestDueMessage", testOldestDueMessage},
	// multi-row writes (batch.go)
	{"Batches", testBatches},
	// storage.Store and every interface at once (store.go)
	{"NotFound", testNotFound},
	{"WriteRollsBack", testWriteRollsBack},
	{"ConcurrentInsertIfAbsent", testConcurrentInsertIfAbsent},
	{"WriteLosesNoUpdate", testWriteLosesNoUpdate},
	{"Query", testQuery},
}

// write runs fn in a Write and fails t if it returns an error.
func write(t *testing.T, s storage.Store, fn func(tx storage.Tx) error) {
	t.Helper()
	if err := s.Write(t.Context(), fn); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// read runs fn in a Read and returns its result, failing t on an error.
func read[T any](t *testing.T, s storage.Store, fn func(tx storage.Tx) (T, error)) T {
	t.Helper()
	return result(t, "Read", s.Read, fn)
}

// readPage runs fn in a Read and returns its page and total, failing t on
// an error.
func readPage[T any](t *testing.T, s storage.Store, fn func(tx storage.Tx) ([]T, int, error)) ([]T, int) {
	t.Helper()
	var n int
	page := read(t, s, func(tx storage.Tx) (page []T, err error) {
		page, n, err = fn(tx)
		return page, err
	})
	return page, n
}

// writeResult runs fn in a Write and returns its result, failing t on an
// error.
func writeResult[T any](t *testing.T, s storage.Store, fn func(tx storage.Tx) (T, error)) T {
	t.Helper()
	return result(t, "Write", s.Write, fn)
}

func result[T any](t *testing.T, name string, run func(context.Context, func(storage.Tx) error) error, fn func(tx storage.Tx) (T, error)) T {
	t.Helper()
	var v T
	err := run(t.Context(), func(tx storage.Tx) (err error) {
		v, err = fn(tx)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// fails runs fn in a Write and checks that it fails with code and, unless
// field is "", field.
func fails(t *testing.T, s storage.Store, code errs.Code, field string, fn func(tx storage.Tx) error) {
	t.Helper()
	err := s.Write(t.Context(), fn)
	if errs.CodeOf(err) != code || field != "" && errs.FieldOf(err) != field {
		t.Errorf("got error %v (code %q, field %q), want code %q, field %q", err, errs.CodeOf(err), errs.FieldOf(err), code, field)
	}
}

// same fails t with what differs between got and want, if anything does.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if d := diff(got, want); d != "" {
		t.Errorf("%s: %s", what, d)
	}
}
