package storage

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/uptrace/bun/schema"
)

// On SQLite, a read of row structs gets each row as one JSON array
// of its columns, which the store reads back with bun's own field scanners.
// modernc.org/sqlite takes the connection's mutex on every call into
// SQLite, and makes four or five calls a column: a member read of 60
// columns cost more in the driver than in SQLite, and as one column it
// costs half as much (see BENCHMARKS.md). The values keep their SQLite
// types: text as JSON strings, integers as numbers, NULL as null, and
// blobs, which JSON cannot hold, as hex.

// A packing reads packed rows into the fields of a row struct.
type packing struct {
	fields []*schema.Field // the field of each column
	blob   []bool          // the column is packed as hex
	values *sync.Pool      // of *[]any to decode rows into: a member's row has about sixty columns
}

// pack returns a query that selects what text selects, packed, and the
// scanner that reads its rows into rows of table; columns are the names of
// text's columns, in order.
func (d *sqliteDialect) pack(text string, table *schema.Table, columns []string) (string, scanner) {
	p := &packing{fields: make([]*schema.Field, len(columns)), blob: make([]bool, len(columns)), values: &d.values}
	values := make([]string, len(columns))
	for i, c := range columns {
		p.fields[i] = table.LookupField(c)
		values[i] = strconv.Quote(c)
		if p.blob[i] = p.fields[i].IndirectType == reflect.TypeFor[[]byte](); p.blob[i] {
			values[i] = "hex(" + values[i] + ")"
		}
	}
	// SQLite keeps the order of a FROM subquery whose outer query is neither
	// sorted nor a join: the list queries' ORDER BY still holds. The column
	// is named: the driver copies the names of a result's columns every
	// time a statement runs, and unnamed, this one's is the kilobyte of the
	// expression.
	return "SELECT json_array(" + strings.Join(values, ", ") + ") AS r FROM (" + text + ")", p.scan
}

// scan reads the current row of rows into the struct dst[0] points to.
func (p *packing) scan(_ context.Context, rows *sql.Rows, dst ...any) error {
	var packed string
	if err := rows.Scan(&packed); err != nil {
		return err
	}
	buf, _ := p.values.Get().(*[]any)
	if buf == nil {
		buf = new([]any)
	}
	values, err := jsonValues(packed, (*buf)[:0])
	defer func() {
		clear(values) // let go of the row's text
		*buf = values[:0]
		p.values.Put(buf)
	}()
	if err == nil && len(values) != len(p.fields) {
		err = fmt.Errorf("%d values for %d columns", len(values), len(p.fields))
	}
	if err != nil {
		return fmt.Errorf("read a packed row: %w", err)
	}
	strct := reflect.ValueOf(dst[0]).Elem()
	for i, f := range p.fields {
		v := values[i]
		if s, ok := v.(string); ok && p.blob[i] {
			v = nil // hex gives "" for NULL and for an empty blob, which the driver reads as nil alike
			if s != "" {
				if v, err = hex.DecodeString(s); err != nil {
					return fmt.Errorf("read a packed row: column %s: %w", f.Name, err)
				}
			}
		}
		if err := f.ScanValue(strct, v); err != nil {
			return err
		}
	}
	return nil
}

// jsonValues appends to dst the values of a JSON array of strings, numbers
// and nulls, as SQLite's json_array writes it: strings as string, integers
// as int64, other numbers as float64, null as nil.
func jsonValues(s string, dst []any) ([]any, error) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, errors.New("not a JSON array")
	}
	for s = s[1 : len(s)-1]; s != ""; {
		var v any
		var err error
		switch {
		case s[0] == '"':
			v, s, err = jsonString(s)
		case strings.HasPrefix(s, "null"):
			s = s[len("null"):]
		default:
			end := strings.IndexByte(s, ',')
			if end < 0 {
				end = len(s)
			}
			v, err = jsonNumber(s[:end])
			s = s[end:]
		}
		if err != nil {
			return nil, err
		}
		dst = append(dst, v)
		if s != "" {
			if s[0] != ',' {
				return nil, fmt.Errorf("want a comma at %.20q", s)
			}
			s = s[1:]
		}
	}
	return dst, nil
}

// jsonNumber reads an integer as int64 and any other number as float64.
func jsonNumber(s string) (any, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	return strconv.ParseFloat(s, 64)
}

// jsonString reads the JSON string s starts with and returns it and the
// rest of s. A string without escapes is a substring of s; encoding/json
// decodes one with them, which stored text rarely has.
func jsonString(s string) (string, string, error) {
	escaped := false
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			escaped, i = true, i+1 // past the escaped character
		case '"':
			if !escaped {
				return s[1:i], s[i+1:], nil
			}
			var str string
			err := json.Unmarshal([]byte(s[:i+1]), &str)
			return str, s[i+1:], err
		}
	}
	return "", "", errors.New("unterminated JSON string")
}
