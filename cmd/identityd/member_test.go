package main

import (
	"strings"
	"testing"

	"github.com/embedid/identity/storage/storagetest"
)

// TestMemberCommands imports members with identityd, on each backend, and
// finds them again with member list and member show.
func TestMemberCommands(t *testing.T) {
	for _, backend := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", tempDSN},
		{"postgres", func(t *testing.T) string { return storagetest.PostgresDSN(t) }},
	} {
		t.Run(backend.name, func(t *testing.T) { memberCommandsOn(t, backend.dsn(t)) })
	}
}

func memberCommandsOn(t *testing.T, dsn string) {
	teamID := wantID(t, mustRun(t, nil, []string{"team_id"}, "team", "create", "-db", dsn, "-name", "Acme"), "team_id")
	file := writeCSV(t, "email,first_name,last_name,role,mobile",
		"dan@example.com,Dan,Fine,3,+8615204130007",
		"Eve@Example.com,Eve,Good,2,",
		"fay@example.com,Fay,Other,3,",
	)
	mustRun(t, nil, []string{"imported", "invited"}, "import", "-db", dsn, "-team", teamID, file)

	v := mustRun(t, nil, []string{"members", "total", "page", "size"},
		"member", "list", "-db", dsn, "-team", teamID, "-search", "e", "-size", "2", "-json")
	ms, _ := v["members"].([]any)
	if v["total"] != 3.0 || v["page"] != 1.0 || len(ms) != 2 {
		t.Fatalf("member list printed %v", v)
	}
	first, _ := ms[0].(map[string]any)
	if first["mail_address"] != "dan@example.com" || first["status"] != "pending" || first["role"] != 3.0 || first["mobile"] != "+8615204130007" {
		t.Errorf("first member: %v", first)
	}
	danID := wantID(t, first, "user_id")

	v = mustRun(t, nil, []string{"members", "total", "page", "size"},
		"member", "list", "-db", dsn, "-team", teamID, "-search", "eve", "-json")
	if ms, _ := v["members"].([]any); v["total"] != 1.0 || len(ms) != 1 || ms[0].(map[string]any)["mail_address"] != "Eve@Example.com" {
		t.Errorf("searching eve printed %v", v)
	}

	r := runCLI(t, nil, "member", "list", "-db", dsn, "-team", teamID, "-size", "2")
	if r.code != 0 {
		t.Fatalf("member list: exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"USER_ID", danID + "  dan@example.com  Dan Fine", "3 (member)", "pending", "members 1-2 of 3; the next page: -page 2"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the table lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runCLI(t, nil, "member", "list", "-db", dsn, "-team", teamID, "-size", "2", "-page", "2")
	if r.code != 0 || !strings.Contains(r.stdout, "fay@example.com") || !strings.HasSuffix(r.stdout, "members 3-3 of 3\n") {
		t.Errorf("page 2: exit %d, stdout:\n%s", r.code, r.stdout)
	}

	show := mustRun(t, nil, []string{"user_id", "mail_address", "first_name", "last_name", "mobile", "role", "status", "claimed", "created_at"},
		"member", "show", "-db", dsn, "-team", teamID, "-user", danID)
	if show["user_id"] != danID || show["first_name"] != "Dan" || show["claimed"] != false {
		t.Errorf("member show printed %v", show)
	}

	other := wantID(t, mustRun(t, nil, []string{"team_id"}, "team", "create", "-db", dsn, "-name", "Other"), "team_id")
	r = runCLI(t, nil, "member", "show", "-db", dsn, "-team", other, "-user", danID)
	if r.code != 1 || r.stdout != "" || !strings.Contains(lastLine(r.stderr), "user_id: no such member in this team") {
		t.Errorf("showing a member of another team: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runCLI(t, nil, "member", "list", "-db", dsn, "-team", other)
	if r.code != 0 || !strings.HasSuffix(r.stdout, "no members on page 1; 0 members in all\n") {
		t.Errorf("listing an empty team: exit %d, stdout %q", r.code, r.stdout)
	}
}
