package scim

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/embedid/identity/internal/errs"
)

// serve runs h on a test call and returns the status and decoded body.
func serve(t *testing.T, h handler, target string, vars ...string) (int, map[string]any) {
	t.Helper()
	c, w := testCall("GET", target)
	for i := 0; i+1 < len(vars); i += 2 {
		c.r.SetPathValue(vars[i], vars[i+1])
	}
	if err := h(c); err != nil {
		c.s.fail(w, c.r, err, nil)
	}
	if ct := w.Header().Get("Content-Type"); ct != contentType {
		t.Errorf("%s: Content-Type %q", target, ct)
	}
	var body map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("%s: %v in %s", target, err, w.Body)
	}
	return w.Code, body
}

func TestDiscovery(t *testing.T) {
	s := &server{}
	_, spc := serve(t, s.serviceProviderConfig, "https://h/id/scim/v2/ServiceProviderConfig")
	if spc["schemas"].([]any)[0] != urnSPC || spc["patch"].(map[string]any)["supported"] != true ||
		spc["bulk"].(map[string]any)["supported"] != false || spc["filter"].(map[string]any)["maxResults"] != 1000.0 ||
		spc["authenticationSchemes"].([]any)[0].(map[string]any)["type"] != "oauthbearertoken" {
		t.Errorf("ServiceProviderConfig: %v", spc)
	}
	_, rts := serve(t, s.resourceTypes, "https://h/id/scim/v2/ResourceTypes")
	if rts["totalResults"] != 2.0 || rts["schemas"].([]any)[0] != urnList {
		t.Errorf("ResourceTypes: %v", rts)
	}
	_, user := serve(t, s.resourceType, "/", "name", "user")
	if user["endpoint"] != "/Users" || user["schemaExtensions"].([]any)[0].(map[string]any)["schema"] != urnEnterprise {
		t.Errorf("ResourceTypes/User: %v", user)
	}
	status, missing := serve(t, s.resourceType, "/", "name", "Device")
	if status != 404 || missing["schemas"].([]any)[0] != urnError {
		t.Errorf("ResourceTypes/Device: %d %v", status, missing)
	}
	_, all := serve(t, s.schemas, "/")
	if all["totalResults"] != 3.0 {
		t.Errorf("Schemas: %v", all)
	}
	_, core := serve(t, s.schema, "/", "id", urnUser)
	attrs := map[string]map[string]any{}
	for _, a := range core["attributes"].([]any) {
		attrs[a.(map[string]any)["name"].(string)] = a.(map[string]any)
	}
	if u := attrs["userName"]; u["uniqueness"] != "server" || u["caseExact"] != false || u["required"] != true {
		t.Errorf("userName: %v", u)
	}
	if p := attrs["password"]; p["returned"] != "never" || p["mutability"] != "writeOnly" {
		t.Errorf("password: %v", p)
	}
	if id, ext := attrs["id"], attrs["externalId"]; id["caseExact"] != true || id["returned"] != "always" || id["mutability"] != "readOnly" || ext["caseExact"] != true {
		t.Errorf("id %v, externalId %v", id, ext)
	}
	_, ext := serve(t, s.schema, "/", "id", strings.ToLower(urnEnterprise))
	if ext["id"] != urnEnterprise || len(ext["attributes"].([]any)) != 3 || ext["meta"].(map[string]any)["location"] != "http://example.com/id/scim/v2/Schemas/"+urnEnterprise {
		t.Errorf("enterprise schema: %v", ext)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		err      error
		names    attrNames
		status   int
		scimType string
		detail   string
	}{
		{errs.New(errs.Invalid, "first_name", "is too long"), userAttrs, 400, typeInvalidValue, "name.givenName: is too long"},
		{errs.New(errs.Conflict, "email", "is taken"), userAttrs, 409, typeUniqueness, "emails: is taken"},
		{errs.New(errs.Conflict, "user_name", "is taken"), userAttrs, 409, typeUniqueness, "userName: is taken"},
		{errs.New(errs.Invalid, "name", "is required"), groupAttrs, 400, typeInvalidValue, "displayName: is required"},
		{errs.New(errs.Invalid, "filter", "is bad"), userAttrs, 400, typeInvalidFilter, "filter: is bad"},
		{errs.New(errs.Invalid, "nickname", "is bad"), userAttrs, 400, typeInvalidValue, "nickname: is bad"},
		{errs.New(errs.NotFound, "user_id", "no such member"), userAttrs, 404, "", "id: no such member"},
		{errs.New(errs.Forbidden, "", "the application has no write permission"), userAttrs, 403, "", "the application has no write permission"},
		{errs.New(errs.Unauthorized, "access_token", "is missing"), nil, 401, "", "access_token: is missing"},
		{errs.New(errs.Stale, "", "changed"), userAttrs, 412, "", "changed"},
		{errs.New(errs.TooManyRequests, "", "slow down"), userAttrs, 429, "", "slow down"},
		{errs.New(errs.Unavailable, "", "busy"), userAttrs, 503, "", "busy"},
		{errs.Wrap("insert member", errors.New("pq: secret driver text")), userAttrs, 500, "", "internal error"},
		{errors.New("plain"), userAttrs, 500, "", "internal error"},
		{badRequest(typeInvalidPath, "path", "is bad"), userAttrs, 400, typeInvalidPath, "path: is bad"},
	} {
		f := failureOf(c.err, c.names)
		if f != (failure{c.status, c.scimType, c.detail}) {
			t.Errorf("%v: got %+v", c.err, f)
		}
	}
}

// An error answers in the SCIM envelope with the headers its status
// calls for, and a failure of the server is logged, never shown.
func TestErrorResponse(t *testing.T) {
	var logs strings.Builder
	c, w := testCall("GET", "/")
	c.s.opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	c.s.fail(w, c.r, errs.Wrap("query", errors.New("secret driver text")), nil)
	var body errorBody
	json.Unmarshal(w.Body.Bytes(), &body)
	if w.Code != 500 || body.Status != "500" || body.Detail != "internal error" || body.Schemas[0] != urnError ||
		strings.Contains(w.Body.String(), "secret") || !strings.Contains(logs.String(), "secret driver text") {
		t.Errorf("500: %d %s; logs %s", w.Code, w.Body, logs.String())
	}
	c, w = testCall("GET", "/")
	c.s.fail(w, c.r, &errs.Error{Code: errs.TooManyRequests, Message: "wait", RetryAfter: 1500 * 1e6}, nil)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" {
		t.Errorf("429: %d %v", w.Code, w.Header())
	}
	c, w = testCall("GET", "/")
	c.s.fail(w, c.r, errs.New(errs.Unauthorized, "access_token", "is missing"), nil)
	if w.Code != 401 || w.Header().Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("401: %d %v", w.Code, w.Header())
	}
}
