package storage

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestJSONValues(t *testing.T) {
	for in, want := range map[string][]any{
		`[]`:                        {},
		`[null,0,-42,1.5,1e3]`:      {nil, int64(0), int64(-42), 1.5, 1000.0},
		`[9223372036854775808]`:     {9223372036854775808.0},
		`["","plain","é😀"]`:         {"", "plain", "é😀"},
		`["\"\\\/\b\f\n\r\t"]`:      {"\"\\/\b\f\n\r\t"},
		`["a\u0001b","\u00e9"]`:     {"a\x01b", "é"},
		`["\ud83d\ude00","\ud83d"]`: {"😀", "\uFFFD"},
		`["x\"y",null,"z"]`:         {`x"y`, nil, "z"},
	} {
		got, err := jsonValues(in, []any{})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("jsonValues(%s) = %#v, %v; want %#v", in, got, err, want)
		}
	}
	for _, in := range []string{``, `[`, `{}`, `[1`, `["a]`, `["a\"]`, `["\x"]`, `["\u12"]`, `[1 2]`, `["a""b"]`, `[true]`, `[1,]x`} {
		if got, err := jsonValues(in, nil); err == nil {
			t.Errorf("jsonValues(%s) = %#v; want an error", in, got)
		}
	}
}

// FuzzJSONValues checks that jsonValues reads any array of strings
// encoding/json writes as encoding/json reads it, and that no input makes
// it panic.
func FuzzJSONValues(f *testing.F) {
	f.Add("plain", `"quoted" \back\slash/`)
	f.Add("\x01\t\n\x7f", "é 中文 😀 <&>")
	f.Add("\xff\xfe", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		packed, err := json.Marshal([]string{a, b})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		if err := json.Unmarshal(packed, &want); err != nil {
			t.Fatal(err)
		}
		got, err := jsonValues(string(packed), nil)
		if err != nil || !reflect.DeepEqual(got, []any{want[0], want[1]}) {
			t.Fatalf("jsonValues(%s) = %q, %v; want %q", packed, got, err, want)
		}
		jsonValues(a, nil) // any text: an error, never a panic
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
		if e := db.build(c.q, false); strings.HasPrefix(e.text, "SELECT json_array(") != c.packed {
			t.Errorf("%s: packed %v, want %v: %s", name, !c.packed, c.packed, e.text)
		}
	}
}
