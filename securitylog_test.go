package identity_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// logBuffer is a concurrency-safe log destination.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

func (b *logBuffer) lines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Split(strings.TrimSpace(b.buf.String()), "\n")
}

// hashLike matches a SHA-256 in hex or a bcrypt hash.
var hashLike = regexp.MustCompile(`[0-9a-f]{64}|\$2[aby]\$`)

// TestSecurityLog: failed logins, lockouts, budget refusals, password
// changes and resets and failed token requests are each logged as a
// security event naming the account (the user ID when known, else a
// pseudonym), the team and the client address, and no line carries an
// email address, a password, a secret, a token, a code or a hash.
func TestSecurityLog(t *testing.T) {
	var out logBuffer
	logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	eachBackend(t, func(t *testing.T, f *fixture) {
		out.reset()
		tm, admin := f.activeTeam("target@x.com")
		login := func(email, pw, ip string) {
			_, err := f.svc.Login(f.ctx, identity.Login{Email: email, Password: pw, TeamID: tm.ID, IP: ip})
			if err == nil {
				t.Fatalf("%s logged in with %q", email, pw)
			}
		}
		login("target@x.com", "wrong-pass-1", "10.0.0.1") // login.failed
		login("target@x.com", "wrong-pass-2", "10.0.0.1") // login.locked
		login("ghost@x.com", "wrong-pass-3", "10.0.0.1")  // address.budget_spent
		login("ghost@x.com", "wrong-pass-4", "10.0.0.1")  // login.refused

		ps, _ := team.ParsePermissions("permissions", "all")
		app, err := f.svc.CreateApplication(f.ctx, tm.ID, "app", ps)
		must(t, err)
		_, err = f.svc.IssueToken(f.ctx, app.Application.ClientID, "wrong-secret", "10.0.0.2") // token.failed
		wantErr(t, err, identity.CodeUnauthorized, "")
		for range 2 { // token.failed, token.locked and address.budget_spent, by pseudonym
			_, err = f.svc.IssueToken(f.ctx, "ghost-client", "wrong-secret", "10.0.0.2")
			wantErr(t, err, identity.CodeUnauthorized, "")
		}
		_, err = f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret, "10.0.0.2") // token.refused
		wantErr(t, err, identity.CodeTooManyRequests, "")
		_, err = f.svc.DisableApplication(f.ctx, app.Application.ClientID)
		must(t, err)
		_, err = f.svc.IssueToken(f.ctx, app.Application.ClientID, app.Secret, "10.0.0.3") // token.disabled
		wantErr(t, err, identity.CodeUnauthorized, "")

		_, err = f.svc.ChangePassword(f.ctx, admin, "wrong-pass-5", "new-password-1") // password.change_failed
		wantErr(t, err, identity.CodeInvalid, "old_password")
		_, err = f.svc.ChangePassword(f.ctx, admin, password, "new-password-1") // password.changed
		must(t, err)
		for range 2 { // password.reset_requested, password.reset_locked
			must(t, f.svc.RequestPasswordReset(f.ctx, "target@x.com", "10.0.0.4"))
		}
		code := f.box.Last(t, "target@x.com").Code
		wantErr(t, f.svc.RequestPasswordReset(f.ctx, "target@x.com", "10.0.0.4"), identity.CodeTooManyRequests, "") // password.reset_refused
		must(t, f.svc.ResetPassword(f.ctx, code, "new-password-2"))                                                 // password.reset

		events := map[string][]map[string]any{}
		for _, line := range out.lines() {
			for _, secret := range []string{"target", "ghost", "x.com", "wrong-", "new-password", password, app.Secret, code} {
				if strings.Contains(line, secret) {
					t.Errorf("a log line carries %q: %s", secret, line)
				}
			}
			if hashLike.MatchString(line) {
				t.Errorf("a log line carries a hash: %s", line)
			}
			var rec map[string]any
			must(t, json.Unmarshal([]byte(line), &rec))
			if rec["msg"] == "security event" {
				events[rec["event"].(string)] = append(events[rec["event"].(string)], rec)
			}
		}
		known, pseudonym := admin.UserID, regexp.MustCompile(`^h:[0-9a-f]{16}$`)
		for _, want := range []struct {
			event, account, address string
		}{
			{"login.failed", known, "10.0.0.1"},
			{"login.locked", known, "10.0.0.1"},
			{"address.budget_spent", "", "10.0.0.1"},
			{"login.refused", "", "10.0.0.1"},
			{"token.failed", app.Application.ID, "10.0.0.2"},
			{"token.locked", "", "10.0.0.2"},
			{"token.refused", app.Application.ID, "10.0.0.2"},
			{"token.disabled", app.Application.ID, "10.0.0.3"},
			{"password.change_failed", known, ""},
			{"password.changed", known, ""},
			{"password.reset_requested", known, "10.0.0.4"},
			{"password.reset_locked", known, "10.0.0.4"},
			{"password.reset_refused", "", "10.0.0.4"},
			{"password.reset", known, ""},
		} {
			if !slices.ContainsFunc(events[want.event], func(rec map[string]any) bool {
				account, _ := rec["account"].(string)
				return rec["address"] == want.address && (account == want.account || want.account == "" && pseudonym.MatchString(account))
			}) {
				t.Errorf("no %s event about %q from %q was logged: %v", want.event, want.account, want.address, events[want.event])
			}
		}
	}, identity.WithLockout(2, time.Minute), identity.WithAddressBudget(3, time.Minute), identity.WithLogger(logger))
}
