package identity_test

// Benchmarks of the hot paths. Each runs on SQLite in a temporary file and,
// when IDENTITY_TEST_POSTGRES_DSN is set, on Postgres (b.Run per backend),
// and checks every answer, so that a broken path cannot look fast. Lookups,
// authentication and list pages run beside the same query written by hand
// through database/sql on the store's own *sql.DB (".../library" and
// ".../sql"), so the library's overhead is a ratio measured in one run.
//
//	go test -run '^$' -bench . -benchmem -benchtime 1s
//	go test -run '^$' -bench 'Lookup|Authenticate' -benchmem
//	IDENTITY_TEST_POSTGRES_DSN=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//		go test -run '^$' -bench 'ListMembers/postgres' -benchmem
//	IDENTITY_BENCH_LARGE=1 go test -run '^$' -bench 'ListMembers/sqlite/1M' -benchtime 20x -timeout 2h
//
// Data is seeded through the library (ImportCSV of rows without passwords,
// the fastest path it has) once per backend and size in one test process,
// and removed when the process ends (TestMain). Seeding happens in parent
// benchmarks, which run once, so it is never timed.

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"

	"github.com/embedid/identity"
	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

const (
	// benchLargeEnv set to 1 adds the list benchmarks at a million members.
	benchLargeEnv = "IDENTITY_BENCH_LARGE"
	// benchLookupSize is how many members the team of the lookup,
	// authentication, create-or-get and login benchmarks has.
	benchLookupSize = 10_000
	// benchBatch is how many rows one seeding ImportCSV call carries.
	benchBatch     = 50_000
	benchPassword  = "bench-password-1"
	benchSearch    = "zhang"   // matches the members named Zhang: a fifth of them
	benchRare      = "0001234" // matches 1 member of 10k, 11 of 100k or 1M, by their mobile in their email
	benchDeepPage  = 150       // 0-based page index of the deep list page
	benchPageSize  = team.DefaultPageSize
	benchClients   = 8 // concurrent callers of the parallel benchmarks
	benchSampleLen = 1024
)

// TestMain removes the stores the benchmarks seeded once all have run.
func TestMain(m *testing.M) {
	code := m.Run()
	benchCloseStores()
	os.Exit(code)
}

// benchBackend is a database the benchmarks run on.
type benchBackend struct {
	name   string
	rebind func(q string) string // turns ? placeholders into the dialect's
	open   func(ctx context.Context) (*storage.DB, func() error, error)
}

var benchBackends = []benchBackend{
	{name: "sqlite", rebind: func(q string) string { return q }, open: benchOpenSQLite},
	{name: "postgres", rebind: testkit.Dollars, open: benchOpenPostgres},
}

// benchEachBackend runs fn as one sub-benchmark per backend; Postgres is
// skipped without IDENTITY_TEST_POSTGRES_DSN.
func benchEachBackend(b *testing.B, fn func(b *testing.B, be benchBackend)) {
	for _, be := range benchBackends {
		b.Run(be.name, func(b *testing.B) {
			if be.name == "postgres" && os.Getenv(storagetest.PostgresEnv) == "" {
				b.Skipf("%s is not set", storagetest.PostgresEnv)
			}
			fn(b, be)
		})
	}
}

// benchOpenSQLite opens a migrated store in a new temporary directory.
func benchOpenSQLite(ctx context.Context) (*storage.DB, func() error, error) {
	dir, err := os.MkdirTemp("", "identity-bench-")
	if err != nil {
		return nil, nil, err
	}
	db, err := storage.Open(ctx, "sqlite:"+filepath.Join(dir, "identity.db"), storage.WithMigrate())
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return db, func() error { return errors.Join(db.Close(), os.RemoveAll(dir)) }, nil
}

// benchOpenPostgres opens a migrated store in a new schema of the database
// in IDENTITY_TEST_POSTGRES_DSN; closing it drops the schema.
func benchOpenPostgres(ctx context.Context) (*storage.DB, func() error, error) {
	dsn := os.Getenv(storagetest.PostgresEnv)
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, nil, err
	}
	schema := "bench_" + strings.ToLower(rand.Text()[:16])
	admin, err := storage.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	if err := storagetest.PrepareDatabase(ctx, admin); err != nil {
		return nil, nil, errors.Join(err, admin.Close())
	}
	drop := func() error {
		_, err := admin.Bun().ExecContext(context.Background(), "DROP SCHEMA IF EXISTS "+schema+" CASCADE")
		return errors.Join(err, admin.Close())
	}
	if _, err := admin.Bun().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return nil, nil, errors.Join(err, drop())
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := storage.Open(ctx, u.String(), storage.WithMigrate())
	if err != nil {
		return nil, nil, errors.Join(err, drop())
	}
	return db, func() error { return errors.Join(db.Close(), drop()) }, nil
}

// benchStores caches the seeded fixtures of this process, by backend and
// size, and what closes them.
var benchStores struct {
	mu       sync.Mutex
	fixtures map[string]*benchFixture
	closers  []func() error
}

func benchCloseStores() {
	benchStores.mu.Lock()
	defer benchStores.mu.Unlock()
	for _, c := range benchStores.closers {
		if err := c(); err != nil {
			fmt.Fprintln(os.Stderr, "bench: close store:", err)
		}
	}
	benchStores.closers, benchStores.fixtures = nil, nil
}

// benchFixture is a store with one team of seeded members, an admin, and
// an application allowed everything, with what the checks expect.
type benchFixture struct {
	be      benchBackend
	db      *storage.DB
	svc     *identity.Service
	teamID  string
	adminID string
	admin   string // the admin's email; the password is benchPassword
	actor   identity.Actor
	client  identity.Client
	sample  []benchUser // members spread over the team, for lookups
	lists   benchLists  // the expected list pages

	creatorOnce sync.Once
	creator     identity.Client // an application of a second team
}

// benchUser is a seeded member.
type benchUser struct {
	id     string
	email  string // normalized
	mobile string // 11 national digits, read in the team's region CN
}

// benchLists holds, for the list without a search, with benchSearch and
// with benchRare, every member's email sorted as the list sorts them
// (email descending).
type benchLists struct {
	all, search, rare []string
}

// benchFixtureOf returns the fixture of be with size seeded members, seeding
// it on first use in this process.
func benchFixtureOf(b *testing.B, be benchBackend, size int) *benchFixture {
	b.Helper()
	key := be.name + "/" + strconv.Itoa(size)
	benchStores.mu.Lock()
	defer benchStores.mu.Unlock()
	if f := benchStores.fixtures[key]; f != nil {
		return f
	}
	start := time.Now()
	f, closer := benchNewFixture(b, be, size)
	benchStores.closers = append(benchStores.closers, closer)
	if benchStores.fixtures == nil {
		benchStores.fixtures = map[string]*benchFixture{}
	}
	benchStores.fixtures[key] = f
	b.Logf("seeded %d members on %s in %v", size, be.name, time.Since(start).Round(time.Millisecond))
	return f
}

// benchNewFixture opens a store on be and seeds size members into a new
// team through the library.
func benchNewFixture(b *testing.B, be benchBackend, size int) (*benchFixture, func() error) {
	b.Helper()
	ctx := context.Background()
	db, closer, err := be.open(ctx)
	if err != nil {
		b.Fatalf("open %s: %v", be.name, err)
	}
	f := &benchFixture{be: be, db: db, admin: "admin@bench.example"}
	if err := f.seed(ctx, size); err != nil {
		closer()
		b.Fatalf("seed %d members on %s: %v", size, be.name, err)
	}
	return f, closer
}

// seed signs up and activates a team, imports size members in batches,
// finds the IDs of a sample of them and registers an application.
func (f *benchFixture) seed(ctx context.Context, size int) error {
	var codes sync.Map // email -> the latest code sent to it
	notify := identity.NotifierFunc(func(_ context.Context, n identity.Notification) error {
		if n.To == f.admin {
			codes.Store(n.To, n.Code)
		}
		return nil
	})
	svc, err := identity.New(f.db, identity.WithNotifier(notify))
	if err != nil {
		return err
	}
	f.svc = svc
	res, err := svc.SignUp(ctx, identity.SignUp{
		FirstName: "Bench", LastName: "Admin", Email: f.admin, BusinessName: "Bench Co",
		Phone: "02112345678", Password: benchPassword, PlanID: 1, Region: "CN",
	})
	if err != nil {
		return fmt.Errorf("sign up: %w", err)
	}
	code, _ := codes.Load(f.admin)
	if err := svc.Activate(ctx, code.(string), ""); err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	f.teamID, f.adminID = res.Team.ID, res.User.ID
	if f.actor, _, err = f.login(ctx); err != nil {
		return err
	}
	emails := make([]string, 0, size+1)
	emails = append(emails, f.admin)
	for from := 0; from < size; from += benchBatch {
		to := min(from+benchBatch, size)
		csv, people := benchCSV("139", from, to, benchColumn{})
		got, err := svc.ImportCSV(ctx, f.actor, strings.NewReader(csv))
		if err != nil || got.Imported != to-from {
			return fmt.Errorf("import rows %d to %d: got %+v, %v", from, to, got, err)
		}
		for _, p := range people {
			emails = append(emails, p.email)
		}
	}
	f.lists = benchListsOf(emails)
	if f.be.name == "postgres" {
		// What autovacuum does within a minute of a bulk import: without
		// statistics the planner takes the team for a few hundred rows and
		// sorts all of them for a deep page.
		if _, err := f.db.Bun().ExecContext(ctx, "ANALYZE users, memberships"); err != nil {
			return err
		}
	}
	if err := f.findSample(ctx, size); err != nil {
		return err
	}
	f.client, err = benchClient(ctx, svc, f.teamID)
	return err
}

// login opens a session as the admin and authenticates it.
func (f *benchFixture) login(ctx context.Context) (identity.Actor, string, error) {
	s, err := f.svc.Login(ctx, identity.Login{Email: f.admin, Password: benchPassword, TeamID: f.teamID})
	if err != nil {
		return identity.Actor{}, "", fmt.Errorf("log in: %w", err)
	}
	a, err := f.svc.Authenticate(ctx, s.Token)
	return a, s.Token, err
}

// findSample reads the IDs of benchSampleLen members spread over the team,
// by email, with plain SQL.
func (f *benchFixture) findSample(ctx context.Context, size int) error {
	n := min(size, benchSampleLen)
	q := f.be.rebind("SELECT id FROM users WHERE email_norm = ?")
	for i := range n {
		p := benchPerson("139", i*size/n)
		u := benchUser{email: p.email, mobile: p.mobile}
		if err := f.db.Bun().DB.QueryRowContext(ctx, q, u.email).Scan(&u.id); err != nil {
			return fmt.Errorf("find seeded %s: %w", u.email, err)
		}
		f.sample = append(f.sample, u)
	}
	return nil
}

// benchClient registers an application of a team allowed everything and
// returns it authenticated.
func benchClient(ctx context.Context, svc *identity.Service, teamID string) (identity.Client, error) {
	app, err := svc.CreateApplication(ctx, teamID, "bench", team.Permissions{"all"})
	if err != nil {
		return identity.Client{}, err
	}
	tok, err := svc.IssueToken(ctx, app.Application.ClientID, app.Secret, "127.0.0.1")
	if err != nil {
		return identity.Client{}, err
	}
	return svc.AuthenticateToken(ctx, tok.Token)
}

// creatorClient returns an application of a second team, so that the users
// create-or-get makes do not change the lists of the first.
func (f *benchFixture) creatorClient(b *testing.B) identity.Client {
	b.Helper()
	f.creatorOnce.Do(func() {
		ctx := context.Background()
		t, err := f.svc.CreateTeam(ctx, team.Profile{Name: "Bench Creators", Region: "CN"}, "")
		if err != nil {
			b.Fatal(err)
		}
		if f.creator, err = benchClient(ctx, f.svc, t.ID); err != nil {
			b.Fatal(err)
		}
	})
	if f.creator.TeamID == "" {
		b.Fatal("the creator team could not be made")
	}
	return f.creator
}

// Names of the seeded people: small lists, as in a real directory.
var (
	benchFirstNames = []string{"Wei", "Fang", "Min", "Jing", "Lei", "Qiang", "Jun", "Yan", "Hui", "Xin", "Ying", "Tao"}
	benchLastNames  = []string{"Wang", "Li", "Zhang", "Liu", "Chen"}
	benchDomains    = []string{"example.com", "mail.example.cn", "corp.example", "school.example.edu"}
)

// benchPersonRow is a generated person.
type benchPersonRow struct {
	first, last, email, mobile string
}

// benchPerson is the k-th generated person of a mobile prefix such as "139":
// names from small lists, a CN mobile of the prefix and 8 digits, and an
// email unique with it.
func benchPerson(prefix string, k int) benchPersonRow {
	first, last := benchFirstNames[k%len(benchFirstNames)], benchLastNames[k%len(benchLastNames)]
	mobile := fmt.Sprintf("%s%08d", prefix, k)
	email := fmt.Sprintf("%s.%s.%s@%s", strings.ToLower(first), strings.ToLower(last), mobile, benchDomains[k%len(benchDomains)])
	return benchPersonRow{first: first, last: last, email: email, mobile: mobile}
}

// benchCSV returns an import file of the people from to to (exclusive) of a
// prefix, with the extra column if it is named.
func benchCSV(prefix string, from, to int, extra benchColumn) (string, []benchPersonRow) {
	var b strings.Builder
	people := make([]benchPersonRow, 0, to-from)
	b.WriteString("mail_address,first_name,last_name,mobile")
	if extra.name != "" {
		b.WriteString("," + extra.name)
	}
	b.WriteByte('\n')
	for k := from; k < to; k++ {
		p := benchPerson(prefix, k)
		people = append(people, p)
		b.WriteString(p.email + "," + p.first + "," + p.last + "," + p.mobile)
		if extra.name != "" {
			b.WriteString(`,"` + extra.value + `"`) // argon2's parameters hold commas
		}
		b.WriteByte('\n')
	}
	return b.String(), people
}

// benchListsOf sorts the emails as the list does and picks those that
// benchSearch and benchRare match: a generated person's email has their
// last name, so it holds benchSearch exactly when their name does, and
// names hold no digits.
func benchListsOf(emails []string) benchLists {
	slices.Sort(emails)
	slices.Reverse(emails)
	l := benchLists{all: emails}
	for _, e := range emails {
		if strings.Contains(e, benchSearch) {
			l.search = append(l.search, e)
		}
		if strings.Contains(e, benchRare) {
			l.rare = append(l.rare, e)
		}
	}
	return l
}

// want returns the emails of the list with search, in order.
func (l benchLists) want(search string) []string {
	switch search {
	case "":
		return l.all
	case benchSearch:
		return l.search
	}
	return l.rare
}

// BenchmarkLookup finds one member of a team of benchLookupSize by ID, by
// email and by mobile, national and international, through the library and
// through plain SQL.
func BenchmarkLookup(b *testing.B) {
	benchEachBackend(b, func(b *testing.B, be benchBackend) {
		f := benchFixtureOf(b, be, benchLookupSize)
		ctx := context.Background()
		lookups := []struct {
			name     string
			library  func(u benchUser) (string, error)
			sql      string
			sqlParam func(u benchUser) string
		}{
			{"byID", func(u benchUser) (string, error) {
				m, err := f.svc.FindByID(ctx, f.client, u.id)
				return m.User.ID, err
			}, benchByIDSQL, func(u benchUser) string { return u.id }},
			{"byEmail", func(u benchUser) (string, error) {
				ms, err := f.svc.FindUsers(ctx, f.client, identity.Criteria{Email: u.email})
				if err != nil || len(ms) != 1 {
					return "", fmt.Errorf("found %d members: %v", len(ms), err)
				}
				return ms[0].User.ID, nil
			}, benchByEmailSQL, func(u benchUser) string { return u.email }},
			{"byMobile", func(u benchUser) (string, error) {
				m, err := f.svc.FindByMobile(ctx, f.client, u.mobile)
				return m.User.ID, err
			}, benchByMobileSQL, func(u benchUser) string { return "+86" + u.mobile }},
			{"byMobileE164", func(u benchUser) (string, error) {
				m, err := f.svc.FindByMobile(ctx, f.client, "+86"+u.mobile)
				return m.User.ID, err
			}, benchByMobileSQL, func(u benchUser) string { return "+86" + u.mobile }},
		}
		for _, l := range lookups {
			b.Run(l.name+"/library", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					u := f.sample[i%len(f.sample)]
					if id, err := l.library(u); err != nil || id != u.id {
						b.Fatalf("%s %s: got %q, %v; want %q", l.name, u.email, id, err, u.id)
					}
				}
			})
			b.Run(l.name+"/sql", func(b *testing.B) {
				q := be.rebind(l.sql)
				for i := 0; b.Loop(); i++ {
					u := f.sample[i%len(f.sample)]
					rows, err := benchQueryMembers(ctx, f.db.Bun().DB, q, f.teamID, l.sqlParam(u))
					if err != nil || len(rows) != 1 || rows[0].UserID != u.id || rows[0].Status == int64(team.MemberRemoved) {
						b.Fatalf("%s %s: got %d rows, %v; want %q", l.name, u.email, len(rows), err, u.id)
					}
				}
			})
		}
	})
}

// BenchmarkAuthenticate authenticates a session token and an access token,
// through the library and through plain SQL; the access token also through
// the library's token cache.
func BenchmarkAuthenticate(b *testing.B) {
	benchEachBackend(b, func(b *testing.B, be benchBackend) {
		f := benchFixtureOf(b, be, benchLookupSize)
		ctx := context.Background()
		_, session, err := f.login(ctx)
		if err != nil {
			b.Fatal(err)
		}
		app, err := f.svc.CreateApplication(ctx, f.teamID, "auth bench", team.Permissions{"read"})
		if err != nil {
			b.Fatal(err)
		}
		tok, err := f.svc.IssueToken(ctx, app.Application.ClientID, app.Secret, "127.0.0.1")
		if err != nil {
			b.Fatal(err)
		}
		sqldb := f.db.Bun().DB
		b.Run("session/library", func(b *testing.B) {
			for b.Loop() {
				if a, err := f.svc.Authenticate(ctx, session); err != nil || a.UserID != f.adminID {
					b.Fatalf("authenticate: got %+v, %v", a, err)
				}
			}
		})
		b.Run("session/sql", func(b *testing.B) {
			qs, qm := be.rebind(benchSessionSQL), be.rebind(benchMembershipSQL)
			for b.Loop() {
				if id, err := benchSessionBySQL(ctx, sqldb, qs, qm, session); err != nil || id != f.adminID {
					b.Fatalf("session: got %q, %v", id, err)
				}
			}
		})
		uncached, err := identity.New(f.db, identity.WithTokenCache(0))
		if err != nil {
			b.Fatal(err)
		}
		for _, svc := range []struct {
			name string
			*identity.Service
		}{{"token/library", uncached}, {"token/cached", f.svc}} {
			b.Run(svc.name, func(b *testing.B) {
				for b.Loop() {
					if c, err := svc.AuthenticateToken(ctx, tok.Token); err != nil || c.TeamID != f.teamID {
						b.Fatalf("authenticate token: got %+v, %v", c, err)
					}
				}
			})
		}
		b.Run("token/sql", func(b *testing.B) {
			q := be.rebind(benchTokenSQL)
			for b.Loop() {
				if teamID, err := benchTokenBySQL(ctx, sqldb, q, tok.Token); err != nil || teamID != f.teamID {
					b.Fatalf("token: got %q, %v", teamID, err)
				}
			}
		})
	})
}

// benchMobiles numbers the new mobiles of BenchmarkCreateOrGetUser, so that
// they never repeat in a process.
var benchMobiles atomic.Int64

// BenchmarkCreateOrGetUser creates users by new mobile numbers and gets
// users by numbers that exist, one caller at a time and benchClients at once.
func BenchmarkCreateOrGetUser(b *testing.B) {
	benchEachBackend(b, func(b *testing.B, be benchBackend) {
		f := benchFixtureOf(b, be, benchLookupSize)
		ctx := context.Background()
		creator := f.creatorClient(b)
		create := func() error {
			mobile := fmt.Sprintf("186%08d", benchMobiles.Add(1))
			got, err := f.svc.CreateOrGetUser(ctx, creator, identity.NewContact{AreaCode: "86", Mobile: mobile})
			if err != nil || got.Existed || got.UserID == "" {
				return fmt.Errorf("create %s: got %+v, %v; want a new user", mobile, got, err)
			}
			return nil
		}
		var next atomic.Int64
		get := func() error {
			u := f.sample[int(next.Add(1))%len(f.sample)]
			got, err := f.svc.CreateOrGetUser(ctx, f.client, identity.NewContact{AreaCode: "86", Mobile: u.mobile})
			if err != nil || !got.Existed || got.UserID != u.id {
				return fmt.Errorf("get %s: got %+v, %v; want %s", u.mobile, got, err, u.id)
			}
			return nil
		}
		for _, c := range []struct {
			name string
			call func() error
		}{{"new", create}, {"existing", get}} {
			b.Run(c.name, func(b *testing.B) {
				for b.Loop() {
					if err := c.call(); err != nil {
						b.Fatal(err)
					}
				}
				benchReportRate(b, "users/s")
			})
			b.Run(fmt.Sprintf("%s/parallel%d", c.name, benchClients), func(b *testing.B) {
				benchParallel(b, c.call)
				benchReportRate(b, "users/s")
			})
		}
	})
}

// benchParallel calls call from benchClients goroutines at once until b.N
// calls are made, and reports the median and 99th-percentile latency of a
// call; the first error fails b and stops its goroutine.
func benchParallel(b *testing.B, call func() error) {
	b.SetParallelism((benchClients + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	var mu sync.Mutex
	var all []time.Duration
	b.RunParallel(func(pb *testing.PB) {
		var took []time.Duration
		defer func() {
			mu.Lock()
			all = append(all, took...)
			mu.Unlock()
		}()
		for pb.Next() {
			start := time.Now()
			if err := call(); err != nil {
				b.Error(err)
				return
			}
			took = append(took, time.Since(start))
		}
	})
	benchReportLatency(b, all)
}

// benchReportLatency reports the median and 99th-percentile of took.
func benchReportLatency(b *testing.B, took []time.Duration) {
	if len(took) > 0 {
		slices.Sort(took)
		b.ReportMetric(float64(took[(len(took)-1)/2])/1e6, "p50-ms")
		b.ReportMetric(float64(took[(len(took)*99+99)/100-1])/1e6, "p99-ms")
	}
}

// benchReportRate reports b.N per second of measured time as unit.
func benchReportRate(b *testing.B, unit string) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(b.N)/s, unit)
	}
}

// benchListSizes are the team sizes of BenchmarkListMembers.
func benchListSizes() []int {
	sizes := []int{10_000, 100_000}
	if os.Getenv(benchLargeEnv) == "1" {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

func benchSizeName(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return strconv.Itoa(n/1_000_000) + "M"
	case n >= 1000 && n%1000 == 0:
		return strconv.Itoa(n/1000) + "k"
	}
	return strconv.Itoa(n)
}

// BenchmarkListMembers lists page 1 and a deep page of 10 members sorted by
// email descending, with the total, with and without a search, and page 1
// of a rare search, at each team size; through the library (with the
// median and 99th percentile) and through plain SQL, which scans as the
// library did before issue 27.
func BenchmarkListMembers(b *testing.B) {
	benchEachBackend(b, func(b *testing.B, be benchBackend) {
		for _, size := range benchListSizes() {
			b.Run(benchSizeName(size), func(b *testing.B) {
				f := benchFixtureOf(b, be, size)
				for _, c := range []struct {
					name   string
					search string
					page   int
				}{
					{"page1", "", 0},
					{fmt.Sprintf("page%d", benchDeepPage), "", benchDeepPage},
					{"search-page1", benchSearch, 0},
					{fmt.Sprintf("search-page%d", benchDeepPage), benchSearch, benchDeepPage},
					{"rare-page1", benchRare, 0},
				} {
					want := f.lists.want(c.search)
					b.Run(c.name+"/library", func(b *testing.B) { benchListLibrary(b, f, c.search, c.page, want) })
					b.Run(c.name+"/sql", func(b *testing.B) { benchListSQL(b, f, c.search, c.page, want) })
				}
			})
		}
	})
}

func benchListLibrary(b *testing.B, f *benchFixture, search string, page int, want []string) {
	ctx := context.Background()
	q := identity.DefaultListQuery()
	q.Search, q.Page, q.Size = search, page, benchPageSize
	var took []time.Duration
	defer func() { benchReportLatency(b, took) }()
	for b.Loop() {
		start := time.Now()
		ms, total, err := f.svc.ListMembers(ctx, f.actor, q)
		took = append(took, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		got := make([]string, len(ms))
		for i, m := range ms {
			got[i] = m.User.Email.Normalized
		}
		benchCheckPage(b, got, total, page, want)
	}
}

// benchListSQL lists as the store does (storage/members.go as of commit
// ce433af, with the list keys of migration 3): the page's user IDs from the
// index on (team, email_key, user_id) alone, then those rows whole; the
// total from the team's kept count, or by counting the matches of a search.
// The removed status is a literal, as bun writes it: only then may the
// partial list indexes (WHERE status <> 2) serve the query.
func benchListSQL(b *testing.B, f *benchFixture, search string, page int, want []string) {
	ctx := context.Background()
	const order = " ORDER BY m.email_key DESC, m.user_id DESC"
	from, args := " FROM memberships m WHERE m.team_id = ? AND m.status <> 2", []any{f.teamID}
	if search != "" {
		from = " FROM memberships m WHERE m.team_id = ? AND m.status <> 2" +
			` AND (m.search_text || m.email_key) LIKE ? ESCAPE '\'`
		args = append(args, "%"+search+"%")
	}
	list := f.be.rebind("SELECT " + benchMemberColumns + " FROM memberships m LEFT JOIN users u ON u.id = m.user_id" +
		" WHERE m.team_id = ? AND m.user_id IN (SELECT m.user_id" + from + order + " LIMIT ? OFFSET ?)" + order)
	listArgs := append(append([]any{f.teamID}, args...), benchPageSize, page*benchPageSize)
	count, countArgs := f.be.rebind("SELECT count(*)"+from), args
	if search == "" {
		count = f.be.rebind("SELECT listed_members FROM teams WHERE id = ?")
	}
	sqldb := f.db.Bun().DB
	for b.Loop() {
		rows, err := benchQueryMembers(ctx, sqldb, list, listArgs...)
		if err != nil {
			b.Fatal(err)
		}
		var total int
		if err := sqldb.QueryRowContext(ctx, count, countArgs...).Scan(&total); err != nil {
			b.Fatal(err)
		}
		got := make([]string, len(rows))
		for i, r := range rows {
			got[i] = r.EmailNorm.String
		}
		benchCheckPage(b, got, total, page, want)
	}
}

// benchCheckPage fails b unless got is page of want, with its total.
func benchCheckPage(b *testing.B, got []string, total, page int, want []string) {
	from := min(page*benchPageSize, len(want))
	if w := want[from:min(from+benchPageSize, len(want))]; total != len(want) || !slices.Equal(got, w) {
		b.Fatalf("page %d: got total %d and %q; want total %d and %q", page, total, got, len(want), w)
	}
}

// benchColumn is a column a benchmark's CSV file adds, with its value in
// every row.
type benchColumn struct{ name, value string }

// benchImportedHash is the password_hash of a migrated member's row:
// benchPassword in Django's PBKDF2-SHA256 at 1,000,000 iterations (its
// default from Django 5.2), 89 bytes, the length of a typical imported hash.
const benchImportedHash = "pbkdf2_sha256$1000000$bench0salt0bench0salt0$eOWQr8vLrh9pwswoSm3ABEXvwLNEwDwN9Tq4UV1pWbA="

// BenchmarkImportCSV imports 100k rows without passwords, 100k rows with
// password hashes from another system, and 1,000 rows with passwords
// (bcrypt at the default cost) into a team of a fresh store.
// rows/s is the rate; with passwords, %bcrypt-ceiling compares it with as
// many bcrypt hashes a second as GOMAXPROCS cores make. Beside the import
// without passwords, sql writes the rows it writes, already made, through
// plain SQL into a store of its own: the rate at which the database alone
// takes them.
func BenchmarkImportCSV(b *testing.B) {
	benchEachBackend(b, func(b *testing.B, be benchBackend) {
		for _, c := range []struct {
			name  string
			rows  int
			extra benchColumn
		}{
			{"100k-nopasswords/library", 100_000, benchColumn{}},
			{"100k-hashes/library", 100_000, benchColumn{"password_hash", benchImportedHash}},
			{"1k-passwords/library", 1000, benchColumn{"password", benchPassword}},
		} {
			b.Run(c.name, func(b *testing.B) {
				f := benchImportFixture(b, be)
				for i := range b.N {
					b.StopTimer()
					csv, _ := benchCSV("150", i*c.rows, (i+1)*c.rows, c.extra)
					b.StartTimer()
					got, err := f.svc.ImportCSV(context.Background(), f.actor, strings.NewReader(csv))
					invited := c.rows // rows without a password are invited
					if c.extra.name != "" {
						invited = 0
					}
					if err != nil || got.Imported != c.rows || got.Invited != invited {
						b.Fatalf("import: got %+v, %v; want %d imported, %d invited", got, err, c.rows, invited)
					}
				}
				rate := float64(b.N*c.rows) / b.Elapsed().Seconds()
				b.ReportMetric(rate, "rows/s")
				if c.extra.name == "password" {
					b.ReportMetric(100*rate/benchBcryptCeiling(), "%bcrypt-ceiling")
				}
			})
		}
		b.Run("100k-nopasswords/sql", func(b *testing.B) {
			f := benchImportFixture(b, be)
			for i := range b.N {
				if err := benchImportSQL(b, f, i*100_000, (i+1)*100_000); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*100_000)/b.Elapsed().Seconds(), "rows/s")
		})
	})
}

// benchImportFixture returns a fresh store of be with a team and its admin.
func benchImportFixture(b *testing.B, be benchBackend) *benchFixture {
	db, closer, err := be.open(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := closer(); err != nil {
			b.Error(err)
		}
	})
	f := &benchFixture{be: be, db: db, admin: "admin@bench.example"}
	if err := f.seed(context.Background(), 0); err != nil {
		b.Fatal(err)
	}
	return f
}

// benchImportSQL writes the people from to to (exclusive) as an import of
// them without passwords does, with the values it writes (storage/batch.go
// as of commit b8ef13f): in one transaction, users and their memberships
// storage.BatchRows at a time through prepared multi-row inserts, then an
// invitation code each, then the team's count of listed members. It does not
// read, check or hash what it writes; the timer stops while it makes rows.
func benchImportSQL(b *testing.B, f *benchFixture, from, to int) error {
	ctx := context.Background()
	b.StopTimer()
	now := time.Now().UTC()
	var at any = now
	if f.be.name == "sqlite" {
		at = now.Format("2006-01-02 15:04:05.999999-07:00") // as bun's SQLite dialect writes times
	}
	var users, members, codes [][]any
	for k := from; k < to; k++ {
		p := benchPerson("137", k)
		id := fmt.Sprintf("%016x%016x", now.UnixMicro(), k) // growing, as the library's IDs are
		first, last := strings.ToLower(p.first), strings.ToLower(p.last)
		users = append(users, []any{id, p.email, p.email, "+86" + p.mobile, "auto", "111", "00000100",
			5, 10080, 1, 30, 1, f.teamID, at, at})
		members = append(members, []any{f.teamID, id, int(team.RoleMember), int(team.MemberPending), "alive", at, at,
			p.first, p.last, p.first + " " + p.last, first + " " + last + "\n", first, last, p.email, at})
		hash := sha256.Sum256([]byte(rand.Text()))
		codes = append(codes, []any{hash[:], "invitation", id, f.teamID, at, at})
	}
	b.StartTimer()
	tx, err := f.db.Bun().DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range []struct {
		insert string
		rows   [][]any
	}{
		{"INSERT INTO users (id, email_display, email_norm, mobile_e164, lang, notification_flag, status_notify," +
			" notify_display_count, notify_display_period, landing_page, session_timeout, grade, home_team_id, created_at, updated_at)", users},
		{"INSERT INTO memberships (team_id, user_id, role, status, pool, created_at, updated_at," +
			" first_name, last_name, full_name, search_text, first_name_key, last_name_key, email_key, signup_at)", members},
		{"INSERT INTO codes (hash, kind, user_id, team_id, created_at, expires_at)", codes},
	} {
		if err := benchInsertRows(ctx, tx, f.be, t.insert, t.rows); err != nil {
			return err
		}
	}
	q := f.be.rebind("UPDATE teams SET listed_members = listed_members + ? WHERE id = ?")
	if _, err := tx.ExecContext(ctx, q, to-from, f.teamID); err != nil {
		return err
	}
	return tx.Commit()
}

// benchInsertRows runs insert, whose VALUES are left out, for rows,
// storage.BatchRows a statement, through one statement prepared for a full
// batch; the tail is a statement of its own.
func benchInsertRows(ctx context.Context, tx *sql.Tx, be benchBackend, insert string, rows [][]any) error {
	text := func(n int) string {
		one := "(?" + strings.Repeat(", ?", len(rows[0])-1) + ")"
		return be.rebind(insert + " VALUES " + one + strings.Repeat(", "+one, n-1))
	}
	full, err := tx.PrepareContext(ctx, text(storage.BatchRows))
	if err != nil {
		return err
	}
	defer full.Close()
	for chunk := range slices.Chunk(rows, storage.BatchRows) {
		args := slices.Concat(chunk...)
		if len(chunk) == storage.BatchRows {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, text(len(chunk)), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkLogin logs the admin in with its password from benchClients
// callers at once; %bcrypt-ceiling compares logins/s with as many bcrypt
// comparisons a second as GOMAXPROCS cores make.
func BenchmarkLogin(b *testing.B) {
	benchEachBackend(b, func(b *testing.B, be benchBackend) {
		f := benchFixtureOf(b, be, benchLookupSize)
		ctx := context.Background()
		ceiling := benchBcryptCeiling()
		b.Run(fmt.Sprintf("parallel%d", benchClients), func(b *testing.B) {
			benchParallel(b, func() error {
				s, err := f.svc.Login(ctx, identity.Login{Email: f.admin, Password: benchPassword, TeamID: f.teamID, IP: "127.0.0.1"})
				if err != nil || s.Token == "" || s.Member.User.ID != f.adminID {
					return fmt.Errorf("log in: got user %q, %v", s.Member.User.ID, err)
				}
				return nil
			})
			benchReportRate(b, "logins/s")
			b.ReportMetric(100*float64(b.N)/b.Elapsed().Seconds()/ceiling, "%bcrypt-ceiling")
		})
	})
}

// BenchmarkFirstLogin logs in, one at a time, members imported with their
// password hashed by another system, each member once: the login verifies
// the imported hash and replaces it with bcrypt at the default cost.
// native is a member imported with a password, whose login compares bcrypt
// only; bcrypt10 an imported bcrypt hash at that cost, kept as it is.
func BenchmarkFirstLogin(b *testing.B) {
	benchEachBackend(b, func(b *testing.B, be benchBackend) {
		for _, c := range []struct {
			name  string
			extra func() benchColumn
		}{
			{"native", func() benchColumn { return benchColumn{"password", benchPassword} }},
			{"bcrypt10", func() benchColumn { return benchColumn{"password_hash", benchBcrypt()} }},
			{"argon2id-64MiB-t3-p4", func() benchColumn { return benchColumn{"password_hash", benchArgon2id()} }},
			{"pbkdf2_sha256-1M", func() benchColumn { return benchColumn{"password_hash", benchImportedHash} }},
			{"md5", func() benchColumn {
				return benchColumn{"password_hash", fmt.Sprintf("%x", md5.Sum([]byte(benchPassword)))}
			}},
		} {
			b.Run(c.name, func(b *testing.B) {
				f := benchImportFixture(b, be)
				ctx := context.Background()
				csv, people := benchCSV("151", 0, b.N, c.extra())
				if _, err := f.svc.ImportCSV(ctx, f.actor, strings.NewReader(csv), identity.AllowWeakHashes()); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for _, p := range people {
					if _, err := f.svc.Login(ctx, identity.Login{Email: p.email, Password: benchPassword, TeamID: f.teamID}); err != nil {
						b.Fatalf("log in %s: %v", p.email, err)
					}
				}
				benchReportRate(b, "logins/s")
			})
		}
	})
}

// benchBcrypt returns benchPassword's bcrypt hash at the default cost.
func benchBcrypt() string {
	hash, err := bcrypt.GenerateFromPassword([]byte(benchPassword), identity.DefaultBcryptCost)
	if err != nil {
		panic(err)
	}
	return string(hash)
}

// benchArgon2id returns benchPassword's argon2id hash in PHC form at the
// parameters of argon2-cffi's and PHP's defaults (64 MiB, 3 passes, 4 lanes).
func benchArgon2id() string {
	salt := []byte("bench-argon2-salt")
	key := argon2.IDKey([]byte(benchPassword), salt, 3, 64*1024, 4, 32)
	enc := base64.RawStdEncoding.EncodeToString
	return "$argon2id$v=19$m=65536,t=3,p=4$" + enc(salt) + "$" + enc(key)
}

// benchBcryptCeiling is how many bcrypt comparisons at the default cost a
// second GOMAXPROCS cores make: the rate of one goroutine times the cores.
var benchBcryptCeiling = sync.OnceValue(func() float64 {
	pw := []byte(benchPassword)
	hash, err := bcrypt.GenerateFromPassword(pw, identity.DefaultBcryptCost)
	if err != nil {
		panic(err)
	}
	n, start := 0, time.Now()
	for ; n < 5 || time.Since(start) < time.Second; n++ {
		if bcrypt.CompareHashAndPassword(hash, pw) != nil {
			panic("bcrypt does not match its own hash")
		}
	}
	return float64(n) / time.Since(start).Seconds() * float64(runtime.GOMAXPROCS(0))
})

// The hand-written queries the library's lookups are compared with: the same
// rows and columns, as an application without the library would write them.
const (
	benchMemberColumns = `m.team_id, m.user_id, m.role, m.status, m.pool, m.created_at, m.updated_at,
	m.first_name_key, m.last_name_key, m.email_key, m.signup_at,
	u.id, u.user_name, m.first_name, m.middle_name, m.last_name, m.nick_name, m.full_name,
	m.first_name_key, m.last_name_key, m.search_text, u.email_display, u.email_norm, u.mobile_e164,
	u.mobile_backup_e164, m.gender, m.age, m.city, m.city_raw, m.city_mobile, m.area, m.company_name,
	m.job_title, m.department, m.industry, m.linked_in_url, m.employee_id, m.external_id,
	m.identity_type, m.identity_number, m.manager_id, m.birthday, m.personnel_type, m.hire_date,
	m.work_place, u.time_zone, u.lang, u.notification_flag, u.status_notify, u.notify_display_count,
	u.notify_display_period, u.landing_page, u.session_timeout, u.status, u.disabled, u.locked,
	u.grade, u.must_change_password, u.password_hash, u.password_changed_at, u.activated_at,
	u.home_team_id, u.created_at, u.updated_at, m.last_login_ip, m.last_login_at,
	u.last_activity_at, m.extension`
	benchMembersFrom = " FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.team_id = ? AND "
	benchByIDSQL     = "SELECT " + benchMemberColumns + benchMembersFrom + "m.user_id = ?"
	benchByEmailSQL  = "SELECT " + benchMemberColumns + benchMembersFrom + "m.status <> 2 AND u.email_norm = ? ORDER BY m.user_id LIMIT 100"
	benchByMobileSQL = "SELECT " + benchMemberColumns + benchMembersFrom + "m.status <> 2 AND u.mobile_e164 = ? ORDER BY m.user_id LIMIT 100"

	benchSessionSQL    = "SELECT hash, user_id, team_id, created_at, last_seen_at, idle_limit_us FROM sessions WHERE hash = ?"
	benchMembershipSQL = "SELECT team_id, user_id, role, status, pool, created_at, updated_at FROM memberships WHERE team_id = ? AND user_id = ?"
	benchTokenSQL      = `SELECT tk.hash, tk.app_id, tk.created_at, tk.expires_at, a.id, a.team_id, a.name,
	a.client_id, a.secret_hash, a.permissions, a.created_at
	FROM tokens tk JOIN applications a ON a.id = tk.app_id WHERE tk.hash = ?`
)

// benchMemberRow holds the columns of benchMemberColumns, in their order.
type benchMemberRow struct {
	TeamID, UserID                                                string
	Role, Status                                                  int64
	Pool                                                          string
	CreatedAt                                                     time.Time
	UpdatedAt                                                     sql.NullTime
	MFirstNameKey, MLastNameKey, MEmailKey                        string
	MSignupAt                                                     sql.NullTime
	ID, UserName, FirstName, MiddleName, LastName, NickName       string
	FullName, FirstNameKey, LastNameKey, SearchText, EmailDisplay string
	EmailNorm, MobileE164, MobileBackupE164                       sql.NullString
	Gender                                                        string
	Age                                                           int64
	City, CityRaw, CityMobile, Area, CompanyName, JobTitle        string
	Department, Industry, LinkedInURL, EmployeeID, ExternalID     string
	IdentityType, IdentityNumber, ManagerID                       string
	Birthday                                                      sql.NullTime
	PersonnelType                                                 string
	HireDate                                                      sql.NullTime
	WorkPlace                                                     string
	TimeZone                                                      int64
	Lang, NotificationFlag, StatusNotify                          string
	NotifyDisplayCount, NotifyDisplayPeriod, LandingPage, Timeout int64
	UserStatus                                                    int64
	Disabled, Locked                                              bool
	Grade                                                         int64
	MustChangePassword                                            bool
	PasswordHash                                                  []byte
	PasswordChangedAt, ActivatedAt                                sql.NullTime
	HomeTeamID                                                    sql.NullString
	UserCreatedAt                                                 time.Time
	UserUpdatedAt                                                 sql.NullTime
	LastLoginIP                                                   string
	LastLoginAt, LastActivityAt                                   sql.NullTime
	Extension                                                     string
}

func (r *benchMemberRow) dest() []any {
	return []any{
		&r.TeamID, &r.UserID, &r.Role, &r.Status, &r.Pool, &r.CreatedAt, &r.UpdatedAt,
		&r.MFirstNameKey, &r.MLastNameKey, &r.MEmailKey, &r.MSignupAt,
		&r.ID, &r.UserName, &r.FirstName, &r.MiddleName, &r.LastName, &r.NickName, &r.FullName,
		&r.FirstNameKey, &r.LastNameKey, &r.SearchText, &r.EmailDisplay, &r.EmailNorm, &r.MobileE164,
		&r.MobileBackupE164, &r.Gender, &r.Age, &r.City, &r.CityRaw, &r.CityMobile, &r.Area, &r.CompanyName,
		&r.JobTitle, &r.Department, &r.Industry, &r.LinkedInURL, &r.EmployeeID, &r.ExternalID,
		&r.IdentityType, &r.IdentityNumber, &r.ManagerID, &r.Birthday, &r.PersonnelType, &r.HireDate,
		&r.WorkPlace, &r.TimeZone, &r.Lang, &r.NotificationFlag, &r.StatusNotify, &r.NotifyDisplayCount,
		&r.NotifyDisplayPeriod, &r.LandingPage, &r.Timeout, &r.UserStatus, &r.Disabled, &r.Locked,
		&r.Grade, &r.MustChangePassword, &r.PasswordHash, &r.PasswordChangedAt, &r.ActivatedAt,
		&r.HomeTeamID, &r.UserCreatedAt, &r.UserUpdatedAt, &r.LastLoginIP, &r.LastLoginAt,
		&r.LastActivityAt, &r.Extension,
	}
}

// benchQueryMembers runs a query of benchMemberColumns and scans every row.
func benchQueryMembers(ctx context.Context, db *sql.DB, q string, args ...any) ([]benchMemberRow, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []benchMemberRow
	for rows.Next() {
		var r benchMemberRow
		if err := rows.Scan(r.dest()...); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// benchSessionBySQL reads a session by its token's hash and the membership
// it belongs to, and returns the user ID of an active member.
func benchSessionBySQL(ctx context.Context, db *sql.DB, qs, qm, token string) (string, error) {
	hash := sha256.Sum256([]byte(token))
	var s struct {
		hash              []byte
		userID, teamID    string
		created, lastSeen time.Time
		idleLimit         int64
	}
	var m struct {
		teamID, userID string
		role, status   int64
		pool           string
		created        time.Time
		updated        sql.NullTime
	}
	if err := db.QueryRowContext(ctx, qs, hash[:]).Scan(&s.hash, &s.userID, &s.teamID, &s.created, &s.lastSeen, &s.idleLimit); err != nil {
		return "", err
	}
	if err := db.QueryRowContext(ctx, qm, s.teamID, s.userID).Scan(&m.teamID, &m.userID, &m.role, &m.status, &m.pool, &m.created, &m.updated); err != nil {
		return "", err
	}
	if time.Since(s.lastSeen) >= time.Duration(s.idleLimit)*time.Microsecond || m.status != int64(team.MemberActive) {
		return "", errors.New("session expired or member inactive")
	}
	return m.userID, nil
}

// benchTokenBySQL reads an access token with its application and returns the
// team of a token that has not expired.
func benchTokenBySQL(ctx context.Context, db *sql.DB, q, token string) (string, error) {
	hash := sha256.Sum256([]byte(token))
	var t struct {
		hash, secret                    []byte
		appID, id, teamID, name, client string
		perms                           string
		created, expires, appCreated    time.Time
	}
	err := db.QueryRowContext(ctx, q, hash[:]).Scan(&t.hash, &t.appID, &t.created, &t.expires,
		&t.id, &t.teamID, &t.name, &t.client, &t.secret, &t.perms, &t.appCreated)
	if err != nil {
		return "", err
	}
	if !time.Now().Before(t.expires) {
		return "", errors.New("token expired")
	}
	return t.teamID, nil
}
