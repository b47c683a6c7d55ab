package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/embedid/identity"
)

// flagSet holds the flags of one command; its configuration flags fall back
// on IDENTITYD_* environment variables, and flags given on the command line
// win over them.
type flagSet struct {
	*flag.FlagSet
	name       string   // the command, e.g. "team create"
	positional string   // synopsis of the positional arguments, "" for none
	env        []string // the flags read from the environment
}

func newFlagSet(name, positional string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), name: name, positional: positional}
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// envName is the environment variable of a flag: -bcrypt-cost is read from
// IDENTITYD_BCRYPT_COST.
func envName(flag string) string {
	return "IDENTITYD_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// fromEnv makes the named flag fall back on its environment variable.
func (fs *flagSet) fromEnv(name string) {
	fs.env = append(fs.env, name)
	f := fs.Lookup(name)
	f.Usage += " (env " + envName(name) + ")"
}

// parse sets the flags from args, then those of them not in args from the
// environment. -h prints the command's usage on stdout and returns
// flag.ErrHelp.
func (fs *flagSet) parse(e *env, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.printUsage(e.stdout)
			return err
		}
		return usagef("%v", err)
	}
	if fs.positional == "" && fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, name := range fs.env {
		if v := e.getenv(envName(name)); v != "" && !given[name] {
			if err := fs.Set(name, v); err != nil {
				return usagef("invalid value %q for %s: %v", v, envName(name), err)
			}
		}
	}
	return nil
}

func (fs *flagSet) printUsage(w io.Writer) {
	fmt.Fprintf(w, "usage: identityd %s\n\nflags:\n", strings.TrimSpace(fs.name+" [flags] "+fs.positional))
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// require checks that the named string flags are set.
func (fs *flagSet) require(names ...string) error {
	for _, name := range names {
		if fs.Lookup(name).Value.String() == "" {
			return usagef("-%s is required", name)
		}
	}
	return nil
}

// db defines the -db flag.
func (fs *flagSet) db() *string {
	p := fs.String("db", "sqlite:identity.db", "database `DSN`: sqlite:PATH, sqlite::memory: or postgres://...")
	fs.fromEnv("db")
	return p
}

// config is what a command passes to identity.New.
type config struct {
	bcryptCost    int
	activationTTL time.Duration
	tokenTTL      time.Duration
	region        string
	sessionIdle   identity.SessionLimits
	sessionMaxAge identity.SessionLimits
	dbTimeout     time.Duration
	dbConcurrency int
	budget        int // failures of the address budget; 0 turns it off
	budgetWindow  time.Duration
	// eventRetention is how long events are kept; 0 is forever.
	eventRetention time.Duration
	observer       identity.Observer // nil for none
}

func defaultConfig() config {
	return config{
		bcryptCost:    identity.DefaultBcryptCost,
		activationTTL: identity.DefaultActivationTTL,
		tokenTTL:      identity.DefaultTokenTTL,
		sessionIdle:   identity.SessionLimits{KeepMeLogin: identity.KeepMeLoginIdle},
		sessionMaxAge: identity.SessionLimits{Normal: identity.DefaultSessionMaxAge, KeepMeLogin: identity.DefaultKeepMeLoginMaxAge},
		dbTimeout:     identity.DefaultDatabaseTimeout,
		dbConcurrency: identity.DefaultDatabaseConcurrency,
		budget:        identity.DefaultAddressBudgetFailures,
		budgetWindow:  identity.DefaultAddressBudgetWindow,
	}
}

// sessionFlags defines the flags of the sessions' idle limit and maximum
// age, with c's values as defaults.
func (fs *flagSet) sessionFlags(c *config) {
	fs.Var(limitsFlag{&c.sessionIdle}, "session-idle", "idle `NORMAL[,KEEP]` limits of ordinary and keep_me_login sessions; 0 for ordinary ones is the user's session_timeout")
	fs.fromEnv("session-idle")
	fs.Var(limitsFlag{&c.sessionMaxAge}, "session-max-age", "maximum ages `NORMAL[,KEEP]` of ordinary and keep_me_login sessions from their creation")
	fs.fromEnv("session-max-age")
}

// budgetFlags defines the flags of the address budget, with c's values as
// defaults.
func (fs *flagSet) budgetFlags(c *config) {
	fs.IntVar(&c.budget, "address-budget", c.budget, "failed logins and client secrets from one client address, to any account, that refuse its further attempts until the window ends; 0 turns it off")
	fs.fromEnv("address-budget")
	fs.DurationVar(&c.budgetWindow, "address-budget-window", c.budgetWindow, "the window of -address-budget")
	fs.fromEnv("address-budget-window")
}

// limitsFlag is a flag of session limits written NORMAL[,KEEP], e.g. 12h or
// 12h,720h: a KEEP left out keeps its value.
type limitsFlag struct{ l *identity.SessionLimits }

func (f limitsFlag) String() string {
	if f.l == nil { // the zero value, which flag.PrintDefaults makes
		return ""
	}
	return f.l.Normal.String() + "," + f.l.KeepMeLogin.String()
}

func (f limitsFlag) Set(v string) error {
	normal, keep, both := strings.Cut(v, ",")
	n, err := parseDuration(normal)
	if err != nil {
		return err
	}
	k := f.l.KeepMeLogin
	if both {
		if k, err = parseDuration(keep); err != nil {
			return err
		}
	}
	f.l.Normal, f.l.KeepMeLogin = n, k
	return nil
}

// configFlags defines the flags of the options that hash passwords and send
// codes, with c's values as defaults.
func (fs *flagSet) configFlags(c *config) {
	fs.IntVar(&c.bcryptCost, "bcrypt-cost", c.bcryptCost, "bcrypt `cost` of new password hashes, 4 to 31")
	fs.fromEnv("bcrypt-cost")
	fs.DurationVar(&c.activationTTL, "activation-ttl", c.activationTTL, "lifetime of activation and invitation codes")
	fs.fromEnv("activation-ttl")
	fs.StringVar(&c.region, "region", c.region, "default `region` for national phone numbers of teams without one, e.g. CN")
	fs.fromEnv("region")
}

// databaseFlags defines the flags of the database's deadline and bound, with
// c's values as defaults.
func (fs *flagSet) databaseFlags(c *config) {
	fs.DurationVar(&c.dbTimeout, "db-timeout", c.dbTimeout, "how long one request's database work may take before it fails as unavailable (503)")
	fs.fromEnv("db-timeout")
	fs.IntVar(&c.dbConcurrency, "db-concurrency", c.dbConcurrency, "how many requests may work on the database at once; as many again may wait, and more are refused (503)")
	fs.fromEnv("db-concurrency")
}

// DurationVar defines a duration flag, as flag.FlagSet's does, whose
// refusal of a value says what a duration looks like.
func (fs *flagSet) DurationVar(p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var(durationValue{p}, name, usage+" (a `duration` such as 90s, 5m or 1h)")
}

// durationValue is a flag holding a time.Duration.
type durationValue struct{ p *time.Duration }

func (d durationValue) String() string {
	if d.p == nil { // the zero value, which flag.PrintDefaults makes
		return ""
	}
	return d.p.String()
}

func (d durationValue) Set(v string) error {
	t, err := parseDuration(v)
	if err == nil {
		*d.p = t
	}
	return err
}

// parseDuration reads a duration such as 5m or 1h30m, or says what one
// looks like.
func parseDuration(v string) (time.Duration, error) {
	t, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil {
		return 0, errors.New("want a duration with its unit, such as 90s, 5m or 1h")
	}
	return t, nil
}
