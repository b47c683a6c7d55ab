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
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
)

// start is the time every test begins at.
var start = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// outbox records the notifications instead of sending them.
type outbox struct {
	mu   sync.Mutex
	sent []identity.Notification
}

func (o *outbox) Notify(_ context.Context, n identity.Notification) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, n)
	return nil
}

// last returns the latest notification sent to an address.
func (o *outbox) last(t testing.TB, to string) identity.Notification {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := len(o.sent) - 1; i >= 0; i-- {
		if strings.EqualFold(o.sent[i].To, to) {
			return o.sent[i]
		}
	}
	t.Fatalf("nothing was sent to %s", to)
	return identity.Notification{}
}

func (o *outbox) codes() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	codes := make([]string, len(o.sent))
	for i, n := range o.sent {
		codes[i] = n.Code
	}
	return codes
}

// server is the mounted API on a fresh store, with a settable clock and a
// recording notifier.
type server struct {
	t       testing.TB
	svc     *identity.Service
	handler http.Handler
	clock   *clock
	box     *outbox
	logs    *bytes.Buffer // what Options.Logger received
	prefix  string        // Options.Prefix, without a trailing slash
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
	s := &server{t: t, clock: &clock{now: start}, box: &outbox{}, logs: &bytes.Buffer{}, prefix: strings.TrimRight(opts.Prefix, "/")}
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
	httpapi.Mount(mux, svc, opts)
	s.svc, s.handler = svc, mux
	return s
}

// reply is an answer of the 689Cloud family.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
	Env    struct {
		Result       json.RawMessage `json:"result"`
		Description  string          `json:"description"`
		StatusCode   int             `json:"status_code"`
		TotalRecords *int            `json:"total_records"`
	}
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

// send makes a request and checks its answer: the envelope, status_code
// equal to the HTTP status, the OpenAPI document, and no secret.
func (s *server) send(method, path, contentType string, body io.Reader, header http.Header) *reply {
	s.t.Helper()
	req := httptest.NewRequest(method, path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	r := &reply{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	s.check(req, r)
	return r
}

var bcryptHash = regexp.MustCompile(`\$2[aby]\$`)

func (s *server) check(req *http.Request, r *reply) {
	s.t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Fatalf("%s %s: Content-Type %q, body %s", req.Method, req.URL.Path, ct, r.Body)
	}
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r.Env); err != nil {
		s.t.Fatalf("%s %s: not an envelope: %v: %s", req.Method, req.URL.Path, err, r.Body)
	}
	if r.Env.StatusCode != r.Status {
		s.t.Errorf("%s %s: status_code %d, HTTP status %d", req.Method, req.URL.Path, r.Env.StatusCode, r.Status)
	}
	if bcryptHash.Match(r.Body) {
		s.t.Errorf("%s %s: the answer carries a bcrypt hash: %s", req.Method, req.URL.Path, r.Body)
	}
	for _, code := range s.box.codes() {
		if bytes.Contains(r.Body, []byte(code)) {
			s.t.Errorf("%s %s: the answer carries an activation or invitation code: %s", req.Method, req.URL.Path, r.Body)
		}
	}
	if err := validate(s.prefix, req, r); err != nil {
		s.t.Errorf("%s %s: the answer does not match the OpenAPI document: %v\n%s", req.Method, req.URL.Path, err, r.Body)
	}
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
	mux := http.NewServeMux()
	httpapi.Mount(mux, nil, httpapi.Options{Prefix: prefix})
	doc, err := openapi3.NewLoader().LoadFromData(httptestGet(mux, prefix+"/openapi.json"))
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

// openapiDoc returns the OpenAPI document served without a prefix.
func openapiDoc() (*openapi3.T, error) {
	ref, err := referenceAt("")
	if err != nil {
		return nil, err
	}
	return ref.doc, nil
}

// validate checks an answer against the OpenAPI document served under
// prefix: the operation's response for its status, or, for a wrong method
// or an unknown path, the 689Cloud error envelope.
func validate(prefix string, req *http.Request, r *reply) error {
	ref, err := referenceAt(prefix)
	if err != nil {
		return err
	}
	route, params, err := ref.router.FindRoute(req)
	if err != nil {
		if r.Status != http.StatusMethodNotAllowed && r.Status != http.StatusNotFound {
			return fmt.Errorf("%d for a request the document does not describe: %w", r.Status, err)
		}
		var v any
		if err := json.Unmarshal(r.Body, &v); err != nil {
			return err
		}
		return ref.doc.Components.Schemas["Cloud689ErrorEnvelope"].Value.VisitJSON(v)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 r.Status,
		Header:                 r.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
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
