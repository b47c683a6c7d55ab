package errs_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/embedid/identity/internal/errs"
)

func TestIsMatchesByCode(t *testing.T) {
	err := fmt.Errorf("lookup: %w", errs.New(errs.NotFound, "user_id", "no such member"))
	if !errors.Is(err, &errs.Error{Code: errs.NotFound}) || errors.Is(err, &errs.Error{Code: errs.Conflict}) {
		t.Fatal("errors.Is does not match by code")
	}
	if errs.CodeOf(err) != errs.NotFound || errs.FieldOf(err) != "user_id" || errs.MessageOf(err) != "user_id: no such member" {
		t.Fatalf("code %q field %q message %q", errs.CodeOf(err), errs.FieldOf(err), errs.MessageOf(err))
	}
}

func TestWrapHidesCause(t *testing.T) {
	cause := errors.New("pq: password authentication failed for user secret")
	err := errs.Wrap("insert user", cause)
	if errs.CodeOf(err) != errs.Internal || !errors.Is(err, cause) {
		t.Fatalf("got %v", err)
	}
	if msg := errs.MessageOf(err); msg != "insert user failed" {
		t.Fatalf("message %q shows the cause", msg)
	}
	if errs.Wrap("op", nil) != nil {
		t.Fatal("Wrap(nil) is not nil")
	}
	known := errs.New(errs.Conflict, "email", "taken")
	if errs.Wrap("op", known) != error(known) {
		t.Fatal("Wrap replaced an *Error")
	}
	if errs.CodeOf(errors.New("x")) != errs.Internal || errs.CodeOf(nil) != "" || errs.MessageOf(errors.New("x")) != "internal error" {
		t.Fatal("foreign errors are not internal")
	}
}
