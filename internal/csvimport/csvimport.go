// Package csvimport reads a CSV file of members to import, one validated row
// at a time, reporting every problem with its line and column.
package csvimport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
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
	Password string // empty: the member is invited to set one
	Role     team.Role
	Mobile   contact.Phone
	TimeZone *int
	Lang     string
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
	numCols
)

var colNames = [numCols]string{"mail_address", "first_name", "middle_name", "last_name", "password", "role", "mobile", "time_zone", "lang"}

var headerNames = map[string]int{
	"mail_address": colEmail, "email": colEmail, "email_address": colEmail,
	"first_name": colFirst, "middle_name": colMiddle, "last_name": colLast,
	"password": colPassword, "role": colRole, "user_role": colRole, "role_id": colRole,
	"mobile": colMobile, "time_zone": colTimeZone, "lang": colLang,
}

// Reader reads rows from a CSV file with a header.
type Reader struct {
	csv    *csv.Reader
	index  [numCols]int // field index of each column, -1 when absent
	region string
	phones contact.Validation
	seen   map[string]int // line of each email and mobile already read
}

// NewReader reads the header of r. National mobile numbers are read in
// region. The header must name mail_address (or email, email_address),
// first_name and last_name; unknown and repeated columns are refused.
func NewReader(r io.Reader, region string, phones contact.Validation) (*Reader, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	c := csv.NewReader(br)
	c.ReuseRecord = true
	rd := &Reader{csv: c, region: region, phones: phones, seen: map[string]int{}}
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

func (rd *Reader) readHeader(header []string) error {
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

// Next returns the next row, or the problems of a bad one; io.EOF at the end.
func (rd *Reader) Next() (Row, []Problem, error) {
	rec, err := rd.csv.Read()
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return Row{}, []Problem{{Line: pe.StartLine, Reason: pe.Err.Error()}}, nil
	case err != nil:
		return Row{}, nil, err
	}
	line, _ := rd.csv.FieldPos(0)
	return rd.row(line, rec)
}

func (rd *Reader) row(line int, rec []string) (Row, []Problem, error) {
	r := Row{Line: line, Role: team.RoleMember}
	var ps []Problem
	bad := func(col int, err error) {
		ps = append(ps, Problem{Line: line, Column: colNames[col], Reason: reason(err)})
	}
	get := func(col int) string {
		if i := rd.index[col]; i >= 0 {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for col := range numCols {
		if len(get(col)) > MaxFieldLen {
			bad(col, errs.New(errs.Invalid, "", "is longer than %d bytes", MaxFieldLen))
			return r, ps, nil
		}
	}
	var err error
	if r.Email, err = contact.ParseEmail(get(colEmail), colNames[colEmail]); err != nil {
		bad(colEmail, err)
	} else if prev, dup := rd.seen[r.Email.Normalized]; dup {
		bad(colEmail, errs.New(errs.Invalid, "", "repeats the address on line %d", prev))
	} else {
		rd.seen[r.Email.Normalized] = line
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
	if s := get(colRole); s != "" {
		if r.Role, err = parseRole(s); err != nil {
			bad(colRole, err)
		}
	}
	if s := get(colMobile); s != "" {
		if r.Mobile, err = contact.ParsePhone(s, rd.region, colNames[colMobile], rd.phones); err != nil {
			bad(colMobile, err)
		} else if prev, dup := rd.seen[r.Mobile.E164()]; dup {
			bad(colMobile, errs.New(errs.Invalid, "", "repeats the number on line %d", prev))
		} else {
			rd.seen[r.Mobile.E164()] = line
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
	return r, ps, nil
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
