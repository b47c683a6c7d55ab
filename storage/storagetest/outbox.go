package storagetest

// The cases of storage.Outbox: the codes waiting to be delivered.

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/user"
)

// message returns message n of batch, due at the minute next, whose code
// expires at the minute expires.
func message(n int, batch string, next, expires int) storage.Message {
	return storage.Message{ID: fmt.Sprintf("m%04d", n), Batch: batch, TeamID: "a", UserID: fmt.Sprintf("u%d", n), Kind: user.CodeInvitation,
		Recipient: fmt.Sprintf("u%d@example.com", n), Code: fmt.Sprintf("code%d", n), NextAt: at(next), ExpiresAt: at(expires), CreatedAt: at(0)}
}

// claim claims up to limit messages of batch due at the minute now, leased
// until the minute until.
func claim(t *testing.T, s storage.Store, batch string, now, until, limit int) []storage.Message {
	t.Helper()
	return writeResult(t, s, func(tx storage.Tx) ([]storage.Message, error) {
		return tx.ClaimMessages(t.Context(), batch, at(now), at(until), limit)
	})
}

// messageIDs returns the IDs of ms.
func messageIDs(ms []storage.Message) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}

func testOutboxClaim(t *testing.T, s storage.Store) {
	var ms []storage.Message // more than a multi-row insert holds
	for n := range storage.BatchRows + 50 {
		ms = append(ms, message(n, "b1", 0, 30))
	}
	later, other := message(900, "b1", 10, 30), message(901, "b2", 0, 30)
	ms = append(ms, later, other)
	write(t, s, func(tx storage.Tx) error { return tx.Enqueue(t.Context(), ms) })

	got := claim(t, s, "b1", 0, 5, 1000)
	want := ms[:storage.BatchRows+50]
	for i := range want {
		want[i].NextAt = at(5)
	}
	same(t, "claimed batch", got, want)
	if again := claim(t, s, "b1", 1, 5, 1000); len(again) != 0 {
		t.Errorf("claimed again while leased: %v", messageIDs(again))
	}
	if all := claim(t, s, "", 1, 5, 1000); !slices.Equal(messageIDs(all), []string{other.ID}) {
		t.Errorf("claimed any batch: %v, want only %s", messageIDs(all), other.ID)
	}
	if few := claim(t, s, "b1", 5, 6, 3); len(few) != 3 {
		t.Errorf("claimed %d past the lease, want the limit, 3", len(few))
	}
	if due := claim(t, s, "b1", 10, 11, 1000); !slices.Contains(messageIDs(due), later.ID) || len(due) != storage.BatchRows+50+1 {
		t.Errorf("claimed %d at minute 10, want every one of b1, their leases over, and %s", len(due), later.ID)
	}
}

func testOutboxDeliver(t *testing.T, s storage.Store) {
	ms := []storage.Message{message(1, "b", 0, 30), message(2, "b", 0, 30), message(3, "b", 0, 20)}
	write(t, s, func(tx storage.Tx) error { return tx.Enqueue(t.Context(), ms) })
	claim(t, s, "b", 0, 1, 10)

	write(t, s, func(tx storage.Tx) error { return tx.DeleteMessages(t.Context(), []string{ms[0].ID}) })
	write(t, s, func(tx storage.Tx) error { return tx.RetryMessage(t.Context(), ms[1].ID, at(8)) })
	fails(t, s, errs.NotFound, "", func(tx storage.Tx) error { return tx.RetryMessage(t.Context(), ms[0].ID, at(8)) })
	if due := claim(t, s, "", 7, 9, 10); !slices.Equal(messageIDs(due), []string{ms[2].ID}) {
		t.Errorf("due at minute 7: %v, want %s: the delivered one is gone, the failed one backs off", messageIDs(due), ms[2].ID)
	}
	retried := ms[1]
	retried.Attempts, retried.NextAt = 1, at(15)
	same(t, "retried", claim(t, s, "", 8, 15, 10), []storage.Message{retried})

	// Minute 20: the third code has expired undelivered, and is dropped;
	// the second is not claimed for an expired code, but kept until it expires.
	if due := claim(t, s, "", 20, 21, 10); !slices.Equal(messageIDs(due), []string{ms[1].ID}) {
		t.Errorf("due at minute 20: %v, want %s (the other's code expired)", messageIDs(due), ms[1].ID)
	}
	dropped := writeResult(t, s, func(tx storage.Tx) ([]storage.Message, error) { return tx.DropExpiredMessages(t.Context(), at(20), 10) })
	gone := ms[2]
	gone.Code, gone.Recipient, gone.NextAt = "", "", time.Time{}
	same(t, "dropped", dropped, []storage.Message{gone})
	if due := claim(t, s, "", 30, 31, 10); len(due) != 0 {
		t.Errorf("claimed an expired code: %v", messageIDs(due))
	}
}

// testOutboxClaimsOnce claims from several transactions at once: no message
// is claimed twice.
func testOutboxClaimsOnce(t *testing.T, s storage.Store) {
	var ms []storage.Message
	for n := range 200 {
		ms = append(ms, message(n, "b", 0, 30))
	}
	write(t, s, func(tx storage.Tx) error { return tx.Enqueue(t.Context(), ms) })
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				var got []storage.Message
				err := s.Write(t.Context(), func(tx storage.Tx) (err error) {
					got, err = tx.ClaimMessages(t.Context(), "", at(0), at(5), 10)
					return err
				})
				if err != nil {
					t.Errorf("claim: %v", err)
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, m := range got {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for _, m := range ms {
		if seen[m.ID] != 1 {
			t.Errorf("%s claimed %d times, want once", m.ID, seen[m.ID])
		}
	}
}

// testOldestDueMessage: the oldest due message is the earliest due at now
// whose code has not expired; leased, backed-off and expired ones are not
// due, and an empty outbox has none.
func testOldestDueMessage(t *testing.T, s storage.Store) {
	oldest := func(now int) time.Time {
		t.Helper()
		return read(t, s, func(tx storage.Tx) (time.Time, error) { return tx.OldestDueMessage(t.Context(), at(now)) })
	}
	if got := oldest(0); !got.IsZero() {
		t.Errorf("empty outbox: oldest due %v, want none", got)
	}
	ms := []storage.Message{message(1, "b", 2, 10), message(2, "b", 4, 30), message(3, "b", 6, 30)}
	write(t, s, func(tx storage.Tx) error { return tx.Enqueue(t.Context(), ms) })
	for _, c := range []struct{ now, want int }{{1, -1}, {2, 2}, {5, 2}, {10, 4}} {
		want := time.Time{}
		if c.want >= 0 {
			want = at(c.want)
		}
		if got := oldest(c.now); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("at minute %d: oldest due %v, want %v in UTC", c.now, got, want)
		}
	}
	claim(t, s, "b", 5, 20, 10) // leases the first two until minute 20
	if got := oldest(7); !got.Equal(at(6)) {
		t.Errorf("leased: oldest due %v, want the third's %v", got, at(6))
	}
	if got := s.Query(t.Context(), func(r storage.Reads) error { _, err := r.OldestDueMessage(t.Context(), at(7)); return err }); got != nil {
		t.Errorf("outside a transaction: %v", got)
	}
}
