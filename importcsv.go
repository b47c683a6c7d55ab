package identity

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/embedid/identity/internal/csvimport"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/secret"
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

// Error sums up the bad rows, naming the first three.
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
	var region string
	if err := s.store.Query(ctx, func(tx storage.Tx) (err error) {
		region, err = tx.TeamRegion(ctx, a.TeamID)
		return err
	}); err != nil {
		return ImportResult{}, err
	}
	rows, err := s.readRows(a, r, s.regionOr(region))
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
	for n := 1; ; n++ {
		row, problems, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errs.New(errs.Invalid, "file", "could not be read: %v", err)
		}
		if n > s.maxImportRows {
			return nil, errs.New(errs.Invalid, "file", "has more than %d rows; split it", s.maxImportRows)
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

// importBatch is how many rows importRows writes at a time.
const importBatch = 500

// importRows writes the rows, batch by batch, and collects every row the
// database refuses; any refusal leaves the transaction to be rolled back.
func (s *Service) importRows(ctx context.Context, tx storage.Tx, actor team.Membership, rows []csvimport.Row, hashes [][]byte) (ImportResult, error) {
	var res ImportResult
	var invites []invitee
	bad := &ImportError{}
	for start := 0; start < len(rows); start += importBatch {
		end := min(start+importBatch, len(rows))
		b := importing{s: s, tx: tx, teamID: actor.TeamID, now: s.clock(), rows: rows[start:end], hashes: hashes[start:end], bad: bad}
		invited, err := b.write(ctx)
		if err != nil {
			return res, err
		}
		res.Imported += len(b.rows)
		invites = append(invites, invited...)
	}
	if !bad.empty() {
		return ImportResult{}, bad
	}
	if err := s.invite(ctx, tx, actor.TeamID, invites); err != nil {
		return ImportResult{}, err
	}
	res.Invited = len(invites)
	return res, nil
}

// importing is one batch of rows being written.
type importing struct {
	s      *Service
	tx     storage.Tx
	teamID string
	now    time.Time
	rows   []csvimport.Row
	hashes [][]byte
	bad    *ImportError
}

// write adds the batch's members, creating the users no email names yet,
// and returns the new users without a password, to be invited.
func (b *importing) write(ctx context.Context) ([]invitee, error) {
	ids, err := b.existing(ctx)
	if err != nil {
		return nil, err
	}
	fresh, err := b.create(ctx, ids)
	if err != nil {
		return nil, err
	}
	ms := make([]team.Membership, 0, len(b.rows))
	for i, row := range b.rows {
		if id := ids[i]; id != "" {
			status := team.MemberActive
			if b.hashes[i] == nil && fresh[id] {
				status = team.MemberPending
			}
			ms = append(ms, team.Membership{TeamID: b.teamID, UserID: id, Role: row.Role, Status: status, Pool: team.PoolAlive, CreatedAt: b.now, UpdatedAt: b.now})
		}
	}
	joined, err := b.tx.InsertMembershipsIfAbsent(ctx, ms)
	if err != nil {
		return nil, err
	}
	var invites []invitee
	for i, row := range b.rows {
		id := ids[i]
		switch {
		case id == "":
		case !joined[id]:
			b.bad.add(RowError{Line: row.Line, Column: "mail_address", Reason: "already belongs to a member of this team"})
		case fresh[id] && b.hashes[i] == nil:
			invites = append(invites, invitee{id: id, email: row.Email.Display})
		}
	}
	return invites, nil
}

// existing returns, for each row, the ID of the user its email names, or "".
func (b *importing) existing(ctx context.Context) ([]string, error) {
	emails := make([]string, len(b.rows))
	for i, row := range b.rows {
		emails[i] = row.Email.Normalized
	}
	us, err := b.tx.UsersByEmails(ctx, emails)
	if err != nil {
		return nil, err
	}
	byEmail := make(map[string]string, len(us))
	for _, u := range us {
		byEmail[u.Email.Normalized] = u.ID
	}
	ids := make([]string, len(b.rows))
	for i, e := range emails {
		ids[i] = byEmail[e]
	}
	return ids, nil
}

// create inserts a user for each row without one, filling in ids, and
// returns the IDs it created. A row whose mobile another user holds is bad.
func (b *importing) create(ctx context.Context, ids []string) (map[string]bool, error) {
	var mobiles []string
	for i, row := range b.rows {
		if ids[i] == "" && !row.Mobile.IsZero() {
			mobiles = append(mobiles, row.Mobile.E164())
		}
	}
	holders, err := b.tx.UsersByMobiles(ctx, mobiles)
	if err != nil {
		return nil, err
	}
	taken := make(map[string]bool, len(holders))
	for _, u := range holders {
		taken[u.Mobile.E164()] = true
	}
	var us []user.User
	for i, row := range b.rows {
		switch {
		case ids[i] != "":
		case !row.Mobile.IsZero() && taken[row.Mobile.E164()]:
			b.bad.add(RowError{Line: row.Line, Column: "mobile", Reason: "belongs to another user"})
		default:
			ids[i] = secret.ID(b.now)
			us = append(us, b.user(i, ids[i]))
		}
	}
	added, err := b.tx.InsertUsersIfAbsent(ctx, us)
	if err != nil {
		return nil, err
	}
	for i, row := range b.rows {
		if id := ids[i]; id != "" && !added[id] && slices.ContainsFunc(us, func(u user.User) bool { return u.ID == id }) {
			// Another request took the email or mobile since existing ran.
			b.bad.add(RowError{Line: row.Line, Column: "mail_address", Reason: "was registered by another request meanwhile; import again"})
			ids[i] = ""
		}
	}
	return added, nil
}

// user returns the new user row i describes, with ID id.
func (b *importing) user(i int, id string) user.User {
	row := b.rows[i]
	u := b.s.newUser(b.now, b.teamID, row.Names, row.Email)
	u.ID, u.Mobile = id, row.Mobile
	if row.TimeZone != nil {
		u.Settings.TimeZone = *row.TimeZone
	}
	if row.Lang != "" {
		u.Settings.Lang = row.Lang
	}
	if h := b.hashes[i]; h != nil {
		u.Status, u.ActivatedAt, u.PasswordHash, u.PasswordChangedAt = user.StatusActive, b.now, h, b.now
	}
	return u
}

// invitee is a new user of an import to be sent an invitation code: what
// the invitation needs of the user, and no more, as an import may invite a
// million.
type invitee struct{ id, email string }

// invite stores an invitation code for each invitee and sends it, a batch
// at a time, so that only one batch of codes is held at once.
func (s *Service) invite(ctx context.Context, tx storage.Tx, teamID string, all []invitee) error {
	if len(all) == 0 {
		return nil
	}
	if s.notifier == nil {
		return errs.New(errs.Internal, "", "no notifier is configured to deliver the invitation codes")
	}
	now := s.clock()
	codes := make([]user.Code, 0, importBatch)
	plain := make([]string, 0, importBatch)
	for batch := range slices.Chunk(all, importBatch) {
		codes, plain = codes[:0], plain[:0]
		for _, in := range batch {
			code, hash := secret.Code()
			plain = append(plain, code)
			codes = append(codes, user.Code{Hash: hash, Kind: user.CodeInvitation, UserID: in.id, TeamID: teamID, CreatedAt: now, ExpiresAt: now.Add(s.activationTTL)})
		}
		if err := tx.InsertCodes(ctx, codes); err != nil {
			return err
		}
		for i, in := range batch {
			n := Notification{Kind: user.CodeInvitation, To: in.email, Code: plain[i], UserID: in.id, TeamID: teamID, ExpiresAt: codes[i].ExpiresAt}
			if err := s.notifier.Notify(ctx, n); err != nil {
				return errs.Wrap("notify", err)
			}
		}
	}
	return nil
}
