package identity

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"

	"github.com/embedid/identity/audit"
)

// The security log: one line per security event through the Service's
// logger (see WithLogger), with the message "security event" and the
// attributes event (its action in package audit, see eventLevels), account, team_id and address (the
// client's network address). No line carries an email address, a
// password, a secret, a token or a hash of one; see SECURITY.md.

// eventLevels are the levels the security events, named by their actions
// in the audit trail (package audit), are logged at. A refusal that follows
// a lockout or a spent budget is Debug, so that an attack cannot flood the
// log: the failure that caused it was logged at Warn.
var eventLevels = map[string]slog.Level{
	audit.LoginFailed: slog.LevelWarn, audit.LoginLocked: slog.LevelWarn, audit.LoginRefused: slog.LevelDebug,
	audit.TokenFailed: slog.LevelWarn, audit.TokenLocked: slog.LevelWarn, audit.TokenRefused: slog.LevelDebug,
	audit.TokenDisabled: slog.LevelWarn, audit.AddressBudgetSpent: slog.LevelWarn,
	audit.PasswordChanged: slog.LevelInfo, audit.PasswordChangeFailed: slog.LevelWarn,
	audit.PasswordResetRequest: slog.LevelInfo, audit.PasswordResetLocked: slog.LevelWarn, audit.PasswordResetRefused: slog.LevelDebug,
	audit.PasswordReset: slog.LevelInfo,
}

// lockedBy is the action of the failure that locks an account, by the
// action of a failure.
var lockedBy = map[string]string{audit.LoginFailed: audit.LoginLocked, audit.TokenFailed: audit.TokenLocked}

// subject is whom a security event is about: an account (a user ID, an
// application's ID or a pseudonym), its team and the client's address,
// each "" where the use case does not know it.
type subject struct{ account, teamID, address string }

// event logs the security event name about who.
func (s *Service) event(ctx context.Context, name string, who subject) {
	s.log.Log(ctx, eventLevels[name], "security event", "event", name, "account", who.account, "team_id", who.teamID, "address", who.address)
	s.observeEvent(name)
}

// failure logs a failed attempt of who, as the action failed, that left
// its counters at t, and the lockout or spent budget it caused.
func (s *Service) failure(ctx context.Context, who subject, t tally, failed string) {
	for _, name := range s.failed(t, failed) {
		s.event(ctx, name, who)
	}
}

// failed returns the actions of a failed attempt, as the action failed,
// that left its counters at t: failed, and the lockout or spent budget it
// caused.
func (s *Service) failed(t tally, failed string) []string {
	names := []string{failed}
	if s.lockout.spent(t.own) {
		names = append(names, lockedBy[failed])
	}
	if s.budget.spent(t.budget) {
		names = append(names, audit.AddressBudgetSpent)
	}
	return names
}

// pseudonym names an account the security log has no user ID for, by what
// names it (a normalized email address, a client ID): "h:" and 16 hex digits
// of its HMAC under a key drawn when the Service starts, so that one
// process's lines about one name can be linked while the line alone does
// not tell the name.
func (s *Service) pseudonym(name string) string {
	m := hmac.New(sha256.New, s.logKey)
	m.Write([]byte(name))
	return "h:" + hex.EncodeToString(m.Sum(nil)[:8])
}

// newLogKey returns a random key for pseudonym.
func newLogKey() []byte {
	key := make([]byte, 32)
	rand.Read(key) // never fails (crypto/rand)
	return key
}
