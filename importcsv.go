package identity

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/embedid/identity/internal/csvimport"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// MaxImportProblems is how many bad rows an ImportError lists at most.
const MaxImportProblems = 1000

// RowError is what is wrong with one field of one line of an import.
type RowError = csvimport.Problem

// ImportError lists the bad rows of an import that wrote nothing. It matches
// ErrInvalid with errors.Is.
type ImportError struct {
	Rows []RowError
	More int // bad rows beyond MaxImportProblems, not listed
}

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad rows; nothing was imported", len(e.Rows)+e.More)
	for _, r := range e.Rows[:min(len(e.Rows), 3)] {
		fmt.Fprintf(&b, "; line %d, %s: %s", r.Line, r.Column, r.Reason)
	}
	return b.String()
}

// Unwrap returns the invalid *Error that sums the import up, so that
// errors.Is(err, ErrInvalid) holds and ErrorCode reports CodeInvalid.
func (e *ImportError) Unwrap() error {
	return errs.New(errs.Invalid, "file", "has %d bad rows; nothing was imported", len(e.Rows)+e.More)
}

func (e *ImportError) add(ps ...RowError) {
	for _, p := range ps {
		if len(e.Rows) < MaxImportProblems {
			e.Rows = append(e.Rows, p)
		} else {
			e.More++
		}
	}
}

func (e *ImportError) empty() bool { return len(e.Rows)+e.More == 0 }

// ImportResult is what an import did.
type ImportResult struct {
	Imported int // members added to the team
	Invited  int // of those, new users sent an invitation code
}

// ImportCSV adds the members listed in a CSV file to the actor's team, all or
// nothing: every row is checked first, and if any is bad nothing is written
// and the *ImportError lists every bad row with its line and column. The
// format and the rules are those of CreateMember; see the README. A row
// without a password creates a user awaiting activation who is sent an
// invitation code; an email that belongs to an existing user adds that user.
func (s *Service) ImportCSV(ctx context.Context, a Actor, r io.Reader) (ImportResult, error) {
	if err := team.CanCreate(a.Role, team.RoleMember); err != nil {
		return ImportResult{}, err
	}
	var t team.Team
	if err := s.store.Read(ctx, func(tx storage.Tx) (err error) {
		t, err = tx.Team(ctx, a.TeamID)
		return err
	}); err != nil {
		return ImportResult{}, err
	}
	rows, err := s.readRows(a, r, s.regionOf(t))
	if err != nil {
		return ImportResult{}, err
	}
	hashes, err := s.hashAll(ctx, rows)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	err = s.store.Write(ctx, func(tx storage.Tx) error {
		actor, err := activeMembership(ctx, tx, a)
		if err != nil {
			return err
		}
		res, err = s.importRows(ctx, tx, actor, rows, hashes)
		return err
	})
	if err != nil {
		return ImportResult{}, err
	}
	s.log.InfoContext(ctx, "members imported", "team_id", a.TeamID, "imported", res.Imported, "invited", res.Invited)
	return res, nil
}

// readRows reads and checks every row, returning all of them or every problem.
func (s *Service) readRows(a Actor, r io.Reader, region string) ([]csvimport.Row, error) {
	rd, err := csvimport.NewReader(r, region, s.phones)
	if err != nil {
		return nil, err
	}
	var rows []csvimport.Row
	bad := &ImportError{}
	for {
		row, problems, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errs.New(errs.Invalid, "file", "could not be read: %v", err)
		}
		if len(problems) == 0 {
			if err := team.CanCreate(a.Role, row.Role); err != nil {
				problems = append(problems, RowError{Line: row.Line, Column: "role", Reason: errs.MessageOf(err)})
			}
		}
		bad.add(problems...)
		if bad.empty() {
			rows = append(rows, row)
		}
	}
	switch {
	case !bad.empty():
		return nil, bad
	case len(rows) == 0:
		return nil, errs.New(errs.Invalid, "file", "has a header but no rows")
	}
	return rows, nil
}

// hashAll hashes the rows' passwords on every core; rows without a password
// get a nil hash.
func (s *Service) hashAll(ctx context.Context, rows []csvimport.Row) ([][]byte, error) {
	hashes := make([][]byte, len(rows))
	next := make(chan int)
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				h, err := s.hasher.Hash(ctx, "password", rows[i].Password)
				if err != nil {
					select {
					case errc <- err:
					default:
					}
					continue
				}
				hashes[i] = h
			}
		})
	}
	for i := range rows {
		if rows[i].Password != "" {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errc:
		return nil, err
	default:
		return hashes, nil
	}
}

func (s *Service) importRows(ctx context.Context, tx storage.Tx, actor team.Membership, rows []csvimport.Row, hashes [][]byte) (ImportResult, error) {
	var res ImportResult
	var invites []user.User
	bad := &ImportError{}
	now := s.clock()
	for i, row := range rows {
		u := s.newUser(now, actor.TeamID, row.Names, row.Email)
		u.Mobile = row.Mobile
		if row.TimeZone != nil {
			u.Settings.TimeZone = *row.TimeZone
		}
		if row.Lang != "" {
			u.Settings.Lang = row.Lang
		}
		status := team.MemberActive
		if hashes[i] != nil {
			u.Status, u.ActivatedAt, u.PasswordHash, u.PasswordChangedAt = user.StatusActive, now, hashes[i], now
		}
		got, err := s.userFor(ctx, tx, u)
		if errs.CodeOf(err) == errs.Conflict {
			bad.add(RowError{Line: row.Line, Column: "mobile", Reason: "belongs to another user"})
			continue
		}
		if err != nil {
			return res, err
		}
		if got.ID == u.ID && hashes[i] == nil {
			status = team.MemberPending
			invites = append(invites, got)
		}
		m := team.Membership{TeamID: actor.TeamID, UserID: got.ID, Role: row.Role, Status: status, Pool: team.PoolAlive, CreatedAt: now, UpdatedAt: now}
		joined, err := tx.InsertMembershipIfAbsent(ctx, m)
		if err != nil {
			return res, err
		}
		if !joined {
			bad.add(RowError{Line: row.Line, Column: "mail_address", Reason: "already belongs to a member of this team"})
			continue
		}
		res.Imported++
	}
	if !bad.empty() {
		return res, bad
	}
	for _, u := range invites {
		if err := s.sendCode(ctx, tx, user.CodeInvitation, u, actor.TeamID); err != nil {
			return res, err
		}
	}
	res.Invited = len(invites)
	return res, nil
}
