package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/storage/storagetest"
)

// instance is one running identityd serve.
type instance struct {
	addr   string
	stderr *syncBuffer
}

// serveOn starts identityd serve on dsn and stops it when t ends.
func serveOn(t *testing.T, dsn string) instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-db", dsn, "-bcrypt-cost", "4"}, nil, io.Discard, stderr, func(string) string { return "" })
	}()
	addr := listening(t, stderr, done)
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	})
	return instance{addr: addr, stderr: stderr}
}

// post sends form-encoded params (or JSON with a bearer token) and returns
// the status and the decoded answer.
func (in instance) post(t *testing.T, path string, params map[string]string, token string) (int, map[string]any) {
	t.Helper()
	var req *http.Request
	if token == "" {
		vs := url.Values{}
		for k, v := range params {
			vs.Set(k, v)
		}
		req, _ = http.NewRequest(http.MethodPost, "http://"+in.addr+path, strings.NewReader(vs.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		b, _ := json.Marshal(params)
		req, _ = http.NewRequest(http.MethodPost, "http://"+in.addr+path, strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return resp.StatusCode, v
}

// TestTwoServesShareOnePostgres runs two identityd serve on one Postgres
// database, as a host scales out: a session issued by one is honoured and
// revoked by the other, failed logins through both add up to one lockout,
// and creates of one contact through both give one user.
func TestTwoServesShareOnePostgres(t *testing.T) {
	dsn := storagetest.PostgresDSN(t)
	mustRun(t, nil, []string{"migrated"}, "migrate", "-db", dsn)
	a, b := serveOn(t, dsn), serveOn(t, dsn)

	const pw = "correct-horse-1"
	status, _ := a.post(t, "/api/user/signup", map[string]string{
		"first_name": "Le", "last_name": "Tran", "email_address": "le@x.com", "business_name": "NIT",
		"phone": "0908296906", "password": pw, "confirm_password": pw, "plan_id": "1",
	}, "")
	sent := logLines(t, a.stderr.String(), "notification")
	if status != http.StatusOK || len(sent) != 1 {
		t.Fatalf("sign-up through a: %d, %d notifications", status, len(sent))
	}
	code, teamID := sent[0]["code"].(string), sent[0]["team_id"].(string)
	if status, _ := b.post(t, "/api/user/activation", map[string]string{"activation_code": code}, ""); status != http.StatusOK {
		t.Fatalf("activation through b: %d", status)
	}
	_, login := a.post(t, "/api/user/login", map[string]string{"email_address": "le@x.com", "password": pw, "team_id": teamID}, "")
	session, _ := login["result"].(map[string]any)["session_id"].(string)
	if status, _ := b.post(t, "/api/user/info", map[string]string{"auth_token": session}, ""); status != http.StatusOK {
		t.Fatalf("a's session on b: %d", status)
	}
	b.post(t, "/api/user/logout", map[string]string{"access_token": session}, "")
	if status, _ := a.post(t, "/api/user/info", map[string]string{"auth_token": session}, ""); status != http.StatusUnauthorized {
		t.Fatalf("a honours a session b ended: %d", status)
	}

	for i := range 5 {
		in := [2]instance{a, b}[i%2]
		if status, _ := in.post(t, "/api/user/login", map[string]string{"email_address": "le@x.com", "password": "wrong-pw-1", "team_id": teamID}, ""); status != http.StatusUnauthorized {
			t.Fatalf("failed login %d: %d", i, status)
		}
	}
	if status, _ := b.post(t, "/api/user/login", map[string]string{"email_address": "le@x.com", "password": pw, "team_id": teamID}, ""); status != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures through both, a login answered %d, want 429", status)
	}

	app := mustRun(t, nil, []string{"client_id", "client_secret", "team_id", "permissions"}, "app", "create", "-db", dsn, "-team", teamID, "-name", "crm", "-permissions", "all")
	_, tok := a.post(t, "/api/v2/tenant/token", map[string]string{"grant_type": "client_credentials", "client_id": app["client_id"].(string), "client_secret": app["client_secret"].(string)}, "")
	token := tok["access_token"].(string)
	ins := []instance{a, b}
	created := testkit.CreateOneMobile(t, 20, teamID, func(i int, body string) (int, []byte, error) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+ins[i%2].addr+"/api/v5/entity/user/create", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		answer, err := io.ReadAll(resp.Body)
		return resp.StatusCode, answer, err
	})
	if len(created) != 1 {
		t.Fatalf("20 creates of one mobile through two serves gave users %v", created)
	}
}
