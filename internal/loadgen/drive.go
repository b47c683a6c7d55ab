package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// newClient returns the HTTP client of every phase: keep-alive connections,
// enough of them for the clients, no redirects followed, no compression,
// and a dialer that refuses any address but a loopback one.
func newClient(clients int, timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("refusing to connect to %s: not a loopback address", address)
		}
		return nil
	}}
	return &http.Client{
		Transport: &http.Transport{
			DialContext:         dialer.DialContext,
			MaxIdleConns:        2 * clients,
			MaxIdleConnsPerHost: clients,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// phase is the load of one endpoint on one base URL.
type phase struct {
	client   *http.Client
	base     string // scheme://host:port
	clients  int
	duration time.Duration
	requests int
}

// outcome is what a phase measured.
type outcome struct {
	latencies []time.Duration // of every answered request, in no order
	requests  int             // sent
	errors    int             // failed or wrong answers
	samples   []string        // the first distinct error messages
	bytes     int64           // of all answer bodies
	elapsed   time.Duration
}

const maxSamples = 5

// run sends the endpoint's requests from p.clients goroutines until
// p.requests are sent or p.duration has passed, whichever comes first, and
// checks every answer. Requests under way when time is up finish.
func (p phase) run(ctx context.Context, e endpoint, check func(call) func(int, []byte) error) outcome {
	var (
		tickets atomic.Int64
		mu      sync.Mutex
		total   outcome
		wg      sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(p.duration)
	for range p.clients {
		wg.Go(func() {
			var o outcome
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := tickets.Add(1)
				if i > int64(p.requests) {
					break
				}
				c := e.call(int(i))
				t0 := time.Now()
				n, err := p.do(ctx, c, check(c))
				o.latencies = append(o.latencies, time.Since(t0))
				o.requests++
				o.bytes += int64(n)
				if err != nil {
					o.errors++
					o.samples = addSample(o.samples, err.Error())
				}
			}
			mu.Lock()
			defer mu.Unlock()
			total.latencies = append(total.latencies, o.latencies...)
			total.requests += o.requests
			total.errors += o.errors
			total.bytes += o.bytes
			for _, s := range o.samples {
				total.samples = addSample(total.samples, s)
			}
		})
	}
	wg.Wait()
	total.elapsed = time.Since(start)
	return total
}

// addSample adds an error message to at most maxSamples distinct ones.
func addSample(samples []string, msg string) []string {
	for _, s := range samples {
		if s == msg {
			return samples
		}
	}
	if len(samples) < maxSamples {
		samples = append(samples, msg)
	}
	return samples
}

// do sends one request and checks its answer; it returns the answer's size.
func (p phase) do(ctx context.Context, c call, check func(int, []byte) error) (int, error) {
	req, err := http.NewRequestWithContext(ctx, c.method, p.base+c.path, bytes.NewReader(c.body))
	if err != nil {
		return 0, err
	}
	req.Header = c.header.Clone()
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return len(body), err
	}
	return len(body), check(resp.StatusCode, body)
}

// ceiling is a trivial handler on its own loopback listener: it reads the
// request and answers a fixed JSON body, of a size set before each phase.
type ceiling struct {
	srv  *http.Server
	base string
	body atomic.Pointer[[]byte]
}

func startCeiling() (*ceiling, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c := &ceiling{base: "http://" + ln.Addr().String()}
	c.setSize(64)
	c.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(*c.body.Load())
	})}
	go c.srv.Serve(ln)
	return c, nil
}

// setSize makes the answer a JSON object of n bytes (at least 10).
func (c *ceiling) setSize(n int) {
	const frame = `{"pad":""}`
	b := append([]byte(frame[:8]), bytes.Repeat([]byte{'x'}, max(0, n-len(frame)))...)
	b = append(b, frame[8:]...)
	c.body.Store(&b)
}

// check accepts any 200 answer of the ceiling's size.
func (c *ceiling) check(call) func(int, []byte) error {
	want := len(*c.body.Load())
	return func(status int, body []byte) error {
		if status != http.StatusOK || len(body) != want {
			return fmt.Errorf("ceiling answered %d with %d bytes, want 200 with %d", status, len(body), want)
		}
		return nil
	}
}

func (c *ceiling) close() error {
	err := c.srv.Close()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// ownCheck uses each call's own check.
func ownCheck(c call) func(int, []byte) error { return c.check }
