package httpapi

import (
	"net/http"
	"time"
)

// Observer hears of the requests the mounted handlers answer, for a host's
// metrics. Served is called in the request's goroutine once its handler
// has returned, and must return quickly.
type Observer interface {
	// Served is told of one request answered.
	Served(r Request)
}

// Request is a request a mounted handler answered. None of its fields
// carries the request's path, parameters or client.
type Request struct {
	// Family is the API family: cloud689, entity_v5, tenant_v2 (its token
	// endpoints included), portal, or openapi for the endpoint reference.
	Family string
	// Route is the pattern the handler is mounted on: Options.Prefix and
	// the endpoint's path, with its {wildcards}; a family's base path, such
	// as /api/user/, for a path under it that names no endpoint.
	Route  string
	Status int           // the HTTP status answered
	Took   time.Duration // from the request's arrival at the handler to the handler's return
}

// observed returns h, reporting each request it answers to o as one of
// family on the route pattern.
func observed(o Observer, family, pattern string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		o.Served(Request{Family: family, Route: pattern, Status: sw.status(), Took: time.Since(began)})
	})
}

// statusWriter is a ResponseWriter that remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	code int // 0 until a status or body is written
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 && code >= 200 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the writer underneath.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// status is the status answered: 200 if the handler wrote none.
func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}
