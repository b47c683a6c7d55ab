package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage"
)

// BenchmarkServe serves each lookup's requests in process, without the
// network: the mounted API ("library") beside the floor ("floor") and the
// ceiling handler ("ceiling"), so that what the library adds to a request
// is measured without the noise of loopback. Every answer must be 200, and
// one in checkEvery of the library's must pass its call's check.
func BenchmarkServe(b *testing.B) {
	for _, backend := range backends {
		b.Run(backend.name, func(b *testing.B) {
			dsn, f := seeded(b, backend.dsn, 2000)
			library := mountedAPI(b, dsn)
			read, closeFloor, err := openFloor(b.Context(), dsn, f.teamID)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { closeFloor() })
			for _, e := range endpoints(f, endpointNames) {
				if !e.floor {
					continue
				}
				w := &recorder{}
				if err := w.serve(library, e.call(0)); err != nil {
					b.Fatal(err)
				}
				body := fixedBody(w.body.Len())
				b.Run(e.name+"/library", func(b *testing.B) { serveEach(b, library, e, true) })
				b.Run(e.name+"/floor", func(b *testing.B) { serveEach(b, fixedHandler(body, read), e, false) })
				b.Run(e.name+"/ceiling", func(b *testing.B) { serveEach(b, fixedHandler(body, nil), e, false) })
			}
		})
	}
}

// checkEvery is how often serveEach checks an answer's body.
const checkEvery = 64

// mountedAPI returns the API mounted as identityd serves it, on the store
// at dsn.
func mountedAPI(b *testing.B, dsn string) http.Handler {
	store, err := storage.Open(b.Context(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	svc, err := identity.New(store, identity.WithTokenTTL(time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	httpapi.Mount(mux, svc, httpapi.Options{Logger: slog.New(slog.DiscardHandler)})
	return mux
}

// serveEach serves e's requests on h from parallel clients, four for each
// processor. Each answer must be 200; if checked, one in checkEvery must
// also pass its call's check, which costs as much as a small request. The
// floor and the ceiling answer a fixed body. A client stops at its first
// bad answer.
func serveEach(b *testing.B, h http.Handler, e endpoint, checked bool) {
	b.SetParallelism(4)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		w := &recorder{}
		for i := 0; pb.Next(); i++ {
			c := e.call(i)
			if !checked || i%checkEvery != 0 {
				c.check = nil
			}
			if err := w.serve(h, c); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// recorder is an http.ResponseWriter that keeps the status and body of the
// last answer, reused from request to request as a connection's buffers are.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

// serve serves c on h; the answer must be 200, and pass c's check if it
// has one.
func (w *recorder) serve(h http.Handler, c call) error {
	// net/http gives each request a context it cancels when the handler
	// returns; drivers watch such a context, and not a background one.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := http.NewRequestWithContext(ctx, c.method, "http://127.0.0.1"+c.path, bytes.NewReader(c.body))
	if err != nil {
		return err
	}
	r.Header = c.header.Clone()
	w.header, w.status = http.Header{}, 0
	w.body.Reset()
	h.ServeHTTP(w, r)
	switch {
	case w.status != http.StatusOK:
		return fmt.Errorf("%s %s: answered %d: %s", c.method, c.path, w.status, w.body.Bytes())
	case c.check != nil:
		if err := c.check(w.status, w.body.Bytes()); err != nil {
			return fmt.Errorf("%s %s: %w", c.method, c.path, err)
		}
	}
	return nil
}

func (w *recorder) Header() http.Header { return w.header }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(p)
}
