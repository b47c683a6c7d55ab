package identity

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
)

// The security log: one line per security event through the Service's
// logger (see WithLogger), with the message "security event" and the
// attributes event (a name below), account, team_id and address (the
// client's network address). No line carries an email address, a
// password, a secret, a token or a hash of one; see SECURITY.md.

// The security events, named as actions so that an events table can record
// them under the same names.
const (
	eventLoginFailed     = "login.failed"           // a wrong email, password or team
	eventLoginLocked     = "login.locked"           // the failure that locks the account from the address
	eventLoginRefused    = "login.refused"          // refused before any comparison: locked or over the budget
	eventTokenFailed     = "token.failed"           // an unknown client ID or a wrong client secret
	eventTokenLocked     = "token.locked"           // the failure that locks the client ID from the address
	eventTokenRefused    = "token.refused"          // refused before any comparison: locked or over the budget
	eventTokenDisabled   = "token.disabled"         // the right secret of a disabled application
	eventBudgetSpent     = "address.budget_spent"   // the failure that spends the address's budget
	eventPasswordChanged = "password.changed"       // by its owner, who gave the old one
	eventPasswordWrong   = "password.change_failed" // a change refused: the old password is wrong
	eventResetRequested  = "password.reset_requested"
	eventResetLocked     = "password.reset_locked"  // the request that locks the email address from the client address
	eventResetRefused    = "password.reset_refused" // refused: locked
	eventPasswordReset   = "password.reset"         // a reset code redeemed
)

// eventLevels are the levels the events are logged at. A refusal that
// follows a lockout or a spent budget is Debug, so that an attack cannot
// flood the log: the failure that caused it was logged at Warn.
var eventLevels = map[string]slog.Level{
	eventLoginFailed: slog.LevelWarn, eventLoginLocked: slog.LevelWarn, eventLoginRefused: slog.LevelDebug,
	eventTokenFailed: slog.LevelWarn, eventTokenLocked: slog.LevelWarn, eventTokenRefused: slog.LevelDebug,
	eventTokenDisabled: slog.LevelWarn, eventBudgetSpent: slog.LevelWarn,
	eventPasswordChanged: slog.LevelInfo, eventPasswordWrong: slog.LevelWarn,
	eventResetRequested: slog.LevelInfo, eventResetLocked: slog.LevelWarn, eventResetRefused: slog.LevelDebug,
	eventPasswordReset: slog.LevelInfo,
}

// subject is whom a security event is about: an account (a user ID, an
// application's ID or a pseudonym), its team and the client's address,
// each "" where the use case does not know it.
type subject struct{ account, teamID, address string }

// event logs the security event name about who.
func (s *Service) event(ctx context.Context, name string, who subject) {
	s.log.Log(ctx, eventLevels[name], "security event", "event", name, "account", who.account, "team_id", who.teamID, "address", who.address)
}

// failure logs a failed attempt of who, as the event failed, that left its
// counters at t, and the lockout (as locked) or spent budget it caused.
func (s *Service) failure(ctx context.Context, who subject, t tally, failed, locked string) {
	s.event(ctx, failed, who)
	if s.lockout.spent(t.own) {
		s.event(ctx, locked, who)
	}
	if s.budget.spent(t.budget) {
		s.event(ctx, eventBudgetSpent, who)
	}
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
