package httpapi

import "github.com/embedid/identity/audit"

// The 689Cloud endpoint of the team's audit trail.

// events lists a page of the events of the caller's team, newest first,
// for admins: by user_id and action if given, before the event whose ID is
// after (the last ID of the previous page), page_size at a time.
func (a *api) events(c *call689) (any, error) {
	f := audit.Filter{UserID: c.str("user_id"), Action: c.str("action")}
	after, err := c.intOr("after", 0)
	if err != nil {
		return nil, err
	}
	f.Before = int64(after)
	if f.Limit, err = c.intOr("page_size", audit.DefaultLimit); err != nil {
		return nil, err
	}
	events, err := a.svc.ListEvents(c.ctx(), c.actor, f)
	if err != nil {
		return nil, err
	}
	out := make([]event689, len(events))
	for i, e := range events {
		out[i] = event689Of(e)
	}
	return counted{result: out, total: len(out)}, nil
}

// event689 is an event of the team: names of fields, never their values.
type event689 struct {
	ID        int64    `json:"id"`
	At        *string  `json:"at"`
	Action    string   `json:"action"`
	ActorKind string   `json:"actor_kind"`
	ActorID   *string  `json:"actor_id"`
	UserID    *string  `json:"user_id"`
	IPAddress *string  `json:"ip_address"`
	Fields    []string `json:"fields"`
}

func event689Of(e audit.Event) event689 {
	fields := e.Fields
	if fields == nil {
		fields = []string{}
	}
	return event689{ID: e.ID, At: date689(e.At), Action: e.Action, ActorKind: string(e.Actor.Kind), ActorID: orNull(e.Actor.ID),
		UserID: orNull(e.UserID), IPAddress: orNull(e.Address), Fields: fields}
}
