package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

// fixture is what seeding made and the checks expect.
type fixture struct {
	run        string // names the team and the admin's email
	teamID     string
	adminID    string
	adminEmail string
	password   string
	clientID   string // the application's, sent as X-APP-ID
	token      string // its access token
	session    string // the admin's session, for list
	members    []member
	emailsDesc []string // every member's email, the admin's included, as list sorts them
	nextMobile int      // the 8 digits after "186" of the first new mobile to create
}

// member is a seeded member.
type member struct {
	id, email string
	mobile    string // 11 national digits
}

// Mobile prefixes: seeded members and the users v5 create makes.
const (
	seedPrefix   = "139"
	createPrefix = "186"
	seedBatch    = 10_000 // rows per ImportCSV call
)

// Names of the seeded members: small lists, as in a real directory.
var (
	firstNames = []string{"Wei", "Fang", "Min", "Jing", "Lei", "Qiang", "Jun", "Yan", "Hui", "Xin", "Ying", "Tao"}
	lastNames  = []string{"Wang", "Li", "Zhang", "Liu", "Chen"}
)

// seed makes a new team in the store at dsn with its admin, an application
// allowed everything and its token, and n members, through the library. The
// token lives for tokenTTL.
func seed(ctx context.Context, dsn string, n, bcryptCost int, tokenTTL time.Duration) (*fixture, error) {
	store, err := storage.Open(ctx, dsn, storage.WithMigrate())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	defer store.Close()
	run := time.Now().UTC().Format("20060102t150405") + "-" + strings.ToLower(rand.Text()[:6])
	f := &fixture{run: run, adminEmail: "admin." + run + "@load.example", password: "load-" + rand.Text()[:12]}
	codes := make(chan string, 1)
	notify := identity.NotifierFunc(func(_ context.Context, msg identity.Notification) error {
		if msg.To == f.adminEmail {
			codes <- msg.Code
		}
		return nil // invitations of the imported members go nowhere
	})
	svc, err := identity.New(store, identity.WithNotifier(notify), identity.WithBcryptCost(bcryptCost), identity.WithTokenTTL(tokenTTL))
	if err != nil {
		return nil, err
	}
	if err := f.admin(ctx, svc, codes); err != nil {
		return nil, err
	}
	first, err := nextMobile(ctx, store, seedPrefix)
	if err != nil {
		return nil, err
	}
	if err := f.importMembers(ctx, svc, first, n); err != nil {
		return nil, err
	}
	if err := f.readIDs(ctx, store); err != nil {
		return nil, err
	}
	if err := f.application(ctx, svc); err != nil {
		return nil, err
	}
	f.nextMobile, err = nextMobile(ctx, store, createPrefix)
	return f, err
}

// admin signs up and activates the team and opens the admin's session.
func (f *fixture) admin(ctx context.Context, svc *identity.Service, codes <-chan string) error {
	res, err := svc.SignUp(ctx, identity.SignUp{
		FirstName: "Load", LastName: "Admin", Email: f.adminEmail, BusinessName: "loadgen " + f.run,
		Phone: "02112345678", Password: f.password, PlanID: 1, Region: "CN",
	})
	if err != nil {
		return fmt.Errorf("sign up: %w", err)
	}
	if err := svc.Activate(ctx, <-codes, ""); err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	f.teamID, f.adminID = res.Team.ID, res.User.ID
	s, err := svc.Login(ctx, identity.Login{Email: f.adminEmail, Password: f.password, TeamID: f.teamID, KeepMeLogin: true, IP: "127.0.0.1"})
	if err != nil {
		return fmt.Errorf("log in: %w", err)
	}
	f.session = s.Token
	return nil
}

// importMembers imports n members whose mobiles are seedPrefix followed by
// first, first+1, ... as CSV files without passwords.
func (f *fixture) importMembers(ctx context.Context, svc *identity.Service, first, n int) error {
	if first+n > 1e8 {
		return fmt.Errorf("the store has no room for %d more %s numbers", n, seedPrefix)
	}
	actor, err := svc.Authenticate(ctx, f.session)
	if err != nil {
		return err
	}
	f.emailsDesc = append(make([]string, 0, n+1), f.adminEmail)
	for from := 0; from < n; from += seedBatch {
		var b strings.Builder
		b.WriteString("mail_address,first_name,last_name,mobile\n")
		for k := from; k < min(from+seedBatch, n); k++ {
			m := newMember(first + k)
			fmt.Fprintf(&b, "%s,%s,%s,%s\n", m.email, firstNames[k%len(firstNames)], lastNames[k%len(lastNames)], m.mobile)
			f.members = append(f.members, m)
			f.emailsDesc = append(f.emailsDesc, m.email)
		}
		res, err := svc.ImportCSV(ctx, actor, strings.NewReader(b.String()))
		if err != nil {
			return fmt.Errorf("import members %d to %d: %w", from, min(from+seedBatch, n), err)
		}
		if want := min(from+seedBatch, n) - from; res.Imported != want {
			return fmt.Errorf("import: %d of %d members imported", res.Imported, want)
		}
	}
	slices.Sort(f.emailsDesc)
	slices.Reverse(f.emailsDesc)
	return nil
}

// newMember is the member with the k-th seeded mobile; the ID is unknown
// until imported.
func newMember(k int) member {
	mobile := fmt.Sprintf("%s%08d", seedPrefix, k)
	first, last := firstNames[k%len(firstNames)], lastNames[k%len(lastNames)]
	return member{mobile: mobile, email: strings.ToLower(first+"."+last+"."+mobile) + "@load.example"}
}

// readIDs reads the IDs the import gave the members.
func (f *fixture) readIDs(ctx context.Context, store *storage.DB) error {
	rows, err := store.Bun().QueryContext(ctx,
		"SELECT u.id, u.mobile_e164 FROM memberships AS m JOIN users AS u ON u.id = m.user_id WHERE m.team_id = ?", f.teamID)
	if err != nil {
		return fmt.Errorf("read member IDs: %w", err)
	}
	defer rows.Close()
	ids := map[string]string{} // E.164 mobile -> ID
	for rows.Next() {
		var id string
		var mobile sql.NullString
		if err := rows.Scan(&id, &mobile); err != nil {
			return err
		}
		ids[mobile.String] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i, m := range f.members {
		if f.members[i].id = ids["+86"+m.mobile]; f.members[i].id == "" {
			return fmt.Errorf("member %s was not imported", m.mobile)
		}
	}
	return nil
}

// application registers an application allowed everything and issues its
// access token.
func (f *fixture) application(ctx context.Context, svc *identity.Service) error {
	app, err := svc.CreateApplication(ctx, f.teamID, "loadgen "+f.run, team.Permissions{"all"})
	if err != nil {
		return fmt.Errorf("create application: %w", err)
	}
	tok, err := svc.IssueToken(ctx, app.Application.ClientID, app.Secret, "127.0.0.1")
	if err != nil {
		return fmt.Errorf("issue token: %w", err)
	}
	f.clientID, f.token = app.Application.ClientID, tok.Token
	return nil
}

// nextMobile returns the 8 digits after the largest +86 mobile of prefix in
// the store, plus one: where new numbers of the prefix may start.
func nextMobile(ctx context.Context, store *storage.DB, prefix string) (int, error) {
	var largest sql.NullString
	err := store.Bun().QueryRowContext(ctx, "SELECT MAX(mobile_e164) FROM users WHERE mobile_e164 LIKE ?", "+86"+prefix+"%").Scan(&largest)
	if err != nil || !largest.Valid {
		return 0, err
	}
	digits := strings.TrimPrefix(largest.String, "+86"+prefix)
	n, err := strconv.Atoi(digits)
	if err != nil || len(digits) != 8 {
		return 0, fmt.Errorf("unexpected stored mobile %q", largest.String)
	}
	return n + 1, nil
}
