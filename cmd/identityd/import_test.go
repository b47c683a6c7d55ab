package main

import (
	"context"
	"encoding/json"
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
