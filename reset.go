package identity

import (
	"context"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/user"
)

// RequestPasswordReset sends a reset code to the account of email, if there
// is one, and answers alike either way, so that it tells nobody whether the
// address is registered. Every request counts against the lockout of that
// address from the client address (see WithLockout), known or not, so that
// nobody floods a mailbox with codes. The code expires after the activation
// TTL; ResetPassword redeems it.
func (s *Service) RequestPasswordReset(ctx context.Context, email, address string) error {
	e, err := contact.ParseEmail(email, "email")
	if err != nil {
		return err
	}
	key := failureKey("reset", e.Normalized)
	who := subject{account: s.pseudonym(e.Normalized), address: address}
	var count storage.Failures
	err = s.sending(ctx, s.store.Write, func(tx storage.Tx, now time.Time, out *outbox) error {
		fails, err := tx.Failures(ctx, key, address)
		if err != nil {
			return err
		}
		if err := s.lockout.refuse(fails, now, whyLocked); err != nil {
			return err
		}
		if count, err = s.lockout.record(ctx, tx, key, address, now); err != nil {
			return err
		}
		u, err := tx.UserByEmail(ctx, e.Normalized)
		switch {
		case errs.CodeOf(err) == errs.NotFound:
			s.recordReset(tx, audit.Event{}, address, count)
			return nil
		case err != nil:
			return err
		}
		s.recordReset(tx, audit.Event{TeamID: u.HomeTeamID, UserID: u.ID}, address, count)
		who.account, who.teamID = u.ID, u.HomeTeamID
		// Codes are filed under a team; a reset code, which opens every team
		// of the user, under the one the account was created in.
		return s.send(ctx, tx, out, user.Code{Kind: user.CodeReset, UserID: u.ID, TeamID: u.HomeTeamID}, u.Email.Display, now)
	})
	s.resetRequested(ctx, who, count, err)
	return err
}

// recordReset records a request for a reset code about e's team and user
// from address, which left the lockout's count at count, and the lockout it
// caused. Whoever asked is anonymous: anyone may ask.
func (s *Service) recordReset(tx storage.Tx, e audit.Event, address string, count storage.Failures) {
	e.Address, e.Actor, e.Action = address, audit.Actor{Kind: audit.Anonymous}, audit.PasswordResetRequest
	record(tx, e)
	if s.lockout.spent(count) {
		e.Action = audit.PasswordResetLocked
		record(tx, e)
	}
}

// resetRequested logs a request for a reset code, which left the lockout's
// count at count and returned err.
func (s *Service) resetRequested(ctx context.Context, who subject, count storage.Failures, err error) {
	switch {
	case errs.CodeOf(err) == errs.TooManyRequests:
		s.event(ctx, audit.PasswordResetRefused, who)
	case err != nil: // not a security event; the failure is answered and logged where it is served
	case s.lockout.spent(count):
		s.event(ctx, audit.PasswordResetLocked, who)
	default:
		s.event(ctx, audit.PasswordResetRequest, who)
	}
}

// ResetPassword redeems a reset code: the password becomes the owner's and
// opens every team of theirs, which claims the account (see Activate), and
// every session of the account ends. An expired code is refused with
// CodeExpired; RequestPasswordReset sends a new one.
func (s *Service) ResetPassword(ctx context.Context, code, password string) error {
	if err := s.store.Read(ctx, func(tx storage.Tx) error {
		_, err := liveCode(ctx, tx, code, true, s.clock(), "forgotpassword")
		return err
	}); err != nil {
		return err
	}
	hash, err := s.hasher.Hash(ctx, "password", password)
	if err != nil {
		return err
	}
	var c user.Code
	err = s.write(ctx, func(tx storage.Tx, now time.Time) (err error) {
		c, err = liveCode(ctx, tx, code, true, now, "forgotpassword") // again: it may have been used meanwhile
		if err != nil {
			return err
		}
		u, err := tx.User(ctx, c.UserID)
		if err != nil {
			return err
		}
		if err := claim(ctx, tx, u, hash, now); err != nil {
			return err
		}
		record(tx, audit.Event{TeamID: c.TeamID, UserID: c.UserID, Actor: self(c.UserID), Action: audit.PasswordReset, Fields: []string{"password"}})
		return tx.DeleteCodes(ctx, c.TeamID, c.UserID, c.Kind)
	})
	if err == nil {
		s.event(ctx, audit.PasswordReset, subject{account: c.UserID, teamID: c.TeamID})
	}
	return err
}
