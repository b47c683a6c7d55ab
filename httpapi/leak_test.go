package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
)

// logRecorder keeps every log record, rendered with all its attributes
// twice: as a text line and as a JSON line.
type logRecorder struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logRecorder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logRecorder) logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	return slog.New(teeHandler{slog.NewTextHandler(l, opts), slog.NewJSONHandler(l, opts)})
}

func (l *logRecorder) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(strings.TrimSuffix(l.buf.String(), "\n"), "\n")
}

// teeHandler hands every record to each of its handlers.
type teeHandler []slog.Handler

func (h teeHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h teeHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, x := range h {
		if err := x.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}

func (h teeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make(teeHandler, len(h))
	for i, x := range h {
		out[i] = x.WithAttrs(attrs)
	}
	return out
}

func (h teeHandler) WithGroup(name string) slog.Handler {
	out := make(teeHandler, len(h))
	for i, x := range h {
		out[i] = x.WithGroup(name)
	}
	return out
}

// exchange is a request served and its whole answer.
type exchange struct {
	route        string // method and path
	status       int
	header, body string
}

func (x exchange) text() string { return x.header + "\n" + x.body }

// tap records every exchange of the handler it wraps.
type tap struct {
	next http.Handler
	mu   sync.Mutex
	seen []exchange
}

func (t *tap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	t.next.ServeHTTP(rec, r)
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
	var header strings.Builder
	rec.Header().Write(&header)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seen = append(t.seen, exchange{route: r.Method + " " + r.URL.Path, status: rec.Code, header: header.String(), body: rec.Body.String()})
}

// leakForm is one way a secret could be written out.
type leakForm struct{ name, text string }

// leakSecret is a secret with every form it must not appear in.
type leakSecret struct {
	what  string
	forms []leakForm
	// plain is the secret itself, and issuedBy the exchange that issued it
	// (-1 for none), the one answer that may carry plain.
	plain    string
	issuedBy int
}

// noIssuance is the issuedBy of a secret no answer issues.
const noIssuance = -1

// describe names a secret without printing it: its kind and a prefix.
func describe(what, value string) string {
	return fmt.Sprintf("%s %.6s…", what, value)
}

// hashForms are the forms of a hash, or any bytes, as code could write them:
// hex (%x), base64 in its four alphabets (slog's JSON of []byte is standard
// base64), quoted (slog's text of []byte), raw, and fmt's %v.
func hashForms(what string, b []byte) []leakForm {
	quoted := strconv.Quote(string(b))
	return []leakForm{
		{"hex " + what, hex.EncodeToString(b)},
		{"base64 " + what, base64.StdEncoding.EncodeToString(b)},
		{"unpadded base64 " + what, base64.RawStdEncoding.EncodeToString(b)},
		{"base64url " + what, base64.URLEncoding.EncodeToString(b)},
		{"unpadded base64url " + what, base64.RawURLEncoding.EncodeToString(b)},
		{"quoted " + what, quoted[1 : len(quoted)-1]},
		{"raw " + what, string(b)},
		{"%v of " + what, fmt.Sprint(b)},
	}
}

// plainSecret is a secret people type or are given, with its SHA-256 (what
// the store keeps of tokens, client secrets and codes) in every form.
func plainSecret(what, value string, issuedBy int) leakSecret {
	sum := sha256.Sum256([]byte(value))
	forms := append([]leakForm{{what, value}}, hashForms("SHA-256 of the "+what, sum[:])...)
	forms = append(forms, leakForm{"base64 of the " + what, base64.StdEncoding.EncodeToString([]byte(value))})
	return leakSecret{what: describe(what, value), forms: forms, plain: value, issuedBy: issuedBy}
}

// storedSecret is a value read from a column that holds a hash; its raw
// form is the bcrypt text of a password hash.
func storedSecret(what string, b []byte) leakSecret {
	return leakSecret{what: describe(what, hex.EncodeToString(b)), forms: hashForms(what, b), issuedBy: noIssuance}
}

// found returns the first form of sec that text carries, if any. The plain
// secret does not count in its issuance, the answer that issued it.
func (sec leakSecret) found(text string, issuance bool) (string, bool) {
	for _, f := range sec.forms {
		if len(f.text) < 12 || f.text == sec.plain && issuance {
			continue
		}
		if strings.Contains(text, f.text) {
			return f.name, true
		}
	}
	return "", false
}

// masked returns text with every form of every secret replaced by its
// prefix, so that a failure message never prints a secret.
func masked(text string, secrets []leakSecret) string {
	for _, sec := range secrets {
		for _, f := range sec.forms {
			if len(f.text) >= 12 {
				text = strings.ReplaceAll(text, f.text, fmt.Sprintf("<%.6s…>", f.text))
			}
		}
	}
	return bcryptHash.ReplaceAllString(text, "<bcrypt…>")
}

// storedHashes reads every hash the store keeps: bcrypt password hashes and
// the SHA-256 of sessions, access tokens, codes and client secrets.
func storedHashes(t *testing.T, st storage.Store) []leakSecret {
	t.Helper()
	var out []leakSecret
	for what, query := range map[string]string{
		"stored password hash":      "SELECT password_hash FROM users WHERE password_hash IS NOT NULL",
		"stored team password hash": "SELECT password_hash FROM memberships WHERE password_hash IS NOT NULL",
		"stored session hash":       "SELECT hash FROM sessions",
		"stored access token hash":  "SELECT hash FROM tokens",
		"stored code hash":          "SELECT hash FROM codes",
		"stored client secret hash": "SELECT secret_hash FROM applications",
	} {
		rows, err := st.(*storage.DB).Bun().DB.QueryContext(context.Background(), query)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			if len(b) > 0 {
				out = append(out, storedSecret(what, b))
			}
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// storedEvents returns every stored event, each as the text of its row.
func storedEvents(t *testing.T, st storage.Store) []string {
	t.Helper()
	rows, err := st.(*storage.DB).Bun().DB.QueryContext(context.Background(),
		"SELECT team_id, actor_kind, actor_id, action, user_id, address, fields FROM events")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		cols := make([]string, 7)
		ptrs := make([]any, len(cols))
		for i := range cols {
			ptrs[i] = &cols[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join(cols, " "))
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		t.Fatalf("%d events: %v", len(out), err)
	}
	return out
}

// Passwords of the leak test: each is typed once or twice and must never
// be written back.
const (
	leakAdminPassword    = "leak-admin-password-1"
	leakMismatchPassword = "leak-mismatched-password"
	leakWrongPassword    = "leak-wrong-password-2"
	leakMemberPassword   = "leak-member-password-3"
	leakMemberPassword2  = "leak-member-password-4"
	leakImportPassword   = "leak-import-password-5"
	leakBadRowPassword   = "leak-bad-row-password-6"
	leakInvitedPassword  = "leak-invited-password-7"
	leakLatePassword     = "leak-late-password-8"
	leakWrongSecret      = "leak-wrong-client-secret-9"
	leakResetPassword    = "leak-reset-password-10"
	leakMigratedPassword = "leak-migrated-password-11"
	// leakLegacyHash is leakMigratedPassword as a system migrated from kept
	// it: unsalted MD5, imported by a CSV row and replaced at the first login.
	leakLegacyHash = "92bf311ce546af03d8137af11238465e"
)

var leakPasswords = []string{
	leakAdminPassword, leakMismatchPassword, leakWrongPassword, leakMemberPassword, leakMemberPassword2,
	leakImportPassword, leakBadRowPassword, leakInvitedPassword, leakLatePassword, leakWrongSecret, leakResetPassword,
	leakMigratedPassword, leakScimPassword, leakScimPassword2, leakScimPassword3, leakScimShort,
}

// driveEverything calls every endpoint, with successes and the usual
// failures, and returns team A's application. st is left open.
func driveEverything(s *server) app {
	t := s.t
	ctx := context.Background()
	const email = "lena.admin@leak.example"
	signUp := func(email, pw, confirm string) *reply {
		return s.form("/api/user/signup", map[string]string{"first_name": "Lena", "last_name": "Admin", "email_address": email,
			"business_name": "Leak Labs", "phone": "+86 10 5555 0101", "password": pw, "confirm_password": confirm, "plan_id": "1"})
	}
	as := func(session, path string, params map[string]string) *reply {
		p := map[string]string{"auth_token": session}
		maps.Copy(p, params)
		return s.form("/api/user/"+path, p)
	}

	// Sign-up, codes, activation.
	signUp(email, leakAdminPassword, leakAdminPassword).ok(t, nil)
	signUp("other@leak.example", leakAdminPassword, leakMismatchPassword).fail(t, http.StatusBadRequest, "confirm_password")
	first := s.box.Last(t, email)
	teamID, adminID := first.TeamID, first.UserID
	s.form("/api/user/getactivationcode", map[string]string{"activation_code": first.Code}).ok(t, nil)
	s.form("/api/user/activation", map[string]string{"activation_code": first.Code}).fail(t, http.StatusBadRequest, "activation_code")
	s.form("/api/user/activation", map[string]string{"activation_code": s.box.Last(t, email).Code}).ok(t, nil)
	signUp(email, leakAdminPassword, leakAdminPassword).fail(t, http.StatusConflict, "email_address") // claimed now

	// Logging in.
	s.form("/api/user/login/checkmail", map[string]string{"email_address": email}).ok(t, nil)
	s.form("/api/user/login", map[string]string{"email_address": email, "password": leakWrongPassword, "team_id": teamID}).fail(t, http.StatusUnauthorized, "")
	session := s.login(email, leakAdminPassword, teamID)
	var kept struct {
		SessionID string `json:"session_id"`
	}
	s.form("/api/user/login", map[string]string{"email_address": email, "password": leakAdminPassword, "team_id": teamID, "keep_me_login": "true"}).ok(t, &kept)

	// The team and its members.
	as(session, "list", map[string]string{"search_key": "lena"}).ok(t, nil)
	as(session, "info", nil).ok(t, nil)
	as(session, "getteam", map[string]string{"team_id": teamID}).ok(t, nil)
	as(session, "updateteamprofile", map[string]string{"team_update_id": teamID, "team_name": "Leak Labs", "phone_number": "+86 10 5555 0101", "company_size": "1-10"}).ok(t, nil)
	member := func(mail, pw, confirm string) *reply {
		return as(session, "create", map[string]string{"first_name": "Max", "last_name": "Member", "mail_address": mail,
			"password": pw, "confirm_password": confirm, "user_role": "3"})
	}
	var m user
	member("max.member@leak.example", leakMemberPassword, leakMemberPassword).ok(t, &m)
	member("mia.member@leak.example", leakMemberPassword, leakMismatchPassword).fail(t, http.StatusBadRequest, "confirm_password")
	p, err := s.svc.CreateProject(ctx, teamID, "Leaky Project")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.svc.AddProjectMember(ctx, p.ID, m.UserID, 2); err != nil {
		t.Fatal(err)
	}
	as(session, "project", map[string]string{"project_id": p.ID}).ok(t, nil)
	as(session, "project", map[string]string{"project_id": "nope"}).fail(t, http.StatusNotFound, "project_id")
	s.multipart("/api/user/importusercsv", map[string]string{"auth_token": session},
		"mail_address,first_name,last_name,password,mobile\nimported@leak.example,Imp,Orted,"+leakImportPassword+",13933330001\ninvited@leak.example,In,Vited,,\n").ok(t, nil)
	s.multipart("/api/user/importusercsv", map[string]string{"auth_token": session},
		"mail_address,first_name,last_name,password,role\nbad@leak.example,Bad,Row,"+leakBadRowPassword+",1\n").fail(t, http.StatusBadRequest, "")
	// A member migrated with their old system's hash: refused without
	// allow_weak_hashes, then imported, logged in (wrong, then right: the
	// hash is verified and replaced by bcrypt).
	legacy := "mail_address,first_name,last_name,password_hash\nmigrated@leak.example,Mig,Rated," + leakLegacyHash + "\n"
	s.multipart("/api/user/importusercsv", map[string]string{"auth_token": session}, legacy).fail(t, http.StatusBadRequest, "")
	s.multipart("/api/user/importusercsv", map[string]string{"auth_token": session, "allow_weak_hashes": "true"}, legacy).ok(t, nil)
	s.form("/api/user/login", map[string]string{"email_address": "migrated@leak.example", "password": leakWrongPassword, "team_id": teamID}).fail(t, http.StatusUnauthorized, "")
	s.login("migrated@leak.example", leakMigratedPassword, teamID)
	invited := s.box.Last(t, "invited@leak.example")
	s.form("/api/user/activation", map[string]string{"activation_code": invited.Code, "password": leakInvitedPassword}).ok(t, nil)

	// A forgotten password: the imported member's.
	for _, addr := range []string{"imported@leak.example", "nobody@leak.example"} {
		s.form("/api/user/forgotpassword", map[string]string{"email_address": addr}).ok(t, nil)
	}
	reset := s.box.Last(t, "imported@leak.example").Code
	s.form("/api/user/resetpassword", map[string]string{"reset_code": reset, "new_password": leakResetPassword, "confirm_new_password": leakMismatchPassword}).fail(t, http.StatusBadRequest, "confirm_new_password")
	s.form("/api/user/resetpassword", map[string]string{"reset_code": reset, "new_password": leakResetPassword, "confirm_new_password": leakResetPassword}).ok(t, nil)
	s.form("/api/user/resetpassword", map[string]string{"reset_code": reset, "new_password": leakResetPassword, "confirm_new_password": leakResetPassword}).fail(t, http.StatusBadRequest, "reset_code")

	// A member's own changes.
	mine := s.login("max.member@leak.example", leakMemberPassword, teamID)
	as(mine, "update", map[string]string{"user_update_id": m.UserID, "first_name": "Max", "last_name": "Member", "lang": "en"}).ok(t, nil)
	as(session, "profile", map[string]string{"user_id": m.UserID}).ok(t, nil)
	as(mine, "changepassword", map[string]string{"confirm_old_password": leakWrongPassword, "new_password": leakMemberPassword2, "confirm_new_password": leakMemberPassword2}).fail(t, http.StatusBadRequest, "confirm_old_password")
	as(mine, "changepassword", map[string]string{"confirm_old_password": leakMemberPassword, "new_password": leakMemberPassword2, "confirm_new_password": leakMemberPassword2}).ok(t, nil)
	as(mine, "changeemail", map[string]string{"mail_adress": "max.renamed@leak.example"}).ok(t, nil)
	as(session, "remove", map[string]string{"user_id": invited.UserID}).ok(t, nil)
	as(session, "remove", map[string]string{"user_id": adminID}).fail(t, http.StatusForbidden, "user_id")
	s.form("/api/user/logout", map[string]string{"access_token": kept.SessionID}).ok(t, nil)
	s.form("/api/user/logout", map[string]string{"access_token": kept.SessionID}).fail(t, http.StatusUnauthorized, "auth_token")
	s.form("/api/user/nope", map[string]string{"auth_token": session}).fail(t, http.StatusNotFound, "")
	extra := s.login(email, leakAdminPassword, teamID)
	var open []struct {
		ID      string `json:"id"`
		Current bool   `json:"current"`
	}
	as(extra, "sessions", nil).ok(t, &open)
	extraID := ""
	for _, o := range open {
		if o.Current {
			extraID = o.ID
		}
	}
	as(session, "sessions/revoke", nil).fail(t, http.StatusBadRequest, "session_id")
	as(session, "sessions/revoke", map[string]string{"session_id": "nope"}).fail(t, http.StatusNotFound, "session_id")
	as(session, "sessions/revoke", map[string]string{"session_id": extraID}).ok(t, nil)
	as(session, "sessions/revoke", map[string]string{"user_id": m.UserID, "all": "true"}).ok(t, nil)
	as(session, "sessions/revoke", map[string]string{"all": "true"}).ok(t, nil)
	as(session, "events", map[string]string{"page_size": "1000"}).ok(t, nil)
	as(session, "events", map[string]string{"user_id": m.UserID, "action": "member.created", "after": "1000000"}).ok(t, nil)
	as(session, "events", map[string]string{"action": "member.invented"}).fail(t, http.StatusBadRequest, "action")

	// Applications: the secret comes from the Go API; tokens from the
	// endpoint, with the body or Basic authentication.
	a := s.newApp(teamID, "all")
	token := func(header []string, body string) *reply {
		return s.tokenRequest("198.51.100.7", formType, body, header...)
	}
	token(nil, grant(a.clientID, leakWrongSecret)).refused(t, http.StatusUnauthorized, "invalid_client", "")
	token([]string{"Authorization", basic(a.clientID, a.secret)}, "grant_type=client_credentials").data(t, nil)
	token([]string{"Authorization", basic(a.clientID, leakWrongSecret)}, "grant_type=client_credentials").refused(t, http.StatusUnauthorized, "invalid_client", "")
	token(nil, "grant_type=password").refused(t, http.StatusBadRequest, "unsupported_grant_type", "")

	// v5, tenant v2, the portal, the reference and the unknown paths.
	v5 := func(method, path string, params map[string]string) *reply {
		params["corp_id"] = teamID
		if method == http.MethodGet {
			return s.get(a.token, "/api/v5/entity/"+path, params)
		}
		return s.post(a.token, "/api/v5/entity/"+path, params)
	}
	u := s.created(a, "13933330002", "vera.five@leak.example")
	v5(http.MethodGet, "profile/fetch", map[string]string{"user_id": u}).data(t, nil)
	v5(http.MethodGet, "profile/fetch", map[string]string{"user_id": "nope"}).refused(t, http.StatusNotFound, "40400", "user_id")
	v5(http.MethodPost, "user/owner/update", map[string]string{"user_id": u, "owner_id": m.UserID, "event_type": "add"}).data(t, nil)
	v5(http.MethodPost, "user/owner/update", map[string]string{"user_id": u, "owner_id": m.UserID, "event_type": "remove"}).data(t, nil)
	v5(http.MethodPost, "user/pool/update", map[string]string{"user_id": u, "pool": "public"}).data(t, nil)
	v5(http.MethodPost, "user/email/update", map[string]string{"user_id": u, "email": "vera.new@leak.example"}).data(t, nil)
	for _, kind := range []string{"mobile", "email", "mobile_backup"} {
		v5(http.MethodGet, "user/contact/fetch", map[string]string{"user_id": u, "contact_type": kind}).data(t, nil)
	}
	s.call("", http.MethodGet, "/api/v5/entity/profile/fetch?corp_id="+teamID, "").refused(t, http.StatusUnauthorized, "40100", "access_token")
	s.call(a.token, http.MethodGet, "/api/v5/entity/nope", "").refused(t, http.StatusNotFound, "40400", "")
	s.post(a.token, "/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": "13933330002"}).data(t, nil)
	s.call(a.token, http.MethodGet, "/api/v2/tenant/users/"+u, "").data(t, nil)
	s.call(a.token, http.MethodGet, "/api/v2/tenant/users/nope", "").refused(t, http.StatusBadRequest, "USER.0001", "")
	s.call(a.token, http.MethodGet, "/api/v2/tenant/nope", "").refused(t, http.StatusNotFound, "API.0001", "")
	s.post(a.token, "/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": teamID, "email": "vera.new@leak.example"}).data(t, nil)
	s.post(a.token, "/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": teamID, "email": "nobody@leak.example"}).refused(t, http.StatusNotFound, "31404", "")
	s.call(a.token, http.MethodGet, "/app-portal-service/nope", "").refused(t, http.StatusNotFound, "31404", "")
	s.openapiReply(a.token, "")

	// Revocation and introspection of a second token, with the body or
	// Basic authentication.
	spare := s.tokenFor(a.clientID, a.secret)
	about := func(path string, header []string, body string) *reply {
		return s.oauthRequest(path, "198.51.100.7", formType, body, header...)
	}
	about(introspectPath, nil, withToken(a.clientID, a.secret, spare)).data(t, nil)
	about(introspectPath, nil, withToken(a.clientID, leakWrongSecret, spare)).refused(t, http.StatusUnauthorized, "invalid_client", "client_secret")
	about(revokePath, []string{"Authorization", basic(a.clientID, leakWrongSecret)}, "token="+spare).refused(t, http.StatusUnauthorized, "invalid_client", "client_secret")
	about(revokePath, []string{"Authorization", basic(a.clientID, a.secret)}, "token="+spare).data(t, nil)
	about(introspectPath, nil, withToken(a.clientID, a.secret, spare)).data(t, nil)
	about(revokePath, nil, "token="+spare).refused(t, http.StatusUnauthorized, "invalid_client", "client_id")
	driveSCIM(t, s, a, m.UserID)
	return a
}

// failEverything calls a few endpoints of every family on a store that is
// closed: each answers a 500 and logs the cause.
func failEverything(s *server, st storage.Store, a app) {
	t := s.t
	if err := st.(*storage.DB).Bun().DB.Close(); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*reply{
		s.form("/api/user/login", map[string]string{"email_address": "lena.admin@leak.example", "password": leakAdminPassword, "team_id": a.teamID}),
		s.form("/api/user/signup", map[string]string{"first_name": "Late", "last_name": "Comer", "email_address": "late@leak.example",
			"business_name": "Late", "phone": "1", "password": leakLatePassword, "confirm_password": leakLatePassword, "plan_id": "1"}),
		s.form("/api/v2/tenant/token", map[string]string{"grant_type": "client_credentials", "client_id": a.clientID, "client_secret": a.secret}),
		s.oauthRequest(revokePath, "192.0.2.1", formType, withToken(a.clientID, a.secret, a.token)),
		s.oauthRequest(introspectPath, "192.0.2.1", formType, withToken(a.clientID, a.secret, a.token)),
		s.get(a.token, "/api/v5/entity/profile/fetch", map[string]string{"corp_id": a.teamID, "user_id": "x"}),
		s.call(a.token, http.MethodGet, "/api/v2/tenant/users/x", ""),
		s.post(a.token, "/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": a.teamID, "email": "a@leak.example"}),
		s.call(a.token, http.MethodGet, "/scim/v2/Users", ""),
	} {
		if r.Status != http.StatusInternalServerError {
			t.Errorf("on a closed store: status %d: %s", r.Status, r.Body)
		}
	}
}

// TestNoSecretLeaks drives every endpoint, successes and failures (500s
// included), with a logger that records every line, and checks that no
// answer (headers and body) and no log line carries a password, a bcrypt
// hash, a hash the store keeps, an activation or invitation code, or a
// session token, access token or client secret other than in the answer
// that issued it.
func TestNoSecretLeaks(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, st storage.Store) {
		logs := &logRecorder{}
		s := newServer(t, st, httpapi.Options{}, identity.WithLogger(logs.logger()))
		mux := s.remount(httpapi.Options{Logger: logs.logger()})
		exchanges := &tap{next: mux}
		s.handler = exchanges

		a := driveEverything(s)
		stored := storedHashes(t, st)
		events := storedEvents(t, st)
		failEverything(s, st, a)
		if none := mux.unserved(); len(none) > 0 {
			t.Errorf("no request reached %q: drive every route", none)
		}
		if !strings.Contains(strings.Join(logs.lines(), "\n"), "request failed") {
			t.Errorf("the failures were not logged: the log is not recorded")
		}

		// Every secret and where it was issued.
		secrets := stored
		for _, pw := range leakPasswords {
			secrets = append(secrets, plainSecret("password", pw, noIssuance))
		}
		for _, n := range s.box.Sent() {
			secrets = append(secrets, plainSecret(string(n.Kind)+" code", n.Code, noIssuance))
		}
		secrets = append(secrets, plainSecret("client secret", a.secret, noIssuance)) // issued by the Go API
		secrets = append(secrets, storedSecret("imported legacy hash", []byte(leakLegacyHash)))
		for i, x := range exchanges.seen {
			var issued struct {
				Result struct {
					SessionID string `json:"session_id"`
				} `json:"result"`
				AccessToken string `json:"access_token"`
			}
			if x.status != http.StatusOK || x.route != "POST /api/user/login" && x.route != "POST /api/v2/tenant/token" {
				continue
			}
			if err := json.Unmarshal([]byte(x.body), &issued); err != nil {
				t.Fatalf("%s (exchange %d): %v", x.route, i, err)
			}
			what, value := "session token", issued.Result.SessionID
			if x.route == "POST /api/v2/tenant/token" {
				what, value = "access token", issued.AccessToken
			}
			if len(value) < 22 {
				t.Fatalf("%s (exchange %d) issued a %s of %d characters", x.route, i, what, len(value))
			}
			secrets = append(secrets, plainSecret(what, value, i))
		}

		for i, x := range exchanges.seen {
			if bcryptHash.MatchString(x.text()) {
				t.Errorf("%s (exchange %d): the answer carries a bcrypt hash", x.route, i)
			}
			for _, sec := range secrets {
				if form, ok := sec.found(x.text(), i == sec.issuedBy); ok {
					t.Errorf("%s (exchange %d): the answer carries the %s (%s)", x.route, i, form, sec.what)
				}
			}
		}
		lines := logs.lines()
		for i, line := range lines {
			if bcryptHash.MatchString(line) {
				t.Errorf("log line %d carries a bcrypt hash", i)
			}
			for _, sec := range secrets {
				if form, ok := sec.found(line, false); ok {
					t.Errorf("log line %d carries the %s (%s): %s", i, form, sec.what, masked(line, secrets))
				}
			}
		}
		for i, text := range events {
			for _, sec := range secrets {
				if form, ok := sec.found(text, false); ok {
					t.Errorf("event %d carries the %s (%s)", i, form, sec.what)
				}
			}
			if strings.Contains(text, "@") {
				t.Errorf("event %d carries an email address: %s", i, text)
			}
		}
		t.Logf("%d answers, %d log lines and %d events checked for %d secrets", len(exchanges.seen), len(lines), len(events), len(secrets))
	})
}
