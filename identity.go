// Package identity is the entry point a host needs: New wires the domain rules
// to a store, and each method of *Service is one use case run in one
// transaction: sign up, activate, log in, manage members, import a CSV, manage
// users through an application's token, and look users up, always inside one
// team.
package identity

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// Service runs the use cases on a store. It is safe for concurrent use.
type Service struct {
	config
	store  *guarded // the store under the database's deadline and bound
	hasher *user.Hasher
	logKey []byte           // of pseudonym
	tokens *memo[Client]    // verified access tokens, by hash
	teams  *memo[team.Team] // the teams of clients, by ID
	spent  *memo[time.Time] // the ends of spent address budgets, by address
	// appended wakes Follow after a commit that appended events.
	appended signal
}

// Defaults of the options.
const (
	DefaultActivationTTL = 30 * time.Minute
	DefaultTokenTTL      = 30 * time.Minute
	DefaultBcryptCost    = 10
	// DefaultMaxImportRows is how many rows one CSV import may hold.
	DefaultMaxImportRows = 1_000_000
	// KeepMeLoginIdle is the idle limit of a session opened with keep-me-login.
	KeepMeLoginIdle = 30 * 24 * time.Hour
	// DefaultSessionMaxAge is how long an ordinary session lives from its
	// creation, however often it is used.
	DefaultSessionMaxAge = 12 * time.Hour
	// DefaultKeepMeLoginMaxAge is how long a session opened with
	// keep-me-login lives from its creation, however often it is used.
	DefaultKeepMeLoginMaxAge = 30 * 24 * time.Hour
	// touchEvery is how stale a session's last use may get before a request
	// records it, so that most authenticated requests do not write.
	touchEvery = time.Minute
)

// config is what the options set.
type config struct {
	now            func() time.Time
	notifier       Notifier
	log            *slog.Logger
	bcryptCost     int
	activationTTL  time.Duration
	tokenTTL       time.Duration
	tokenCacheTTL  time.Duration
	teamCacheTTL   time.Duration
	region         string
	phones         contact.Validation
	lockout        limit
	budget         limit
	maxImportRows  int
	sessionIdle    SessionLimits
	sessionMaxAge  SessionLimits
	dbTimeout      time.Duration
	dbConcurrency  int
	eventRetention time.Duration
	observer       Observer
}

// SessionLimits are a limit of the sessions opened without keep-me-login
// and one of those opened with it.
type SessionLimits struct {
	Normal      time.Duration
	KeepMeLogin time.Duration
}

// WithSessionIdle sets how long a session may go unused before it ends:
// normal for ordinary sessions (default 0: the user's session_timeout
// setting, 30 minutes unless they changed it), keep for sessions opened with
// keep-me-login (default KeepMeLoginIdle, 30 days).
func WithSessionIdle(normal, keep time.Duration) Option {
	return func(c *config) { c.sessionIdle = SessionLimits{normal, keep} }
}

// WithSessionMaxAge sets how long a session lives from its creation, however
// often it is used: normal for ordinary sessions (default
// DefaultSessionMaxAge, 12 hours), keep for sessions opened with
// keep-me-login (default DefaultKeepMeLoginMaxAge, 30 days).
func WithSessionMaxAge(normal, keep time.Duration) Option {
	return func(c *config) { c.sessionMaxAge = SessionLimits{normal, keep} }
}

// Option configures a Service.
type Option func(*config)

// WithClock sets the clock (default time.Now), so tests control expiry.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithNotifier sets where activation and invitation codes go (see Notifier
// for when it is called). Without one, use cases that send a code fail: a
// code nobody receives is useless.
func WithNotifier(n Notifier) Option { return func(c *config) { c.notifier = n } }

// WithLogger sets the logger (default: discard). Nothing secret is logged.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithBcryptCost sets the bcrypt cost of new password hashes (default 10).
// A password whose hash has a lower cost is hashed again at this one when
// it next logs in successfully.
func WithBcryptCost(cost int) Option { return func(c *config) { c.bcryptCost = cost } }

// WithActivationTTL sets how long activation, invitation, email and reset
// codes live (default 30 minutes).
func WithActivationTTL(d time.Duration) Option { return func(c *config) { c.activationTTL = d } }

// WithTokenTTL sets how long access tokens live (default 30 minutes).
func WithTokenTTL(d time.Duration) Option { return func(c *config) { c.tokenTTL = d } }

// WithDefaultRegion sets the region that reads national phone numbers for
// teams that have none of their own, e.g. "CN" (default: none, so national
// numbers need a team region).
func WithDefaultRegion(region string) Option { return func(c *config) { c.region = region } }

// WithMaxImportRows sets how many rows one CSV import may hold (default
// 1,000,000); a longer file is refused before anything is written.
func WithMaxImportRows(n int) Option { return func(c *config) { c.maxImportRows = n } }

// WithLenientPhones accepts numbers that merely have a possible length for
// their region instead of requiring valid ones.
func WithLenientPhones() Option { return func(c *config) { c.phones = contact.Possible } }

// New returns a Service on store.
func New(store storage.Store, opts ...Option) (*Service, error) {
	c := config{
		now:           time.Now,
		log:           slog.New(slog.NewTextHandler(io.Discard, nil)),
		bcryptCost:    DefaultBcryptCost,
		activationTTL: DefaultActivationTTL,
		tokenTTL:      DefaultTokenTTL,
		tokenCacheTTL: DefaultTokenCacheTTL,
		teamCacheTTL:  DefaultTeamCacheTTL,
		lockout:       limit{DefaultLockoutFailures, DefaultLockoutWindow},
		budget:        limit{DefaultAddressBudgetFailures, DefaultAddressBudgetWindow},
		maxImportRows: DefaultMaxImportRows,
		sessionIdle:   SessionLimits{KeepMeLogin: KeepMeLoginIdle},
		sessionMaxAge: SessionLimits{DefaultSessionMaxAge, DefaultKeepMeLoginMaxAge},
		dbTimeout:     DefaultDatabaseTimeout,
		dbConcurrency: DefaultDatabaseConcurrency,
	}
	for _, o := range opts {
		o(&c)
	}
	if store == nil {
		return nil, errs.New(errs.Invalid, "store", "is required")
	}
	if c.activationTTL <= 0 || c.tokenTTL <= 0 {
		return nil, errs.New(errs.Invalid, "ttl", "activation and token lifetimes must be positive")
	}
	if c.tokenCacheTTL < 0 {
		return nil, errs.New(errs.Invalid, "token_cache", "must not be negative")
	}
	if c.teamCacheTTL < 0 {
		return nil, errs.New(errs.Invalid, "team_cache", "must not be negative")
	}
	if c.sessionIdle.Normal < 0 || c.sessionIdle.KeepMeLogin <= 0 {
		return nil, errs.New(errs.Invalid, "session_idle", "must be positive (0 for ordinary sessions: the user's session_timeout)")
	}
	if c.sessionMaxAge.Normal <= 0 || c.sessionMaxAge.KeepMeLogin <= 0 {
		return nil, errs.New(errs.Invalid, "session_max_age", "must be positive")
	}
	if c.maxImportRows < 1 {
		return nil, errs.New(errs.Invalid, "max_import_rows", "must be at least 1")
	}
	if c.lockout.failures < 1 || c.lockout.window <= 0 {
		return nil, errs.New(errs.Invalid, "lockout", "needs at least one failure and a positive window")
	}
	if c.dbTimeout <= 0 {
		return nil, errs.New(errs.Invalid, "database_timeout", "must be positive")
	}
	if c.eventRetention < 0 {
		return nil, errs.New(errs.Invalid, "event_retention", "must not be negative (0 keeps events forever)")
	}
	if c.dbConcurrency < 1 {
		return nil, errs.New(errs.Invalid, "database_concurrency", "must be at least 1")
	}
	if c.budget.failures < 0 || (c.budget.failures > 0 && c.budget.window <= 0) {
		return nil, errs.New(errs.Invalid, "address_budget", "needs a positive window and at least one failure (0 turns it off)")
	}
	if c.region != "" && !contact.ValidRegion(c.region) {
		return nil, errs.New(errs.Invalid, "region", "%q is not a known two-letter region code", c.region)
	}
	hasher, err := user.NewHasher(c.bcryptCost)
	if err != nil {
		return nil, err
	}
	return &Service{config: c, store: newGuarded(store, c.dbTimeout, c.dbConcurrency), hasher: hasher, logKey: newLogKey(),
		tokens: newMemo[Client](c.tokenCacheTTL), teams: newMemo[team.Team](c.teamCacheTTL), spent: newMemo[time.Time](c.budget.window)}, nil
}

// Store returns the store the service runs on, as New received it: its calls
// run under neither the database's deadline nor its bound.
func (s *Service) Store() storage.Store { return s.store.Store }

// clock returns the current time truncated to what the store keeps, so that
// values written and read back compare equal.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// write runs fn as one use case's write transaction: it takes the time once,
// hands it to fn, and commits what fn wrote if fn returns nil. Every write of
// a use case goes through it, so it is the one place to record what each
// use case did. It runs under the database's deadline.
func (s *Service) write(ctx context.Context, fn func(tx storage.Tx, now time.Time) error) error {
	return s.writeBy(ctx, s.store.Write, fn)
}

// writeBy is write through the store's write, which is s.store.Write or,
// for a write that may take longer than the deadline, s.store.writeLong.
func (s *Service) writeBy(ctx context.Context, write func(context.Context, func(storage.Tx) error) error, fn func(tx storage.Tx, now time.Time) error) error {
	var appended bool
	err := write(ctx, func(tx storage.Tx) error {
		c, now := &change{Tx: tx}, s.clock()
		if err := fn(c, now); err != nil {
			return err
		}
		// The audit seam: the events the use case recorded (see record)
		// are appended here, in its own transaction, before it commits.
		appended = len(c.events) > 0
		return c.appendEvents(ctx, now)
	})
	if err == nil && appended {
		s.appended.wake()
	}
	return err
}

// Notification is a code to deliver to a person.
type Notification struct {
	Kind      user.CodeKind // activation, invitation or email (moves the account to To)
	To        string        // the email address, as the user typed it
	Code      string
	UserID    string
	TeamID    string
	ExpiresAt time.Time
}

// Notifier delivers codes, by email or SMS. The library sends nothing itself.
// A use case writes each code it sends to the outbox in its own transaction,
// and Notify is called only once that has committed, outside any
// transaction, in the caller's goroutine before the use case returns: a
// crash before the commit sends nothing. A failure does not undo the use
// case: it is logged (without the code) and the code stays in the outbox,
// retried by Deliver with a back-off of 10 s doubling up to 10 minutes,
// until it expires undelivered and is dropped. A delivered code is deleted
// from the outbox. Delivery is at least once: a process that dies between
// Notify and that deletion has the code delivered again, so Notify may see
// a code twice. It should hand the message off quickly: a claim leaves a
// process 2 minutes for 1,000 codes before another may deliver them too.
type Notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, n Notification) error

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, n Notification) error { return f(ctx, n) }
