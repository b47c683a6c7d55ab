package identity

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/secret"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/user"
)

// Codes reach the notifier through the outbox: a use case enqueues each
// code it sends in its own transaction, and once that has committed the
// service claims what it enqueued, hands it to the notifier and deletes
// what was delivered. Deliver does the same for whatever else is due: a
// failed delivery's retry, or the messages of a process that died between
// its commit and their delivery.
const (
	// deliveryLease is how long a claimed message is left to the process
	// that claimed it before another may deliver it: long enough for the
	// notifier to take deliveryChunk messages (0.12 s each).
	deliveryLease = 2 * time.Minute
	// deliveryChunk is how many messages one claim takes.
	deliveryChunk = 5 * storage.BatchRows
	// retryFirst is how long a message whose delivery failed waits before
	// it is due again; each further failure doubles it, up to retryMost.
	retryFirst = 10 * time.Second
	retryMost  = 10 * time.Minute
	// dropChunk is how many expired messages one statement drops.
	dropChunk = 1000
)

// outbox collects what one use case enqueues, in its transaction, to be
// delivered once it has committed: its messages share a batch.
type outbox struct {
	batch string
	n     int // messages enqueued
}

// sending runs fn as writeBy does, with an outbox for the codes it sends,
// and hands them to the notifier once the transaction has committed,
// outside it. A failed delivery does not fail the use case, whose data is
// committed: the message stays in the outbox for Deliver to retry.
func (s *Service) sending(ctx context.Context, write func(context.Context, func(storage.Tx) error) error, fn func(tx storage.Tx, now time.Time, out *outbox) error) error {
	out := &outbox{batch: secret.ID(s.clock())}
	err := s.writeBy(ctx, write, func(tx storage.Tx, now time.Time) error { return fn(tx, now, out) })
	if err != nil || out.n == 0 {
		return err
	}
	if _, err := s.deliver(ctx, out.batch); err != nil {
		s.log.ErrorContext(ctx, "codes committed but not delivered; Deliver retries them", "error", err)
	}
	return nil
}

// enqueue adds the messages ms, completed with IDs, o's batch and their
// times, to the outbox in tx. A message's ID is its batch's and a counter,
// so that an import's messages append to the outbox's indexes.
func (o *outbox) enqueue(ctx context.Context, tx storage.Tx, now time.Time, ms []storage.Message) error {
	for i := range ms {
		ms[i].ID, ms[i].Batch, ms[i].NextAt, ms[i].CreatedAt = fmt.Sprintf("%s%08x", o.batch, o.n), o.batch, now, now
		o.n++
	}
	return tx.Enqueue(ctx, ms)
}

// message returns the message that sends the code c, whose secret is plain,
// to the address to.
func message(c user.Code, plain, to string) storage.Message {
	return storage.Message{TeamID: c.TeamID, UserID: c.UserID, Kind: c.Kind, Recipient: to, Code: plain, ExpiresAt: c.ExpiresAt}
}

// Deliver hands every message due in the outbox to the notifier: those
// whose delivery failed and whose back-off has passed, and those a process
// committed but died before delivering (once the lease of any it had
// claimed is over). It first drops the messages whose code expired
// undelivered, logging each without its code. It returns how many messages
// it delivered; a failed delivery is logged and retried later, not an
// error. A host calls it at start and every few seconds.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	if err := s.dropExpired(ctx); err != nil {
		return 0, err
	}
	return s.deliver(ctx, "")
}

// deliver claims the due messages of batch, of every batch if "", a chunk
// at a time, and delivers each chunk, until none is due.
func (s *Service) deliver(ctx context.Context, batch string) (int, error) {
	if s.notifier == nil {
		return 0, errs.New(errs.Internal, "", "no notifier is configured to deliver codes")
	}
	delivered := 0
	for {
		var ms []storage.Message
		now := s.clock()
		err := s.store.Write(ctx, func(tx storage.Tx) (err error) {
			ms, err = tx.ClaimMessages(ctx, batch, now, now.Add(deliveryLease), deliveryChunk)
			return err
		})
		if err != nil || len(ms) == 0 {
			return delivered, err
		}
		if batch == "" {
			if ms, err = s.dropReplaced(ctx, ms); err != nil {
				return delivered, err
			}
		}
		n, err := s.handOff(ctx, ms)
		if delivered += n; err != nil {
			return delivered, err
		}
	}
}

// handOff hands the claimed messages ms to the notifier, outside any
// transaction, then deletes the delivered ones and backs the others off.
func (s *Service) handOff(ctx context.Context, ms []storage.Message) (int, error) {
	var done []string
	var failed []storage.Message
	for _, m := range ms {
		n := Notification{Kind: m.Kind, To: m.Recipient, Code: m.Code, UserID: m.UserID, TeamID: m.TeamID, ExpiresAt: m.ExpiresAt}
		if err := s.notifier.Notify(ctx, n); err != nil {
			s.log.WarnContext(ctx, "code not delivered; retrying later", "kind", m.Kind, "team_id", m.TeamID, "user_id", m.UserID,
				"attempts", m.Attempts+1, "error", strings.ReplaceAll(err.Error(), m.Code, "[code]"))
			failed = append(failed, m)
			continue
		}
		done = append(done, m.ID)
	}
	now := s.clock()
	return len(done), s.store.Write(ctx, func(tx storage.Tx) error {
		if err := tx.DeleteMessages(ctx, done); err != nil {
			return err
		}
		for _, m := range failed {
			if err := tx.RetryMessage(ctx, m.ID, now.Add(backoff(m.Attempts))); err != nil {
				return err
			}
		}
		return nil
	})
}

// dropReplaced deletes those of the claimed messages ms whose code the
// store no longer holds, logging each without its code, and returns the
// others. A newer code replaced such a code while it waited, or its
// membership is gone: it would open nothing. Only messages that waited
// need this: a use case's own, handed off at its commit, are current.
func (s *Service) dropReplaced(ctx context.Context, ms []storage.Message) ([]storage.Message, error) {
	held, err := s.heldCodes(ctx, ms)
	if err != nil {
		return nil, err
	}
	var live []storage.Message
	var gone []string
	for _, m := range ms {
		if held[string(secret.Hash(m.Code))] {
			live = append(live, m)
			continue
		}
		s.log.InfoContext(ctx, "code replaced before delivery; dropped", "kind", m.Kind, "team_id", m.TeamID, "user_id", m.UserID)
		gone = append(gone, m.ID)
	}
	if len(gone) == 0 {
		return live, nil
	}
	return live, s.store.Write(ctx, func(tx storage.Tx) error { return tx.DeleteMessages(ctx, gone) })
}

// heldCodes returns the hashes of the codes of ms that the store still
// holds, as a set.
func (s *Service) heldCodes(ctx context.Context, ms []storage.Message) (map[string]bool, error) {
	hashes := make([][]byte, len(ms))
	for i, m := range ms {
		hashes[i] = secret.Hash(m.Code)
	}
	var held [][]byte
	err := s.store.Query(ctx, func(r storage.Reads) (err error) {
		held, err = r.HeldCodes(ctx, hashes)
		return err
	})
	set := make(map[string]bool, len(held))
	for _, h := range held {
		set[string(h)] = true
	}
	return set, err
}

// backoff is how long a message waits after its delivery failed, having
// failed attempts times before.
func backoff(attempts int) time.Duration {
	if attempts >= 16 {
		return retryMost
	}
	return min(retryFirst<<attempts, retryMost)
}

// dropExpired deletes the messages whose code has expired undelivered, and
// logs each, without its code: the person it was for asks for a new one.
func (s *Service) dropExpired(ctx context.Context) error {
	for {
		var ms []storage.Message
		err := s.store.Write(ctx, func(tx storage.Tx) (err error) {
			ms, err = tx.DropExpiredMessages(ctx, s.clock(), dropChunk)
			return err
		})
		if err != nil {
			return err
		}
		for _, m := range ms {
			s.log.WarnContext(ctx, "code expired undelivered; dropped", "kind", m.Kind, "team_id", m.TeamID, "user_id", m.UserID, "attempts", m.Attempts)
		}
		if len(ms) < dropChunk {
			return nil
		}
	}
}
