package identity_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/internal/secret"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

// The kill test: an import of killRows rows without passwords, so that each
// row is an invitation, runs in a child process (this test binary, run
// again for TestImportKillChild) whose notifier appends each code with its
// user ID to a file; the child is killed with SIGKILL at spread random
// points before, during and after its commit, killRuns times per backend.
// After each kill the store is opened again and Deliver runs, as identityd
// does at every start: no code may name a user the database does not
// hold, and every committed invitation must have been delivered.
const (
	killRows = 2000
	killRuns = 20
	// killApp names the child's Postgres sessions (application_name).
	killApp = "identity-kill-child"
	// The environment of the child.
	killDSNEnv, killTeamEnv, killFileEnv = "IDENTITY_KILL_DSN", "IDENTITY_KILL_TEAM", "IDENTITY_KILL_FILE"
)

// fileNotifier appends "userID code" lines to f, one write each, which a
// SIGKILL of the process does not tear.
type fileNotifier struct{ f *os.File }

func (n fileNotifier) Notify(_ context.Context, note identity.Notification) error {
	_, err := fmt.Fprintf(n.f, "%s %s\n", note.UserID, note.Code)
	return err
}

// TestImportKillChild is the child: it imports killRows rows into the team
// in the environment, and is killed at some point. It skips when not run
// as a child.
func TestImportKillChild(t *testing.T) {
	dsn := os.Getenv(killDSNEnv)
	if dsn == "" {
		t.Skip("the child of TestImportKilled")
	}
	ctx := context.Background()
	store, err := storage.Open(ctx, dsn)
	must(t, err)
	f, err := os.OpenFile(os.Getenv(killFileEnv), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	must(t, err)
	svc, err := identity.New(store, identity.WithNotifier(fileNotifier{f}))
	must(t, err)
	teamID := os.Getenv(killTeamEnv)
	_, err = svc.ImportCSV(ctx, identity.Operator(teamID), strings.NewReader(csvFile(killRows, func(i int) string {
		return fmt.Sprintf("k%d-%s@x.com,K,P,3,", i, teamID[len(teamID)-8:])
	})))
	must(t, err)
}

func TestImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 40 child processes")
	}
	t.Run("sqlite", func(t *testing.T) { killImports(t, "sqlite:"+filepath.Join(t.TempDir(), "k.db")) })
	t.Run("postgres", func(t *testing.T) { killImports(t, storagetest.PostgresDSN(t)) })
}

// killImports runs one import to its end, to learn how long one takes, then
// killRuns imports killed at points spread over that time, and checks each.
func killImports(t *testing.T, dsn string) {
	store := storagetest.OpenMigrated(t, dsn)
	var whole time.Duration
	outcome := killImport(t, store, dsn, -1, &whole)
	t.Logf("an import left to finish: %s, in %v", outcome, whole)
	seen := map[string]int{}
	for i := range killRuns {
		// Slot i of killRuns over 1.2 times an import's length, at random
		// within the slot: the start, the writes, the commit, the deliveries.
		delay := time.Duration((float64(i) + rand.Float64()) / killRuns * 1.2 * float64(whole))
		seen[killImport(t, store, dsn, delay, nil)]++
	}
	t.Logf("outcomes of %d kills: %v", killRuns, seen)
}

// killImport runs a child that imports into a new team and kills it after
// delay (never if delay < 0, and then sets *took to how long it ran); then
// delivers what is due and checks the notifications against the database.
// It returns what the kill interrupted.
func killImport(t *testing.T, store *storage.DB, dsn string, delay time.Duration, took *time.Duration) string {
	t.Helper()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "sent")
	notes, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	must(t, err)
	defer notes.Close()
	// Deliver runs as a process started after the leases of the killed
	// one's claims ran out.
	later := func() time.Time { return time.Now().Add(3 * time.Minute) }
	svc, err := identity.New(store, identity.WithNotifier(fileNotifier{notes}), identity.WithClock(later))
	must(t, err)
	tm, err := svc.CreateTeam(ctx, team.Profile{Name: "Kill"}, "")
	must(t, err)

	child := exec.Command(os.Args[0], "-test.run=^TestImportKillChild$", "-test.count=1")
	child.Env = append(os.Environ(), killDSNEnv+"="+named(dsn), killTeamEnv+"="+tm.ID, killFileEnv+"="+file)
	var out strings.Builder
	child.Stdout, child.Stderr = &out, &out
	start := time.Now()
	must(t, child.Start())
	if delay >= 0 {
		time.Sleep(delay)
		child.Process.Kill() // SIGKILL; an error: it had already ended
	}
	err = child.Wait()
	sessionsEnded(t, store, dsn)
	if delay < 0 {
		*took = time.Since(start)
		if err != nil {
			t.Fatalf("the child failed: %v\n%s", err, out.String())
		}
	}
	before := sentLines(t, file)
	_, err = svc.Deliver(ctx)
	must(t, err)
	checkDelivered(t, store, tm.ID, sentLines(t, file))
	switch invited := len(invitations(t, store, tm.ID)); {
	case invited == 0:
		return "killed before its commit"
	case len(before) == 0:
		return "killed after its commit, before delivering"
	case len(before) < invited:
		return "killed while delivering"
	}
	return "killed once done, or not at all"
}

// named returns the Postgres URL dsn with killApp as its application
// name, and any other dsn as it is.
func named(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || !strings.HasPrefix(dsn, "postgres") {
		return dsn
	}
	q := u.Query()
	q.Set("application_name", killApp)
	u.RawQuery = q.Encode()
	return u.String()
}

// sessionsEnded waits until Postgres has ended the killed child's sessions.
// A session outlives its client by a moment: it still commits a COMMIT the
// client had sent, or rolls back, and only then releases its row locks. A
// process restarted after a crash finds the server so; checked sooner, the
// test would see a commit land after its check, or Deliver would skip the
// rows a dying session still locks (they are delivered by the next Deliver
// once its lease is over, as identityd serve does every few seconds).
func sessionsEnded(t *testing.T, store *storage.DB, dsn string) {
	t.Helper()
	if !strings.HasPrefix(dsn, "postgres") {
		return
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var n int
		must(t, store.Bun().NewRaw("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", killApp).Scan(context.Background(), &n))
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions of the killed child still open after 10 s", n)
		}
	}
}

// invitations returns the hash of the invitation code of each user invited
// to the team, by user ID.
func invitations(t *testing.T, store *storage.DB, teamID string) map[string]string {
	t.Helper()
	var rows []struct {
		UserID string `bun:"user_id"`
		Hash   []byte `bun:"hash"`
	}
	must(t, store.Bun().NewRaw("SELECT user_id, hash FROM codes WHERE team_id = ? AND kind = ?", teamID, "invitation").Scan(context.Background(), &rows))
	invited := make(map[string]string, len(rows))
	for _, r := range rows {
		invited[r.UserID] = string(r.Hash)
	}
	return invited
}

// sentLines reads the notification file: the codes sent to each user, by
// user ID (one code may be sent twice: delivery is at least once).
func sentLines(t *testing.T, file string) map[string][]string {
	t.Helper()
	f, err := os.Open(file)
	must(t, err)
	defer f.Close()
	sent := map[string][]string{}
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		userID, code, ok := strings.Cut(lines.Text(), " ")
		if !ok {
			t.Fatalf("torn line %q", lines.Text())
		}
		sent[userID] = append(sent[userID], code)
	}
	must(t, lines.Err())
	return sent
}

// checkDelivered checks the notifications against the team in the
// database: every code sent is an invitation code committed for the user
// it names; every invitation committed was sent; the outbox is empty.
func checkDelivered(t *testing.T, store *storage.DB, teamID string, sent map[string][]string) {
	t.Helper()
	codes := map[string]string{} // user ID by hash of the invitation codes
	invited := invitations(t, store, teamID)
	if len(invited) != 0 && len(invited) != killRows {
		t.Errorf("%d invitations committed: an import is all or nothing", len(invited))
	}
	undelivered, uncommitted := 0, 0
	for userID, hash := range invited {
		codes[hash] = userID
		if len(sent[userID]) == 0 {
			undelivered++
		}
	}
	for userID, cs := range sent {
		for _, c := range cs {
			if codes[string(secret.Hash(c))] != userID {
				uncommitted++
			}
		}
	}
	if undelivered > 0 {
		t.Errorf("%d of %d committed invitations were never delivered", undelivered, len(invited))
	}
	if uncommitted > 0 {
		t.Errorf("%d codes were sent that the database does not hold for their user: sent for data never committed", uncommitted)
	}
	if n := waiting(t, store); n != 0 {
		t.Errorf("%d messages still wait in the outbox", n)
	}
}
