package identity

import (
	"context"

	"github.com/embedid/identity/storage"
)

// AddressFailures returns the address budget's counter of address, for
// tests that check that a refusal counts nothing.
func AddressFailures(ctx context.Context, s *Service, address string) (f storage.Failures, err error) {
	err = s.Store().Read(ctx, func(tx storage.Tx) error {
		f, err = tx.Failures(ctx, budgetKey, address)
		return err
	})
	return f, err
}
