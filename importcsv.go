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

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/contact"
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
	b.WriteString(e.count())
	for _, r := range e.Rows[:min(len(e.Rows), 3)] {
		if r.Column == "" { // the line is not valid CSV
			fmt.Fprintf(&b, "; line %d: %s", r.Line, r.Reason)
		} else {
			fmt.Fprintf(&b, "; line %d, %s: %s", r.Line, r.Column, r.Reason)
		}
	}
	return b.String()
}

// count says how many rows are bad: "1 bad row; nothing was imported".
func (e *ImportError) count() string {
	if n := len(e.Rows) + e.More; n != 1 {
		return fmt.Sprintf("%d bad rows; nothing was imported", n)
	}
	return "1 bad row; nothing was imported"
}

// Unwrap returns the invalid *Error that sums the import up, so that
// errors.Is(err, ErrInvalid) holds and ErrorCode reports CodeInvalid.
func (e *ImportError) Unwrap() error {
	return errs.New(errs.Invalid, "file", "has %s", e.count())
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
	Invited  int // of those, sent an invitation code: all without a password who have not claimed their account
	// Members are the members added, in the order of their rows; only with
	// the option ImportMembers.
	Members []ImportedMember
}

// ImportedMember is a member an import added.
type ImportedMember struct {
	UserID string
	Email  string // as the file wrote it
}

// ImportOption asks ImportCSV for more than it does by default.
type ImportOption func(*importOptions)

type importOptions struct {
	members    bool
	pass       func(ImportPass)
	weakHashes bool
}

// AllowWeakHashes lets the column password_hash hold fast digests (MD5 and
// SHA-1, SHA-256 or SHA-512, salted or not), which a leaked database gives
// up quickly: the importer says so knowingly. Each is replaced by a bcrypt
// hash at the member's first login. See SECURITY.md.
func AllowWeakHashes() ImportOption {
	return func(o *importOptions) { o.weakHashes = true }
}

// ImportMembers makes ImportCSV list the members it added in
// ImportResult.Members. Without it, an import holds no list of its rows.
func ImportMembers() ImportOption {
	return func(o *importOptions) { o.members = true }
}

// ImportPasses makes ImportCSV call fn as each of its readings of the file
// begins, on the goroutine that called ImportCSV.
func ImportPasses(fn func(ImportPass)) ImportOption {
	return func(o *importOptions) { o.pass = fn }
}

// The names of an import's readings of the file, in their order. A reading
// with nothing to do is skipped: hashing when no row has a password,
// sending when nobody is to be invited.
const (
	PassChecking = "checking"
	PassHashing  = "hashing passwords"
	PassWriting  = "writing"
	PassSending  = "sending invitations"
)

// ImportPass is one reading of the file by ImportCSV, as it begins.
type ImportPass struct {
	Name string // PassChecking, PassHashing, PassWriting or PassSending
	N    int    // which reading this is, from 1
	// Of is how many readings the import makes, 0 while checking, before the
	// rows are known. It counts a sending reading whenever a row has no
	// password; it is skipped if those rows' users all claimed their account.
	Of        int
	Rows      int // the file's rows; 0 while checking
	Passwords int // the rows with a password; 0 while checking
}

// ImportCSV adds the members listed in a CSV file to the actor's team, all or
// nothing: every row is checked first, and if any is bad nothing is written
// and the *ImportError lists every bad row with its line and column. The
// format and the rules are those of CreateMember; see the README. A row
// with a password, or a password_hash made by another system (see
// README, "Migrating users"), gives this team's password to a user who has
// not claimed their account; a row without one makes such a user a member awaiting
// activation, who is sent an invitation code. An email that belongs to an
// existing user adds that user.
//
// The file is read once to check it and again for each later step, so that
// an import holds a batch of rows at a time, not the file. Each reading
// parses its rows on every core, a few batches ahead of the writes. A
// reader that cannot seek is copied to a temporary file as it is first
// read, within the same row limit. A file that changes between readings
// stops the import with a conflict on "file", and nothing is written.
//
// The options allow weak hashes, ask for the IDs of the new members and
// report each reading.
func (s *Service) ImportCSV(ctx context.Context, a Actor, r io.Reader, opts ...ImportOption) (ImportResult, error) {
	var o importOptions
	for _, opt := range opts {
		opt(&o)
	}
	if err := team.CanCreate(a.Role, team.RoleMember); err != nil {
		return ImportResult{}, err
	}
	var region string
	if err := s.store.Query(ctx, func(tx storage.Reads) (err error) {
		region, err = tx.TeamRegion(ctx, a.TeamID)
		return err
	}); err != nil {
		return ImportResult{}, err
	}
	f, err := csvimport.Open(r, csvimport.Rules{Region: s.regionOr(region), Phones: s.phones, WeakHashes: o.weakHashes})
	if err != nil {
		return ImportResult{}, err
	}
	defer f.Close()
	o.begin(PassChecking, counts{})
	n, err := s.check(ctx, a, f)
	if err != nil {
		return ImportResult{}, err
	}
	if n.passwords > 0 {
		o.begin(PassHashing, n)
	}
	hashes, err := s.hashAll(ctx, f, n.passwords)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	// The write grows with the file, so the deadline does not cut it short:
	// the caller's context does.
	err = s.sending(ctx, s.store.writeLong, func(tx storage.Tx, now time.Time, out *outbox) error {
		actor, err := activeMembership(ctx, tx, a)
		if err != nil {
			return err
		}
		o.begin(PassWriting, n)
		res, err = s.importRows(ctx, tx, out, actor, a.actor(), f, &o, n, hashes, now)
		return err
	})
	if err != nil {
		return ImportResult{}, err
	}
	s.log.InfoContext(ctx, "members imported", "team_id", a.TeamID, "imported", res.Imported, "invited", res.Invited)
	return res, nil
}

// counts are how many rows a file has, how many of them a password to
// hash, and how many a password hashed already.
type counts struct{ rows, passwords, hashed int }

// begin reports the reading name of a file of n rows, if asked to.
func (o *importOptions) begin(name string, n counts) {
	if o.pass == nil {
		return
	}
	p := ImportPass{Name: name, N: 1, Rows: n.rows, Passwords: n.passwords}
	if n.rows > 0 {
		hashing, sending := min(n.passwords, 1), min(n.rows-n.passwords-n.hashed, 1)
		p.Of = 2 + hashing + sending
		switch name {
		case PassHashing:
			p.N = 2
		case PassWriting:
			p.N = 2 + hashing
		case PassSending:
			p.N = p.Of
		}
	}
	o.pass(p)
}

// check reads every row once and counts them, or returns every problem of
// every bad row.
func (s *Service) check(ctx context.Context, a Actor, f *csvimport.File) (counts, error) {
	repeats := csvimport.NewRepeats()
	bad := &ImportError{}
	var n counts
	err := f.Check(func(row csvimport.Row, problems []RowError) error {
		if n.rows++; n.rows > s.maxImportRows {
			return errs.New(errs.Invalid, "file", "has more than %d rows; split it", s.maxImportRows)
		}
		if n.rows%importBatch == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if len(problems) == 0 {
			if err := team.CanCreate(a.Role, row.Role); err != nil {
				problems = append(problems, RowError{Line: row.Line, Column: "role", Reason: roleReason(err)})
			}
		}
		switch {
		case len(problems) > 0:
		case row.Password != "":
			n.passwords++
		case row.PasswordHash != "":
			n.hashed++
		}
		repeats.Add(row)
		bad.add(problems...)
		return nil
	})
	if err != nil {
		return counts{}, err
	}
	if err := repeats.Problems(f, func(p RowError) { bad.add(p) }); err != nil {
		return counts{}, err
	}
	switch {
	case !bad.empty():
		slices.SortStableFunc(bad.Rows, func(a, b RowError) int { return a.Line - b.Line })
		return counts{}, bad
	case n.rows == 0:
		return counts{}, errs.New(errs.Invalid, "file", "has a header but no rows")
	}
	return n, nil
}

// roleReason is why a row's role is refused, in the words rows have always
// used: the role named as the 689Cloud family names it, then the message.
func roleReason(err error) string {
	if e, ok := errors.AsType[*errs.Error](err); ok && e.Field != "" {
		return "user_role: " + e.Message
	}
	return errs.MessageOf(err)
}

// hashAll reads the file again and hashes its passwords on every core, in
// the order of the rows that have one.
func (s *Service) hashAll(ctx context.Context, f *csvimport.File, passwords int) ([][]byte, error) {
	if passwords == 0 {
		return nil, nil
	}
	type job struct {
		i        int
		password string
	}
	hashes := make([][]byte, passwords)
	next := make(chan job)
	errc := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range next {
				h, err := s.hasher.Hash(ctx, "password", j.password)
				if err != nil {
					select {
					case errc <- err:
					default:
					}
					continue
				}
				hashes[j.i] = h
			}
		})
	}
	i := 0
	err := f.Each(importBatch, func(rows []csvimport.Row) error {
		for _, row := range rows {
			if row.Password == "" {
				continue
			}
			if i == len(hashes) {
				return csvimport.Changed("it now has more than %d passwords", len(hashes))
			}
			next <- job{i, row.Password}
			i++
		}
		return nil
	})
	close(next)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	select {
	case err := <-errc:
		return nil, err
	default:
		return hashes, nil
	}
}

// importBatch is how many rows importRows writes at a time: a multiple of
// the rows one prepared insert writes.
const importBatch = 3 * storage.BatchRows

// importRows reads the file again and writes its rows, batch by batch,
// collecting every row the database refuses; any refusal leaves the
// transaction to be rolled back. If none, the new users without a password
// are invited.
func (s *Service) importRows(ctx context.Context, tx storage.Tx, out *outbox, actor team.Membership, by audit.Actor, f *csvimport.File, o *importOptions, n counts, hashes [][]byte, now time.Time) (ImportResult, error) {
	var res ImportResult
	if o.members {
		res.Members = make([]ImportedMember, 0, n.rows)
	}
	invites := newInvitations(n.rows, n.rows-n.passwords-n.hashed)
	bad := &ImportError{}
	err := f.Each(importBatch, func(rows []csvimport.Row) error {
		// New IDs begin with a time, and IDs that grow batch by batch are
		// inserted at the end of every index that holds them, where one
		// time for all would scatter them: each batch's IDs take a
		// millisecond after the last batch's.
		idTime := now.Add(time.Duration(res.Imported/importBatch) * time.Millisecond)
		b := importing{s: s, tx: tx, teamID: actor.TeamID, by: by, now: now, idTime: idTime, rows: rows, hashes: make([][]byte, len(rows)), bad: bad}
		for i, row := range rows {
			if row.PasswordHash != "" {
				b.hashes[i] = []byte(row.PasswordHash) // verified, and replaced, at the first login
				continue
			}
			if row.Password == "" {
				continue
			}
			if len(hashes) == 0 {
				return csvimport.Changed("line %d has a password it did not have", row.Line)
			}
			b.hashes[i], hashes = hashes[0], hashes[1:]
		}
		invited, err := b.write(ctx)
		if err != nil {
			return err
		}
		if o.members {
			for i, row := range rows {
				res.Members = append(res.Members, ImportedMember{UserID: b.ids[i], Email: row.Email.Display})
			}
		}
		first := res.Imported // the batch's first row, counted from 0
		for _, i := range invited {
			if err := invites.add(first+i, b.ids[i]); err != nil {
				return err
			}
		}
		res.Imported += len(rows)
		return nil
	})
	switch {
	case err != nil:
		return ImportResult{}, err
	case !bad.empty():
		return ImportResult{}, bad
	}
	// The invited members' events are recorded from the invitations' IDs,
	// after the others', so that an import holds each ID once.
	recordEach(tx, memberCreated(actor.TeamID, by, false), invites.ids)
	if len(invites.ids) > 0 {
		o.begin(PassSending, n)
	}
	if err := s.invite(ctx, tx, out, actor.TeamID, f, invites, now); err != nil {
		return ImportResult{}, err
	}
	res.Invited = len(invites.ids)
	return res, nil
}

// importing is one batch of rows being written.
type importing struct {
	s       *Service
	tx      storage.Tx
	teamID  string
	by      audit.Actor // who imports
	now     time.Time   // of the import
	idTime  time.Time   // of the batch's new IDs
	rows    []csvimport.Row
	hashes  [][]byte
	ids     []string        // of the user each row names, once written
	claimed map[string]bool // the existing users who claimed their account
	users   []user.User     // the new users, as made for the insert
	bad     *ImportError
}

// write adds the batch's members, creating the users no email names yet,
// and returns the rows of the new users without a password, to be invited.
func (b *importing) write(ctx context.Context) ([]int, error) {
	ids, err := b.existing(ctx)
	if err != nil {
		return nil, err
	}
	b.ids = ids
	if err := b.create(ctx, ids); err != nil {
		return nil, err
	}
	ms := make([]team.Membership, 0, len(b.rows))
	for i, row := range b.rows {
		if id := ids[i]; id != "" {
			m := team.Membership{TeamID: b.teamID, UserID: id, Role: row.Role, Status: team.MemberActive, Pool: team.PoolAlive, CreatedAt: b.now, UpdatedAt: b.now}
			switch {
			case b.claimed[id]: // their own password opens the team
			case b.hashes[i] != nil:
				m.PasswordHash, m.PasswordChangedAt = b.hashes[i], b.now
			default:
				m.Status = team.MemberPending
			}
			row.Names.Apply(&m.Profile)
			ms = append(ms, m)
		}
	}
	joined, err := b.tx.InsertMembershipsIfAbsent(ctx, ms, b.users)
	if err != nil {
		return nil, err
	}
	var invited []int
	created := b.created()
	for i, row := range b.rows {
		id := ids[i]
		switch {
		case id == "":
			continue
		case !joined[id]:
			b.bad.add(RowError{Line: row.Line, Column: csvimport.EmailColumn, Reason: "already belongs to a member of this team"})
			continue
		}
		if b.hashes[i] == nil && !b.claimed[id] {
			invited = append(invited, i) // its event is recorded with the invitations
			continue
		}
		if err := created.add(id, !b.claimed[id]); err != nil {
			return nil, err
		}
	}
	created.record()
	return invited, nil
}

// creations records the member.created events of a batch's members who
// are not invited, in the order of its rows: a run of members alike in
// whether the import set their team password at a time.
type creations struct {
	tx       storage.Tx
	teamID   string
	by       audit.Actor
	password bool // of the run
	run      packedIDs
}

// created returns the recorder of the batch's member.created events.
func (b *importing) created() *creations {
	return &creations{tx: b.tx, teamID: b.teamID, by: b.by}
}

// add adds the member id, whose team password the import set if password.
func (c *creations) add(id string, password bool) error {
	if password != c.password {
		c.record()
		c.password = password
	}
	return c.run.add(id)
}

// record records the run so far.
func (c *creations) record() {
	recordEach(c.tx, memberCreated(c.teamID, c.by, c.password), c.run)
	c.run = nil
}

// memberCreated returns the event of an import by by that added a member
// to the team teamID, naming the password if the import set it.
func memberCreated(teamID string, by audit.Actor, password bool) audit.Event {
	fields := []string{"email", "role", "names"}
	if password {
		fields = append(fields, "password")
	}
	return audit.Event{TeamID: teamID, Actor: by, Action: audit.MemberCreated, Fields: fields}
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
	b.claimed = make(map[string]bool)
	for _, u := range us {
		byEmail[u.Email.Normalized] = u.ID
		if u.Claimed() {
			b.claimed[u.ID] = true
		}
	}
	ids := make([]string, len(b.rows))
	for i, e := range emails {
		ids[i] = byEmail[e]
	}
	return ids, nil
}

// create inserts a user for each row without one, filling in ids. A row
// whose mobile another user holds is bad.
func (b *importing) create(ctx context.Context, ids []string) error {
	var mobiles []string
	for i, row := range b.rows {
		if ids[i] == "" && !row.Mobile.IsZero() {
			mobiles = append(mobiles, row.Mobile.E164())
		}
	}
	holders, err := b.tx.UsersByMobiles(ctx, mobiles)
	if err != nil {
		return err
	}
	taken := make(map[string]bool, len(holders))
	for _, u := range holders {
		taken[u.Mobile.E164()] = true
	}
	var news []int // the rows of new users
	for i, row := range b.rows {
		switch {
		case ids[i] != "":
		case !row.Mobile.IsZero() && taken[row.Mobile.E164()]:
			b.bad.add(RowError{Line: row.Line, Column: "mobile", Reason: "belongs to another user"})
		default:
			news = append(news, i)
		}
	}
	us := make([]user.User, len(news))
	for k, id := range secret.IDs(b.idTime, len(news)) {
		i := news[k]
		ids[i], us[k] = id, b.user(i, id)
	}
	b.users = us
	added, err := b.tx.InsertUsersIfAbsent(ctx, us)
	if err != nil {
		return err
	}
	for i, row := range b.rows {
		if id := ids[i]; id != "" && !added[id] && slices.ContainsFunc(us, func(u user.User) bool { return u.ID == id }) {
			// Another request took the email or mobile since existing ran.
			b.bad.add(RowError{Line: row.Line, Column: csvimport.EmailColumn, Reason: "was registered by another request meanwhile; import again"})
			ids[i] = ""
		}
	}
	return nil
}

// user returns the new user row i describes, with ID id.
func (b *importing) user(i int, id string) user.User {
	row := b.rows[i]
	u := b.s.newUser(b.now, b.teamID, row.Email)
	u.ID, u.Mobile = id, row.Mobile
	if row.TimeZone != nil {
		u.Settings.TimeZone = *row.TimeZone
	}
	if row.Lang != "" {
		u.Settings.Lang = row.Lang
	}
	if b.hashes[i] != nil {
		u.Status, u.ActivatedAt = user.StatusActive, b.now
	}
	return u
}

// invitations are the new users of an import to be sent a code, in as
// little memory as an import of a million can have: a bit for each row,
// set when it is to be invited, and the users' IDs in their 16 bytes, in
// the order of their rows.
type invitations struct {
	rows []uint64
	ids  packedIDs
}

// newInvitations returns room for most invitations among rows rows.
func newInvitations(rows, most int) *invitations {
	return &invitations{rows: make([]uint64, (rows+63)/64), ids: make(packedIDs, 0, most)}
}

// add notes that the user with ID id, of row row, is to be invited.
func (in *invitations) add(row int, id string) error {
	in.rows[row/64] |= 1 << (row % 64)
	return in.ids.add(id)
}

// invited reports whether row is to be invited.
func (in *invitations) invited(row int) bool { return in.rows[row/64]&(1<<(row%64)) != 0 }

// invitee is a new user of an import to be sent an invitation code.
type invitee struct{ id, email string }

// invite reads the file again for the invitees' addresses, and stores their
// invitation codes and enqueues them in out a batch of rows at a time.
func (s *Service) invite(ctx context.Context, tx storage.Tx, out *outbox, teamID string, f *csvimport.File, all *invitations, now time.Time) error {
	if len(all.ids) == 0 {
		return nil
	}
	if s.notifier == nil {
		return errs.New(errs.Internal, "", "no notifier is configured to deliver the invitation codes")
	}
	batch := make([]invitee, 0, importBatch)
	row, next := 0, 0
	return f.Emails(importBatch, func(emails []contact.Email) error {
		batch = batch[:0]
		for _, email := range emails {
			if all.invited(row) {
				batch = append(batch, invitee{id: all.ids.at(next), email: email.Display})
				next++
			}
			row++
		}
		if len(batch) == 0 {
			return nil
		}
		return s.sendInvitations(ctx, tx, out, teamID, now, batch)
	})
}

// sendInvitations stores an invitation code for each invitee and enqueues
// it in out.
func (s *Service) sendInvitations(ctx context.Context, tx storage.Tx, out *outbox, teamID string, now time.Time, batch []invitee) error {
	codes := make([]user.Code, len(batch))
	ms := make([]storage.Message, len(batch))
	for i, in := range batch {
		plain, hash := secret.Code()
		codes[i] = user.Code{Hash: hash, Kind: user.CodeInvitation, UserID: in.id, TeamID: teamID, CreatedAt: now, ExpiresAt: now.Add(s.activationTTL)}
		ms[i] = message(codes[i], plain, in.email)
	}
	if err := tx.InsertCodes(ctx, codes); err != nil {
		return err
	}
	return out.enqueue(ctx, tx, now, ms)
}
