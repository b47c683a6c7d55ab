package storage

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/internal/errs"
)

// EventReads read the audit trail.
type EventReads interface {
	// EventsAfter returns up to limit events of every team with an ID
	// larger than after, in ID order: the order in which their
	// transactions committed.
	EventsAfter(ctx context.Context, after int64, limit int) ([]audit.Event, error)
	// TeamEvents returns a page of the team's events that f selects, newest
	// first: by time, then by ID. f must be valid (see audit.Filter.Validate).
	TeamEvents(ctx context.Context, teamID string, f audit.Filter) ([]audit.Event, error)
}

// Events read and write the audit trail.
type Events interface {
	EventReads
	// AppendEvents appends events, each valid, and sets their IDs. The IDs
	// follow commit order: a reader that has seen an event never later sees
	// a new one with a smaller ID. On Postgres the insert takes a lock held
	// until the transaction ends (a trigger of the events table), so a
	// transaction's last statements should be its appends.
	AppendEvents(ctx context.Context, events []audit.Event) error
	// PruneEvents deletes those of the first limit events by ID that are
	// from before before, and returns how many it deleted: 0 once the first
	// limit are all newer.
	PruneEvents(ctx context.Context, before time.Time, limit int) (int64, error)
}

// eventValues are the columns of an event that its append writes.
type eventValues struct {
	At        time.Time `bun:"at"`
	TeamID    string    `bun:"team_id"`
	ActorKind string    `bun:"actor_kind"`
	ActorID   string    `bun:"actor_id"`
	Action    string    `bun:"action"`
	UserID    string    `bun:"user_id"`
	Address   string    `bun:"address"`
	Fields    string    `bun:"fields"` // a JSON array of names
}

// newEventRow is a row of events as appended: the database assigns its ID.
type newEventRow struct {
	bun.BaseModel `bun:"table:events,alias:e"`
	eventValues
}

// eventRow is a row of events as read.
type eventRow struct {
	bun.BaseModel `bun:"table:events,alias:e"`
	ID            int64 `bun:"id,pk"`
	eventValues
}

var (
	// appendEvent appends one event a statement, prepared once: most use
	// cases record one to three. appendEvents appends BatchRows a statement,
	// for an import's.
	appendEvent  = insertOf[newEventRow]("append event", "", 1, "RETURNING id")
	appendEvents = insertOf[newEventRow]("append events", "", BatchRows, "RETURNING id")
	eventsAfter  = &stmt{op: "events after", row: reflect.TypeFor[eventRow](), text: fixed("FROM events AS e WHERE e.id > ? ORDER BY e.id ASC LIMIT ?")}
	// pruneEvents walks the oldest events by ID, whose order is that of
	// their times but for the clocks of several writers: the primary key
	// serves it, and no index on time costs every append.
	pruneEvents = &stmt{op: "prune events", text: fixed("DELETE FROM events WHERE id IN (SELECT o.id FROM (SELECT e.id, e.at FROM events AS e ORDER BY e.id LIMIT ?) AS o WHERE o.at < ?)")}
)

// eventShape is which of a filter's optional criteria a page of a team's
// events has: one bit each, in the order of eventCriteria().
type eventShape int

// eventCriteria returns the conditions of the optional criteria of a
// filter. The cursor's is last: events older than the cursor's event, by
// time and then ID (none if it was pruned, and with it every older event).
func eventCriteria() []string {
	return []string{"e.user_id = ?", "e.action = ?", "e.at >= ?", "e.at < ?",
		"(e.at, e.id) < ((SELECT c.at FROM events AS c WHERE c.id = ?), ?)"}
}

// page declares the read of a page of a team's events with the shape's
// criteria. Its arguments are the team, the values of the criteria in their
// order, and the limit.
func (set eventShape) page() *stmt {
	return &stmt{op: "team events", row: reflect.TypeFor[eventRow](), shape: set, text: func(*DB) string {
		var where strings.Builder
		for i, c := range eventCriteria() {
			if set&(1<<i) != 0 {
				where.WriteString(" AND " + c)
			}
		}
		return "FROM events AS e WHERE e.team_id = ?" + where.String() + " ORDER BY e.at DESC, e.id DESC LIMIT ?"
	}}
}

func (t *tx) AppendEvents(ctx context.Context, events []audit.Event) error {
	rows := make([]*newEventRow, len(events))
	for i, e := range events {
		r, err := eventRowOf(e)
		if err != nil {
			return err
		}
		rows[i] = r
	}
	if len(rows) == 0 {
		return nil
	}
	q := appendEvents
	if len(rows) < BatchRows {
		q = appendEvent
	}
	var i int
	return q.each(t, rows, func(s *stmt, args []any) error {
		ids, err := all(ctx, t, s, value[int64], args...)
		for _, id := range ids {
			events[i].ID = id
			i++
		}
		return err
	})
}

func (t *tx) EventsAfter(ctx context.Context, after int64, limit int) ([]audit.Event, error) {
	return all(ctx, t, eventsAfter, eventOf, after, limit)
}

func (t *tx) TeamEvents(ctx context.Context, teamID string, f audit.Filter) ([]audit.Event, error) {
	var set eventShape
	args := []any{teamID}
	for i, v := range []any{f.UserID, f.Action, f.Since, f.Until, f.Before} {
		if !reflect.ValueOf(v).IsZero() {
			set |= 1 << i
			if at, ok := v.(time.Time); ok {
				v = dbTime(at)
			}
			args = append(args, v)
		}
	}
	if f.Before > 0 {
		args = append(args, f.Before) // the cursor's ID again, after its time's
	}
	return all(ctx, t, set.page(), eventOf, append(args, f.Limit)...)
}

func (t *tx) PruneEvents(ctx context.Context, before time.Time, limit int) (int64, error) {
	return t.exec(ctx, pruneEvents, limit, dbTime(before))
}

// eventRowOf returns the row of a valid event.
func eventRowOf(e audit.Event) (*newEventRow, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	for _, c := range []struct{ column, text string }{{"team_id", e.TeamID}, {"user_id", e.UserID}, {"address", e.Address}, {"actor_id", e.Actor.ID}} {
		if err := checkText(c.column, c.text); err != nil {
			return nil, err
		}
	}
	fields, err := json.Marshal(append([]string{}, e.Fields...))
	if err != nil {
		return nil, errs.Wrap("encode event fields", err)
	}
	return &newEventRow{eventValues: eventValues{At: dbTime(e.At), TeamID: e.TeamID, ActorKind: string(e.Actor.Kind), ActorID: e.Actor.ID,
		Action: e.Action, UserID: e.UserID, Address: e.Address, Fields: string(fields)}}, nil
}

// eventOf reads a row of events.
func eventOf(r *eventRow) (audit.Event, error) {
	var fields []string
	if err := json.Unmarshal([]byte(r.Fields), &fields); err != nil {
		return audit.Event{}, errs.Wrap("decode event fields", err)
	}
	return audit.Event{ID: r.ID, At: r.At.UTC(), TeamID: r.TeamID, UserID: r.UserID, Address: r.Address,
		Actor: audit.Actor{Kind: audit.ActorKind(r.ActorKind), ID: r.ActorID}, Action: r.Action, Fields: fields}, nil
}
