package identity

import (
	"context"
	"encoding/hex"
	"sync"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

// change is the transaction a use case's write runs in (see write): the
// store's, and the events the use case records on it, which write appends
// before it commits.
type change struct {
	storage.Tx
	events []recorded
}

// recorded is what one call recorded: an event, or an event like it about
// each of many users, whose IDs are packed so that an import of a million
// members holds 16 bytes a member until its commit.
type recorded struct {
	like  audit.Event
	users packedIDs // if not nil, like is about each of them
}

// record records events on tx, the transaction write handed a use case or
// a helper of it, to be appended in it. Every state change records its
// events; the enumeration test (events_test.go) checks that each use case
// does.
func record(tx storage.Tx, events ...audit.Event) {
	if c, ok := tx.(*change); ok {
		for _, e := range events {
			c.events = append(c.events, recorded{like: e})
		}
	}
}

// recordEach records on tx, as record does, the event like about each of
// the users.
func recordEach(tx storage.Tx, like audit.Event, users packedIDs) {
	if c, ok := tx.(*change); ok && len(users) > 0 {
		c.events = append(c.events, recorded{like: like, users: users})
	}
}

// appendChunk is how many recorded events one append takes.
const appendChunk = 5 * storage.BatchRows

// appendEvents appends the recorded events in the order they were
// recorded, at now unless they say when, a chunk at a time.
func (c *change) appendEvents(ctx context.Context, now time.Time) error {
	chunk := make([]audit.Event, 0, appendChunk)
	flush := func() error {
		err := c.AppendEvents(ctx, chunk)
		chunk = chunk[:0]
		return err
	}
	for _, r := range c.events {
		n := 1
		if r.users != nil {
			n = len(r.users)
		}
		for i := range n {
			e := r.like
			if r.users != nil {
				e.UserID = r.users.at(i)
			}
			if e.At.IsZero() {
				e.At = now
			}
			if chunk = append(chunk, e); len(chunk) == appendChunk {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// packedIDs are IDs of 32 hex digits, held in 16 bytes each.
type packedIDs [][16]byte

// add appends id.
func (p *packedIDs) add(id string) error {
	var raw [16]byte
	if n, err := hex.Decode(raw[:], []byte(id)); err != nil || n != len(raw) {
		return errs.New(errs.Internal, "", "ID %q is not 32 hex digits", id)
	}
	*p = append(*p, raw)
	return nil
}

// at returns the i-th ID.
func (p packedIDs) at(i int) string { return hex.EncodeToString(p[i][:]) }

// actor is a as the actor of an event: a member of the team, or the
// operator.
func (a Actor) actor() audit.Actor {
	if a.operator {
		return audit.Actor{Kind: audit.Operator}
	}
	return audit.Actor{Kind: audit.Member, ID: a.UserID}
}

// actor is c as the actor of an event: its application.
func (c Client) actor() audit.Actor { return audit.Actor{Kind: audit.Application, ID: c.ClientID} }

// self is the user userID acting on their own account.
func self(userID string) audit.Actor { return audit.Actor{Kind: audit.User, ID: userID} }

// event returns an event of a's team, by a, about userID.
func (a Actor) event(action, userID string, fields ...string) audit.Event {
	return audit.Event{TeamID: a.TeamID, UserID: userID, Actor: a.actor(), Action: action, Fields: fields}
}

// event returns an event of c's team, by c, about userID.
func (c Client) event(action, userID string, fields ...string) audit.Event {
	return audit.Event{TeamID: c.TeamID, UserID: userID, Actor: c.actor(), Action: action, Fields: fields}
}

// ListEvents returns a page of the events of the actor's team that f
// selects, newest first; the ID of a page's last event is the Before of the
// next. Admins of the team only (and operators).
func (s *Service) ListEvents(ctx context.Context, a Actor, f audit.Filter) ([]audit.Event, error) {
	if a.Role != team.RoleAdmin {
		return nil, errs.New(errs.Forbidden, "", "only an admin may read the team's events")
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var events []audit.Event
	err := s.store.Query(ctx, func(r storage.Reads) (err error) {
		events, err = r.TeamEvents(ctx, a.TeamID, f)
		return err
	})
	return events, err
}

// Follow hands fn every event of every team with an ID larger than after,
// in ID order, which is commit order, each once it is committed; it
// returns when ctx ends or fn fails, with that error. Delivery is at least
// once: a host that records the ID of the last event fn accepted resumes
// there. Commits of this Service wake it at once; those of other processes
// within FollowPoll.
func (s *Service) Follow(ctx context.Context, after int64, fn func(audit.Event) error) error {
	for {
		woken := s.appended.wait()
		var events []audit.Event
		err := s.store.Query(ctx, func(r storage.Reads) (err error) {
			events, err = r.EventsAfter(ctx, after, followPage)
			return err
		})
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := fn(e); err != nil {
				return err
			}
			after = e.ID
		}
		if len(events) == followPage {
			continue
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-woken:
		case <-time.After(FollowPoll):
		}
	}
}

// FollowPoll is how often Follow reads the store for events committed by
// other processes.
const FollowPoll = time.Second

// followPage is how many events Follow reads at a time.
const followPage = 500

// signal wakes those waiting for the next time something happens.
type signal struct {
	mu sync.Mutex
	ch chan struct{}
}

// wait returns a channel closed the next time wake is called.
func (g *signal) wait() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch == nil {
		g.ch = make(chan struct{})
	}
	return g.ch
}

// wake wakes those waiting.
func (g *signal) wake() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch != nil {
		close(g.ch)
		g.ch = nil
	}
}

// WithEventRetention sets how long events are kept (default 0: forever);
// PruneEvents deletes older ones.
func WithEventRetention(d time.Duration) Option { return func(c *config) { c.eventRetention = d } }

// pruneBatch is how many events one transaction of PruneEvents deletes, so
// that it holds its locks briefly.
const pruneBatch = 1000

// PruneEvents deletes the events older than the retention (see
// WithEventRetention), walking them by ID a batch a transaction until a
// batch holds none, and returns how many it deleted; with no retention it
// deletes none.
func (s *Service) PruneEvents(ctx context.Context) (int64, error) {
	if s.eventRetention <= 0 {
		return 0, nil
	}
	var total int64
	for {
		var n int64
		err := s.write(ctx, func(tx storage.Tx, now time.Time) (err error) {
			n, err = tx.PruneEvents(ctx, now.Add(-s.eventRetention), pruneBatch)
			return err
		})
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}
