package identity

import (
	"bytes"
	"context"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// OpenSession is one of a user's live sessions as its user sees it: named by
// its public ID, never by its token.
type OpenSession struct {
	ID         string
	CreatedAt  time.Time
	LastSeenAt time.Time // recorded at most once a minute
	ExpiresAt  time.Time // its maximum age; it ends sooner if left idle
	IP         string    // the client address it was opened from, "" if unknown
	Current    bool      // the session the actor authenticated with
}

// Sessions lists the actor's own live sessions in the actor's team, the
// newest first.
func (s *Service) Sessions(ctx context.Context, a Actor) ([]OpenSession, error) {
	now := s.clock()
	var list []user.Session
	err := s.store.Query(ctx, func(tx storage.Reads) (err error) {
		list, err = tx.Sessions(ctx, a.TeamID, a.UserID)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := []OpenSession{}
	for _, ss := range live(list, now) {
		out = append(out, OpenSession{ID: ss.ID, CreatedAt: ss.CreatedAt, LastSeenAt: ss.LastSeenAt,
			ExpiresAt: ss.ExpiresAt(), IP: ss.IP, Current: bytes.Equal(ss.Hash, a.session)})
	}
	return out, nil
}

// live returns the sessions of list that have not expired at now.
func live(list []user.Session, now time.Time) []user.Session {
	out := list[:0:0]
	for _, ss := range list {
		if !ss.Expired(now) {
			out = append(out, ss)
		}
	}
	return out
}

// Revoke says which sessions RevokeSessions ends: SessionID or All, not both.
type Revoke struct {
	// UserID is whose sessions: "" for the actor's own. Another member's
	// sessions may be ended by an admin of the team only, and an admin's by
	// that admin only (team.CanEndSessions). An Operator, who has no
	// sessions, must name a member.
	UserID    string
	SessionID string // one live session, by its ID
	All       bool   // every live session but the actor's current one
}

// validate checks that r names either one session or all of them.
func (r Revoke) validate() error {
	switch {
	case r.SessionID == "" && !r.All:
		return errs.New(errs.Invalid, "session_id", "is required, or all=true to end every other session")
	case r.SessionID != "" && r.All:
		return errs.New(errs.Invalid, "session_id", "must be left out with all=true, which ends every other session")
	}
	return nil
}

// RevokeSessions ends sessions of the actor's team as r says, and returns how
// many live sessions it ended. A session ID of another user or team, or of
// an expired session, is not found.
func (s *Service) RevokeSessions(ctx context.Context, a Actor, r Revoke) (int, error) {
	if err := r.validate(); err != nil {
		return 0, err
	}
	var ended []user.Session
	err := s.write(ctx, func(tx storage.Tx, now time.Time) error {
		userID, err := sessionsOwner(ctx, tx, a, r.UserID)
		if err != nil {
			return err
		}
		list, err := tx.Sessions(ctx, a.TeamID, userID)
		if err != nil {
			return err
		}
		for _, ss := range live(list, now) {
			if ss.ID == r.SessionID || r.All && !bytes.Equal(ss.Hash, a.session) {
				ended = append(ended, ss)
			}
		}
		if len(ended) > 0 {
			record(tx, a.event(audit.SessionRevoked, userID))
		}
		switch {
		case r.All:
			return tx.DeleteSessions(ctx, storage.SessionFilter{UserID: userID, TeamID: a.TeamID, Except: a.session})
		case len(ended) == 0:
			return errs.New(errs.NotFound, "session_id", "no such session in this team, or it has ended")
		}
		return tx.DeleteSessions(ctx, storage.SessionFilter{Hash: ended[0].Hash})
	})
	if err != nil {
		return 0, err
	}
	s.log.InfoContext(ctx, "sessions revoked", "team_id", a.TeamID, "user_id", a.UserID, "of_user_id", r.UserID, "count", len(ended))
	return len(ended), nil
}

// sessionsOwner returns whose sessions a revoke by a ends: a's own if userID
// is "" or a's, else those of the member userID if a may end them.
func sessionsOwner(ctx context.Context, tx storage.Tx, a Actor, userID string) (string, error) {
	actor, err := activeMembership(ctx, tx, a)
	switch {
	case err == nil && a.operator && userID == "":
		return "", errs.New(errs.Invalid, "user_id", "is required: an operator has no sessions of its own")
	case err != nil || userID == "" || userID == a.UserID:
		return a.UserID, err
	}
	target, err := liveMember(ctx, tx, a.TeamID, userID, "user_id")
	if err != nil {
		return "", err
	}
	return userID, team.CanEndSessions(actor.Role, target.Membership.Role)
}
