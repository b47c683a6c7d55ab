package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
)

// activeTeam is a signed-up, activated team and its first admin.
type activeTeam struct {
	teamID, adminID string
}

// signedUpTeam signs up a team with its admin in the database at dsn and
// activates it, as the HTTP sign-up would.
func signedUpTeam(t *testing.T, dsn, email string) activeTeam {
	t.Helper()
	ctx := t.Context()
	store, err := storage.Open(ctx, dsn, storage.WithMigrate())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var code string
	notify := identity.NotifierFunc(func(_ context.Context, n identity.Notification) error {
		code = n.Code
		return nil
	})
	svc, err := identity.New(store, identity.WithNotifier(notify), identity.WithBcryptCost(4))
	if err != nil {
		t.Fatal(err)
	}
	const password = "correct horse"
	res, err := svc.SignUp(ctx, identity.SignUp{
		FirstName: "Ada", LastName: "Admin", Email: email, BusinessName: "Acme " + email,
		Phone: "+86 152 0413 0006", Password: password, Region: "CN",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Activate(ctx, code, ""); err != nil {
		t.Fatal(err)
	}
	return activeTeam{res.Team.ID, res.User.ID}
}

// writeCSV writes a CSV file and returns its path.
func writeCSV(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "members.csv")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// logLines decodes the JSON log lines of stderr whose message is msg.
func logLines(t *testing.T, stderr, msg string) []map[string]any {
	t.Helper()
	var found []map[string]any
	for line := range strings.Lines(stderr) {
		var v map[string]any
		if json.Unmarshal([]byte(line), &v) == nil && v["msg"] == msg {
			found = append(found, v)
		}
	}
	return found
}

func TestImport(t *testing.T) {
	file := writeCSV(t,
		"mail_address,first_name,last_name,password,role,mobile",
		"bob@example.com,Bob,Builder,s3cret-pass-word,3,15204130007",
		"carol@example.com,Carol,Manager,,2,",
	)
	env := map[string]string{"IDENTITYD_BCRYPT_COST": "4"}
	for _, explicit := range []bool{false, true} {
		dsn := tempDSN(t)
		ta := signedUpTeam(t, dsn, "ada@example.com")
		args := []string{"import", "-db", dsn, "-team", ta.teamID, file}
		if explicit {
			args = slices.Insert(args, 5, "-as", ta.adminID)
		}
		r := runCLI(t, env, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		v := jsonLine(t, r.stdout, []string{"imported", "invited"})
		if v["imported"] != 2.0 || v["invited"] != 1.0 {
			t.Errorf("%v printed %v, want 2 imported, 1 invited", args, v)
		}
		sent := logLines(t, r.stderr, "notification")
		if len(sent) != 1 || sent[0]["kind"] != "invitation" || sent[0]["to"] != "carol@example.com" ||
			sent[0]["team_id"] != ta.teamID || len(sent[0]["code"].(string)) < 20 || sent[0]["user_id"] == "" {
			t.Errorf("notifications logged: %v", sent)
		}
		if strings.Contains(r.stderr, "s3cret-pass-word") {
			t.Errorf("a password was logged: %s", r.stderr)
		}
	}
}

func TestImportBadRows(t *testing.T) {
	dsn := tempDSN(t)
	ta := signedUpTeam(t, dsn, "ada@example.com")
	file := writeCSV(t,
		"email,first_name,last_name,role",
		"dan@example.com,Dan,Fine,3",
		"not-an-email,Eve,Bad,3",
		"fay@example.com,Fay,Admin,1",
	)
	r := runCLI(t, nil, "import", "-db", dsn, "-team", ta.teamID, file)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	v := jsonLine(t, r.stdout, []string{"imported", "errors"})
	var rows []rowError
	b, _ := json.Marshal(v["errors"])
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	if v["imported"] != 0.0 || len(rows) != 2 || rows[0].Line != 3 || rows[0].Column != "mail_address" ||
		rows[1].Line != 4 || rows[1].Column != "role" || rows[0].Reason == "" {
		t.Errorf("printed %s", r.stdout)
	}
	if got := lastLine(r.stderr); !strings.HasPrefix(got, "identityd: import: 2 bad rows") {
		t.Errorf("stderr ends with %q", got)
	}
	if sent := logLines(t, r.stderr, "notification"); len(sent) != 0 {
		t.Errorf("a failed import sent %v", sent)
	}
}

func TestImportActor(t *testing.T) {
	dsn := tempDSN(t)
	ta := signedUpTeam(t, dsn, "ada@example.com")
	file := writeCSV(t, "email,first_name,last_name", "dan@example.com,Dan,Fine")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-team", ta.teamID, "-as", "0123"}, "-as 0123: "},
		{[]string{"-team", "0123"}, "-team 0123: "},
	} {
		r := runCLI(t, nil, append(append([]string{"import", "-db", dsn}, tc.args...), file)...)
		if r.code != 1 || r.stdout != "" || !strings.Contains(lastLine(r.stderr), tc.want) {
			t.Errorf("import %v: exit %d, stdout %q, stderr %q; want exit 1 and %q", tc.args, r.code, r.stdout, r.stderr, tc.want)
		}
	}
}

func TestImportIntoTeamWithoutMembers(t *testing.T) {
	dsn := tempDSN(t)
	empty := wantID(t, mustRun(t, nil, []string{"team_id"}, "team", "create", "-db", dsn, "-name", "Empty"), "team_id")
	file := writeCSV(t, "email,first_name,last_name,role", "dan@example.com,Dan,Fine,2")
	r := runCLI(t, nil, "import", "-db", dsn, "-team", empty, file)
	if r.code != 0 || r.stdout != `{"imported":1,"invited":1}`+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, lastLine(r.stderr))
	}
}

func TestImportStdin(t *testing.T) {
	dsn := tempDSN(t)
	ta := signedUpTeam(t, dsn, "ada@example.com")
	var stdout, stderr strings.Builder
	in := strings.NewReader("email,first_name,last_name,password\ndan@example.com,Dan,Fine,long-enough\n")
	code := run(t.Context(), []string{"import", "-db", dsn, "-team", ta.teamID, "-bcrypt-cost", "4", "-"}, in, &stdout, &stderr, func(string) string { return "" })
	if code != 0 || stdout.String() != `{"imported":1,"invited":0}`+"\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// TestImportIDs imports with -ids: the answer lists each new member's user
// ID and address, which member show finds.
func TestImportIDs(t *testing.T) {
	dsn := tempDSN(t)
	ta := signedUpTeam(t, dsn, "ada@example.com")
	file := writeCSV(t, "email,first_name,last_name", "dan@example.com,Dan,Fine", "Eve@Example.com,Eve,Good")
	v := mustRun(t, nil, []string{"imported", "invited", "members"}, "import", "-db", dsn, "-team", ta.teamID, "-ids", file)
	ms, _ := v["members"].([]any)
	if len(ms) != 2 {
		t.Fatalf("printed %v", v)
	}
	for i, want := range []string{"dan@example.com", "Eve@Example.com"} {
		m, _ := ms[i].(map[string]any)
		id := wantID(t, m, "user_id")
		if m["mail_address"] != want || len(m) != 2 {
			t.Errorf("member %d: %v, want %s", i, m, want)
		}
		shown := mustRun(t, nil, []string{"user_id", "mail_address", "first_name", "last_name", "role", "status", "claimed", "created_at"},
			"member", "show", "-db", dsn, "-team", ta.teamID, "-user", id)
		if shown["mail_address"] != want {
			t.Errorf("member show -user %s printed %v", id, shown)
		}
	}
}

// TestImportFileErrors imports files refused as a whole: the answer is a
// JSON line like that of bad rows, with the reason in the column "file".
func TestImportFileErrors(t *testing.T) {
	dsn := tempDSN(t)
	ta := signedUpTeam(t, dsn, "ada@example.com")
	for _, tc := range []struct {
		file, want string
	}{
		{filepath.Join(t.TempDir(), "missing.csv"), "no such file or directory"},
		{writeCSV(t, "first_name,last_name", "Dan,Fine"), "line 1: the header must name the column mail_address"},
		{writeCSV(t, "email,first_name,last_name"), "has a header but no rows"},
	} {
		r := runCLI(t, nil, "import", "-db", dsn, "-team", ta.teamID, tc.file)
		v := jsonLine(t, r.stdout, []string{"imported", "errors"})
		rows, _ := v["errors"].([]any)
		if r.code != 1 || len(rows) != 1 || !strings.Contains(lastLine(r.stderr), tc.want) {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", tc.file, r.code, r.stdout, r.stderr)
		}
		row, _ := rows[0].(map[string]any)
		if row["column"] != "file" || !strings.Contains(row["reason"].(string), tc.want) || strings.HasPrefix(row["reason"].(string), "file:") || row["line"] != nil {
			t.Errorf("%s: printed %s", tc.file, r.stdout)
		}
	}
}

// TestImportOneBadRow imports a file with one line too short: the error
// says 1 bad row, and how many fields the line has and the header names.
func TestImportOneBadRow(t *testing.T) {
	dsn := tempDSN(t)
	ta := signedUpTeam(t, dsn, "ada@example.com")
	r := runCLI(t, nil, "import", "-db", dsn, "-team", ta.teamID, writeCSV(t, "email,first_name,last_name,role,mobile", "dan@example.com,Dan,Fine,3"))
	const want = "identityd: import: 1 bad row; nothing was imported; line 2: has 4 fields; the header names 5"
	if r.code != 1 || lastLine(r.stderr) != want {
		t.Errorf("exit %d, stderr %q; want %q", r.code, r.stderr, want)
	}
}

func TestHidingNotifications(t *testing.T) {
	var out strings.Builder
	a := &aside{name: filepath.Join(t.TempDir(), asideFile)}
	log := slog.New(hiding{slog.NewJSONHandler(&out, nil), slog.NewJSONHandler(a, nil)}).With("k", "v")
	logNotifier(log).Notify(t.Context(), identity.Notification{Kind: "invitation", To: "a@example.com", Code: "s3cret-code"})
	log.Info("members imported")
	n, err := a.close()
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 || strings.Contains(out.String(), "s3cret-code") || !strings.Contains(out.String(), `"msg":"members imported","k":"v"`) {
		t.Errorf("set aside %d, shown %q", n, out.String())
	}
	kept, err := os.ReadFile(a.name)
	if st, serr := os.Stat(a.name); err != nil || serr != nil || st.Mode().Perm() != 0o600 || !strings.Contains(string(kept), `"code":"s3cret-code"`) || !strings.Contains(string(kept), `"k":"v"`) {
		t.Errorf("the file set aside: %v, %q", err, kept)
	}
}

func TestEstimateHashing(t *testing.T) {
	var out strings.Builder
	log := slog.New(slog.NewJSONHandler(&out, nil))
	estimateHashing(t.Context(), log, 4, 1)
	if out.Len() != 0 {
		t.Errorf("one password at cost 4 is worth an estimate: %s", out.String())
	}
	estimateHashing(t.Context(), log, 4, 100_000_000)
	got := logLines(t, out.String(), "hashing passwords")
	if len(got) != 1 || got[0]["passwords"] != 1e8 || got[0]["bcrypt_cost"] != 4.0 || got[0]["estimate"] == "" || got[0]["cores"] == nil {
		t.Errorf("logged %s", out.String())
	}
}
