package identity

import (
	"context"
	"errors"
	"time"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
)

// Defaults of the database's deadline and bound.
const (
	// DefaultDatabaseTimeout is how long one use case's database work may
	// take, waiting for a slot included, before it fails as unavailable.
	DefaultDatabaseTimeout = 5 * time.Second
	// DefaultDatabaseConcurrency is how many use cases may work on the
	// database at once; as many again may wait for a slot.
	DefaultDatabaseConcurrency = 64
)

// WithDatabaseTimeout sets how long each Read, Query or Write of a use case
// may take, waiting for a slot included (default DefaultDatabaseTimeout, 5
// seconds). Past it the use case fails with CodeUnavailable, and its
// statements are cancelled. The caller's context still applies: whichever
// ends first ends the work. An import's one long write is bounded by the
// caller's context only.
func WithDatabaseTimeout(d time.Duration) Option {
	return func(c *config) { c.dbTimeout = d }
}

// WithDatabaseConcurrency sets how many use cases may work on the database at
// once (default DefaultDatabaseConcurrency, 64). As many again wait for a
// slot, within their deadline; any more are refused at once with
// CodeUnavailable, so a database that stops answering holds at most 2n
// callers rather than every request that arrives.
func WithDatabaseConcurrency(n int) Option {
	return func(c *config) { c.dbConcurrency = n }
}

// The messages of the unavailable errors.
const (
	msgTimeout   = "the database did not answer in time; try again"
	msgBusy      = "the database is too busy to take this request; try again"
	msgCancelled = "the request ended before the database answered"
)

// guarded is the store as the use cases see it: each Read, Query and Write
// runs under the deadline and takes one of a bounded number of slots.
// Ping and Close are the store's own.
type guarded struct {
	storage.Store
	timeout time.Duration
	slots   chan struct{} // a token for each call at work
	queue   chan struct{} // a token for each call waiting for a slot
}

func newGuarded(s storage.Store, timeout time.Duration, n int) *guarded {
	return &guarded{Store: s, timeout: timeout, slots: make(chan struct{}, n), queue: make(chan struct{}, n)}
}

// Read runs the store's Read under the deadline and the bound.
func (g *guarded) Read(ctx context.Context, fn func(storage.Tx) error) error {
	return g.run(ctx, g.timeout, func(ctx context.Context) error { return g.Store.Read(ctx, fn) })
}

// Query runs the store's Query under the deadline and the bound.
func (g *guarded) Query(ctx context.Context, fn func(storage.Reads) error) error {
	return g.run(ctx, g.timeout, func(ctx context.Context) error { return g.Store.Query(ctx, fn) })
}

// Write runs the store's Write under the deadline and the bound.
func (g *guarded) Write(ctx context.Context, fn func(storage.Tx) error) error {
	return g.run(ctx, g.timeout, func(ctx context.Context) error { return g.Store.Write(ctx, fn) })
}

// writeLong runs the store's Write under the bound and ctx alone, for a
// write whose length grows with its input (an import).
func (g *guarded) writeLong(ctx context.Context, fn func(storage.Tx) error) error {
	return g.run(ctx, 0, func(ctx context.Context) error { return g.Store.Write(ctx, fn) })
}

// run runs work in a slot under a deadline of timeout (none if 0), and
// turns a failure caused by the end of its context into an unavailable
// error.
func (g *guarded) run(ctx context.Context, timeout time.Duration, work func(context.Context) error) error {
	wctx, cancel := ctx, context.CancelFunc(func() {})
	if timeout > 0 {
		wctx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()
	if err := g.enter(wctx); err != nil {
		return unavailable(ctx, err)
	}
	defer func() { <-g.slots }()
	err := work(wctx)
	if err != nil && ended(wctx) && errs.CodeOf(err) == errs.Internal {
		return unavailable(ctx, errors.Join(context.Cause(wctx), err))
	}
	return err
}

// ended reports whether ctx is done or past its deadline: a driver's timer
// of the deadline (a dial's, say) may fire before ctx's own.
func ended(ctx context.Context) bool {
	deadline, ok := ctx.Deadline()
	return ctx.Err() != nil || ok && !time.Now().Before(deadline)
}

// errBusy is the refusal of a call that finds every slot taken and the
// queue full.
var errBusy = &errs.Error{Code: errs.Unavailable, Message: msgBusy}

// enter takes a slot: at once if one is free, else in the queue until one
// is or ctx ends; with the queue full too, it fails with errBusy at once.
func (g *guarded) enter(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case g.slots <- struct{}{}:
		return nil
	default:
	}
	select {
	case g.queue <- struct{}{}:
		defer func() { <-g.queue }()
	default:
		return errBusy
	}
	select {
	case g.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// unavailable returns err, the end of the work's context, as an unavailable
// error: cancelled if the caller's ctx ended, else out of time. It keeps
// err in the chain, so errors.Is(err, context.Canceled) holds for a caller
// that cancelled.
func unavailable(ctx context.Context, err error) error {
	if errs.CodeOf(err) == errs.Unavailable {
		return err
	}
	msg := msgTimeout
	if ctx.Err() != nil {
		msg = msgCancelled
	}
	return &errs.Error{Code: errs.Unavailable, Message: msg, Err: err}
}
