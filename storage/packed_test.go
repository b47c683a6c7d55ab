package storage

import (
	"reflect"
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
