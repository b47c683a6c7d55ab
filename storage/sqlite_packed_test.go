package storage

import (
	"reflect"
	"strings"
	"testing"
)

func TestLiterals(t *testing.T) {
	for in, want := range map[string][]any{
		``:                       nil,
		`NULL,0,-42,1.5,1.0e+20`: {nil, int64(0), int64(-42), 1.5, 1e20},
		`9223372036854775808`:    {9223372036854775808.0},
		`'','plain','é😀'`:        {"", "plain", "é😀"},
		`'it''s','''',''''''`:    {"it's", "'", "''"},
		`'a,b',X'00ff',X''`:      {"a,b", []byte{0, 0xff}, nil},
		`'x',NULL,'NULL'`:        {"x", nil, "NULL"},
	} {
		got, err := literals(in, nil)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("literals(%s) = %#v, %v; want %#v", in, got, err, want)
		}
	}
	for _, in := range []string{`'`, `'a`, `'a''`, `1,`, `,1`, `'a'b`, `X'0'`, `X'zz'`, `X'00`, `true`, `1 2`} {
		if got, err := literals(in, nil); err == nil {
			t.Errorf("literals(%s) = %#v; want an error", in, got)
		}
	}
}

// FuzzLiterals checks that literals reads what SQLite's quote() writes of
// any text, blob and integer as the driver reads them unpacked, and that no
// input makes it panic.
func FuzzLiterals(f *testing.F) {
	db, err := Open(f.Context(), "sqlite::memory:")
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	f.Add("it's", []byte("x"), int64(7))
	f.Add("\x01\t\n\x7f,'", []byte{}, int64(-1))
	f.Add("\xff\xfe é 中文 😀", []byte{0, 0xff}, int64(9223372036854775807))
	f.Fuzz(func(t *testing.T, text string, blob []byte, n int64) {
		literals(text, nil) // any text: an error, never a panic
		if strings.IndexByte(text, 0) >= 0 {
			t.Skip("the store stores no text with a NUL byte")
		}
		var packed, plain string
		var plainBlob []byte
		var plainN int64
		row := db.bun.DB.QueryRowContext(t.Context(), "SELECT concat_ws(',', quote(?1), quote(?2), quote(?3), quote(NULL)), ?1, ?2, ?3", text, blob, n)
		if err := row.Scan(&packed, &plain, &plainBlob, &plainN); err != nil {
			t.Fatal(err)
		}
		want := []any{plain, plainBlob, plainN, nil}
		if len(plainBlob) == 0 {
			want[1] = nil
		}
		if got, err := literals(packed, nil); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("literals(%q) = %#v, %v; want %#v", packed, got, err, want)
		}
	})
}

// TestWhatSQLitePacks checks that SQLite packs the reads of row structs
// of several columns, and leaves a one-column read and a count as they are.
func TestWhatSQLitePacks(t *testing.T) {
	db, err := Open(t.Context(), "sqlite::memory:", WithMigrate())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, c := range map[string]struct {
		q      *stmt
		packed bool
	}{
		"member": {getMember, true}, "user": {getUser, true}, "team region": {getTeamRegion, false}, "count": {countListed, false},
	} {
		if e := db.build(c.q, false); strings.HasPrefix(e.text, "SELECT concat_ws(") != c.packed {
			t.Errorf("%s: packed %v, want %v: %s", name, !c.packed, c.packed, e.text)
		}
	}
}
