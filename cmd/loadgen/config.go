package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/embedid/identity"
)

// config is what the flags ask for.
type config struct {
	target     *url.URL
	db         string
	clients    int
	duration   time.Duration
	requests   int
	seed       int
	endpoints  []string // names, in the canonical order
	pid        int
	ceiling    bool
	floor      bool
	timeout    time.Duration
	bcryptCost int
	json       bool
	attack     int // connections attacking beside a second run of 689.login; 0 for none
}

// Limits of the flags: generous, but a typo cannot start an hour-long run or
// ten thousand goroutines.
const (
	maxClients  = 1024
	maxDuration = time.Hour
	maxSeed     = 10_000_000
)

var errHelp = errors.New("help requested")

// parseConfig reads and checks the flags.
func parseConfig(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: go run ./cmd/loadgen -db DSN [-target URL] [-c N] [-d DURATION] [-n N] [-seed N] [-endpoints LIST] [-pid PID] [-attack N] [-json]")
		fs.PrintDefaults()
	}
	var c config
	target := fs.String("target", "http://127.0.0.1:8080", "the server's `URL`, on a loopback address (127.0.0.0/8, ::1) or localhost")
	fs.StringVar(&c.db, "db", "", "the `DSN` of the server's store: sqlite:PATH or postgres://...")
	fs.IntVar(&c.clients, "c", 8, "concurrent clients")
	fs.DurationVar(&c.duration, "d", 10*time.Second, "how long each endpoint, ceiling and floor is driven")
	fs.IntVar(&c.requests, "n", 200_000, "the most requests per endpoint, ceiling and floor")
	fs.IntVar(&c.seed, "seed", 2000, "members to seed into the new team (the list of page 150 needs 1,510 to be full)")
	list := fs.String("endpoints", "", "comma-separated endpoints to drive (default all): "+strings.Join(endpointNames, ", "))
	fs.IntVar(&c.pid, "pid", 0, "the server's process ID, to report its peak resident memory (VmHWM of /proc/PID/status) after the reads and at the end")
	fs.BoolVar(&c.ceiling, "ceiling", true, "also drive the trivial ceiling handler")
	fs.BoolVar(&c.floor, "floor", true, "also drive, for each lookup, the floor: the ceiling handler reading the member through plain database/sql first")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Second, "the limit of one request")
	fs.IntVar(&c.bcryptCost, "bcrypt-cost", identity.DefaultBcryptCost, "bcrypt cost of the seeded admin's password")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON")
	fs.IntVar(&c.attack, "attack", 0, "after 689.login, drive it again beside `N` connections from "+attackFrom+" that each time log in as a new unknown account, and report how much slower the real user's median login got (0: no attack)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, errHelp
		}
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if c.target, err = loopbackTarget(*target); err != nil {
		return c, err
	}
	if c.endpoints, err = selectEndpoints(*list); err != nil {
		return c, err
	}
	return c, c.check()
}

// check checks the numeric flags.
func (c *config) check() error {
	switch {
	case c.db == "":
		return errors.New("-db is required: the DSN of the store the server runs on")
	case c.clients < 1 || c.clients > maxClients:
		return fmt.Errorf("-c must be from 1 to %d, got %d", maxClients, c.clients)
	case c.duration <= 0 || c.duration > maxDuration:
		return fmt.Errorf("-d must be positive and at most %v, got %v", maxDuration, c.duration)
	case c.requests < 1:
		return fmt.Errorf("-n must be at least 1, got %d", c.requests)
	case c.seed < 1 || c.seed > maxSeed:
		return fmt.Errorf("-seed must be from 1 to %d, got %d", maxSeed, c.seed)
	case c.pid < 0:
		return fmt.Errorf("-pid must be a process ID, got %d", c.pid)
	case c.timeout <= 0:
		return fmt.Errorf("-timeout must be positive, got %v", c.timeout)
	case c.attack < 0 || c.attack > maxClients:
		return fmt.Errorf("-attack must be from 0 to %d, got %d", maxClients, c.attack)
	case c.attack > 0 && !slices.Contains(c.endpoints, "689.login"):
		return errors.New("-attack needs the 689.login endpoint, whose logins it slows")
	case c.bcryptCost < 4 || c.bcryptCost > 31:
		return fmt.Errorf("-bcrypt-cost must be from 4 to 31, got %d", c.bcryptCost)
	}
	return nil
}

// loopbackTarget parses an http or https URL whose host is a loopback
// address or localhost, and nothing else: the load generator never sends
// load to another machine.
func loopbackTarget(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("-target %q is not a URL: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("-target %q must start with http:// or https://", s)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("-target %q must be a scheme, a host and a port only", s)
	}
	if !isLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("-target host %q is not loopback: use 127.0.0.0/8, ::1 or localhost", u.Hostname())
	}
	u.Path = ""
	return u, nil
}

// isLoopbackHost reports whether host is localhost or a loopback IP address,
// without resolving any name.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// selectEndpoints returns the endpoints a comma-separated list names, in the
// canonical order; an empty list is all of them.
func selectEndpoints(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return slices.Clone(endpointNames), nil
	}
	want := map[string]bool{}
	for name := range strings.SplitSeq(list, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(endpointNames, name) {
			return nil, fmt.Errorf("-endpoints: unknown endpoint %q; known: %s", name, strings.Join(endpointNames, ", "))
		}
		want[name] = true
	}
	var out []string
	for _, name := range endpointNames {
		if want[name] {
			out = append(out, name)
		}
	}
	return out, nil
}
