package identity

import "github.com/embedid/identity/internal/errs"

var errPending = errs.New(errs.Internal, "", "not written yet")
