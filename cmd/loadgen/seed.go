package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

// fixture is what seeding made and the checks expect.
type fixture struct {
	run        string // names the team
	teamID     string
	adminID    string
	adminEmail string
	password   string
	clientID   string // the application's, sent as X-APP-ID
	token      string // its access token
	session    string // the admin's session, for list
	members    []member
	emailsDesc []string // every member's email, the admin's included, as list sorts them
	nextMobile int      // the 8 digits after "186" of the first new mobile to create: the run's block start
}

// member is a seeded member.
type member struct {
	id, email string
	mobile    string // 11 national digits
}

// seeding is what seed makes besides the team, its admin and application.
type seeding struct {
	members    int           // to import
	creates    int           // new mobiles to keep for v5.user-create
	bcryptCost int           // of the admin's password hash
	tokenTTL   time.Duration // of the application's access token
}

// Mobile prefixes: seeded members and the users v5 create makes.
const (
	seedPrefix   = "139"
	createPrefix = "186"
	numbers      = 100_000_000 // of 8 digits after a prefix
	seedBatch    = 10_000      // rows per ImportCSV call
	loadDomain   = "@load.example"
)

// Names of the seeded members: small lists, as in a real directory.
var (
	firstNames = []string{"Wei", "Fang", "Min", "Jing", "Lei", "Qiang", "Jun", "Yan", "Hui", "Xin", "Ying", "Tao"}
	lastNames  = []string{"Wang", "Li", "Zhang", "Liu", "Chen"}
)

// seed makes a new team in the store at dsn with its admin, an application
// allowed everything and its token, and the members s asks for, through the
// library's use cases only.
func seed(ctx context.Context, dsn string, s seeding) (*fixture, error) {
	store, err := storage.Open(ctx, dsn, storage.WithMigrate())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	defer store.Close()
	in := &inbox{codes: make(chan string, 1), ids: map[string]string{}}
	svc, err := identity.New(store, identity.WithNotifier(in), identity.WithBcryptCost(s.bcryptCost), identity.WithTokenTTL(s.tokenTTL))
	if err != nil {
		return nil, err
	}
	start, err := freeBlock(ctx, svc)
	if err != nil {
		return nil, err
	}
	end := start + max(s.members, s.creates)
	if end > numbers {
		return nil, fmt.Errorf("the store has no room for %d more numbers after %08d", end-start, start)
	}
	run := time.Now().UTC().Format("20060102t150405") + "-" + strings.ToLower(rand.Text()[:6])
	f := &fixture{run: run, adminEmail: blockAdmin(start), password: "load-" + rand.Text()[:12], nextMobile: start}
	in.admin = f.adminEmail
	if err := f.admin(ctx, svc, in.codes, blockName(run, start, end)); err != nil {
		return nil, err
	}
	if err := f.importMembers(ctx, svc, start, s.members); err != nil {
		return nil, err
	}
	if err := f.memberIDs(in); err != nil {
		return nil, err
	}
	return f, f.application(ctx, svc)
}

// The store's mobile numbers are kept in blocks, one a run, so that runs on
// one store never collide; the library records them. The run whose block
// starts at S signs up its admin as blockAdmin(S) and names its team
// blockName(run, S, end); the next block starts at end.

// blockAdmin is the email of the admin of the run whose block starts at start.
func blockAdmin(start int) string { return fmt.Sprintf("admin.%08d%s", start, loadDomain) }

// blockName names the team of a run that keeps the numbers from start to end.
func blockName(run string, start, end int) string {
	return fmt.Sprintf("loadgen %s, numbers %08d to %08d", run, start, end)
}

// blockEnd reads the end of a block from its team's name.
func blockEnd(name string) (int, error) {
	_, digits, _ := strings.Cut(name, " to ")
	end, err := strconv.Atoi(digits)
	if err != nil {
		return 0, fmt.Errorf("team %q does not name the end of its numbers", name)
	}
	return end, nil
}

// freeBlock follows the blocks from 0 to the first start no run holds.
func freeBlock(ctx context.Context, svc *identity.Service) (int, error) {
	start := 0
	for {
		teams, _, err := svc.TeamsForEmail(ctx, blockAdmin(start))
		if err != nil || len(teams) == 0 {
			return start, err
		}
		end, err := blockEnd(teams[0].Team.Name)
		if err != nil {
			return 0, err
		}
		if end <= start {
			return 0, fmt.Errorf("team %q keeps no numbers", teams[0].Team.Name)
		}
		start = end
	}
}

// inbox receives the run's notifications: the admin's activation code, and
// the ID of each invited member, by email, which is how seeding learns the
// IDs an import gave.
type inbox struct {
	admin string
	codes chan string
	mu    sync.Mutex
	ids   map[string]string
}

// Notify keeps the admin's code and an invited member's ID.
func (in *inbox) Notify(_ context.Context, n identity.Notification) error {
	if n.To == in.admin {
		in.codes <- n.Code
		return nil
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.ids[strings.ToLower(n.To)] = n.UserID
	return nil
}

// admin signs up and activates the team, named name, and opens the admin's
// session.
func (f *fixture) admin(ctx context.Context, svc *identity.Service, codes <-chan string, name string) error {
	res, err := svc.SignUp(ctx, identity.SignUp{
		FirstName: "Load", LastName: "Admin", Email: f.adminEmail, BusinessName: name,
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
	return member{mobile: mobile, email: strings.ToLower(first+"."+last+"."+mobile) + loadDomain}
}

// memberIDs fills in the IDs the import gave the members, from their
// invitations.
func (f *fixture) memberIDs(in *inbox) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i, m := range f.members {
		if f.members[i].id = in.ids[m.email]; f.members[i].id == "" {
			return fmt.Errorf("member %s was not invited: the store held them before this run", m.mobile)
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
