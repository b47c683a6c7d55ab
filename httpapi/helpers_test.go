package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/internal/testkit"
	"github.com/embedid/identity/scim"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
)

// start is the time every test begins at.
var start = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// server is the mounted API on a fresh store, with a settable clock and a
// recording notifier.
type server struct {
	t       testing.TB
	svc     *identity.Service
	handler http.Handler
	clock   *testkit.Clock
	box     *testkit.Outbox
	logs    *bytes.Buffer // what Options.Logger received
	prefix  string        // Options.Prefix, without a trailing slash
	// secrets are the client secrets and access tokens issued so far: no
	// answer may carry one, but the token endpoint's own new token.
	secrets []string
}

// eachBackend runs fn on a fresh server over every storage backend.
func eachBackend(t *testing.T, fn func(t *testing.T, s *server)) {
	storagetest.EachBackend(t, func(t *testing.T, st storage.Store) {
		fn(t, newServer(t, st, httpapi.Options{}))
	})
}

// newServer mounts a service on st with opts; extra options of the service
// override the test's own.
func newServer(t testing.TB, st storage.Store, opts httpapi.Options, extra ...identity.Option) *server {
	s := &server{t: t, clock: testkit.NewClock(start), box: &testkit.Outbox{}, logs: &bytes.Buffer{}, prefix: strings.TrimRight(opts.Prefix, "/")}
	svc, err := identity.New(st, append([]identity.Option{
		identity.WithClock(s.clock.Now), identity.WithNotifier(s.box), identity.WithBcryptCost(4),
		identity.WithDefaultRegion("CN"),
	}, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	if opts.Logger == nil {
		opts.Logger = slogTo(s.logs)
	}
	mux := http.NewServeMux()
	mountAll(mux, svc, opts)
	s.svc, s.handler = svc, mux
	return s
}

// mountAll mounts the four families and the SCIM endpoints, as a host that
// serves them all does, with the same prefix, body limit and logger.
func mountAll(mux httpapi.Mux, svc *identity.Service, opts httpapi.Options) {
	httpapi.Mount(mux, svc, opts)
	scim.Mount(mux, svc, scim.Options{Prefix: opts.Prefix, MaxBodyBytes: opts.MaxBodyBytes, Logger: opts.Logger})
}

// reply is an answer of any family.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
	// Env is the envelope of a 689Cloud answer.
	Env struct {
		Result       json.RawMessage `json:"result"`
		Description  string          `json:"description"`
		StatusCode   int             `json:"status_code"`
		TotalRecords *int            `json:"total_records"`
	}
	// Code and Message are those of an answer of the other families: the
	// envelope's code (0 on success) and message, or the error code and
	// message of a tenant v2 or token error.
	Code    string
	Message string
	// Data is the data of a v5 or application-portal envelope, or the whole
	// body of a tenant v2 or token success.
	Data json.RawMessage
}

// form posts params form-encoded.
func (s *server) form(path string, params map[string]string) *reply {
	s.t.Helper()
	vs := url.Values{}
	for k, v := range params {
		vs.Set(k, v)
	}
	return s.send(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(vs.Encode()), nil)
}

// json posts body, a JSON text.
func (s *server) json(path, body string) *reply {
	s.t.Helper()
	return s.send(http.MethodPost, path, "application/json", strings.NewReader(body), nil)
}

// multipart posts params and a file part named file holding csv.
func (s *server) multipart(path string, params map[string]string, csv string) *reply {
	s.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range params {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", "members.csv")
	if err != nil {
		s.t.Fatal(err)
	}
	io.WriteString(fw, csv)
	mw.Close()
	return s.send(http.MethodPost, path, mw.FormDataContentType(), &b, nil)
}

// send makes a request and checks its answer (see do).
func (s *server) send(method, path, contentType string, body io.Reader, header http.Header) *reply {
	s.t.Helper()
	req := httptest.NewRequest(method, path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return s.do(req)
}

// do serves req and checks the answer: its family's envelope, with the
// family's code for the HTTP status; the OpenAPI document, for the answer
// and, on success, the request; and no secret.
func (s *server) do(req *http.Request) *reply {
	s.t.Helper()
	sent, err := io.ReadAll(req.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Body = io.NopCloser(bytes.NewReader(sent))
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	r := &reply{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	req.Body = io.NopCloser(bytes.NewReader(sent))
	s.check(req, r)
	return r
}

var bcryptHash = regexp.MustCompile(`\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}`)

func (s *server) check(req *http.Request, r *reply) {
	s.t.Helper()
	where := req.Method + " " + req.URL.Path
	f := familyOf(strings.TrimPrefix(req.URL.Path, s.prefix))
	mediaType := "application/json"
	if f.name == "scim" {
		mediaType = "application/scim+json"
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, mediaType) && (len(r.Body) > 0 || f.name != "scim") {
		s.t.Fatalf("%s: Content-Type %q, body %s", where, ct, r.Body)
	}
	if err := f.envelope(r); err != nil {
		s.t.Fatalf("%s: %v: %s", where, err, r.Body)
	}
	if bcryptHash.Match(r.Body) {
		s.t.Errorf("%s: the answer carries a bcrypt hash: %s", where, r.Body)
	}
	if wait, err := strconv.Atoi(r.Header.Get("Retry-After")); r.Status == http.StatusTooManyRequests && (err != nil || wait < 1) {
		s.t.Errorf("%s: a 429 with Retry-After %q, want whole seconds", where, r.Header.Get("Retry-After"))
	}
	for _, code := range s.box.Codes() {
		if bytes.Contains(r.Body, []byte(code)) {
			s.t.Errorf("%s: the answer carries an activation or invitation code: %s", where, r.Body)
		}
	}
	for _, secret := range s.secrets {
		if bytes.Contains(r.Body, []byte(secret)) {
			s.t.Errorf("%s: the answer carries a client secret or an earlier access token: %s", where, r.Body)
		}
	}
	if f.name == "token" && r.Status == http.StatusOK {
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		json.Unmarshal(r.Body, &tok)
		if tok.AccessToken != "" { // revocation and introspection answer none
			s.secrets = append(s.secrets, tok.AccessToken)
		}
	}
	if err := validate(s.prefix, req, r, f); err != nil {
		s.t.Errorf("%s: the OpenAPI document does not describe the exchange: %v\n%s", where, err, r.Body)
	}
}

// family is what the helpers know of an API family.
type family struct {
	name        string
	prefix      string // of its paths
	errorSchema string // the schema of its errors in the OpenAPI document
	// envelope decodes r's body, which must be an answer of the family
	// whose code agrees with the HTTP status, into r's fields.
	envelope func(r *reply) error
}

// families are the API families, the most specific prefix first.
var families = []family{
	{"689Cloud", "/api/user/", "Cloud689ErrorEnvelope", envelope689},
	{"token", "/api/v2/tenant/token", "OAuthError", envelopeToken},
	{"v5", "/api/v5/entity/", "V5ErrorEnvelope", envelopeV5},
	{"tenant", "/api/v2/tenant/", "TenantError", envelopeTenant},
	{"portal", "/app-portal-service/", "PortalErrorEnvelope", envelopePortal},
	{"scim", "/scim/v2/", "ScimError", envelopeSCIM},
}

// envelopeSCIM checks that a refusal is a SCIM error whose status is the
// HTTP status, and reads its detail as the message and scimType as the
// code.
func envelopeSCIM(r *reply) error {
	if r.Status < 400 {
		return nil
	}
	var e struct {
		Schemas  []string `json:"schemas"`
		Status   string   `json:"status"`
		ScimType string   `json:"scimType"`
		Detail   string   `json:"detail"`
	}
	if err := strict(r.Body, &e); err != nil {
		return fmt.Errorf("not a SCIM error: %w", err)
	}
	if e.Status != strconv.Itoa(r.Status) || len(e.Schemas) != 1 || e.Schemas[0] != "urn:ietf:params:scim:api:messages:2.0:Error" {
		return fmt.Errorf("a SCIM error with status %q and schemas %q, HTTP status %d", e.Status, e.Schemas, r.Status)
	}
	r.Code, r.Message = e.ScimType, e.Detail
	return nil
}

// familyOf returns the family of path, given without the prefix.
func familyOf(path string) family {
	for _, f := range families {
		if strings.HasPrefix(path, f.prefix) {
			return f
		}
	}
	panic("no family serves " + path)
}

// strict decodes body into v, refusing unknown fields.
func strict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func envelope689(r *reply) error {
	if err := strict(r.Body, &r.Env); err != nil {
		return fmt.Errorf("not an envelope: %w", err)
	}
	if r.Env.StatusCode != r.Status {
		return fmt.Errorf("status_code %d, HTTP status %d", r.Env.StatusCode, r.Status)
	}
	return nil
}

// envelopeV5 checks code 0 on success, else the HTTP status times 100.
func envelopeV5(r *reply) error {
	var env struct {
		Code int             `json:"code"`
		Msg  string          `json:"msg"`
		Data json.RawMessage `json:"data"`
	}
	if err := strict(r.Body, &env); err != nil {
		return fmt.Errorf("not a v5 envelope: %w", err)
	}
	r.Code, r.Message, r.Data = strconv.Itoa(env.Code), env.Msg, env.Data
	return envelopeCode(r, env.Code, 100*r.Status, "success.")
}

// envelopePortal checks code 0 on success, else 31000 plus the HTTP status.
func envelopePortal(r *reply) error {
	var env struct {
		Code    int             `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	if err := strict(r.Body, &env); err != nil {
		return fmt.Errorf("not an application-portal envelope: %w", err)
	}
	r.Code, r.Message, r.Data = strconv.Itoa(env.Code), env.Message, env.Data
	return envelopeCode(r, env.Code, 31000+r.Status, "OK")
}

func envelopeCode(r *reply, code, refusal int, success string) error {
	switch {
	case r.Status == http.StatusOK && (code != 0 || r.Message != success):
		return fmt.Errorf("a success with code %d and message %q", code, r.Message)
	case r.Status != http.StatusOK && code != refusal:
		return fmt.Errorf("code %d with HTTP status %d, want %d", code, r.Status, refusal)
	case r.Status != http.StatusOK && string(r.Data) != "null":
		return fmt.Errorf("a refusal with data %s", r.Data)
	}
	return nil
}

// tenantCodes are the documented error codes of the tenant v2 family by HTTP
// status, besides USER.0001 (400).
var tenantCodes = map[int]string{
	400: "PARAM.0001", 401: "AUTH.0001", 403: "AUTH.0002", 404: "API.0001", 405: "API.0002",
	409: "PARAM.0003", 410: "PARAM.0004", 413: "PARAM.0002", 429: "AUTH.0003", 500: "SYSTEM.0001",
	503: "SYSTEM.0002",
}

// envelopeTenant checks that an error has the code of its HTTP status.
func envelopeTenant(r *reply) error {
	if r.Status == http.StatusOK {
		r.Data = r.Body
		return nil
	}
	var e struct {
		Code    string `json:"error_code"`
		Message string `json:"error_msg"`
	}
	if err := strict(r.Body, &e); err != nil {
		return fmt.Errorf("not a tenant v2 error: %w", err)
	}
	r.Code, r.Message = e.Code, e.Message
	if e.Code != tenantCodes[r.Status] && (e.Code != "USER.0001" || r.Status != http.StatusBadRequest) {
		return fmt.Errorf("error_code %s with HTTP status %d", e.Code, r.Status)
	}
	return nil
}

// oauthErrors are the OAuth errors of the token endpoint by HTTP status,
// besides unsupported_grant_type (400).
var oauthErrors = map[int]string{
	400: "invalid_request", 401: "invalid_client", 405: "invalid_request", 413: "invalid_request",
	429: "too_many_attempts", 500: "server_error", 503: "temporarily_unavailable",
}

// envelopeToken checks that a success is never cached and that an error has
// the OAuth error of its HTTP status.
func envelopeToken(r *reply) error {
	if r.Status == http.StatusOK {
		r.Data = r.Body
		if r.Header.Get("Cache-Control") != "no-store" || r.Header.Get("Pragma") != "no-cache" {
			return fmt.Errorf("a token that may be cached: Cache-Control %q, Pragma %q", r.Header.Get("Cache-Control"), r.Header.Get("Pragma"))
		}
		return nil
	}
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := strict(r.Body, &e); err != nil {
		return fmt.Errorf("not an OAuth error: %w", err)
	}
	r.Code, r.Message = e.Error, e.Description
	if e.Error != oauthErrors[r.Status] && (e.Error != "unsupported_grant_type" || r.Status != http.StatusBadRequest) {
		return fmt.Errorf("error %s with HTTP status %d", e.Error, r.Status)
	}
	return nil
}

// ok fails the test unless r is a success, and decodes its result into v.
func (r *reply) ok(t testing.TB, v any) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("got %d, want 200: %s", r.Status, r.Body)
	}
	if v != nil {
		if err := json.Unmarshal(r.Env.Result, v); err != nil {
			t.Fatalf("result: %v: %s", err, r.Body)
		}
	}
}

// fail fails the test unless r is a refusal with status that blames field
// (when not "").
func (r *reply) fail(t testing.TB, status int, field string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("got %d, want %d: %s", r.Status, status, r.Body)
	}
	if field != "" && !strings.HasPrefix(r.Env.Description, field+": ") {
		t.Fatalf("description %q does not blame %s", r.Env.Description, field)
	}
}

// reference is the OpenAPI document served under one prefix, and its router.
type reference struct {
	doc    *openapi3.T
	router routers.Router
}

var (
	referencesMu sync.Mutex
	references   = map[string]*reference{}
)

// referenceAt loads the OpenAPI document served under prefix, once.
func referenceAt(prefix string) (*reference, error) {
	referencesMu.Lock()
	defer referencesMu.Unlock()
	if ref, ok := references[prefix]; ok {
		return ref, nil
	}
	doc, err := openapi3.NewLoader().LoadFromData(servedDocument(prefix))
	if err != nil {
		return nil, err
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	references[prefix] = &reference{doc: doc, router: router}
	return references[prefix], nil
}

// servedDocument returns the OpenAPI document as served under prefix.
func servedDocument(prefix string) []byte {
	mux := http.NewServeMux()
	httpapi.Mount(mux, nil, httpapi.Options{Prefix: prefix})
	return httptestGet(mux, prefix+"/openapi.json")
}

// openapiDoc returns the OpenAPI document served without a prefix.
func openapiDoc() (*openapi3.T, error) {
	ref, err := referenceAt("")
	if err != nil {
		return nil, err
	}
	return ref.doc, nil
}

// validate checks an exchange against the OpenAPI document served under
// prefix: the answer against the operation's response for its status, or,
// for a wrong method or an unknown path, against f's error schema; and the
// request of a success of the families other than 689Cloud (whose tests
// also send bodies its document leaves out, such as multipart ones).
func validate(prefix string, req *http.Request, r *reply, f family) error {
	ref, err := referenceAt(prefix)
	if err != nil {
		return err
	}
	route, params, err := ref.router.FindRoute(req)
	if err != nil || r.Status == http.StatusMethodNotAllowed {
		if r.Status != http.StatusMethodNotAllowed && r.Status != http.StatusNotFound {
			return fmt.Errorf("%d for a request the document does not describe: %w", r.Status, err)
		}
		var v any
		if err := json.Unmarshal(r.Body, &v); err != nil {
			return err
		}
		return ref.doc.Components.Schemas[f.errorSchema].Value.VisitJSON(v)
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if r.Status == http.StatusOK && f.name != "689Cloud" {
		if err := openapi3filter.ValidateRequest(context.Background(), input); err != nil {
			return fmt.Errorf("request: %w", err)
		}
	}
	in := &openapi3filter.ResponseValidationInput{RequestValidationInput: input, Status: r.Status, Header: r.Header, Options: opts}
	return openapi3filter.ValidateResponse(context.Background(), in.SetBodyBytes(r.Body))
}

// httptestGet returns the body of a GET of path.
func httptestGet(h http.Handler, path string) []byte {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Body.Bytes()
}

// slogTo returns a logger writing text lines to w.
func slogTo(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
