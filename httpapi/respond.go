package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
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
