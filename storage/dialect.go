package storage

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds what differs between SQLite and Postgres.
type dialect struct {
	name     string         // the directory of its migrations
	read     *sql.TxOptions // a read-only transaction on one snapshot
	collate  string         // appended to a text expression to sort it by bytes
	rowLocks bool           // SELECT ... FOR NO KEY UPDATE works
	timeText bool           // times are stored as the text bun writes
	// numbered marks placeholders written $n. SQLite takes $n too, but
	// looks each name up in a list: in an insert of thousands of values,
	// binding them took longer than the insert. It gets ?, bound in order.
	numbered  bool
	packRows  bool // prepared reads of row structs get each row as one JSON array (packed.go)
	violation func(error) (violation, bool)
}

var (
	sqliteDialect = &dialect{
		name:      "sqlite",
		read:      &sql.TxOptions{ReadOnly: true}, // SQLite transactions are serializable
		timeText:  true,
		packRows:  true,
		violation: sqliteViolation,
	}
	postgresDialect = &dialect{
		name:      "postgres",
		read:      &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
		collate:   ` COLLATE "C"`,
		rowLocks:  true,
		numbered:  true,
		violation: postgresViolation,
	}
)

// placeholder writes the placeholder of the nth argument.
func (d *dialect) placeholder(b *strings.Builder, n int) {
	if !d.numbered {
		b.WriteByte('?')
		return
	}
	b.WriteByte('$')
	b.WriteString(strconv.Itoa(n))
}

// violation is a constraint that a write broke.
type violation struct {
	foreignKey bool   // else a unique or primary key
	constraint string // a unique constraint's name, as Postgres names it
}

// postgresViolation classifies a pgx error.
func postgresViolation(err error) (violation, bool) {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return violation{}, false
	}
	switch e.Code {
	case "23505": // unique_violation
		return violation{constraint: e.ConstraintName}, true
	case "23503": // foreign_key_violation
		return violation{foreignKey: true}, true
	}
	return violation{}, false
}

// sqliteViolation classifies a modernc.org/sqlite error. SQLite names the
// columns of a broken unique constraint, not the constraint, so the name is
// rebuilt the way Postgres and the migrations spell it: "users_pkey",
// "users_email_norm_key".
func sqliteViolation(err error) (violation, bool) {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return violation{}, false
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		table, _ := sqliteUniqueColumns(e.Error())
		return violation{constraint: table + "_pkey"}, true
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		table, columns := sqliteUniqueColumns(e.Error())
		return violation{constraint: table + "_" + strings.Join(columns, "_") + "_key"}, true
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return violation{foreignKey: true}, true
	}
	return violation{}, false
}

// sqliteUniqueColumns reads the table and columns from a message such as
// "UNIQUE constraint failed: memberships.team_id, memberships.user_id (1555)".
func sqliteUniqueColumns(msg string) (table string, columns []string) {
	_, list, _ := strings.Cut(msg, "UNIQUE constraint failed: ")
	list, _, _ = strings.Cut(list, " (")
	for qualified := range strings.SplitSeq(list, ", ") {
		t, column, _ := strings.Cut(qualified, ".")
		table, columns = t, append(columns, column)
	}
	return table, columns
}
