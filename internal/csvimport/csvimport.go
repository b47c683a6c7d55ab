// Package csvimport reads a CSV file of members to import, one validated row
// at a time, reporting every problem with its line and column. A File is read
// once to check it and again for each later step of an import, so that no
// step holds more than a batch of rows.
package csvimport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/passhash"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// Limits on what a file may hold.
const (
	MaxColumns  = 32
	MaxFieldLen = 1024 // bytes in one field
)

// Row is one valid member to import.
type Row struct {
	Line     int
	Email    contact.Email
	Names    user.Names
	Password string // empty, with no PasswordHash: the member is invited to set one
	// PasswordHash is the member's password hashed by another system, in
	// passhash's stored form; a row has it or Password, not both.
	PasswordHash string
	Role         team.Role
	Mobile       contact.Phone
	TimeZone     *int
	Lang         string
}

// Problem is what is wrong with one field of one line.
type Problem struct {
	Line   int
	Column string
	Reason string
}

// The columns and the header names that select them (case-insensitive).
const (
	colEmail = iota
	colFirst
	colMiddle
	colLast
	colPassword
	colRole
	colMobile
	colTimeZone
	colLang
	colPasswordHash
	numCols
)

// EmailColumn is the file's name for the email column, as row problems
// name it, whichever of its other names the header used.
const EmailColumn = "mail_address"

var colNames = [numCols]string{EmailColumn, "first_name", "middle_name", "last_name", "password", "role", "mobile", "time_zone", "lang", "password_hash"}

var headerNames = map[string]int{
	EmailColumn: colEmail, "email": colEmail, "email_address": colEmail,
	"first_name": colFirst, "middle_name": colMiddle, "last_name": colLast,
	"password": colPassword, "role": colRole, "user_role": colRole, "role_id": colRole,
	"mobile": colMobile, "time_zone": colTimeZone, "lang": colLang, "password_hash": colPasswordHash,
}

// reader reads rows from a CSV file with a header. It checks each row on its
// own; Repeats finds the rows that repeat an earlier one.
type reader struct {
	csv   *csv.Reader
	index [numCols]int // field index of each column, -1 when absent
	rules Rules
}

// newReader reads the header of r, whose rows it reads by rules. The header must name mail_address (or email, email_address),
// first_name and last_name; unknown and repeated columns are refused.
func newReader(r io.Reader, rules Rules) (*reader, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	c := csv.NewReader(br)
	c.ReuseRecord = true
	rd := &reader{csv: c, rules: rules}
	header, err := c.Read()
	if errors.Is(err, io.EOF) {
		return nil, errs.New(errs.Invalid, "file", "is empty; the first line must name the columns")
	}
	if err != nil {
		return nil, errs.New(errs.Invalid, "file", "line 1: %s", csvReason(err))
	}
	if err := rd.readHeader(header); err != nil {
		return nil, err
	}
	return rd, nil
}

func (rd *reader) readHeader(header []string) error {
	if len(header) > MaxColumns {
		return errs.New(errs.Invalid, "file", "line 1 has %d columns; the limit is %d", len(header), MaxColumns)
	}
	for i := range rd.index {
		rd.index[i] = -1
	}
	for i, name := range header {
		col, ok := headerNames[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			return errs.New(errs.Invalid, "file", "line 1: unknown column %q; known columns are %s", truncate(name), strings.Join(colNames[:], ", "))
		}
		if rd.index[col] >= 0 {
			return errs.New(errs.Invalid, "file", "line 1: column %s is given twice", colNames[col])
		}
		rd.index[col] = i
	}
	for _, col := range []int{colEmail, colFirst, colLast} {
		if rd.index[col] < 0 {
			return errs.New(errs.Invalid, "file", "line 1: the header must name the column %s", colNames[col])
		}
	}
	return nil
}

// record reads the next record and its line. A record that is not valid CSV
// is its problem instead; reading can go on after it.
func (rd *reader) record() (int, []string, []Problem, error) {
	rec, err := rd.csv.Read()
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
		reason := fmt.Sprintf("has %d fields; the header names %d", len(rec), rd.csv.FieldsPerRecord)
		return pe.StartLine, nil, []Problem{{Line: pe.StartLine, Reason: reason}}, nil
	case errors.As(err, &pe):
		return pe.StartLine, nil, []Problem{{Line: pe.StartLine, Reason: pe.Err.Error()}}, nil
	case err != nil:
		return 0, nil, nil, err
	}
	line, _ := rd.csv.FieldPos(0)
	return line, rec, nil, nil
}

// field returns the trimmed value of column col in rec, or "" if the file
// has no such column.
func (rd *reader) field(rec []string, col int) string {
	if i := rd.index[col]; i >= 0 {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

// email reads the email address of a record alone.
func (rd *reader) email(line int, rec []string) (contact.Email, []Problem) {
	e, err := contact.ParseEmail(rd.field(rec, colEmail), colNames[colEmail])
	if err != nil {
		return e, []Problem{{Line: line, Column: colNames[colEmail], Reason: reason(err)}}
	}
	return e, nil
}

// row reads and checks every field of a record.
func (rd *reader) row(line int, rec []string) (Row, []Problem) {
	r := Row{Line: line, Role: team.RoleMember}
	var ps []Problem
	bad := func(col int, err error) {
		ps = append(ps, Problem{Line: line, Column: colNames[col], Reason: reason(err)})
	}
	get := func(col int) string { return rd.field(rec, col) }
	for col := range numCols {
		if len(get(col)) > MaxFieldLen {
			bad(col, errs.New(errs.Invalid, "", "is longer than %d bytes", MaxFieldLen))
			return r, ps
		}
	}
	var err error
	if r.Email, err = contact.ParseEmail(get(colEmail), colNames[colEmail]); err != nil {
		bad(colEmail, err)
	}
	r.Names = user.Names{First: get(colFirst), Middle: get(colMiddle), Last: get(colLast)}
	if err := r.Names.Validate(); err != nil {
		bad(colOf(err, colFirst), err)
	}
	if r.Password = get(colPassword); r.Password != "" {
		if err := user.CheckPassword(colNames[colPassword], r.Password); err != nil {
			bad(colPassword, err)
		}
	}
	if s := get(colPasswordHash); s != "" {
		switch h, err := passhash.Accept(s, rd.rules.WeakHashes); {
		case err != nil:
			bad(colPasswordHash, err)
		case r.Password != "":
			bad(colPasswordHash, errs.New(errs.Invalid, "", "cannot be given with password: a row has one or the other"))
		default:
			r.PasswordHash = h.String()
		}
	}
	if s := get(colRole); s != "" {
		if r.Role, err = parseRole(s); err != nil {
			bad(colRole, err)
		}
	}
	if s := get(colMobile); s != "" {
		if r.Mobile, err = contact.ParsePhone(s, rd.rules.Region, colNames[colMobile], rd.rules.Phones); err != nil {
			bad(colMobile, err)
		}
	}
	if s := get(colTimeZone); s != "" {
		tz, err := strconv.Atoi(s)
		if err != nil || tz < -12 || tz > 14 {
			bad(colTimeZone, errs.New(errs.Invalid, "", "must be an hour offset from -12 to 14"))
		}
		r.TimeZone = &tz
	}
	if r.Lang = get(colLang); r.Lang != "" {
		s := user.DefaultSettings()
		s.Lang = r.Lang
		if err := s.Validate(); err != nil {
			bad(colLang, err)
		}
	}
	return r, ps
}

// parseRole reads a role an import may give: 2 (manager) or 3 (member).
func parseRole(s string) (team.Role, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n != int(team.RoleManager) && n != int(team.RoleMember) {
		return 0, errs.New(errs.Invalid, "", "must be 2 (manager) or 3 (member), got %q", truncate(s))
	}
	return team.Role(n), nil
}

// colOf returns the column an error of user.Names blames.
func colOf(err error, fallback int) int {
	for col, name := range colNames {
		if name == errs.FieldOf(err) {
			return col
		}
	}
	return fallback
}

// reason returns the message of err without its field name.
func reason(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func truncate(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
