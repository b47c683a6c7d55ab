// Package errs holds the library's one error type: a code, the field at
// fault, and a message a person can act on.
package errs

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error; each API family maps it to its own status.
type Code string

// The error codes.
const (
	Invalid         Code = "invalid"
	Unauthorized    Code = "unauthorized"
	Forbidden       Code = "forbidden"
	NotFound        Code = "not_found"
	Conflict        Code = "conflict"
	Expired         Code = "expired"
	TooManyRequests Code = "too_many_requests"
	// Stale is a write that named a version of its target other than the
	// one the store holds (an If-Match that no longer matches).
	Stale Code = "stale"
	// Unavailable is work the database did not finish in time, or had no
	// room for: the request may succeed if tried again.
	Unavailable Code = "unavailable"
	Internal    Code = "internal"
)

// Error is a refusal or failure with a code, the field at fault (if any) and
// a message for people. Err, when set, is the cause and is never shown.
// RetryAfter, when set, is how long a refused caller should wait before
// trying again (a TooManyRequests error carries it).
type Error struct {
	Code       Code
	Field      string
	Message    string
	Err        error
	RetryAfter time.Duration
}

// New returns an error with code, field and a formatted message.
func New(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an internal error that records op and the cause; its message
// says only that op failed, so driver text never reaches a client.
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: Internal, Message: op + " failed", Err: fmt.Errorf("%s: %w", op, err)}
}

// Error returns the field, the message and the cause, for logs.
func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is a bare *Error (no field, no message) with the
// same code, so errors.Is(err, identity.ErrNotFound) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Field == "" && t.Message == "" && t.Code == e.Code
}

// CodeOf returns the code of the first *Error in err's chain, Internal for any
// other non-nil error, and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// FieldOf returns the field at fault recorded in err, if any.
func FieldOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// MessageOf returns the message meant for people: the *Error's own message, or
// a generic one for any other error so internals are never shown.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Field != "" && e.Code != Internal {
			return e.Field + ": " + e.Message
		}
		return e.Message
	}
	return "internal error"
}

// RetryAfterOf returns how long err asks the caller to wait before trying
// again; 0 if it does not say.
func RetryAfterOf(err error) time.Duration {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.RetryAfter
	}
	return 0
}
