package storage

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/uptrace/bun/schema"
)

// On SQLite, a read of row structs gets each row as one text of its columns
// as SQL literals, which the store reads back with bun's own field
// scanners. modernc.org/sqlite takes the connection's mutex on every call
// into SQLite, and makes four or five calls a column: a member read of 60
// columns cost more in the driver than in SQLite, and as one column it
// costs half as much (see BENCHMARKS.md). SQLite's quote() keeps each
// value's type: text as 'it''s', integers and reals as numbers, NULL, and
// blobs as X'hex'.

// A packing reads packed rows into the fields of a row struct.
type packing struct {
	fields []*schema.Field // the field of each column
	values *sync.Pool      // of *[]any to decode rows into: a member's row has about sixty columns
}

// pack returns a query that selects what text selects, packed, and the
// scanner that reads its rows into rows of table; columns are the names of
// text's columns, in order.
func (d *sqliteDialect) pack(text string, table *schema.Table, columns []string) (string, scanner) {
	p := &packing{fields: make([]*schema.Field, len(columns)), values: &d.values}
	quoted := make([]string, len(columns))
	for i, c := range columns {
		p.fields[i] = table.LookupField(c)
		quoted[i] = "quote(" + strconv.Quote(c) + ")"
	}
	// SQLite keeps the order of a FROM subquery whose outer query is neither
	// sorted nor a join: the list queries' ORDER BY still holds. The column
	// is named: the driver copies the names of a result's columns every
	// time a statement runs, and unnamed, this one's is the kilobyte of the
	// expression.
	return "SELECT concat_ws(',', " + strings.Join(quoted, ", ") + ") AS r FROM (" + text + ")", p.scan
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
	values, err := literals(packed, (*buf)[:0])
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
		if err := f.ScanValue(strct, values[i]); err != nil {
			return err
		}
	}
	return nil
}

// literals appends to dst the values of a comma-separated list of SQL
// literals, as SQLite's quote() writes them: text as string, integers as
// int64, other numbers as float64, blobs as []byte (an empty one as nil, as
// the driver reads it) and NULL as nil.
func literals(s string, dst []any) ([]any, error) {
	for more := s != ""; more; {
		var v any
		var err error
		switch {
		case s[0] == '\'':
			v, s, err = textLiteral(s)
		case strings.HasPrefix(s, "X'"):
			var text string
			if text, s, err = textLiteral(s[1:]); err == nil && text != "" {
				v, err = hex.DecodeString(text)
			}
		default:
			end := strings.IndexByte(s, ',')
			if end < 0 {
				end = len(s)
			}
			v, err = numberLiteral(s[:end])
			s = s[end:]
		}
		if err != nil {
			return nil, err
		}
		dst = append(dst, v)
		if more = s != ""; more {
			if s[0] != ',' || len(s) == 1 {
				return nil, fmt.Errorf("want a value after a comma at %.20q", s)
			}
			s = s[1:]
		}
	}
	return dst, nil
}

// numberLiteral reads NULL as nil, an integer as int64 and any other number
// as float64.
func numberLiteral(s string) (any, error) {
	if s == "NULL" {
		return nil, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	return strconv.ParseFloat(s, 64)
}

// textLiteral reads the quoted text s starts with and returns it and the
// rest of s. A text without a doubled quote is a substring of s.
func textLiteral(s string) (string, string, error) {
	doubled := false
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] != '\'':
		case i+1 < len(s) && s[i+1] == '\'':
			doubled, i = true, i+1
		case doubled:
			return strings.ReplaceAll(s[1:i], "''", "'"), s[i+1:], nil
		default:
			return s[1:i], s[i+1:], nil
		}
	}
	return "", "", errors.New("unterminated text literal")
}
