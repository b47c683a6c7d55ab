package storagetest

// The cases of storage.Events.

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
)

// event returns an event of the team about the user at minute n.
func event(teamID, userID, action string, n int) audit.Event {
	return audit.Event{At: at(n), TeamID: teamID, UserID: userID, Address: "192.0.2.1",
		Actor: audit.Actor{Kind: audit.Member, ID: "admin"}, Action: action, Fields: []string{"role"}}
}

// appendEvents appends events in one Write and returns them with their IDs.
func appendEvents(t *testing.T, s storage.Store, events ...audit.Event) []audit.Event {
	t.Helper()
	write(t, s, func(tx storage.Tx) error { return tx.AppendEvents(t.Context(), events) })
	return events
}

// ids returns the IDs of events.
func ids(events []audit.Event) []int64 {
	out := make([]int64, len(events))
	for i, e := range events {
		out[i] = e.ID
	}
	return out
}

func testEvents(t *testing.T, s storage.Store) {
	a := appendEvents(t, s,
		event("ta", "u1", audit.MemberCreated, 0), event("ta", "u2", audit.MemberCreated, 1),
		event("tb", "u1", audit.MemberCreated, 1), event("ta", "u1", audit.MemberRoleChanged, 2),
		event("ta", "u2", audit.MemberRemoved, 3))
	if !slices.IsSorted(ids(a)) || a[0].ID <= 0 || len(slices.Compact(ids(a))) != len(a) {
		t.Fatalf("IDs %v: want increasing positive IDs", ids(a))
	}
	page := func(f audit.Filter) []int64 {
		if f.Limit == 0 {
			f.Limit = 10
		}
		return ids(read(t, s, func(tx storage.Tx) ([]audit.Event, error) { return tx.TeamEvents(t.Context(), "ta", f) }))
	}
	id := func(i ...int) []int64 {
		out := []int64{}
		for _, n := range i {
			out = append(out, a[n].ID)
		}
		return out
	}
	same(t, "all, newest first", page(audit.Filter{}), id(4, 3, 1, 0))
	same(t, "by user", page(audit.Filter{UserID: "u1"}), id(3, 0))
	same(t, "by action", page(audit.Filter{Action: audit.MemberCreated}), id(1, 0))
	same(t, "since", page(audit.Filter{Since: at(2)}), id(4, 3))
	same(t, "until", page(audit.Filter{Until: at(2)}), id(1, 0))
	same(t, "first page", page(audit.Filter{Limit: 2}), id(4, 3))
	same(t, "next page", page(audit.Filter{Limit: 2, Before: a[3].ID}), id(1, 0))
	same(t, "all criteria", page(audit.Filter{UserID: "u2", Action: audit.MemberCreated, Since: at(1), Until: at(3), Before: a[4].ID}), id(1))
	same(t, "other team", read(t, s, func(tx storage.Tx) ([]audit.Event, error) {
		return tx.TeamEvents(t.Context(), "tb", audit.Filter{Limit: 10})
	}), []audit.Event{a[2]})
	same(t, "after", read(t, s, func(tx storage.Tx) ([]audit.Event, error) { return tx.EventsAfter(t.Context(), a[1].ID, 2) }), a[2:4])
	same(t, "outside a transaction", result(t, "Query", func(ctx context.Context, fn func(storage.Tx) error) error {
		return s.Query(ctx, func(r storage.Reads) error { return fn(r.(storage.Tx)) })
	}, func(tx storage.Tx) ([]audit.Event, error) { return tx.EventsAfter(t.Context(), 0, 100) }), a)

	for _, bad := range []audit.Event{
		{Action: "member.invented", Actor: audit.Actor{Kind: audit.Member}},
		{Action: audit.MemberCreated, Actor: audit.Actor{Kind: "robot"}},
		{Action: audit.MemberCreated, Actor: audit.Actor{Kind: audit.Member}, Fields: []string{"a@b.c"}},
	} {
		fails(t, s, errs.Invalid, "", func(tx storage.Tx) error { return tx.AppendEvents(t.Context(), []audit.Event{bad}) })
	}
	fails(t, s, errs.Invalid, "address", func(tx storage.Tx) error {
		e := event("ta", "u1", audit.LoginFailed, 0)
		e.Address = "\xff"
		return tx.AppendEvents(t.Context(), []audit.Event{e})
	})

	pruned := writeResult(t, s, func(tx storage.Tx) (int64, error) { return tx.PruneEvents(t.Context(), at(2), 2) })
	same(t, "pruned a batch", pruned, int64(2))
	pruned = writeResult(t, s, func(tx storage.Tx) (int64, error) { return tx.PruneEvents(t.Context(), at(2), 2) })
	same(t, "pruned the rest", pruned, int64(1))
	pruned = writeResult(t, s, func(tx storage.Tx) (int64, error) { return tx.PruneEvents(t.Context(), at(2), 2) })
	same(t, "none older left", pruned, int64(0))
	same(t, "kept", page(audit.Filter{}), id(4, 3))
}

// testEventsInCommitOrder follows the events through a cursor while
// concurrent transactions append them: a reader that moves past an ID must
// never find a smaller one committed later.
func testEventsInCommitOrder(t *testing.T, s storage.Store) {
	const writers, each = 8, 25
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := s.Write(t.Context(), func(tx storage.Tx) error {
					if err := tx.AppendEvents(t.Context(), []audit.Event{event(fmt.Sprint("t", w), "u", audit.LoginFailed, i)}); err != nil {
						return err
					}
					// A statement between the append and the commit widens
					// the window in which a later ID could commit first.
					_, err := tx.TeamEvents(t.Context(), "none", audit.Filter{Limit: 1})
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var seen []int64
	follow := func() {
		for {
			page := read(t, s, func(tx storage.Tx) ([]audit.Event, error) { return tx.EventsAfter(t.Context(), last(seen), 7) })
			if len(page) == 0 {
				return
			}
			seen = append(seen, ids(page)...)
		}
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		follow()
	}
	follow()
	all := read(t, s, func(tx storage.Tx) ([]audit.Event, error) { return tx.EventsAfter(t.Context(), 0, writers*each+1) })
	if len(all) != writers*each {
		t.Fatalf("%d events, want %d", len(all), writers*each)
	}
	same(t, "events the follower saw", seen, ids(all))
}

// last returns the last ID of ids, 0 if none.
func last(ids []int64) int64 {
	if len(ids) == 0 {
		return 0
	}
	return ids[len(ids)-1]
}
