package storage

import (
	"reflect"
	"strings"

	"github.com/uptrace/bun/schema"
)

// tableOf returns the bun table of R.
func tableOf[R any](db *DB) *schema.Table { return db.bun.Table(reflect.TypeFor[R]()) }

// readable reports whether reads select the column name: not a column the
// store derives on every write from the row's other values (a user's full
// name and sort keys, a membership's copies of them). Every column read
// costs, in the database, the driver and the scan (see BENCHMARKS.md).
func readable(name string) bool {
	switch name {
	case "full_name", "first_name_key", "last_name_key", "search_text", "email_key", "signup_at":
		return false
	}
	return true
}

// selectList returns the select list of the readable columns of table, and
// their names. A column of a struct embedded with the prefix "x__" is read
// from the table aliased x.
func selectList(table *schema.Table) (string, []string) {
	var b strings.Builder
	var names []string
	for _, f := range table.Fields {
		alias, column, embedded := strings.Cut(f.Name, "__")
		if !embedded {
			alias, column = table.Alias, f.Name
		}
		if !readable(column) {
			continue
		}
		if names != nil {
			b.WriteString(", ")
		}
		b.WriteString(alias + `."` + column + `"`)
		if embedded {
			b.WriteString(" AS " + string(f.SQLName))
		}
		names = append(names, f.Name)
	}
	return b.String(), names
}

// insertText returns an INSERT of n rows of table, every column of each,
// followed by suffix.
func insertText(table *schema.Table, n int, suffix string) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + string(table.SQLName) + " (" + columnList(table.Fields) + ") VALUES ")
	row := "(" + strings.Repeat("?, ", len(table.Fields)-1) + "?)"
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	if suffix != "" {
		b.WriteString(" " + suffix)
	}
	return b.String()
}

// updateText returns an UPDATE of the fields set of the row of table that
// the fields key find.
func updateText(table *schema.Table, set, key []*schema.Field) string {
	return "UPDATE " + string(table.SQLName) + " SET " + assignments(set, ", ") + " WHERE " + assignments(key, " AND ")
}

// columnList returns the names of fields, comma-separated.
func columnList(fields []*schema.Field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = string(f.SQLName)
	}
	return strings.Join(names, ", ")
}

// assignments returns "name = ?" for each field, joined by sep.
func assignments(fields []*schema.Field, sep string) string {
	terms := make([]string, len(fields))
	for i, f := range fields {
		terms[i] = string(f.SQLName) + " = ?"
	}
	return strings.Join(terms, sep)
}

// placeholders returns n placeholders, comma-separated.
func placeholders(n int) string { return strings.Repeat("?, ", n-1) + "?" }

// inListMax is the most values one IN list holds.
const inListMax = BatchRows * 4

// anys returns values as statement arguments.
func anys(values []string) []any {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return args
}
