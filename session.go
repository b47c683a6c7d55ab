package identity

import (
	"context"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/secret"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// Actor is a member acting through a session, as Authenticate returns it,
// or an operator acting on a team, as Operator returns it.
type Actor struct {
	UserID string
	TeamID string
	Role   team.Role
	// session is the hash of the token that authenticated the actor.
	session []byte
	// operator is set for Operator's actors, who hold no membership.
	operator bool
}

// Operator returns an actor with an admin's rights in a team without being
// one of its members, for the host's own tools (identityd import uses it).
// Never hand one to a request from outside.
func Operator(teamID string) Actor {
	return Actor{TeamID: teamID, Role: team.RoleAdmin, operator: true}
}

// TeamsForEmail lists the teams the user with email belongs to and has not
// been removed from, with that user as a member of each. An unknown email
// has no teams.
func (s *Service) TeamsForEmail(ctx context.Context, email string) ([]team.Teamed, user.User, error) {
	e, err := contact.ParseEmail(email, "email_address")
	if err != nil {
		return nil, user.User{}, err
	}
	var teams []team.Teamed
	var u user.User
	err = s.store.Read(ctx, func(tx storage.Tx) error {
		if u, err = tx.UserByEmail(ctx, e.Normalized); err != nil {
			return err
		}
		all, err := tx.Teams(ctx, u.ID)
		for _, t := range all {
			if t.Membership.Status != team.MemberRemoved {
				teams = append(teams, t)
			}
		}
		return err
	})
	if errs.CodeOf(err) == errs.NotFound {
		return nil, user.User{}, nil
	}
	return teams, u, err
}

// Login is a request to open a session in one team.
type Login struct {
	Email       string
	Password    string
	TeamID      string
	KeepMeLogin bool   // idle limit of 30 days instead of the user's time-out
	IP          string // recorded as the last login address
}

// Session is an open session and its token, shown only once.
type Session struct {
	Token     string
	Member    team.Member
	IdleLimit time.Duration
}

var errBadLogin = errs.New(errs.Unauthorized, "", "the email address, password or team is wrong")

// Login checks the email, password and team, and opens a session. Which of
// the three was wrong is not told; a team that is not activated yet, and a
// member who is removed or awaiting activation, are refused once the
// password is right. Failed logins from one address lock that address out
// of the account in the team (see WithLockout).
func (s *Service) Login(ctx context.Context, in Login) (Session, error) {
	e, err := contact.ParseEmail(in.Email, "email_address")
	if err != nil {
		return Session{}, err
	}
	key := failureKey("login", in.TeamID, e.Normalized)
	var fails storage.Failures
	var m team.Member
	var t team.Team
	err = s.store.Read(ctx, func(tx storage.Tx) error {
		var err error
		if fails, err = tx.Failures(ctx, key, in.IP); err != nil {
			return err
		}
		u, err := tx.UserByEmail(ctx, e.Normalized)
		if err != nil {
			return err
		}
		if m, err = tx.Member(ctx, in.TeamID, u.ID); err != nil {
			return err
		}
		t, err = tx.Team(ctx, in.TeamID)
		return err
	})
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return Session{}, err
	}
	if err := s.locked(fails); err != nil {
		return Session{}, err
	}
	ok := false
	if len(in.Password) <= user.MaxPasswordLen {
		var verr error
		if ok, verr = s.hasher.Verify(ctx, m.User.PasswordHash, in.Password); verr != nil {
			return Session{}, verr
		}
	}
	if err != nil || !ok {
		return Session{}, s.failed(ctx, key, in.IP, errBadLogin)
	}
	if err := canLogIn(t, m); err != nil {
		return Session{}, err
	}
	return s.openSession(ctx, m, in, key)
}

func canLogIn(t team.Team, m team.Member) error {
	switch {
	case t.Status != team.StatusActive:
		return errs.New(errs.Forbidden, "team_id", "the team is not activated yet; activate it with the code sent at sign-up")
	case m.Membership.Status == team.MemberRemoved:
		return errs.New(errs.Forbidden, "team_id", "you were removed from this team")
	case m.Membership.Status != team.MemberActive || m.User.Status != user.StatusActive:
		return errs.New(errs.Forbidden, "email_address", "the account is awaiting activation")
	case m.User.Disabled || m.User.Locked:
		return errs.New(errs.Forbidden, "email_address", "the account is disabled or locked")
	}
	return nil
}

func (s *Service) openSession(ctx context.Context, m team.Member, in Login, failures string) (Session, error) {
	now := s.clock()
	idle := time.Duration(m.User.Settings.SessionTimeout) * time.Minute
	if in.KeepMeLogin {
		idle = KeepMeLoginIdle
	}
	token, hash := secret.Token()
	sess := user.Session{Hash: hash, UserID: m.User.ID, TeamID: in.TeamID, CreatedAt: now, LastSeenAt: now, IdleLimit: idle}
	err := s.store.Write(ctx, func(tx storage.Tx) error {
		if err := tx.InsertSession(ctx, sess); err != nil {
			return err
		}
		if err := tx.ClearFailures(ctx, failures, in.IP); err != nil {
			return err
		}
		u, err := tx.User(ctx, m.User.ID)
		if err != nil {
			return err
		}
		u.LastLoginAt, u.LastLoginIP, u.LastActivityAt = now, truncate(in.IP, 64), now
		m.User = u
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return Session{}, err
	}
	s.log.InfoContext(ctx, "logged in", "team_id", in.TeamID, "user_id", m.User.ID)
	return Session{Token: token, Member: m, IdleLimit: idle}, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

var errBadSession = errs.New(errs.Unauthorized, "auth_token", "is not valid or has expired; log in again")

// Authenticate returns the actor behind a session token. A session idle for
// its whole limit, or whose member is no longer active, is refused.
func (s *Service) Authenticate(ctx context.Context, token string) (Actor, error) {
	if token == "" || len(token) > 128 {
		return Actor{}, errBadSession
	}
	hash := secret.Hash(token)
	now := s.clock()
	var sess user.Session
	var m team.Membership
	err := s.store.Query(ctx, func(tx storage.Reads) error {
		var err error
		if sess, err = tx.Session(ctx, hash); err != nil {
			return err
		}
		m, err = tx.Membership(ctx, sess.TeamID, sess.UserID)
		return err
	})
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		return Actor{}, errBadSession
	case err != nil:
		return Actor{}, err
	case sess.Expired(now) || m.Status != team.MemberActive:
		return Actor{}, errBadSession
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.touch(ctx, sess, now); err != nil {
			return Actor{}, err
		}
	}
	return Actor{UserID: m.UserID, TeamID: m.TeamID, Role: m.Role, session: hash}, nil
}

// touch records the session's and its user's latest activity.
func (s *Service) touch(ctx context.Context, sess user.Session, now time.Time) error {
	return s.store.Write(ctx, func(tx storage.Tx) error {
		if err := tx.TouchSession(ctx, sess.Hash, now); err != nil {
			return err
		}
		u, err := tx.User(ctx, sess.UserID)
		if err != nil {
			return err
		}
		u.LastActivityAt = now
		return tx.UpdateUser(ctx, u)
	})
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	a, err := s.Authenticate(ctx, token)
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx storage.Tx) error {
		return tx.DeleteSessions(ctx, storage.SessionFilter{Hash: a.session})
	})
}
