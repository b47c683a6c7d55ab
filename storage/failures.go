package storage

import (
	"context"
	"reflect"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/internal/errs"
)

// LockoutReads read the counters of failed attempts at a secret.
type LockoutReads interface {
	// Failures returns the failed attempts recorded for key from address;
	// none is the zero Failures.
	Failures(ctx context.Context, key, address string) (Failures, error)
}

// Lockout reads and writes the counters of failed attempts at a secret.
type Lockout interface {
	LockoutReads
	// RecordFailure counts one more failed attempt for key from address at
	// at, in the current window if it began after windowStartsAfter and in a
	// new window starting at at otherwise, and returns the count. It is one
	// atomic statement, so concurrent failures are all counted. An address
	// that no column can hold (a NUL byte, not UTF-8) is invalid.
	RecordFailure(ctx context.Context, key, address string, at, windowStartsAfter time.Time) (Failures, error)
	// ClearFailures forgets the failed attempts of key from address.
	ClearFailures(ctx context.Context, key, address string) error
}

// Failures are the failed attempts at one secret from one address in the
// current window.
type Failures struct {
	Count       int
	WindowStart time.Time
}

// failureRow is a row of failures.
type failureRow struct {
	bun.BaseModel `bun:"table:failures,alias:f"`

	Key         string    `bun:"key,pk"`
	Address     string    `bun:"address,pk"`
	Count       int       `bun:"count"`
	WindowStart time.Time `bun:"window_start"`
}

var (
	getFailures   = &stmt{op: "get failures", byKey: true, row: reflect.TypeFor[failureRow](), text: fixed("FROM failures AS f WHERE f.key = ? AND f.address = ?")}
	recordFailure = &stmt{op: "record failure", text: fixed("INSERT INTO failures AS f (key, address, count, window_start) VALUES (?, ?, 1, ?) " +
		"ON CONFLICT (key, address) DO UPDATE SET count = CASE WHEN f.window_start > ? THEN f.count + 1 ELSE 1 END, " +
		"window_start = CASE WHEN f.window_start > ? THEN f.window_start ELSE ? END RETURNING count, window_start")}
	clearFailures = &stmt{op: "clear failures", text: fixed("DELETE FROM failures WHERE key = ? AND address = ?")}
)

func (t *tx) Failures(ctx context.Context, key, address string) (Failures, error) {
	f, err := one(ctx, t, getFailures, infallible(failuresOf), key, address)
	if errs.CodeOf(err) == errs.NotFound {
		return Failures{}, nil
	}
	return f, err
}

func (t *tx) RecordFailure(ctx context.Context, key, address string, at, windowStartsAfter time.Time) (Failures, error) {
	if err := checkText("address", address); err != nil {
		return Failures{}, err // written, not looked up: no row to miss
	}
	at, after := dbTime(at), dbTime(windowStartsAfter)
	return one(ctx, t, recordFailure, infallible(failuresOf), key, address, at, after, after, at)
}

func (t *tx) ClearFailures(ctx context.Context, key, address string) error {
	_, err := t.exec(ctx, clearFailures, key, address)
	return err
}

// failuresOf reads a row of failures.
func failuresOf(r *failureRow) Failures {
	return Failures{Count: r.Count, WindowStart: r.WindowStart.UTC()}
}
