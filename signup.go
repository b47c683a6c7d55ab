package identity

import (
	"context"
	"strings"
	"time"

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
// activation code through the notifier. It checks in as Validate does, then
// the password. An email that is already registered is refused: its owner
// should log in instead.
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
	err = s.write(ctx, func(tx storage.Tx, now time.Time) error {
		t = team.Team{ID: secret.ID(now), Email: email.Display, PaymentID: strings.TrimSpace(in.PaymentID), Status: team.StatusPending, CreatedAt: now, UpdatedAt: now}
		profile.Apply(&t)
		u = s.newUser(now, t.ID, names, email)
		u.PasswordHash, u.PasswordChangedAt = hash, now
		if err := tx.InsertTeam(ctx, t); err != nil {
			return err
		}
		if err := tx.InsertUser(ctx, u); err != nil {
			if errs.CodeOf(err) == errs.Conflict {
				return errs.New(errs.Conflict, "email", "is already registered; log in instead")
			}
			return err
		}
		m := team.Membership{TeamID: t.ID, UserID: u.ID, Role: team.RoleAdmin, Status: team.MemberPending, Pool: team.PoolAlive, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertMembership(ctx, m); err != nil {
			return err
		}
		return s.sendCode(ctx, tx, user.CodeActivation, u, t.ID, now)
	})
	if err != nil {
		return SignUpResult{}, err
	}
	s.log.InfoContext(ctx, "team signed up", "team_id", t.ID, "user_id", u.ID)
	return SignUpResult{Team: t, User: u}, nil
}

// newUser returns an active-by-default user with default settings.
func (s *Service) newUser(now time.Time, teamID string, names user.Names, email contact.Email) user.User {
	u := user.User{
		ID: secret.ID(now), Email: email, Settings: user.DefaultSettings(), Grade: 1,
		HomeTeamID: teamID, CreatedAt: now, UpdatedAt: now,
	}
	names.Apply(&u)
	return u
}

// sendCode replaces the user's codes of kind in the team with a new one and
// hands it to the notifier.
func (s *Service) sendCode(ctx context.Context, tx storage.Tx, kind user.CodeKind, u user.User, teamID string, now time.Time) error {
	if s.notifier == nil {
		return errs.New(errs.Internal, "", "no notifier is configured to deliver the %s code", kind)
	}
	plain, hash := secret.Code()
	c := user.Code{Hash: hash, Kind: kind, UserID: u.ID, TeamID: teamID, CreatedAt: now, ExpiresAt: now.Add(s.activationTTL)}
	if err := tx.DeleteCodes(ctx, teamID, u.ID, kind); err != nil {
		return err
	}
	if err := tx.InsertCode(ctx, c); err != nil {
		return err
	}
	n := Notification{Kind: kind, To: u.Email.Display, Code: plain, UserID: u.ID, TeamID: teamID, ExpiresAt: c.ExpiresAt}
	return errs.Wrap("notify", s.notifier.Notify(ctx, n))
}

// Activate redeems an activation or invitation code. An activation code makes
// the team, its first admin and their membership active. An invitation code
// needs password: it sets the invited user's password and activates them.
// An expired code is refused with CodeExpired; ReissueCode replaces it.
func (s *Service) Activate(ctx context.Context, code, password string) error {
	var c user.Code
	if err := s.store.Read(ctx, func(tx storage.Tx) (err error) {
		c, err = s.liveCode(ctx, tx, code, s.clock())
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
		c, err := s.liveCode(ctx, tx, code, now) // again: it may have been used meanwhile
		if err != nil {
			return err
		}
		if err := s.activateMember(ctx, tx, c, hash, now); err != nil {
			return err
		}
		if c.Kind == user.CodeActivation {
			t, err := tx.Team(ctx, c.TeamID)
			if err != nil {
				return err
			}
			t.Status, t.UpdatedAt = team.StatusActive, now
			if err := tx.UpdateTeam(ctx, t); err != nil {
				return err
			}
		}
		return tx.DeleteCodes(ctx, c.TeamID, c.UserID, c.Kind)
	})
}

// liveCode finds a code unexpired at now.
func (s *Service) liveCode(ctx context.Context, tx storage.Tx, code string, now time.Time) (user.Code, error) {
	c, err := findCode(ctx, tx, code)
	if err != nil {
		return c, err
	}
	if c.Expired(now) {
		return c, errs.New(errs.Expired, "code", "has expired; ask for a new one with getactivationcode")
	}
	return c, nil
}

func findCode(ctx context.Context, tx storage.Tx, code string) (user.Code, error) {
	code = strings.TrimSpace(code)
	if code == "" {
		return user.Code{}, errs.New(errs.Invalid, "code", "is required")
	}
	if len(code) > 64 {
		return user.Code{}, errs.New(errs.Invalid, "code", "is not a code we issued")
	}
	c, err := tx.Code(ctx, secret.Hash(code))
	if errs.CodeOf(err) == errs.NotFound {
		return c, errs.New(errs.Invalid, "code", "is unknown or already used")
	}
	return c, err
}

func (s *Service) activateMember(ctx context.Context, tx storage.Tx, c user.Code, hash []byte, now time.Time) error {
	u, err := tx.User(ctx, c.UserID)
	if err != nil {
		return err
	}
	if hash != nil && c.Kind == user.CodeInvitation {
		u.PasswordHash, u.PasswordChangedAt = hash, now
	}
	if u.Status != user.StatusActive {
		u.Status, u.ActivatedAt = user.StatusActive, now
	}
	u.UpdatedAt = now
	if err := tx.UpdateUser(ctx, u); err != nil {
		return err
	}
	m, err := tx.Membership(ctx, c.TeamID, c.UserID)
	if err != nil {
		return err
	}
	if m.Status == team.MemberRemoved {
		return errs.New(errs.Forbidden, "code", "belongs to a member who was removed from the team")
	}
	m.Status, m.UpdatedAt = team.MemberActive, now
	return tx.UpdateMembership(ctx, m)
}

// ReissueCode replaces an activation or invitation code, expired or not, with
// a new one sent through the notifier; the old code stops working.
func (s *Service) ReissueCode(ctx context.Context, code string) error {
	return s.write(ctx, func(tx storage.Tx, now time.Time) error {
		c, err := findCode(ctx, tx, code)
		if err != nil {
			return err
		}
		u, err := tx.User(ctx, c.UserID)
		if err != nil {
			return err
		}
		return s.sendCode(ctx, tx, c.Kind, u, c.TeamID, now)
	})
}
