package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
)

// Passwords of the CLI leak test, all long enough to be searched for.
const (
	cliAdminPassword   = "cli-admin-password-1"
	cliWrongPassword   = "cli-wrong-password-2"
	cliImportPassword  = "cli-import-password-3"
	cliBadRowPassword  = "cli-bad-row-password-4"
	cliInvitedPassword = "cli-invited-password-5"
	cliDBPassword      = "cli-database-password-6"
	cliWrongSecret     = "cli-wrong-client-secret-7"
)

// cliOutput is what one run of identityd wrote.
type cliOutput struct {
	name           string // the command, for messages; never the arguments, which may hold a DSN's password
	stdout, stderr string
}

// cliSecret is a secret and every form it must not appear in: itself, and
// its SHA-256 (or, for a stored hash, itself) in hex and base64.
type cliSecret struct {
	what  string // its kind and a prefix, never the whole secret
	plain string // "" for a stored hash
	forms []string
	// issuance reports whether a line of a run may carry plain: the one
	// place identityd hands the secret out.
	issuance func(run, stream, line string) bool
}

func never(string, string, string) bool { return false }

// onNotificationLines lets a code appear in the log lines of identityd's
// notifier, whose message is "notification".
func onNotificationLines(_, stream, line string) bool {
	var v struct{ Msg string }
	return stream == "stderr" && json.Unmarshal([]byte(line), &v) == nil && v.Msg == "notification"
}

func bytesForms(b []byte) []string {
	return []string{hex.EncodeToString(b), base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
		base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b), strings.Trim(strconv.Quote(string(b)), `"`), string(b)}
}

func newCLISecret(what, plain string, issuance func(run, stream, line string) bool) cliSecret {
	sum := sha256.Sum256([]byte(plain))
	return cliSecret{what: fmt.Sprintf("%s %.6s…", what, plain), plain: plain, forms: append([]string{plain}, bytesForms(sum[:])...), issuance: issuance}
}

// storedCLISecrets reads the hashes the store at dsn keeps.
func storedCLISecrets(t *testing.T, dsn string) []cliSecret {
	t.Helper()
	store, err := storage.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var out []cliSecret
	for what, query := range map[string]string{
		"stored password hash":      "SELECT password_hash FROM users WHERE password_hash IS NOT NULL",
		"stored session hash":       "SELECT hash FROM sessions",
		"stored access token hash":  "SELECT hash FROM tokens",
		"stored code hash":          "SELECT hash FROM codes",
		"stored client secret hash": "SELECT secret_hash FROM applications",
	} {
		rows, err := store.Bun().DB.QueryContext(t.Context(), query)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			out = append(out, cliSecret{what: fmt.Sprintf("%s %.6s…", what, hex.EncodeToString(b)), forms: bytesForms(b), issuance: never})
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

var bcryptText = regexp.MustCompile(`\$2[aby]\$`)

// TestNoSecretLeaksFromCommands runs every identityd command in-process,
// serve with a few requests among them, on each backend, and checks that
// nothing they write carries a password (the database's included), a
// bcrypt hash, a stored hash, a session or access token, a client secret
// but in app create's output, or a code but on a notification line.
func TestNoSecretLeaksFromCommands(t *testing.T) {
	for _, backend := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", tempDSN},
		{"postgres", func(t *testing.T) string { return storagetest.PostgresDSN(t) }},
	} {
		t.Run(backend.name, func(t *testing.T) { commandsLeakNothing(t, backend.dsn(t)) })
	}
}

func commandsLeakNothing(t *testing.T, dsn string) {
	env := map[string]string{"IDENTITYD_BCRYPT_COST": "4"}
	var outputs []cliOutput
	cli := func(name string, code int, env map[string]string, args ...string) result {
		t.Helper()
		r := runCLI(t, env, args...)
		outputs = append(outputs, cliOutput{name, r.stdout, r.stderr})
		if r.code != code {
			t.Fatalf("identityd %s: exit %d, want %d", name, r.code, code)
		}
		return r
	}
	ok := func(name string, args ...string) map[string]string {
		t.Helper()
		var v map[string]any
		if err := json.Unmarshal([]byte(cli(name, 0, env, args...).stdout), &v); err != nil {
			t.Fatalf("identityd %s: %v", name, err)
		}
		out := map[string]string{}
		for k, x := range v {
			out[k] = fmt.Sprint(x)
		}
		return out
	}

	cli("help", 0, nil, "help")
	cli("team", 2, nil, "team")
	ok("migrate", "migrate", "-db", dsn)
	teamID := ok("team create", "team", "create", "-db", dsn, "-name", "Leaky CLI", "-region", "CN", "-email", "ops@cli.example")["team_id"]
	app := ok("app create", "app", "create", "-db", dsn, "-team", teamID, "-name", "CRM", "-permissions", "all")
	projectID := ok("project create", "project", "create", "-db", dsn, "-team", teamID, "-name", "Apollo")["project_id"]
	imported := cli("import", 0, env, "import", "-db", dsn, "-team", teamID, writeCSV(t,
		"mail_address,first_name,last_name,password,role,mobile",
		"pat@cli.example,Pat,Password,"+cliImportPassword+",3,13944440001",
		"ivy@cli.example,Ivy,Invited,,2,"))
	invitations := logLines(t, imported.stderr, "notification")
	if len(invitations) != 1 {
		t.Fatalf("import logged %d notifications, want 1", len(invitations))
	}
	invitation, _ := invitations[0]["code"].(string)
	invitedID, _ := invitations[0]["user_id"].(string)
	ok("project add-member", "project", "add-member", "-db", dsn, "-project", projectID, "-user", invitedID, "-role", "2")
	cli("import with bad rows", 1, env, "import", "-db", dsn, "-team", teamID, writeCSV(t,
		"mail_address,first_name,last_name,password,role",
		"bad@cli.example,Bad,Row,"+cliBadRowPassword+",1"))
	cli("import as nobody", 1, env, "import", "-db", dsn, "-team", teamID, "-as", "0123", writeCSV(t,
		"mail_address,first_name,last_name,password", "nobody@cli.example,No,Body,"+cliImportPassword))
	unreachable := "postgres://leaky:" + cliDBPassword + "@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"
	malformed := "postgres://leaky:" + cliDBPassword + "@db.example:notaport/x"
	cli("migrate on an unreachable database", 1, nil, "migrate", "-db", unreachable)
	cli("migrate on a malformed URL", 2, nil, "migrate", "-db", malformed)
	cli("team create with IDENTITYD_DB", 1, map[string]string{"IDENTITYD_DB": unreachable}, "team", "create", "-name", "X")
	cli("serve on a malformed URL", 2, map[string]string{"IDENTITYD_DB": malformed}, "serve", "-addr", "127.0.0.1:0")

	served, issued := serveAFewRequests(t, dsn, app["client_id"], app["client_secret"], teamID, invitation)
	outputs = append(outputs, served)
	ok("app list", "app", "list", "-db", dsn, "-team", teamID)
	ok("app permissions", "app", "permissions", "-db", dsn, "-app", app["client_id"], "-permissions", "read")
	ok("app disable", "app", "disable", "-db", dsn, "-app", app["client_id"])
	ok("app enable", "app", "enable", "-db", dsn, "-app", app["client_id"])
	rotated := ok("app rotate-secret", "app", "rotate-secret", "-db", dsn, "-app", app["client_id"])
	cli("app rotate-secret of no application", 1, nil, "app", "rotate-secret", "-db", dsn, "-app", "0123")
	all := cli("events", 0, nil, "events", "-db", dsn)
	if strings.Count(all.stdout, "\n") < 10 || strings.Contains(all.stdout, "@") {
		t.Errorf("identityd events printed too few events, or an email address:\n%s", all.stdout)
	}
	cli("events of the team", 0, nil, "events", "-db", dsn, "-team", teamID, "-after", "3")
	cli("events after a negative ID", 2, nil, "events", "-db", dsn, "-after", "-1")

	secrets := storedCLISecrets(t, dsn)
	for _, pw := range []string{cliAdminPassword, cliWrongPassword, cliImportPassword, cliBadRowPassword, cliInvitedPassword, cliDBPassword, cliWrongSecret} {
		secrets = append(secrets, newCLISecret("password", pw, never))
	}
	secrets = append(secrets, newCLISecret("client secret", app["client_secret"], func(run, stream, _ string) bool {
		return run == "app create" && stream == "stdout" // its one issuance
	}))
	secrets = append(secrets, newCLISecret("rotated client secret", rotated["client_secret"], func(run, stream, _ string) bool {
		return run == "app rotate-secret" && stream == "stdout" // its one issuance
	}))
	secrets = append(secrets, newCLISecret("invitation code", invitation, onNotificationLines))
	for what, value := range issued {
		issuance := never
		if strings.HasSuffix(what, "code") {
			issuance = onNotificationLines
		}
		secrets = append(secrets, newCLISecret(what, value, issuance))
	}

	lines := 0
	for _, out := range outputs {
		for stream, text := range map[string]string{"stdout": out.stdout, "stderr": out.stderr} {
			for i, line := range strings.Split(text, "\n") {
				lines++
				if bcryptText.MatchString(line) {
					t.Errorf("identityd %s: %s line %d carries a bcrypt hash", out.name, stream, i+1)
				}
				for _, sec := range secrets {
					for _, form := range sec.forms {
						if len(form) < 12 || !strings.Contains(line, form) || form == sec.plain && sec.issuance(out.name, stream, line) {
							continue
						}
						t.Errorf("identityd %s: %s line %d carries the %s", out.name, stream, i+1, sec.what)
						break
					}
				}
			}
		}
	}
	t.Logf("%d runs, %d lines checked for %d secrets", len(outputs), lines, len(secrets))
}

// serveAFewRequests runs identityd serve on dsn, signs a team up, activates
// it with the code on serve's notification line, logs in and out, gets an
// access token, creates a user through v5, and redeems the invitation code
// of an import, then stops serve. It returns what serve wrote and the
// secrets the requests were issued: session, access token, activation code.
func serveAFewRequests(t *testing.T, dsn, clientID, secret, teamID, invitation string) (cliOutput, map[string]string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-db", dsn, "-bcrypt-cost", "4"}, nil, &stdout, &stderr, func(string) string { return "" })
	}()
	base := "http://" + listening(t, &stderr, done)
	post := func(path string, form url.Values, header ...string) map[string]any {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("POST %s: %d: %v", path, resp.StatusCode, err)
		}
		v["http_status"] = float64(resp.StatusCode)
		return v
	}
	want := func(path string, status float64, v map[string]any) map[string]any {
		t.Helper()
		if v["http_status"] != status {
			t.Fatalf("POST %s: status %v, want %v", path, v["http_status"], status)
		}
		return v
	}
	result := func(v map[string]any, key string) string {
		r, _ := v["result"].(map[string]any)
		s, _ := r[key].(string)
		return s
	}

	const email = "cli.admin@cli.example"
	want("/api/user/signup", 200, post("/api/user/signup", url.Values{"first_name": {"Cli"}, "last_name": {"Admin"}, "email_address": {email},
		"business_name": {"CLI Labs"}, "phone": {"+86 10 5555 0102"}, "password": {cliAdminPassword}, "confirm_password": {cliAdminPassword}, "plan_id": {"1"}}))
	var code, signedUp string
	for _, n := range logLines(t, stderr.String(), "notification") {
		if n["to"] == email {
			code, _ = n["code"].(string)
			signedUp, _ = n["team_id"].(string)
		}
	}
	want("/api/user/activation", 200, post("/api/user/activation", url.Values{"activation_code": {code}}))
	want("/api/user/login", 401, post("/api/user/login", url.Values{"email_address": {email}, "password": {cliWrongPassword}, "team_id": {signedUp}}))
	session := result(want("/api/user/login", 200, post("/api/user/login", url.Values{"email_address": {email}, "password": {cliAdminPassword}, "team_id": {signedUp}})), "session_id")
	want("/api/user/info", 200, post("/api/user/info", url.Values{"auth_token": {session}}))
	want("/api/v2/tenant/token", 401, post("/api/v2/tenant/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {cliWrongSecret}}))
	token, _ := want("/api/v2/tenant/token", 200, post("/api/v2/tenant/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}}))["access_token"].(string)
	want("/api/v5/entity/user/create", 200, post("/api/v5/entity/user/create", url.Values{"corp_id": {teamID}, "area_code": {"86"}, "mobile": {"13944440002"}}, "Authorization", "Bearer "+token))
	want("/api/user/activation", 200, post("/api/user/activation", url.Values{"activation_code": {invitation}, "password": {cliInvitedPassword}}))
	want("/api/user/logout", 200, post("/api/user/logout", url.Values{"access_token": {session}}))

	cancel()
	select {
	case exit := <-done:
		if exit != 0 {
			t.Fatalf("serve exited %d", exit)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if len(session) < 22 || len(token) < 22 || code == "" {
		t.Fatalf("serve issued a session of %d characters, a token of %d and a code of %d", len(session), len(token), len(code))
	}
	issued := map[string]string{"session token": session, "access token": token, "activation code": code}
	return cliOutput{"serve", stdout.String(), stderr.String()}, issued
}
