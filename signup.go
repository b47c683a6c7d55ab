package identity

import (
	"context"
	"strings"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/secret"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// SignUp is a new team and its first admin.
type SignUp struct {
	FirstName    string
	LastName     string
	Email        string
	BusinessName string
	BusinessSize string // default team.DefaultBusinessSize
	Phone        string
	Password     string
	PaymentID    string
	PlanID       int
	Region       string // default phone region of the team, e.g. "CN"
}

// Validate checks in as SignUp does before it touches the store, except the
// password, which SignUp checks as it hashes it.
func (in SignUp) Validate() error {
	_, _, _, err := in.parse()
	return err
}

// parse returns what in names, checked, except the password.
func (in SignUp) parse() (user.Names, contact.Email, team.Profile, error) {
	names := user.Names{First: in.FirstName, Last: in.LastName}
	profile := team.Profile{Name: in.BusinessName, Phone: in.Phone, BusinessSize: in.BusinessSize, PlanID: in.PlanID, Region: in.Region}
	if err := names.Validate(); err != nil {
		return names, contact.Email{}, profile, err
	}
	email, err := contact.ParseEmail(in.Email, "email")
	if err != nil {
		return names, email, profile, err
	}
	if err := profile.Validate(); err != nil {
		return names, email, profile, err
	}
	if profile.Phone == "" {
		return names, email, profile, errs.New(errs.Invalid, "phone", "is required")
	}
	return names, email, profile, user.CheckText("payment_id", in.PaymentID, user.MaxTextLen)
}

// SignUpResult is what SignUp created. Both await activation.
type SignUpResult struct {
	Team team.Team
	User user.User
}

// SignUp creates a team awaiting activation and its first admin, and sends an
// activation code through the notifier; activating claims the account with
// the sign-up's password (see Activate). It checks in as Validate does, then
// the password. The address of an account that is not claimed yet signs up
// as a new one would: only the code proves whose it is. A claimed one is
// refused: its owner should log in instead.
func (s *Service) SignUp(ctx context.Context, in SignUp) (SignUpResult, error) {
	names, email, profile, err := in.parse()
	if err != nil {
		return SignUpResult{}, err
	}
	hash, err := s.hasher.Hash(ctx, "password", in.Password)
	if err != nil {
		return SignUpResult{}, err
	}

	var t team.Team
	var u user.User
	err = s.sending(ctx, s.store.Write, func(tx storage.Tx, now time.Time, out *outbox) error {
		t = team.Team{ID: secret.ID(now), Email: email.Display, PaymentID: strings.TrimSpace(in.PaymentID), Status: team.StatusPending, CreatedAt: now, UpdatedAt: now}
		profile.Apply(&t)
		if err := tx.InsertTeam(ctx, t); err != nil {
			return err
		}
		if u, err = s.userFor(ctx, tx, s.newUser(now, t.ID, email)); err != nil {
			return err
		}
		if u.Claimed() {
			return errs.New(errs.Conflict, "email", "is already registered; log in instead")
		}
		m := team.Membership{
			TeamID: t.ID, UserID: u.ID, Role: team.RoleAdmin, Status: team.MemberPending, Pool: team.PoolAlive, CreatedAt: now, UpdatedAt: now,
			PasswordHash: hash, PasswordChangedAt: now,
		}
		names.Apply(&m.Profile)
		if err := tx.InsertMembership(ctx, m); err != nil {
			return err
		}
		record(tx, audit.Event{TeamID: t.ID, Actor: self(u.ID), Action: audit.TeamCreated, Fields: []string{"profile", "email"}},
			audit.Event{TeamID: t.ID, UserID: u.ID, Actor: self(u.ID), Action: audit.MemberCreated, Fields: []string{"email", "role", "password", "names"}})
		return s.send(ctx, tx, out, user.Code{Kind: user.CodeActivation, UserID: u.ID, TeamID: t.ID}, u.Email.Display, now)
	})
	if err != nil {
		return SignUpResult{}, err
	}
	s.log.InfoContext(ctx, "team signed up", "team_id", t.ID, "user_id", u.ID)
	return SignUpResult{Team: t, User: u}, nil
}

// newUser returns an active-by-default user with default settings.
func (s *Service) newUser(now time.Time, teamID string, email contact.Email) user.User {
	return user.User{
		ID: secret.ID(now), Email: email, Settings: user.DefaultSettings(), Grade: 1,
		HomeTeamID: teamID, CreatedAt: now, UpdatedAt: now,
	}
}

// send replaces the codes of c's kind, user and team with c, completed with
// a new secret and its times, and enqueues it in out, to be delivered to the
// address to once the transaction has committed.
func (s *Service) send(ctx context.Context, tx storage.Tx, out *outbox, c user.Code, to string, now time.Time) error {
	if s.notifier == nil {
		return errs.New(errs.Internal, "", "no notifier is configured to deliver the %s code", c.Kind)
	}
	plain, hash := secret.Code()
	c.Hash, c.CreatedAt, c.ExpiresAt = hash, now, now.Add(s.activationTTL)
	if err := tx.DeleteCodes(ctx, c.TeamID, c.UserID, c.Kind); err != nil {
		return err
	}
	if err := tx.InsertCode(ctx, c); err != nil {
		return err
	}
	return out.enqueue(ctx, tx, now, []storage.Message{message(c, plain, to)})
}

// Activate redeems a code sent to an address. An activation code makes the
// team, its first admin and their membership active; an invitation code
// needs password, and makes the invited member active. Either claims the
// account: the sign-up's password, or the invitation's, becomes the owner's
// and opens every team of theirs, and every password a team set for the
// account ends, with every session (see user.User.Claimed). An email code
// moves the account to the address it was sent to, and ends its sessions.
// An expired code is refused with CodeExpired; ReissueCode replaces it.
func (s *Service) Activate(ctx context.Context, code, password string) error {
	var c user.Code
	if err := s.store.Read(ctx, func(tx storage.Tx) (err error) {
		c, err = liveCode(ctx, tx, code, false, s.clock(), "getactivationcode")
		return err
	}); err != nil {
		return err
	}
	var hash []byte
	if c.Kind == user.CodeInvitation {
		h, err := s.hasher.Hash(ctx, "password", password)
		if err != nil {
			return err
		}
		hash = h
	}
	if c.Kind == user.CodeActivation {
		defer s.teams.forget(c.TeamID) // the team becomes active
	}
	return s.write(ctx, func(tx storage.Tx, now time.Time) error {
		c, err := liveCode(ctx, tx, code, false, now, "getactivationcode") // again: it may have been used meanwhile
		if err != nil {
			return err
		}
		if err := s.redeem(ctx, tx, c, hash, now); err != nil {
			return err
		}
		record(tx, redeemed(c)...)
		return tx.DeleteCodes(ctx, c.TeamID, c.UserID, c.Kind)
	})
}

// redeemed returns the events of redeeming c.
func redeemed(c user.Code) []audit.Event {
	e := func(action string, fields ...string) audit.Event {
		return audit.Event{TeamID: c.TeamID, UserID: c.UserID, Actor: self(c.UserID), Action: action, Fields: fields}
	}
	switch c.Kind {
	case user.CodeEmail:
		return []audit.Event{e(audit.EmailChanged, "email")}
	case user.CodeActivation:
		return []audit.Event{e(audit.TeamActivated, "status"), e(audit.MemberActivated, "status"), e(audit.UserClaimed, "password")}
	}
	return []audit.Event{e(audit.MemberActivated, "status"), e(audit.UserClaimed, "password")}
}

// redeem does what the live code c is for; hash is an invitation's new
// password.
func (s *Service) redeem(ctx context.Context, tx storage.Tx, c user.Code, hash []byte, now time.Time) error {
	u, err := tx.User(ctx, c.UserID)
	if err != nil {
		return err
	}
	if c.Kind == user.CodeEmail {
		return moveAddress(ctx, tx, u, c.Email, now)
	}
	m, err := tx.Membership(ctx, c.TeamID, c.UserID)
	if err != nil {
		return err
	}
	if m.Status == team.MemberRemoved {
		return errs.New(errs.Forbidden, "code", "belongs to a member who was removed from the team")
	}
	if c.Kind == user.CodeActivation {
		hash = m.PasswordHash // the sign-up's
		t, err := tx.Team(ctx, c.TeamID)
		if err != nil {
			return err
		}
		t.Status, t.UpdatedAt = team.StatusActive, now
		if err := tx.UpdateTeam(ctx, t); err != nil {
			return err
		}
	}
	m.Status, m.UpdatedAt, m.PasswordHash, m.PasswordChangedAt = team.MemberActive, now, nil, time.Time{}
	if err := tx.UpdateMembership(ctx, m); err != nil {
		return err
	}
	return claim(ctx, tx, u, hash, now)
}

// claim makes u's account its owner's, with the password of hash: it ends
// every team's password for the account and every session, all opened with
// a password the owner did not set or before they proved the address.
func claim(ctx context.Context, tx storage.Tx, u user.User, hash []byte, now time.Time) error {
	if !u.Claimed() {
		u.ClaimedAt = now
	}
	if u.Status != user.StatusActive {
		u.Status, u.ActivatedAt = user.StatusActive, now
	}
	u.PasswordHash, u.PasswordChangedAt, u.UpdatedAt = hash, now, now
	if err := tx.UpdateUser(ctx, u); err != nil {
		return err
	}
	if err := tx.EndTeamPasswords(ctx, u.ID); err != nil {
		return err
	}
	return tx.DeleteSessions(ctx, storage.SessionFilter{UserID: u.ID})
}

// moveAddress sets u's address to the one an email code was sent to, and
// ends u's sessions.
func moveAddress(ctx context.Context, tx storage.Tx, u user.User, address string, now time.Time) error {
	e, err := contact.ParseEmail(address, "email")
	if err != nil {
		return err
	}
	u.Email, u.UpdatedAt = e, now
	if err := tx.UpdateUser(ctx, u); err != nil {
		return err
	}
	return tx.DeleteSessions(ctx, storage.SessionFilter{UserID: u.ID})
}

// liveCode finds a code as findCode does, unexpired at now; renew names
// where to ask for a new one.
func liveCode(ctx context.Context, tx storage.Tx, code string, reset bool, now time.Time, renew string) (user.Code, error) {
	c, err := findCode(ctx, tx, code, reset)
	if err == nil && c.Expired(now) {
		err = errs.New(errs.Expired, "code", "has expired; ask for a new one with %s", renew)
	}
	return c, err
}

// findCode finds a reset code if reset, else a code of any other kind.
func findCode(ctx context.Context, tx storage.Tx, code string, reset bool) (user.Code, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return user.Code{}, errs.New(errs.Invalid, "code", "is required")
	}
	if len(code) > 64 {
		return user.Code{}, errs.New(errs.Invalid, "code", "is not a code we issued")
	}
	c, err := tx.Code(ctx, secret.Hash(code))
	if errs.CodeOf(err) == errs.NotFound || (err == nil && (c.Kind == user.CodeReset) != reset) {
		return c, errs.New(errs.Invalid, "code", "is unknown or already used")
	}
	return c, err
}

// ReissueCode replaces an activation, invitation or email code, expired or
// not, with a new one sent through the notifier to the same address; the old
// code stops working.
func (s *Service) ReissueCode(ctx context.Context, code string) error {
	return s.sending(ctx, s.store.Write, func(tx storage.Tx, now time.Time, out *outbox) error {
		c, err := findCode(ctx, tx, code, false)
		if err != nil {
			return err
		}
		to := c.Email
		if c.Kind != user.CodeEmail {
			u, err := tx.User(ctx, c.UserID)
			if err != nil {
				return err
			}
			to = u.Email.Display
		}
		record(tx, audit.Event{TeamID: c.TeamID, UserID: c.UserID, Actor: self(c.UserID), Action: audit.CodeSent, Fields: []string{string(c.Kind)}})
		return s.send(ctx, tx, out, user.Code{Kind: c.Kind, UserID: c.UserID, TeamID: c.TeamID, Email: c.Email}, to, now)
	})
}
