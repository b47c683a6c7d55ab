package storage

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/user"
)

// Message is a code waiting in the outbox to be handed to the host's
// notifier: a use case enqueues it in its transaction, so that it exists if
// and only if the data it belongs to was committed.
type Message struct {
	ID        string // unique; those of a batch ascend in the order they are enqueued
	Batch     string // the use case that enqueued it, which hands it off after its commit
	TeamID    string
	UserID    string
	Kind      user.CodeKind
	Recipient string // the address to send it to
	Code      string // the code in clear, its only copy: deleted once delivered
	Attempts  int    // failed deliveries so far
	// NextAt is when it is next due: its creation, then the end of a lease
	// or of a back-off after a failure.
	NextAt    time.Time
	ExpiresAt time.Time // the code's: an expired message is dropped undelivered
	CreatedAt time.Time
}

// outboxRow is a row of outbox, whose columns are named as bun names the
// fields of Message.
type outboxRow struct {
	bun.BaseModel `bun:"table:outbox,alias:o"`
	Message
}

func messageOf(r *outboxRow) Message {
	m := r.Message
	m.NextAt, m.ExpiresAt, m.CreatedAt = m.NextAt.UTC(), m.ExpiresAt.UTC(), m.CreatedAt.UTC()
	return m
}

// OutboxReads read the outbox without changing it.
type OutboxReads interface {
	// OldestDueMessage returns the earliest NextAt of the messages due at
	// now whose code has not expired: when the one waiting longest became
	// due. None due is the zero time.
	OldestDueMessage(ctx context.Context, now time.Time) (time.Time, error)
}

// Outbox holds the codes to deliver after their use case committed.
type Outbox interface {
	OutboxReads
	// Enqueue adds ms in multi-row statements.
	Enqueue(ctx context.Context, ms []Message) error
	// ClaimMessages leases up to limit messages due at now whose code has
	// not expired: of batch, in no set order, or if batch is "" of every
	// batch, the earliest due first. It sets
	// their NextAt to until, in one statement that skips messages another
	// transaction is claiming, so that two processes do not deliver one
	// message at once. It returns them as claimed.
	ClaimMessages(ctx context.Context, batch string, now, until time.Time, limit int) ([]Message, error)
	// DeleteMessages removes the messages with the IDs ids: delivered.
	DeleteMessages(ctx context.Context, ids []string) error
	// RetryMessage records a failed delivery of the message with ID id: one
	// more attempt, due again at next.
	RetryMessage(ctx context.Context, id string, next time.Time) error
	// DropExpiredMessages removes up to limit messages whose code expired
	// at or before now, undelivered, and returns them without their codes.
	DropExpiredMessages(ctx context.Context, now time.Time, limit int) ([]Message, error)
}

var (
	enqueue      = insertOf[outboxRow]("enqueue messages", "", BatchRows, "")
	claimDue     = claimOf(false)
	claimBatch   = claimOf(true)
	retryMessage = &stmt{op: "retry message", missing: "message not found", text: fixed("UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE id = ?")}
	oldestDue    = &stmt{op: "oldest due message", text: fixed("SELECT next_at FROM outbox WHERE next_at <= ? AND expires_at > ? ORDER BY next_at LIMIT 1")}
	dropExpired  = &stmt{op: "drop expired messages", text: func(db *DB) string {
		return "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE expires_at <= ? ORDER BY expires_at LIMIT ?" + db.d.skipLocked() + ")" +
			" RETURNING id, batch, team_id, user_id, kind, attempts, expires_at, created_at"
	}}
)

// claimOf declares the claim of due messages, of one batch if byBatch.
func claimOf(byBatch bool) *stmt {
	return &stmt{op: "claim messages", text: func(db *DB) string {
		// A batch's rows are read in the order of its index, unsorted: an
		// import's hand-off takes a chunk at a time of its own rows.
		batch, order := "", " ORDER BY next_at"
		if byBatch {
			batch, order = "batch = ? AND ", ""
		}
		return "UPDATE outbox SET next_at = ? WHERE id IN (SELECT id FROM outbox WHERE " + batch +
			"next_at <= ? AND expires_at > ?" + order + " LIMIT ?" + db.d.skipLocked() + ")" +
			" RETURNING " + columnList(tableOf[outboxRow](db).Fields)
	}}
}

func (t *tx) Enqueue(ctx context.Context, ms []Message) error {
	rows := make([]*outboxRow, len(ms))
	for i := range ms {
		rows[i] = &outboxRow{Message: ms[i]}
	}
	_, err := enqueue.exec(ctx, t, rows...)
	return err
}

func (t *tx) ClaimMessages(ctx context.Context, batch string, now, until time.Time, limit int) ([]Message, error) {
	if batch == "" {
		return sorted(all(ctx, t, claimDue, infallible(messageOf), until, now, now, limit))
	}
	return sorted(all(ctx, t, claimBatch, infallible(messageOf), until, batch, now, now, limit))
}

// sorted returns ms in the order of their IDs, as RETURNING lists them in
// no promised order.
func sorted(ms []Message, err error) ([]Message, error) {
	slices.SortFunc(ms, func(a, b Message) int { return strings.Compare(a.ID, b.ID) })
	return ms, err
}

func (t *tx) OldestDueMessage(ctx context.Context, now time.Time) (time.Time, error) {
	now = dbTime(now)
	due, err := one(ctx, t, oldestDue, value[time.Time], now, now)
	if errs.CodeOf(err) == errs.NotFound {
		return time.Time{}, nil
	}
	return due.UTC(), err
}

func (t *tx) DeleteMessages(ctx context.Context, ids []string) error {
	for chunk := range slices.Chunk(ids, inListMax) {
		s := &stmt{op: "delete messages", adhoc: true, text: fixed("DELETE FROM outbox WHERE id IN (" + placeholders(len(chunk)) + ")")}
		if _, err := t.exec(ctx, s, anys(chunk)...); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) RetryMessage(ctx context.Context, id string, next time.Time) error {
	return t.change(ctx, retryMessage, next, id)
}

func (t *tx) DropExpiredMessages(ctx context.Context, now time.Time, limit int) ([]Message, error) {
	return sorted(all(ctx, t, dropExpired, infallible(messageOf), now, limit))
}
