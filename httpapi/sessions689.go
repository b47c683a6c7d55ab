package httpapi

import "github.com/embedid/identity"

// The 689Cloud endpoints about the caller's sessions.

// sessions lists the caller's live sessions in the team.
func (a *api) sessions(c *call689) (any, error) {
	list, err := a.svc.Sessions(c.ctx(), c.actor)
	if err != nil {
		return nil, err
	}
	out := make([]session689, len(list))
	for i, s := range list {
		out[i] = session689Of(s)
	}
	return counted{result: out, total: len(out)}, nil
}

// revokeSessions ends one session by session_id, or every other one with
// all=true, of the caller or, for an admin, of the member user_id.
func (a *api) revokeSessions(c *call689) (any, error) {
	all, err := c.boolean("all")
	if err != nil {
		return nil, err
	}
	n, err := a.svc.RevokeSessions(c.ctx(), c.actor, identity.Revoke{UserID: c.str("user_id"), SessionID: c.str("session_id"), All: all})
	return revoked689{Revoked: n}, err
}
