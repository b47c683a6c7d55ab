package identity

import (
	"time"

	"github.com/embedid/identity/internal/errs"
)

// Error is the error type of every use case: a code, the field at fault and
// a message a person can act on.
type Error = errs.Error

// Code classifies an Error.
type Code = errs.Code

// The error codes.
const (
	CodeInvalid         = errs.Invalid
	CodeUnauthorized    = errs.Unauthorized
	CodeForbidden       = errs.Forbidden
	CodeNotFound        = errs.NotFound
	CodeConflict        = errs.Conflict
	CodeExpired         = errs.Expired
	CodeTooManyRequests = errs.TooManyRequests
	CodeStale           = errs.Stale
	CodeUnavailable     = errs.Unavailable
	CodeInternal        = errs.Internal
)

// Sentinels for errors.Is: errors.Is(err, identity.ErrNotFound) holds for
// every error with that code.
var (
	ErrInvalid         = &errs.Error{Code: errs.Invalid}
	ErrUnauthorized    = &errs.Error{Code: errs.Unauthorized}
	ErrForbidden       = &errs.Error{Code: errs.Forbidden}
	ErrNotFound        = &errs.Error{Code: errs.NotFound}
	ErrConflict        = &errs.Error{Code: errs.Conflict}
	ErrExpired         = &errs.Error{Code: errs.Expired}
	ErrTooManyRequests = &errs.Error{Code: errs.TooManyRequests}
	ErrStale           = &errs.Error{Code: errs.Stale}
	ErrUnavailable     = &errs.Error{Code: errs.Unavailable}
	ErrInternal        = &errs.Error{Code: errs.Internal}
)

// ErrorCode returns the code of err: "" for nil, CodeInternal for errors that
// are not the library's.
func ErrorCode(err error) Code { return errs.CodeOf(err) }

// ErrorField returns the field err blames, if any, as the library names it
// (email, role, user_id, ...); each HTTP API family names it its own way.
func ErrorField(err error) string { return errs.FieldOf(err) }

// ErrorMessage returns the message of err meant for people; it never carries
// driver or system details.
func ErrorMessage(err error) string { return errs.MessageOf(err) }

// ErrorRetryAfter returns how long err asks the caller to wait before trying
// again: set on every CodeTooManyRequests error of the lockout and of the
// address budget (see WithLockout, WithAddressBudget), 0 otherwise.
func ErrorRetryAfter(err error) time.Duration { return errs.RetryAfterOf(err) }
