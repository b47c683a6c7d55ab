package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/storage"
)

// A lookup is what the floor reads for a request to a lookup endpoint: the
// member of the seeded team whose column holds the request's key.
type lookup struct {
	column string // m.user_id, u.email_norm or u.mobile_e164
	key    func(r *http.Request, body []byte) (string, error)
}

// queryKey reads the key from a parameter of the query string.
func queryKey(name string) func(*http.Request, []byte) (string, error) {
	return func(r *http.Request, _ []byte) (string, error) { return r.URL.Query().Get(name), nil }
}

// jsonKey reads the key from a field of a JSON object body, with prefix
// before it.
func jsonKey(field, prefix string) func(*http.Request, []byte) (string, error) {
	return func(_ *http.Request, body []byte) (string, error) {
		var in map[string]string
		if err := json.Unmarshal(body, &in); err != nil {
			return "", err
		}
		return prefix + in[field], nil
	}
}

// floorReads are the lookups the floor answers, by path.
var floorReads = map[string]lookup{
	pathUserByMobile: {"u.mobile_e164", jsonKey("mobile", "+86")},
	pathProfileFetch: {"m.user_id", queryKey("user_id")},
	pathBaseInfo:     {"u.email_norm", jsonKey("email", "")},
}

// openFloor opens the store at dsn and prepares the floor's reads of
// members of the team: with one prepared statement of plain database/sql
// for each lookup, it reads the row as the library does, packed into one
// JSON array on SQLite and column by column on Postgres, and nothing else.
// It returns what reads the member a request asks for, and what closes the
// store.
//
// The floor is the one place the load generator writes SQL against the
// schema, and it only reads: the least a lookup can cost on the store is
// what it measures, so it must bypass the library. Seeding goes through the
// library's use cases.
func openFloor(ctx context.Context, dsn, teamID string) (func(*http.Request, []byte) error, func() error, error) {
	store, err := storage.Open(ctx, dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	pg := store.Bun().Dialect().Name().String() == "pg"
	cols, err := memberColumns(ctx, store.Bun().DB, !pg)
	if err != nil {
		return nil, nil, errors.Join(err, store.Close())
	}
	reads := map[string]func(*http.Request, []byte) error{}
	for path, l := range floorReads {
		if reads[path], err = memberRead(ctx, store.Bun().DB, pg, cols, teamID, l); err != nil {
			return nil, nil, errors.Join(err, store.Close())
		}
	}
	read := func(r *http.Request, body []byte) error {
		read := reads[r.URL.Path]
		if read == nil {
			return fmt.Errorf("no lookup at %s", r.URL.Path)
		}
		return read(r, body)
	}
	return read, store.Close, nil
}

// memberRead prepares the read of the columns of l's member, packed unless
// on Postgres, and returns what runs it for a request.
func memberRead(ctx context.Context, db *sql.DB, pg bool, cols []string, teamID string, l lookup) (func(*http.Request, []byte) error, error) {
	// Named, as the library's is: the driver copies column names each run.
	what := "json_array(" + strings.Join(cols, ", ") + ") AS r"
	if pg {
		what = strings.Join(cols, ", ")
	}
	query := "SELECT " + what + " FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.team_id = ? AND " + l.column + " = ?"
	if pg {
		query = testkit.Dollars(query)
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare the floor's read by %s: %w", l.column, err)
	}
	width := len(cols) // of a row
	if !pg {
		width = 1
	}
	return func(r *http.Request, body []byte) error {
		key, err := l.key(r, body)
		if err != nil {
			return err
		}
		rows, err := st.QueryContext(r.Context(), teamID, key)
		if err != nil {
			return err
		}
		defer rows.Close()
		if !rows.Next() {
			return errors.Join(fmt.Errorf("no member with %s %q", l.column, key), rows.Err())
		}
		vals, dst := make([]sql.RawBytes, width), make([]any, width)
		for i := range vals {
			dst[i] = &vals[i]
		}
		return rows.Scan(dst...)
	}, nil
}

// memberColumns returns the columns of memberships (m) and users (u), in
// table order; packed, with blobs as hex, which a JSON array can hold.
func memberColumns(ctx context.Context, db *sql.DB, packed bool) ([]string, error) {
	var cols []string
	for _, t := range []string{"memberships m", "users u"} {
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+t+" LIMIT 0")
		if err != nil {
			return nil, err
		}
		types, err := rows.ColumnTypes()
		if err = errors.Join(err, rows.Close()); err != nil {
			return nil, err
		}
		for _, ct := range types {
			c := t[len(t)-1:] + "." + ct.Name()
			if packed && strings.EqualFold(ct.DatabaseTypeName(), "BLOB") {
				c = "hex(" + c + ")"
			}
			cols = append(cols, c)
		}
	}
	return cols, nil
}
