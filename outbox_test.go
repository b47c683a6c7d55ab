package identity_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/internal/secret"
	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/user"
)

// gate is a notifier that checks that each code it is handed is committed,
// then fails while down, and records it in box while up.
type gate struct {
	t     *testing.T
	store storage.Store
	box   testkit.Outbox
	mu    sync.Mutex
	down  bool
	calls int
}

func (g *gate) Notify(ctx context.Context, n identity.Notification) error {
	// A read on its own connection sees only what was committed: the code
	// is, and no transaction of the use case is open any more.
	if err := g.store.Read(ctx, func(tx storage.Tx) error { _, err := tx.Code(ctx, secret.Hash(n.Code)); return err }); err != nil {
		g.t.Errorf("%s code for %s handed to the notifier before it was committed: %v", n.Kind, n.UserID, err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls++
	if g.down {
		return fmt.Errorf("relay refused %s", n.Code) // the library must not log this code
	}
	return g.box.Notify(ctx, n)
}

func (g *gate) set(down bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.down = down
}

func (g *gate) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.calls
}

// outboxFixture is a fixture whose notifier is a gate, and whose log is kept.
func outboxFixture(t *testing.T, s storage.Store) (*fixture, *gate, *logBuffer) {
	g := &gate{t: t, store: s}
	logs := &logBuffer{}
	f := newFixture(t, s, identity.WithNotifier(g), identity.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	f.box = &g.box
	return f, g, logs
}

// failedSignUp signs a@x.com up on an outboxFixture whose notifier is down.
func failedSignUp(t *testing.T, s storage.Store) (*fixture, *gate, *logBuffer, identity.SignUpResult) {
	f, g, logs := outboxFixture(t, s)
	g.set(true)
	res, err := f.svc.SignUp(f.ctx, signUpInput("a@x.com"))
	must(t, err)
	return f, g, logs, res
}

// waiting counts the messages in the outbox.
func waiting(t *testing.T, s storage.Store) int {
	t.Helper()
	n, err := s.(*storage.DB).Bun().NewSelect().Table("outbox").Count(context.Background())
	must(t, err)
	return int(n)
}

// TestCodesSentAfterCommit: every use case that sends a code hands it to
// the notifier after its transaction committed, and the code is gone from
// the outbox once delivered.
func TestCodesSentAfterCommit(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f, g, _ := outboxFixture(t, s)
		signed, err := f.svc.SignUp(f.ctx, signUpInput("admin@x.com"))
		must(t, err)
		must(t, f.svc.ReissueCode(f.ctx, g.box.Last(t, "admin@x.com").Code))
		must(t, f.svc.Activate(f.ctx, g.box.Last(t, "admin@x.com").Code, ""))
		tm, admin := signed.Team, f.login("admin@x.com", password, signed.Team.ID)
		must(t, f.svc.RequestPasswordReset(f.ctx, "admin@x.com", "10.0.0.1"))
		_, err = f.svc.ChangeEmail(f.ctx, admin, "moved@x.com")
		must(t, err)
		res, err := f.svc.ImportCSV(f.ctx, admin, strings.NewReader(csvFile(450, func(i int) string { return fmt.Sprintf("i%d@x.com,I,P,3,", i) })))
		must(t, err)
		if res.Invited != 450 {
			t.Fatalf("invited %d, want 450", res.Invited)
		}
		// sign-up, reissue, reset, email change, 450 invitations
		if got, want := len(g.box.Sent()), 1+1+1+1+450; got != want || g.count() != want {
			t.Errorf("%d delivered in %d calls, want %d", got, g.count(), want)
		}
		if n := g.box.Last(t, "i449@x.com"); n.TeamID != tm.ID {
			t.Errorf("invitation %+v", n)
		}
		if n := waiting(t, s); n != 0 {
			t.Errorf("%d messages left in the outbox after delivery, want 0", n)
		}
	})
}

// TestNotifierFailureKeepsUseCase: a failed delivery does not undo the use
// case; the code waits in the outbox and Deliver retries it with a growing
// back-off, never logging it.
func TestNotifierFailureKeepsUseCase(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f, g, logs, res := failedSignUp(t, s)
		if g.count() != 1 || len(g.box.Sent()) != 0 || waiting(t, s) != 1 {
			t.Fatalf("%d calls, %d delivered, %d waiting; want 1, 0, 1", g.count(), len(g.box.Sent()), waiting(t, s))
		}
		// Back-off: 10 s, then 20 s.
		deliver := func(advance time.Duration, wantCalls, wantDelivered int) {
			t.Helper()
			f.clock.Advance(advance)
			n, err := f.svc.Deliver(f.ctx)
			must(t, err)
			if g.count() != wantCalls || n != wantDelivered {
				t.Errorf("after %v more: %d calls, %d delivered; want %d, %d", advance, g.count(), n, wantCalls, wantDelivered)
			}
		}
		deliver(9*time.Second, 1, 0)
		deliver(time.Second, 2, 0)
		deliver(19*time.Second, 2, 0)
		g.set(false)
		deliver(time.Second, 3, 1)
		deliver(time.Minute, 3, 0)
		if waiting(t, s) != 0 {
			t.Errorf("the delivered code is still in the outbox")
		}
		// The sign-up was kept, and the code delivered late works.
		must(t, f.svc.Activate(f.ctx, g.box.Last(t, "a@x.com").Code, ""))
		f.login("a@x.com", password, res.Team.ID)
		log := strings.Join(logs.lines(), "\n")
		if !strings.Contains(log, "code not delivered") || !strings.Contains(log, "relay refused [code]") {
			t.Errorf("the failures were not logged: %s", log)
		}
		for _, c := range g.box.Codes() {
			if strings.Contains(log, c) {
				t.Errorf("the log holds the code: %s", log)
			}
		}
	})
}

// TestExpiredCodeDropped: a code that expires undelivered is dropped from
// the outbox, logged without the code, and never sent.
func TestExpiredCodeDropped(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f, g, logs, res := failedSignUp(t, s)
		g.set(false)
		f.clock.Advance(identity.DefaultActivationTTL)
		n, err := f.svc.Deliver(f.ctx)
		must(t, err)
		if n != 0 || g.count() != 1 || waiting(t, s) != 0 {
			t.Errorf("%d delivered, %d calls, %d waiting; want the expired code dropped unsent", n, g.count(), waiting(t, s))
		}
		log := strings.Join(logs.lines(), "\n")
		if !strings.Contains(log, "code expired undelivered") || !strings.Contains(log, res.User.ID) {
			t.Errorf("the drop was not logged with the user: %s", log)
		}
	})
}

// TestReplacedCodeDropped: a code replaced by a newer one while its
// delivery was failing is dropped undelivered, logged without the code;
// only the newer one is sent.
func TestReplacedCodeDropped(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, s storage.Store) {
		f, g, logs := outboxFixture(t, s)
		tm, _ := f.activeTeam("admin@x.com")
		g.set(true)
		for range 2 {
			must(t, f.svc.RequestPasswordReset(f.ctx, "admin@x.com", "10.0.0.1"))
		}
		if n := waiting(t, s); n != 2 {
			t.Fatalf("%d messages waiting, want the two resets", n)
		}
		g.set(false)
		f.clock.Advance(10 * time.Second)
		n, err := f.svc.Deliver(f.ctx)
		must(t, err)
		if n != 1 || waiting(t, s) != 0 {
			t.Fatalf("%d delivered, %d waiting; want the newer code delivered and the older dropped", n, waiting(t, s))
		}
		reset := g.box.Last(t, "admin@x.com")
		if reset.Kind != user.CodeReset {
			t.Fatalf("last sent %+v, want the reset", reset)
		}
		must(t, f.svc.ResetPassword(f.ctx, reset.Code, "a-new-password-1"))
		f.login("admin@x.com", "a-new-password-1", tm.ID)
		log := strings.Join(logs.lines(), "\n")
		if !strings.Contains(log, "code replaced before delivery") {
			t.Errorf("the drop was not logged: %s", log)
		}
	})
}

// TestDeliverWithoutNotifier: a service without a notifier cannot deliver.
func TestDeliverWithoutNotifier(t *testing.T) {
	svc, err := identity.New(storagetest.SQLite(t), identity.WithBcryptCost(4))
	must(t, err)
	_, err = svc.Deliver(context.Background())
	wantErr(t, err, identity.CodeInternal, "")
}
