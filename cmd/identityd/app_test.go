package main

import (
	"encoding/json"
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
)

// TestAppCommands lists, re-permissions, disables, enables and rotates an
// application with identityd, on each backend, and checks each change
// through the Go API of another process on the same database.
func TestAppCommands(t *testing.T) {
	for _, backend := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", tempDSN},
		{"postgres", func(t *testing.T) string { return storagetest.PostgresDSN(t) }},
	} {
		t.Run(backend.name, func(t *testing.T) { appCommandsOn(t, backend.dsn(t)) })
	}
}

func appCommandsOn(t *testing.T, dsn string) {
	teamID := wantID(t, mustRun(t, nil, []string{"team_id"}, "team", "create", "-db", dsn, "-name", "Acme"), "team_id")
	app := mustRun(t, nil, []string{"client_id", "client_secret", "team_id", "permissions"},
		"app", "create", "-db", dsn, "-team", teamID, "-name", "CRM", "-permissions", "all")
	clientID, secret := wantID(t, app, "client_id"), app["client_secret"].(string)
	mustRun(t, nil, []string{"client_id", "client_secret", "team_id", "permissions"},
		"app", "create", "-db", dsn, "-team", teamID, "-name", "Audit", "-permissions", "read")

	store, err := storage.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc, err := identity.New(store, identity.WithTokenCache(0))
	if err != nil {
		t.Fatal(err)
	}
	issue := func(secret string) (identity.AccessToken, error) {
		return svc.IssueToken(t.Context(), clientID, secret, "")
	}
	view := []string{"client_id", "name", "team_id", "permissions", "disabled", "created_at"}
	field := func(v map[string]any, key string) string {
		b, _ := json.Marshal(v[key])
		return string(b)
	}

	listed := mustRun(t, nil, []string{"applications"}, "app", "list", "-db", dsn, "-team", teamID)["applications"].([]any)
	if len(listed) != 2 || listed[0].(map[string]any)["client_id"] != clientID {
		t.Fatalf("app list printed %v", listed)
	}
	for _, a := range listed {
		b, _ := json.Marshal(a)
		jsonLine(t, string(b)+"\n", view) // no secret, no hash
	}

	before, err := issue(secret)
	if err != nil {
		t.Fatal(err)
	}
	v := mustRun(t, nil, view, "app", "permissions", "-db", dsn, "-app", clientID, "-permissions", "read,user_read")
	if field(v, "permissions") != `["read","user_read"]` {
		t.Errorf("app permissions printed %v", v)
	}
	if c, err := svc.AuthenticateToken(t.Context(), before.Token); err != nil || c.Permissions.String() != "read user_read" {
		t.Errorf("after app permissions: %+v, %v", c, err)
	}

	v = mustRun(t, nil, view, "app", "disable", "-db", dsn, "-app", clientID)
	if v["disabled"] != true {
		t.Errorf("app disable printed %v", v)
	}
	if _, err := svc.AuthenticateToken(t.Context(), before.Token); identity.ErrorCode(err) != identity.CodeUnauthorized {
		t.Errorf("a token of a disabled application: %v", err)
	}
	if _, err := issue(secret); identity.ErrorField(err) != "client_id" {
		t.Errorf("a disabled application got a token: %v", err)
	}
	v = mustRun(t, nil, view, "app", "enable", "-db", dsn, "-app", clientID)
	if v["disabled"] != false {
		t.Errorf("app enable printed %v", v)
	}
	if _, err := issue(secret); err != nil {
		t.Errorf("an enabled application got no token: %v", err)
	}

	rotated := mustRun(t, nil, []string{"client_id", "client_secret"}, "app", "rotate-secret", "-db", dsn, "-app", clientID)
	newSecret, _ := rotated["client_secret"].(string)
	if rotated["client_id"] != clientID || len(newSecret) < 22 || newSecret == secret {
		t.Fatalf("app rotate-secret printed %v", rotated)
	}
	if _, err := issue(secret); identity.ErrorField(err) != "client_secret" {
		t.Errorf("the old secret still works: %v", err)
	}
	if _, err := issue(newSecret); err != nil {
		t.Errorf("the new secret does not work: %v", err)
	}
}
