package csvimport_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/embedid/identity/internal/csvimport"
	"github.com/embedid/identity/internal/testkit"
)

// numbered returns a file of n rows; line i+2 has user i, with no last
// name where bad(i).
func numbered(n int, bad func(int) bool) string {
	var b strings.Builder
	b.WriteString("email,first_name,last_name,mobile\n")
	for i := range n {
		last := "B"
		if bad(i) {
			last = ""
		}
		fmt.Fprintf(&b, "u%d@x.com,A,%s,152%08d\n", i, last, i)
	}
	return b.String()
}

// TestCheckKeepsFileOrder checks that rows parsed on several goroutines,
// chunk by chunk, reach Check's caller in file order with their problems,
// a record that is not valid CSV included.
func TestCheckKeepsFileOrder(t *testing.T) {
	const n = 3000
	file := numbered(n, func(i int) bool { return i%97 == 0 })
	file = strings.Replace(file, "u1500@x.com", `u1500"@x.com`, 1) // a bare quote: not CSV
	f := mustOpen(t, strings.NewReader(file))
	line := 2
	err := f.Check(func(row csvimport.Row, ps []csvimport.Problem) error {
		i := line - 2
		switch {
		case i == 1500:
			if len(ps) != 1 || ps[0].Line != line || ps[0].Column != "" {
				t.Errorf("line %d: problems %+v, want the bare quote", line, ps)
			}
		case i%97 == 0:
			if len(ps) != 1 || ps[0].Line != line || ps[0].Column != "last_name" {
				t.Errorf("line %d: problems %+v, want a missing last name", line, ps)
			}
		case len(ps) > 0 || row.Line != line || row.Email.Normalized != fmt.Sprintf("u%d@x.com", i):
			t.Errorf("line %d: got row %d %q, problems %+v", line, row.Line, row.Email.Normalized, ps)
		}
		line++
		return nil
	})
	if err != nil || line-2 != n {
		t.Fatalf("read %d rows, err %v; want %d", line-2, err, n)
	}
}

// TestEachKeepsFileOrder checks that Each hands over full batches in file
// order, and the short one last.
func TestEachKeepsFileOrder(t *testing.T) {
	const n = 3001
	f := mustOpen(t, strings.NewReader(numbered(n, func(int) bool { return false })))
	if err := f.Check(func(csvimport.Row, []csvimport.Problem) error { return nil }); err != nil {
		t.Fatal(err)
	}
	next := 0
	err := f.Each(500, func(rows []csvimport.Row) error {
		if want := min(500, n-next); len(rows) != want {
			t.Errorf("batch at row %d has %d rows, want %d", next, len(rows), want)
		}
		for _, r := range rows {
			if r.Line != next+2 {
				t.Fatalf("got line %d, want %d", r.Line, next+2)
			}
			next++
		}
		return nil
	})
	if err != nil || next != n {
		t.Fatalf("read %d rows, err %v; want %d", next, err, n)
	}
}

// TestCheckStopsReadingWhenToldTo checks that when its caller stops Check,
// the chunks read ahead of it bound what it read of a stream.
func TestCheckStopsReadingWhenToldTo(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	src := &testkit.EndlessCSV{}
	f := mustOpen(t, src)
	defer f.Close()
	stop := errors.New("enough")
	seen := 0
	err := f.Check(func(csvimport.Row, []csvimport.Problem) error {
		if seen++; seen == 10 {
			return stop
		}
		return nil
	})
	// Chunks of 256 rows, one per core and one more ahead of the caller,
	// and what the reader buffers: 4 KiB, at least 12 bytes a row.
	limit := (runtime.GOMAXPROCS(0)+2)*256 + 4096/12
	if !errors.Is(err, stop) || src.Rows > limit {
		t.Fatalf("got %v after %d rows read; want %v after at most %d", err, src.Rows, stop, limit)
	}
}
