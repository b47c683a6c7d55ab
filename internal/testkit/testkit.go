// Package testkit holds what the library's tests share: a settable clock, a
// notifier that records instead of sending, concurrent request drivers, and
// an endless import file.
package testkit

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/embedid/identity"
)

// EndlessCSV is a CSV file of members that never ends: a header, then rows
// of user0@x.com, user1@x.com and so on. It counts the rows it gave.
type EndlessCSV struct {
	Rows    int
	header  bool // given
	pending []byte
}

func (e *EndlessCSV) Read(b []byte) (int, error) {
	switch {
	case !e.header:
		e.header, e.pending = true, []byte("mail_address,first_name,last_name\n")
	case len(e.pending) == 0:
		e.pending = fmt.Appendf(e.pending[:0], "user%d@x.com,A,B\n", e.Rows)
		e.Rows++
	}
	n := copy(b, e.pending)
	e.pending = e.pending[n:]
	return n, nil
}

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

// CreateOneMobile sends n v5 user/create requests for one mobile at once
// through send, which posts a JSON body and returns the status and the
// answer, and returns for each user ID answered how many calls reported
// creating it. It fails tb on any error, or unless exactly one call created
// each user.
func CreateOneMobile(tb testing.TB, n int, teamID string, send func(i int, body string) (int, []byte, error)) map[string]int {
	tb.Helper()
	body := fmt.Sprintf(`{"corp_id":%q,"area_code":"86","mobile":"13888888888"}`, teamID)
	var mu sync.Mutex
	created := map[string]int{}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			status, answer, err := send(i, body)
			var env struct {
				Code int `json:"code"`
				Data struct {
					UserID string `json:"user_id"`
					Exists bool   `json:"is_user_exists"`
				} `json:"data"`
			}
			if err == nil {
				err = json.Unmarshal(answer, &env)
			}
			if err != nil || status != http.StatusOK || env.Code != 0 {
				errs[i] = fmt.Errorf("create %d: status %d, %v: %s", i, status, err, answer)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if !env.Data.Exists {
				created[env.Data.UserID]++
			} else if _, ok := created[env.Data.UserID]; !ok {
				created[env.Data.UserID] = 0
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			tb.Fatal(err)
		}
	}
	for id, k := range created {
		if k != 1 {
			tb.Fatalf("%d calls report creating %s, want 1", k, id)
		}
	}
	return created
}

// Dollars numbers the ? placeholders of a hand-written query as Postgres
// wants them ($1, $2, ...), for tests and benchmarks that bypass bun.
func Dollars(q string) string {
	var out strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			out.WriteString("$" + strconv.Itoa(n))
			continue
		}
		out.WriteRune(r)
	}
	return out.String()
}
