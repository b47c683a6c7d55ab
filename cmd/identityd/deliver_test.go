package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/secret"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// enqueueDue writes an invitation of a new user to a new team, and its
// message due now to the outbox, of the database at dsn, as a process that
// committed them and died before delivering leaves them.
func enqueueDue(t *testing.T, dsn, userID string) {
	t.Helper()
	store, err := storage.Open(t.Context(), dsn, storage.WithMigrate())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Now().UTC().Truncate(time.Microsecond)
	teamID, code := "t-"+userID, "code-of-"+userID
	tm := team.Team{ID: teamID, Name: "Team " + userID, BusinessSize: team.DefaultBusinessSize, Status: team.StatusActive, PlanID: 1, CreatedAt: now, UpdatedAt: now}
	u := user.User{ID: userID, Email: contact.Email{Display: userID + "@example.com", Normalized: userID + "@example.com"}, Settings: user.DefaultSettings(), CreatedAt: now, UpdatedAt: now}
	c := user.Code{Hash: secret.Hash(code), Kind: user.CodeInvitation, UserID: userID, TeamID: teamID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	m := storage.Message{ID: "m-" + userID, Batch: "dead", TeamID: teamID, UserID: userID, Kind: c.Kind, Recipient: u.Email.Display,
		Code: code, NextAt: now, ExpiresAt: c.ExpiresAt, CreatedAt: now}
	err = store.Write(t.Context(), func(tx storage.Tx) error {
		if err := tx.InsertTeam(t.Context(), tm); err != nil {
			return err
		}
		if _, err := tx.InsertUserIfAbsent(t.Context(), u); err != nil {
			return err
		}
		if err := tx.InsertCode(t.Context(), c); err != nil {
			return err
		}
		return tx.Enqueue(t.Context(), []storage.Message{m})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCommandsDeliverAtStart: a command that opens the store first delivers
// the codes a process committed but did not deliver.
func TestCommandsDeliverAtStart(t *testing.T) {
	dsn := tempDSN(t)
	enqueueDue(t, dsn, "u1")
	r := runCLI(t, nil, "team", "create", "-db", dsn, "-name", "Acme", "-region", "cn", "-domain", "acme.example", "-email", "ops@acme.example")
	if sent := logLines(t, r.stderr, "notification"); r.code != 0 || len(sent) != 1 || sent[0]["code"] != "code-of-u1" || sent[0]["user_id"] != "u1" {
		t.Fatalf("exit %d, delivered %v, want the code of u1: %s", r.code, sent, r.stderr)
	}
	r = runCLI(t, nil, "team", "create", "-db", dsn, "-name", "Beta", "-region", "cn", "-domain", "beta.example", "-email", "ops@beta.example")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if sent := logLines(t, r.stderr, "notification"); len(sent) != 0 {
		t.Errorf("the second command delivered %v again: the first should have deleted it", sent)
	}
}

// TestServeDeliversEveryFewSeconds: serve's loop delivers what another
// process left due, and stops when told.
func TestServeDeliversEveryFewSeconds(t *testing.T) {
	dsn := tempDSN(t)
	store, err := storage.Open(t.Context(), dsn, storage.WithMigrate())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var mu sync.Mutex
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &logs}, nil))
	svc, err := identity.New(store, identity.WithNotifier(logNotifier(log)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { deliverEvery(ctx, svc, 10*time.Millisecond, log); close(done) }()
	enqueueDue(t, dsn, "u2")
	for delivered := false; !delivered; {
		time.Sleep(10 * time.Millisecond)
		mu.Lock()
		delivered = strings.Contains(logs.String(), "code-of-u2")
		mu.Unlock()
	}
	stop()
	<-done
}

// lockedWriter writes to w under mu.
type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
