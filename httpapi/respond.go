package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/embedid/identity"
)

// statusError is a refusal by the HTTP layer itself (wrong method, unknown
// path, body too large) that carries its own status; each family wraps it in
// its envelope.
type statusError struct {
	status  int
	field   string
	message string
}

func (e *statusError) Error() string {
	if e.field == "" {
		return e.message
	}
	return e.field + ": " + e.message
}

func errMethod(r *http.Request, allow string) *statusError {
	return &statusError{status: http.StatusMethodNotAllowed, message: fmt.Sprintf("method %s is not allowed; use %s", r.Method, allow)}
}

func errNoEndpoint() *statusError {
	return &statusError{status: http.StatusNotFound, message: "no such endpoint"}
}

func errTooLarge(field string, limit int64) *statusError {
	return &statusError{status: http.StatusRequestEntityTooLarge, field: field, message: fmt.Sprintf("is larger than the limit of %d bytes", limit)}
}

// plainError is the body of a refusal outside the families: the endpoint
// reference's, and NotFound's.
type plainError struct {
	Error string `json:"error"`
}

// writeError answers a refusal outside the families.
func writeError(w http.ResponseWriter, e *statusError) {
	writeJSON(w, e.status, plainError{Error: e.Error()})
}

// NotFound answers every request with 404 and {"error":"no such endpoint"}.
// A host that serves nothing but the mounted endpoints mounts it at "/", so
// that paths outside the families' prefixes answer JSON too (identityd
// does); under a family's prefix, unknown paths and wrong methods already
// answer in that family's envelope.
func NotFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeError(w, errNoEndpoint()) })
}

// statusOf is the HTTP status of each error code, in every family.
var statusOf = map[identity.Code]int{
	identity.CodeInvalid:         http.StatusBadRequest,
	identity.CodeUnauthorized:    http.StatusUnauthorized,
	identity.CodeForbidden:       http.StatusForbidden,
	identity.CodeNotFound:        http.StatusNotFound,
	identity.CodeConflict:        http.StatusConflict,
	identity.CodeExpired:         http.StatusGone,
	identity.CodeTooManyRequests: http.StatusTooManyRequests,
	identity.CodeStale:           http.StatusPreconditionFailed,
	identity.CodeUnavailable:     http.StatusServiceUnavailable,
	identity.CodeInternal:        http.StatusInternalServerError,
}

// failure is an error as the families answer it.
type failure struct {
	status  int
	code    identity.Code // "" for a refusal of the HTTP layer itself
	message string        // for people, starting with the field at fault
}

// fieldNames maps the library's field names (email, role, user_id, ...) to
// the names a family gives those parameters; a field it does not hold is
// named as the library names it.
type fieldNames map[string]string

// with returns names with more's entries added, or replacing its own.
func (names fieldNames) with(more fieldNames) fieldNames {
	all := maps.Clone(names)
	maps.Copy(all, more)
	return all
}

// rename returns err blaming the parameter that names its field.
func (names fieldNames) rename(err error) error {
	e, ok := errors.AsType[*identity.Error](err)
	if !ok {
		return err
	}
	param, ok := names[e.Field]
	if !ok {
		return err
	}
	renamed := *e
	renamed.Field = param
	return &renamed
}

// failureOf returns how to answer err, whose field names names translates,
// and sets the headers its status calls for on w. The cause of a failure of
// the server is logged with the request path, never shown: its message is
// "internal error". A database that did not answer in time is logged as a
// warning, unless the client had gone away.
func (a *api) failureOf(w http.ResponseWriter, r *http.Request, err error, names fieldNames) failure {
	shown := names.rename(err)
	f := failure{status: http.StatusInternalServerError, code: identity.ErrorCode(shown), message: identity.ErrorMessage(shown)}
	if status, ok := statusOf[f.code]; ok {
		f.status = status
	}
	if se, ok := errors.AsType[*statusError](err); ok {
		f = failure{status: se.status, message: se.Error()}
	}
	if f.status == http.StatusTooManyRequests {
		setRetryAfter(w, identity.ErrorRetryAfter(err))
	}
	if f.status == http.StatusInternalServerError {
		f.message = "internal error"
		a.opts.Logger.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "err", err)
	}
	if f.status == http.StatusServiceUnavailable && r.Context().Err() == nil {
		a.opts.Logger.WarnContext(r.Context(), "database unavailable", "path", r.URL.Path, "err", err)
	}
	return f
}

// setRetryAfter tells a refused client to wait d before trying again, in
// whole seconds rounded up, and at least one.
func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(d.Seconds())))))
}

// writeJSON writes v as the JSON body of a response with status. Responses
// may carry a session token, so nothing may cache them.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	// An error here means the client went away; there is no one to tell.
	json.NewEncoder(w).Encode(v)
}
