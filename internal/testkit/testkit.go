// Package testkit holds what the library's tests share: a settable clock and
// a notifier that records instead of sending.
package testkit

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity"
)

// Clock is a clock that moves only when told to. It is safe for concurrent
// use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Outbox is an identity.Notifier that records notifications instead of
// sending them. The zero value is ready to use.
type Outbox struct {
	mu   sync.Mutex
	sent []identity.Notification
}

// Notify records n.
func (o *Outbox) Notify(_ context.Context, n identity.Notification) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, n)
	return nil
}

// Sent returns every notification recorded so far, oldest first.
func (o *Outbox) Sent() []identity.Notification {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]identity.Notification(nil), o.sent...)
}

// Last returns the latest notification sent to an address, compared
// case-insensitively, and fails tb if there is none.
func (o *Outbox) Last(tb testing.TB, to string) identity.Notification {
	tb.Helper()
	sent := o.Sent()
	for i := len(sent) - 1; i >= 0; i-- {
		if strings.EqualFold(sent[i].To, to) {
			return sent[i]
		}
	}
	tb.Fatalf("nothing was sent to %s", to)
	return identity.Notification{}
}

// Codes returns the code of every notification recorded so far.
func (o *Outbox) Codes() []string {
	sent := o.Sent()
	codes := make([]string, len(sent))
	for i, n := range sent {
		codes[i] = n.Code
	}
	return codes
}
