package storagetest

// The cases of storage.Lockout.

import (
	"sync"
	"testing"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
)

func testFailures(t *testing.T, s storage.Store) {
	get := func(key, addr string) storage.Failures {
		return read(t, s, func(tx storage.Tx) (storage.Failures, error) { return tx.Failures(t.Context(), key, addr) })
	}
	record := func(key, addr string, n int) storage.Failures {
		return writeResult(t, s, func(tx storage.Tx) (storage.Failures, error) {
			return tx.RecordFailure(t.Context(), key, addr, at(n), at(n-15))
		})
	}
	same(t, "no failures", get("k", "a"), storage.Failures{})
	same(t, "first", record("k", "a", 0), storage.Failures{Count: 1, WindowStart: at(0)})
	same(t, "second", record("k", "a", 5), storage.Failures{Count: 2, WindowStart: at(0)})
	same(t, "other address", record("k", "b", 5), storage.Failures{Count: 1, WindowStart: at(5)})
	same(t, "read back", get("k", "a"), storage.Failures{Count: 2, WindowStart: at(0)})
	same(t, "window over", record("k", "a", 15), storage.Failures{Count: 1, WindowStart: at(15)})
	write(t, s, func(tx storage.Tx) error { return tx.ClearFailures(t.Context(), "k", "a") })
	same(t, "cleared", get("k", "a"), storage.Failures{})
	same(t, "other kept", get("k", "b"), storage.Failures{Count: 1, WindowStart: at(5)})
	for _, addr := range []string{"a\x00", "\xff"} {
		same(t, "read from an address no column holds", get("k", addr), storage.Failures{})
		fails(t, s, errs.Invalid, "address", func(tx storage.Tx) error {
			_, err := tx.RecordFailure(t.Context(), "k", addr, at(0), at(-15))
			return err
		})
	}

	const n = 20
	errc := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			errc <- s.Write(t.Context(), func(tx storage.Tx) error {
				_, err := tx.RecordFailure(t.Context(), "c", "a", at(1), at(-14))
				return err
			})
		})
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	same(t, "concurrent failures", get("c", "a"), storage.Failures{Count: n, WindowStart: at(1)})
}
