package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// result is what one run of identityd did.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs identityd in-process with args and the environment variables
// in env.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), args, strings.NewReader(""), &stdout, &stderr, func(k string) string { return env[k] })
	return result{code, stdout.String(), stderr.String()}
}

// mustRun runs identityd, wants it to succeed with one JSON object on stdout
// with exactly the keys want, and returns the object.
func mustRun(t *testing.T, env map[string]string, want []string, args ...string) map[string]any {
	t.Helper()
	r := runCLI(t, env, args...)
	if r.code != 0 {
		t.Fatalf("identityd %s: exit %d, stderr:\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
	return jsonLine(t, r.stdout, want)
}

// jsonLine decodes out, which must be one line holding an object with
// exactly the keys want.
func jsonLine(t *testing.T, out string, want []string) map[string]any {
	t.Helper()
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("stdout is not one line: %q", out)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("stdout %q: %v", out, err)
	}
	var keys []string
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(keys, want) {
		t.Fatalf("stdout has keys %v, want %v: %s", keys, want, out)
	}
	return v
}

// tempDSN returns the DSN of a new SQLite database file.
func tempDSN(t *testing.T) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "x.db")
}

var idPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func wantID(t *testing.T, v map[string]any, key string) string {
	t.Helper()
	id, _ := v[key].(string)
	if !idPattern.MatchString(id) {
		t.Fatalf("%s = %v, want 32 hex digits", key, v[key])
	}
	return id
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"frobnicate"}, 2},
		{[]string{"team"}, 2},
		{[]string{"team", "delete"}, 2},
		{[]string{"help"}, 0},
	} {
		r := runCLI(t, nil, tc.args...)
		out := r.stderr
		if tc.code == 0 {
			out = r.stdout
		}
		if r.code != tc.code || !strings.Contains(out, "usage: identityd <command>") || !strings.Contains(out, "project add-member") {
			t.Errorf("identityd %v: exit %d, stdout %q, stderr %q", tc.args, r.code, r.stdout, r.stderr)
		}
	}
}

func TestCommandHelp(t *testing.T) {
	r := runCLI(t, nil, "import", "-h")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"usage: identityd import [flags] FILE.csv", "-as", "(env IDENTITYD_DB)", "(env IDENTITYD_BCRYPT_COST)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("usage lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestBadCommandLines(t *testing.T) {
	dsn, missing := tempDSN(t), filepath.Join(t.TempDir(), "missing")
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"team", "create", "-nope"}, "flag provided but not defined: -nope"},
		{nil, []string{"team", "create", "-db", dsn}, "-name is required"},
		{nil, []string{"team", "create", "-name", "Acme", "extra"}, `unexpected argument "extra"`},
		{nil, []string{"app", "create", "-team", "t", "-name", "CRM", "-permissions", "all,write"}, `"write" is not a permission`},
		{nil, []string{"app", "create", "-team", "t", "-name", "CRM"}, "-permissions is required"},
		{nil, []string{"app", "list"}, "-team is required"},
		{nil, []string{"app", "disable"}, "-app is required"},
		{nil, []string{"app", "rotate-secret", "-app", "c", "extra"}, `unexpected argument "extra"`},
		{nil, []string{"app", "permissions", "-app", "c"}, "-permissions is required"},
		{nil, []string{"app", "permissions", "-app", "c", "-permissions", "write"}, `"write" is not a permission`},
		{nil, []string{"project", "add-member", "-project", "p", "-user", "u", "-role", "9"}, "-role must be from 1 to 3"},
		{nil, []string{"project", "add-member", "-project", "p", "-user", "u", "-role", "x"}, `invalid value "x" for flag -role`},
		{nil, []string{"import", "-team", "t"}, "want one FILE.csv argument"},
		{nil, []string{"member", "list"}, "-team is required"},
		{nil, []string{"member", "list", "-team", "t", "-page", "0"}, "-page must be 1 or more, got 0"},
		{nil, []string{"member", "list", "-team", "t", "-size", "5000"}, "-size must be from 1 to 1000, got 5000"},
		{nil, []string{"member", "show", "-team", "t"}, "-user is required"},
		{nil, []string{"migrate", "now"}, `unexpected argument "now"`},
		{nil, []string{"-db", dsn, "migrate"}, "flags come after the command: identityd migrate -db " + dsn},
		{nil, []string{"-db", dsn, "app", "list", "-team", "t"}, "flags come after the command: identityd app list -db " + dsn + " -team t"},
		{nil, []string{"-db", dsn}, "flags come after the command: identityd <command> -db " + dsn},
		{nil, []string{"migrate", "-db", "sqlite:" + filepath.Join(missing, "x.db")}, "the directory " + missing + " does not exist"},
		{nil, []string{"serve", "-db", dsn, "-token-ttl", "5"}, `invalid value "5" for flag -token-ttl: want a duration with its unit, such as 90s, 5m or 1h`},
		{map[string]string{"IDENTITYD_DB_TIMEOUT": "5"}, []string{"serve"}, `invalid value "5" for IDENTITYD_DB_TIMEOUT: want a duration with its unit`},
		{nil, []string{"migrate", "-db", "mysql://localhost/x"}, "db: must be sqlite:PATH"},
		{nil, []string{"serve", "-db", dsn, "-bcrypt-cost", "99"}, "bcrypt_cost: must be from 4 to 31"},
		{nil, []string{"serve", "-db", dsn, "-activation-ttl", "0s"}, "must be positive"},
		{nil, []string{"serve", "-db", dsn, "-region", "XX"}, `"XX" is not a known two-letter region code`},
		{map[string]string{"IDENTITYD_BCRYPT_COST": "ten"}, []string{"serve"}, `invalid value "ten" for IDENTITYD_BCRYPT_COST`},
		{map[string]string{"IDENTITYD_TOKEN_TTL": "soon"}, []string{"serve"}, `invalid value "soon" for IDENTITYD_TOKEN_TTL`},
		{nil, []string{"serve", "-db", dsn, "-session-max-age", "0s"}, "session_max_age: must be positive"},
		{nil, []string{"serve", "-db", dsn, "-session-max-age", "12h,-1h"}, "session_max_age: must be positive"},
		{nil, []string{"serve", "-db", dsn, "-session-idle", "5m,0s"}, "session_idle: must be positive"},
		{nil, []string{"serve", "-db", dsn, "-session-idle", "5m,"}, `invalid value "5m," for flag -session-idle: want a duration with its unit`},
		{map[string]string{"IDENTITYD_SESSION_MAX_AGE": "0s,720h"}, []string{"serve", "-db", dsn}, "session_max_age: must be positive"},
		{map[string]string{"IDENTITYD_SESSION_IDLE": "-1m"}, []string{"serve", "-db", dsn}, "session_idle: must be positive"},
		{map[string]string{"IDENTITYD_SESSION_IDLE": "soon"}, []string{"serve"}, `invalid value "soon" for IDENTITYD_SESSION_IDLE`},
		{nil, []string{"serve", "-db", dsn, "-db-timeout", "0s"}, "database_timeout: must be positive"},
		{map[string]string{"IDENTITYD_DB_TIMEOUT": "soon"}, []string{"serve"}, `invalid value "soon" for IDENTITYD_DB_TIMEOUT`},
		{map[string]string{"IDENTITYD_DB_CONCURRENCY": "0"}, []string{"serve", "-db", dsn}, "database_concurrency: must be at least 1"},
		{nil, []string{"serve", "-db", dsn, "-address-budget", "-1"}, "address_budget: needs a positive window"},
		{map[string]string{"IDENTITYD_ADDRESS_BUDGET_WINDOW": "0s"}, []string{"serve", "-db", dsn}, "address_budget: needs a positive window"},
	} {
		r := runCLI(t, tc.env, tc.args...)
		if r.code != 2 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 ||
			!strings.HasPrefix(r.stderr, "identityd: ") || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("identityd %v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q",
				tc.args, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

func TestFailuresExitOne(t *testing.T) {
	dsn := tempDSN(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"app", "create", "-db", dsn, "-team", "0123", "-name", "CRM", "-permissions", "read"}, "not"},
		{[]string{"project", "create", "-db", dsn, "-team", "0123", "-name", "Apollo"}, "not"},
		{[]string{"app", "list", "-db", dsn, "-team", "0123"}, "team_id: no such team"},
		{[]string{"app", "enable", "-db", dsn, "-app", "0123"}, "client_id: no such application"},
		{[]string{"team", "create", "-db", dsn, "-name", "Acme", "-email", "not an email"}, "email"},
	} {
		r := runCLI(t, nil, tc.args...)
		if r.code != 1 || r.stdout != "" || !strings.HasPrefix(lastLine(r.stderr), "identityd: ") || !strings.Contains(lastLine(r.stderr), tc.want) {
			t.Errorf("identityd %v: exit %d, stdout %q, stderr %q; want exit 1 and a line with %q", tc.args, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestMigrate(t *testing.T) {
	dsn := tempDSN(t)
	for range 2 { // migrating twice changes nothing the second time
		v := mustRun(t, nil, []string{"migrated"}, "migrate", "-db", dsn)
		if v["migrated"] != true {
			t.Fatalf("migrated = %v", v["migrated"])
		}
	}
}

func TestOperatorCommands(t *testing.T) {
	dsn := tempDSN(t)
	teamID := wantID(t, mustRun(t, nil, []string{"team_id"},
		"team", "create", "-db", dsn, "-name", "Acme", "-region", "cn", "-domain", "Acme.example", "-email", "ops@acme.example"), "team_id")

	r := runCLI(t, nil, "app", "create", "-db", dsn, "-team", teamID, "-name", "CRM", "-permissions", "user_read,all,read,all")
	if r.code != 0 {
		t.Fatalf("app create: exit %d: %s", r.code, r.stderr)
	}
	app := jsonLine(t, r.stdout, []string{"client_id", "client_secret", "team_id", "permissions"})
	wantID(t, app, "client_id")
	secret, _ := app["client_secret"].(string)
	if len(secret) < 22 || app["team_id"] != teamID {
		t.Errorf("app create printed %v", app)
	}
	if perms, _ := json.Marshal(app["permissions"]); string(perms) != `["all","read","user_read"]` {
		t.Errorf("permissions = %s", perms)
	}
	if strings.Contains(r.stderr, secret) {
		t.Errorf("the client secret was logged: %s", r.stderr)
	}

	projectID := wantID(t, mustRun(t, nil, []string{"project_id"},
		"project", "create", "-db", dsn, "-team", teamID, "-name", "Apollo"), "project_id")

	adminID := signedUpTeam(t, dsn, "ada@example.com").adminID
	r = runCLI(t, nil, "project", "add-member", "-db", dsn, "-project", projectID, "-user", adminID, "-role", "1")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "identityd: project add-member: ") || r.stdout != "" {
		t.Errorf("adding a member of another team: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestProjectAddMember(t *testing.T) {
	dsn := tempDSN(t)
	ta := signedUpTeam(t, dsn, "ada@example.com")
	projectID := wantID(t, mustRun(t, nil, []string{"project_id"},
		"project", "create", "-db", dsn, "-team", ta.teamID, "-name", "Apollo"), "project_id")
	v := mustRun(t, nil, []string{"project_id", "user_id", "role"},
		"project", "add-member", "-db", dsn, "-project", projectID, "-user", ta.adminID, "-role", "2")
	if v["project_id"] != projectID || v["user_id"] != ta.adminID || v["role"] != 2.0 {
		t.Errorf("add-member printed %v", v)
	}
}

func TestEnvironment(t *testing.T) {
	dsn := tempDSN(t)
	env := map[string]string{"IDENTITYD_DB": dsn}
	teamID := wantID(t, mustRun(t, env, []string{"team_id"}, "team", "create", "-name", "Acme"), "team_id")
	// The team is in the database the environment named.
	mustRun(t, nil, []string{"project_id"}, "project", "create", "-db", dsn, "-team", teamID, "-name", "Apollo")

	// A flag wins over the environment, which is not even read.
	env = map[string]string{"IDENTITYD_DB": "mysql://localhost/x", "IDENTITYD_BCRYPT_COST": "ten"}
	mustRun(t, env, []string{"migrated"}, "migrate", "-db", dsn)
	r := runCLI(t, env, "serve", "-db", dsn, "-bcrypt-cost", "4", "-addr", "127.0.0.1:-1")
	if r.code != 1 || !strings.Contains(r.stderr, "invalid port") {
		t.Errorf("serve with a bad port: exit %d, stderr %q", r.code, r.stderr)
	}
}
