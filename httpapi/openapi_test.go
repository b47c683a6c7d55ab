package httpapi_test

import (
	"cmp"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/scim"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, err := openapiDoc()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableSchemaFormatValidation()); err != nil {
		t.Fatal(err)
	}
}

// TestOpenAPINullableHasType checks that every schema that says nullable
// also says its type: OpenAPI 3.0.3 gives nullable a meaning only next to
// type, and Redocly and Spectral refuse it alone (and every example of such
// a schema), which kin-openapi's validation lets pass.
func TestOpenAPINullableHasType(t *testing.T) {
	var doc any
	if err := json.Unmarshal(servedDocument(""), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, typed := v["type"]; v["nullable"] == true && !typed {
				t.Errorf("%s is nullable without a type", path)
			}
			for k, w := range v {
				walk(path+"/"+strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1"), w)
			}
		case []any:
			for i, w := range v {
				walk(path+"/"+strconv.Itoa(i), w)
			}
		}
	}
	walk("#", doc)
}

// TestOpenAPISessionSecurity checks that the 689Cloud operations that
// refuse a request without a session, and only those, declare the session
// as the server takes it: a bearer token, or ({}) auth_token in the body.
func TestOpenAPISessionSecurity(t *testing.T) {
	s := newServer(t, storagetest.SQLite(t), httpapi.Options{})
	doc, err := openapiDoc()
	if err != nil {
		t.Fatal(err)
	}
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/api/user/") {
			continue
		}
		refused := s.form(path, nil).Status == http.StatusUnauthorized
		if declared := sessionOrBody(item.Post.Security); refused != declared {
			t.Errorf("%s: 401 without a session is %v, the session declared is %v", path, refused, declared)
		}
	}
}

// sessionOrBody reports whether sec is the 689Cloud session as a bearer
// token or in the body.
func sessionOrBody(sec *openapi3.SecurityRequirements) bool {
	if sec == nil || len(*sec) != 2 {
		return false
	}
	bearer, body := (*sec)[0], (*sec)[1]
	scopes, ok := bearer["cloud689Session"]
	return ok && len(bearer) == 1 && len(scopes) == 0 && len(body) == 0
}

// patterns records what Mount registers.
type patterns []string

func (p *patterns) Handle(pattern string, _ http.Handler) { *p = append(*p, pattern) }

// methods are the methods of the endpoints outside the 689Cloud family,
// whose endpoints all take POST.
var methods = map[string]string{
	"/api/v2/tenant/token":                          http.MethodPost,
	"/api/v2/tenant/token/revoke":                   http.MethodPost,
	"/api/v2/tenant/token/introspect":               http.MethodPost,
	"/api/v5/entity/user/create":                    http.MethodPost,
	"/api/v5/entity/profile/fetch":                  http.MethodGet,
	"/api/v5/entity/user/owner/update":              http.MethodPost,
	"/api/v5/entity/user/pool/update":               http.MethodPost,
	"/api/v5/entity/user/email/update":              http.MethodPost,
	"/api/v5/entity/user/contact/fetch":             http.MethodGet,
	"/api/v2/tenant/users/user-by-mobile":           http.MethodPost,
	"/api/v2/tenant/users/{user_id}":                http.MethodGet,
	"/app-portal-service/v2.2/user/getUserBaseInfo": http.MethodPost,
}

// scimRoutes returns the methods of each route scim.Mount registers, as
// each answers them in Allow to a method it does not take.
func scimRoutes(t *testing.T) map[string][]string {
	mux := &recordingMux{mux: http.NewServeMux(), hits: map[string]int{}}
	scim.Mount(mux, nil, scim.Options{})
	routes := map[string][]string{}
	for _, p := range mux.patterns {
		if p == "/scim/v2/" { // every other path: 404
			continue
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("TRACE", strings.NewReplacer("{id}", "x", "{name}", "x").Replace(p), nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Fatalf("TRACE %s: %d", p, rec.Code)
		}
		routes[p] = strings.Split(rec.Header().Get("Allow"), ", ")
	}
	return routes
}

// TestOpenAPIDescribesEveryRoute checks that the document describes exactly
// the mounted endpoints, each with its one method, and the SCIM routes, each
// with its methods.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var mounted patterns
	httpapi.Mount(&mounted, nil, httpapi.Options{})
	doc, err := openapiDoc()
	if err != nil {
		t.Fatal(err)
	}
	unknown := []string{"/api/user/", "/api/v5/entity/", "/api/v2/tenant/", "/app-portal-service/"}
	endpoints, cloud689 := map[string]bool{}, 0
	for _, p := range mounted {
		method, ok := methods[p]
		switch {
		case slices.Contains(unknown, p), p == "/openapi.json":
			continue
		case strings.HasPrefix(p, "/api/user/"):
			method, ok = http.MethodPost, true
			cloud689++
		case !ok:
			t.Errorf("unexpected pattern %q", p)
			continue
		}
		endpoints[p] = true
		if item := doc.Paths.Find(p); item == nil || item.GetOperation(method) == nil || len(item.Operations()) != 1 {
			t.Errorf("the document does not describe %s %s alone", method, p)
		}
	}
	if cloud689 != 23 {
		t.Errorf("mounted %d 689Cloud endpoints, want 23", cloud689)
	}
	for p := range methods {
		if !endpoints[p] {
			t.Errorf("%s is not mounted", p)
		}
	}
	scimRoutes := scimRoutes(t)
	for path, item := range doc.Paths.Map() {
		switch {
		case strings.HasPrefix(path, "/scim/v2/"):
			if got, want := slices.Sorted(maps.Keys(item.Operations())), slices.Sorted(slices.Values(scimRoutes[path])); !slices.Equal(got, want) {
				t.Errorf("the document describes %v %s, SCIM serves %v", got, path, want)
			}
		case path != "/openapi.json" && !endpoints[path]:
			t.Errorf("the document describes %s, which is not mounted", path)
		}
	}
	for p := range scimRoutes {
		if doc.Paths.Value(p) == nil {
			t.Errorf("the document does not describe the SCIM route %s", p)
		}
	}
}

// TestOpenAPIHasNoSecrets checks that no schema of the document has a field
// for a hash or a code.
func TestOpenAPIHasNoSecrets(t *testing.T) {
	doc, err := openapiDoc()
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range doc.Components.Schemas {
		for prop := range s.Value.Properties {
			secret := prop == "activation_code" || prop == "client_secret"
			if strings.HasSuffix(prop, "_hash") || secret && !strings.HasSuffix(name, "Request") {
				t.Errorf("%s has the field %s", name, prop)
			}
		}
	}
	for _, name := range []string{"Cloud689User", "Token", "TokenIntrospection", "V5Profile", "TenantUser", "PortalUser"} {
		s := doc.Components.Schemas[name].Value
		if s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
			t.Errorf("%s allows additional properties", name)
		}
	}
}

// TestOpenAPIAccessToken checks the OAuth 2.0 flow of the access tokens
// under a prefix and without: its tokenUrl is the token endpoint, and its
// scopes are the permission codes.
func TestOpenAPIAccessToken(t *testing.T) {
	for _, prefix := range []string{"", "/identity"} {
		ref, err := referenceAt(prefix)
		if err != nil {
			t.Fatal(err)
		}
		if url := ref.doc.Servers[0].URL; url != cmp.Or(prefix, "/") {
			t.Errorf("prefix %q: server %q", prefix, url)
		}
		flow := ref.doc.Components.SecuritySchemes["applicationToken"].Value.Flows.ClientCredentials
		if want := prefix + "/api/v2/tenant/token"; flow.TokenURL != want {
			t.Errorf("prefix %q: tokenUrl %q, want %q", prefix, flow.TokenURL, want)
		}
		var scopes []string
		for scope := range flow.Scopes {
			scopes = append(scopes, scope)
		}
		slices.Sort(scopes)
		want := []string{string(team.PermAll), string(team.PermRead), string(team.PermUserAll), string(team.PermUserRead)}
		if !slices.Equal(scopes, want) {
			t.Errorf("prefix %q: scopes %v, want the permission codes %v", prefix, scopes, want)
		}
	}
}
