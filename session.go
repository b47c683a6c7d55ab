package identity

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/embedid/identity/audit"
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
	e, err := contact.ParseEmail(email, "email")
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
	KeepMeLogin bool   // the keep_me_login limits instead of the ordinary ones (see WithSessionIdle)
	IP          string // recorded as the last login address
}

// Session is an open session and its token, shown only once.
type Session struct {
	Token     string
	ID        string // names the session in Sessions and RevokeSessions
	Member    team.Member
	IdleLimit time.Duration
	ExpiresAt time.Time // however often it is used
}

var errBadLogin = errs.New(errs.Unauthorized, "", "the email address, password or team is wrong")

// Login checks the email, password and team, and opens a session. The
// password is the owner's once the account is claimed, else the one the
// team set (see user.User.Claimed). Which of the three was wrong is not told; a team that is not activated yet, and a
// member who is removed or awaiting activation, are refused once the
// password is right. Failed logins from one address lock that address out
// of the account in the team (see WithLockout).
func (s *Service) Login(ctx context.Context, in Login) (Session, error) {
	e, err := contact.ParseEmail(in.Email, "email")
	if err != nil {
		return Session{}, err
	}
	at := loginAttempt{Login: in, email: e.Normalized, guard: guard{failureKey("login", in.TeamID, e.Normalized), in.IP}}
	if err := s.spentBudget(in.IP, s.clock()); err != nil {
		s.event(ctx, audit.LoginRefused, s.loginSubject(at, loginState{}))
		return Session{}, err
	}
	for range staleTries {
		sess, err := s.tryLogin(ctx, at)
		if !errors.Is(err, errStale) {
			return sess, err
		}
	}
	return Session{}, errBadLogin
}

// staleTries bounds how often Login starts over because the password hash
// changed between its check and its write; past it, the login is refused.
const staleTries = 3

// tryLogin checks the password outside any transaction, then records the
// outcome; errStale if the hash changed in between.
func (s *Service) tryLogin(ctx context.Context, at loginAttempt) (Session, error) {
	var seen loginState
	var refused error
	err := s.store.Read(ctx, func(tx storage.Tx) (err error) {
		if seen.tally, err = at.guard.read(ctx, tx); err != nil {
			return err
		}
		if refused = s.refuse(seen.tally, at.IP, s.clock()); refused != nil {
			return nil // a refusal reads nothing more
		}
		return at.find(ctx, tx, &seen)
	})
	if err != nil {
		return Session{}, err
	}
	if refused != nil {
		s.event(ctx, audit.LoginRefused, s.loginSubject(at, seen))
		return Session{}, refused
	}
	verdict, err := s.hasher.Verify(ctx, seen.m.PasswordHash(), at.Password)
	if err != nil {
		return Session{}, err
	}
	ok := verdict != user.Mismatch
	var rehash []byte
	if verdict == user.MatchStale {
		if rehash, err = s.hasher.Rehash(ctx, at.Password); err != nil {
			return Session{}, err
		}
	}
	return s.openSession(ctx, at, seen, ok, rehash)
}

// loginAttempt is a login with what names its failures.
type loginAttempt struct {
	Login
	email string // normalized
	guard guard  // its failure counters
}

// loginState is what a login reads: its failures and, if found, the
// member and the team.
type loginState struct {
	tally tally
	found bool
	m     team.Member
	t     team.Team
}

// loginSubject is whom the security log says a login is about: the user
// when the login found one, else a pseudonym of the email address.
func (s *Service) loginSubject(at loginAttempt, st loginState) subject {
	account := st.m.User.ID
	if !st.found {
		account = s.pseudonym(at.email)
	}
	return subject{account, at.TeamID, at.IP}
}

// failed returns the event of the attempt failing on st: about the member
// and in the team if the attempt found them, else anonymous and in no
// team, which the attempt may not have named rightly.
func (at loginAttempt) failed(st loginState) audit.Event {
	if !st.found {
		return audit.Event{Actor: audit.Actor{Kind: audit.Anonymous}, Action: audit.LoginFailed}
	}
	return audit.Event{TeamID: at.TeamID, UserID: st.m.User.ID, Actor: self(st.m.User.ID), Action: audit.LoginFailed}
}

// read returns what the attempt depends on; an unknown user, member or team
// is not found, not an error.
func (at loginAttempt) read(ctx context.Context, tx storage.Tx) (st loginState, err error) {
	if st.tally, err = at.guard.read(ctx, tx); err != nil {
		return st, err
	}
	return st, at.find(ctx, tx, &st)
}

// find reads into st the member and the team the attempt names, if found.
func (at loginAttempt) find(ctx context.Context, tx storage.Tx, st *loginState) error {
	u, err := tx.UserByEmail(ctx, at.email)
	if err == nil {
		st.m, err = tx.Member(ctx, at.TeamID, u.ID)
	}
	if err == nil {
		st.t, err = tx.Team(ctx, at.TeamID)
	}
	st.found = err == nil
	if errs.CodeOf(err) == errs.NotFound {
		err = nil
	}
	return err
}

// errStale is a login whose verdict was reached on a password hash that
// changed before it could be written; it never leaves Login.
var errStale = errs.New(errs.Conflict, "", "the password changed meanwhile")

func canLogIn(t team.Team, m team.Member) error {
	switch {
	case t.Status != team.StatusActive:
		return errs.New(errs.Forbidden, "team_id", "the team is not activated yet; activate it with the code sent at sign-up")
	case m.Membership.Status == team.MemberRemoved:
		return errs.New(errs.Forbidden, "team_id", "you were removed from this team")
	case m.Membership.Status == team.MemberSuspended:
		return errs.New(errs.Forbidden, "team_id", "your membership of this team is deactivated; ask its admin")
	case m.Membership.Status != team.MemberActive:
		return errs.New(errs.Forbidden, "email", "the account is awaiting activation")
	case m.User.Disabled || m.User.Locked:
		return errs.New(errs.Forbidden, "email", "the account is disabled or locked")
	}
	return nil
}

// openSession records the outcome of a login whose password was checked
// against seen, in one transaction that reads everything again: a failure
// if ok is false, else a new session, and the password's rehash if it is
// not nil. If the password hash changed since seen, the verdict is stale:
// errStale, and nothing is written.
func (s *Service) openSession(ctx context.Context, at loginAttempt, seen loginState, ok bool, rehash []byte) (Session, error) {
	var sess Session
	var refused *tally
	err := s.write(ctx, func(tx storage.Tx, now time.Time) error {
		st, err := at.read(ctx, tx)
		switch {
		case err != nil:
			return err
		case st.found != seen.found || !bytes.Equal(st.m.PasswordHash(), seen.m.PasswordHash()):
			return errStale
		}
		if err := s.refuse(st.tally, at.IP, now); err != nil {
			return err
		}
		if !ok || !st.found {
			t, err := s.fail(ctx, tx, at.guard, now, at.failed(st))
			refused = &t
			return err
		}
		if err := canLogIn(st.t, st.m); err != nil {
			return err
		}
		if rehash != nil {
			st.m.SetPassword(rehash, st.m.PasswordChangedAt())
			if err := tx.UpdateMembership(ctx, st.m.Membership); err != nil {
				return err
			}
		}
		sess, err = s.startSession(ctx, tx, at, st.m, now)
		return err
	})
	switch {
	case err != nil:
		return Session{}, err
	case refused != nil:
		s.failure(ctx, s.loginSubject(at, seen), *refused, audit.LoginFailed)
		return Session{}, errBadLogin
	}
	s.log.InfoContext(ctx, "logged in", "team_id", at.TeamID, "user_id", sess.Member.User.ID)
	return sess, nil
}

// startSession opens a session for m and records the login.
func (s *Service) startSession(ctx context.Context, tx storage.Tx, at loginAttempt, m team.Member, now time.Time) (Session, error) {
	token, hash := secret.Token()
	sess := s.sessionLimits(m.User, at.KeepMeLogin)
	sess.Hash, sess.ID, sess.UserID, sess.TeamID = hash, secret.ID(now), m.User.ID, at.TeamID
	sess.CreatedAt, sess.LastSeenAt, sess.IP = now, now, truncate(at.IP, 64)
	if err := tx.InsertSession(ctx, sess); err != nil {
		return Session{}, err
	}
	record(tx, audit.Event{TeamID: at.TeamID, UserID: m.User.ID, Address: at.IP, Actor: self(m.User.ID), Action: audit.SessionCreated})
	if err := tx.ClearFailures(ctx, at.guard.key, at.IP); err != nil {
		return Session{}, err
	}
	m.Membership.LastLoginAt, m.Membership.LastLoginIP, m.User.LastActivityAt = now, truncate(at.IP, 64), now
	if err := tx.UpdateMembership(ctx, m.Membership); err != nil {
		return Session{}, err
	}
	if err := tx.UpdateUser(ctx, m.User); err != nil {
		return Session{}, err
	}
	return Session{Token: token, ID: sess.ID, Member: m, IdleLimit: sess.IdleLimit, ExpiresAt: sess.ExpiresAt()}, nil
}

// sessionLimits returns a session of u with the idle limit and maximum age
// the options give it: the keep_me_login ones if keep, else the ordinary
// ones, whose idle limit is u's session_timeout unless WithSessionIdle
// sets one.
func (s *Service) sessionLimits(u user.User, keep bool) user.Session {
	if keep {
		return user.Session{IdleLimit: s.sessionIdle.KeepMeLogin, MaxAge: s.sessionMaxAge.KeepMeLogin}
	}
	idle := s.sessionIdle.Normal
	if idle == 0 {
		idle = time.Duration(u.Settings.SessionTimeout) * time.Minute
	}
	return user.Session{IdleLimit: idle, MaxAge: s.sessionMaxAge.Normal}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

var errBadSession = errs.New(errs.Unauthorized, "session", "is not valid or has expired; log in again")

// Authenticate returns the actor behind a session token. A session idle for
// its whole idle limit, older than its maximum age however often it was
// used, or whose member is no longer active, is refused.
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
		if err := s.touch(ctx, sess); err != nil {
			return Actor{}, err
		}
	}
	return Actor{UserID: m.UserID, TeamID: m.TeamID, Role: m.Role, session: hash}, nil
}

// touch records the session's and its user's latest activity.
func (s *Service) touch(ctx context.Context, sess user.Session) error {
	return s.write(ctx, func(tx storage.Tx, now time.Time) error {
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
	return s.write(ctx, func(tx storage.Tx, _ time.Time) error {
		record(tx, audit.Event{TeamID: a.TeamID, UserID: a.UserID, Actor: self(a.UserID), Action: audit.SessionRevoked})
		return tx.DeleteSessions(ctx, storage.SessionFilter{Hash: a.session})
	})
}
