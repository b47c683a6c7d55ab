package main

import (
	"bytes"
	"context"
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
	return newClientFrom(clients, timeout, "")
}

// newClientFrom returns newClient's client connecting from the local IP
// address from ("" for any).
func newClientFrom(clients int, timeout time.Duration, from string) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("refusing to connect to %s: not a loopback address", address)
		}
		return nil
	}}
	if from != "" {
		dialer.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
	}
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

// ownCheck uses each call's own check.
func ownCheck(c call) func(int, []byte) error { return c.check }
