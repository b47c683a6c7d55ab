package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/embedid/identity/internal/errs"
)

// Limits of request parameters.
const (
	// maxFieldBytes limits the value of one parameter.
	maxFieldBytes = 1 << 10
	// multipartMemory is how much of an uploaded file is kept in memory;
	// the rest goes to a temporary file removed when the request ends.
	multipartMemory = 1 << 20
)

// params are the parameters of one request, read from its body: scalar
// values by name, and the files of a multipart body. A value checkValue
// refuses is not kept: why is, and an endpoint that takes the parameter
// answers with it (see only).
type params struct {
	values  map[string]string
	refused map[string]error
	form    *multipart.Form // nil unless the body was multipart
}

// readParams reads the body of r, at most limit bytes, as parameters. It
// accepts application/x-www-form-urlencoded, application/json (an object
// whose values are strings, numbers, booleans or null) and
// multipart/form-data; a request without a Content-Type must have no body.
// The caller must call close when done with the result.
func readParams(w http.ResponseWriter, r *http.Request, limit int64) (*params, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return readNothing(r.Body)
	}
	mt, err := mediaType(ct)
	if err != nil {
		return nil, errs.New(errs.Invalid, "Content-Type", "is not a valid media type")
	}
	switch mt {
	case "application/x-www-form-urlencoded":
		return readForm(r.Body)
	case "application/json":
		return readJSON(r.Body)
	case "multipart/form-data":
		return readMultipart(r)
	}
	return nil, errs.New(errs.Invalid, "Content-Type", "must be application/x-www-form-urlencoded, application/json or multipart/form-data, not %q", mt)
}

// mediaType returns the media type of a Content-Type header, lower case,
// without its parameters. The usual headers, a JSON or form type alone or
// with charset=utf-8, are read without the map of parameters
// mime.ParseMediaType makes.
func mediaType(ct string) (string, error) {
	mt, param, _ := strings.Cut(ct, ";")
	if (mt == "application/json" || mt == "application/x-www-form-urlencoded") &&
		(param == "" || strings.EqualFold(strings.TrimSpace(param), "charset=utf-8")) {
		return mt, nil
	}
	mt, _, err := mime.ParseMediaType(ct)
	return mt, err
}

// bodyError reports a failure to read a body: too large, or malformed.
func bodyError(err error, what string) error {
	if mb, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return errTooLarge("body", mb.Limit)
	}
	return errs.New(errs.Invalid, "body", "is not %s: %v", what, err)
}

// readQuery reads the query string of r as parameters, with the limits of
// form parameters.
func readQuery(r *http.Request) (*params, error) {
	vs, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errs.New(errs.Invalid, "query", "is not a valid query string: %v", err)
	}
	return fromValues(vs), nil
}

func readNothing(body io.Reader) (*params, error) {
	n, err := body.Read(make([]byte, 1))
	if n > 0 {
		return nil, errs.New(errs.Invalid, "Content-Type", "is required with a body")
	}
	if err != nil && err != io.EOF {
		return nil, bodyError(err, "readable")
	}
	return &params{values: map[string]string{}}, nil
}

func readForm(body io.Reader) (*params, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, bodyError(err, "readable")
	}
	vs, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, bodyError(err, "a valid form")
	}
	return fromValues(vs), nil
}

func readMultipart(r *http.Request) (*params, error) {
	if err := r.ParseMultipartForm(multipartMemory); err != nil {
		return nil, bodyError(err, "a valid multipart form")
	}
	p := fromValues(r.MultipartForm.Value)
	p.form = r.MultipartForm
	return p, nil
}

// fromValues keeps the one value of each form field; a field given more
// than once is refused.
func fromValues(vs map[string][]string) *params {
	p := &params{values: make(map[string]string, len(vs))}
	for name, v := range vs {
		if len(v) > 1 {
			p.refuse(errs.New(errs.Invalid, name, "is given more than once"))
			continue
		}
		p.keep(name, v[0])
	}
	return p
}

func readJSON(body io.Reader) (*params, error) {
	dec := json.NewDecoder(body)
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok || err == io.EOF {
			return nil, errs.New(errs.Invalid, "body", "must be a JSON object")
		}
		return nil, bodyError(err, "valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, bodyError(err, "readable")
		}
		return nil, errs.New(errs.Invalid, "body", "must hold one JSON object and nothing after it")
	}
	if obj == nil {
		return nil, errs.New(errs.Invalid, "body", "must be a JSON object")
	}
	p := &params{values: make(map[string]string, len(obj))}
	for name, v := range obj {
		p.keepJSON(name, v)
	}
	return p, nil
}

// keepJSON keeps a JSON value as form text: clients of form-encoded APIs mix
// up "3" and 3, so either is accepted wherever a string or number is
// expected. A null is a parameter not given.
func (p *params) keepJSON(name string, v any) {
	switch v := v.(type) {
	case nil:
	case string:
		p.keep(name, v)
	case json.Number:
		p.keep(name, v.String())
	case bool:
		p.keep(name, strconv.FormatBool(v))
	default:
		p.refuse(errs.New(errs.Invalid, name, "must be a string, number or boolean, not an object or array"))
	}
}

// keep keeps the value of the named parameter if checkValue passes it, else
// why not.
func (p *params) keep(name, v string) {
	if err := checkValue(name, v); err != nil {
		p.refuse(err)
		return
	}
	p.values[name] = v
}

// refuse notes why the parameter err names is not kept.
func (p *params) refuse(err *errs.Error) {
	if p.refused == nil {
		p.refused = map[string]error{}
	}
	p.refused[err.Field] = err
}

// only returns why the first of the named parameters that was refused was,
// and forgets the parameters not named, refused or not: an endpoint ignores
// the parameters it does not take, and checks those it does.
func (p *params) only(names ...string) error {
	takes := make(map[string]bool, len(names))
	for _, name := range names {
		if err := p.refused[name]; err != nil {
			return err
		}
		takes[name] = true
	}
	for name := range p.values {
		if !takes[name] {
			delete(p.values, name)
		}
	}
	return nil
}

// set keeps the value of the named parameter, once checkValue passed it.
func (p *params) set(name, v string) error {
	if err := checkValue(name, v); err != nil {
		return err
	}
	p.values[name] = v
	return nil
}

// checkValue refuses the value of the named parameter if it is too long, not
// UTF-8, or holds a NUL byte, which no database column holds (Postgres
// refuses it; SQLite would keep it). Every parameter an endpoint takes, of a
// body, a query string, a path or a Basic Authorization header, is checked
// here before it reaches the library; one it does not take is ignored.
func checkValue(name, v string) *errs.Error {
	switch {
	case len(v) > maxFieldBytes:
		return errs.New(errs.Invalid, name, "is longer than %d bytes", maxFieldBytes)
	case !utf8.ValidString(v):
		return errs.New(errs.Invalid, name, "is not valid UTF-8")
	case strings.IndexByte(v, 0) >= 0:
		return errs.New(errs.Invalid, name, "must not contain a NUL byte")
	}
	return nil
}

// setPath adds the wildcards of pattern, a path under a family's base such
// as "users/{user_id}", as parameters, with the values r's path gives them.
// A wildcard's name must not also be given in the query string or body.
func (p *params) setPath(r *http.Request, pattern string) error {
	for _, name := range pathNames(pattern) {
		if _, given := p.values[name]; given {
			return errs.New(errs.Invalid, name, "is given in the path, and must not be given again")
		}
		if err := p.set(name, r.PathValue(name)); err != nil {
			return err
		}
	}
	return nil
}

// pathNames returns the names of the wildcards of pattern.
func pathNames(pattern string) []string {
	var names []string
	for seg := range strings.SplitSeq(pattern, "/") {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			names = append(names, strings.TrimSuffix(name, "}"))
		}
	}
	return names
}

// close removes the temporary files of a multipart body.
func (p *params) close() {
	if p.form != nil {
		p.form.RemoveAll()
	}
}

// str returns the named parameter, "" when it is not given.
func (p *params) str(name string) string { return p.values[name] }

// optionalStr returns the named parameter and whether it was given; an empty
// value counts as not given, as HTML forms send empty fields.
func (p *params) optionalStr(name string) (string, bool) {
	v := p.values[name]
	return v, v != ""
}

// requiredStr returns the named parameter, which must not be blank.
func (p *params) requiredStr(name string) (string, error) {
	v := p.values[name]
	if strings.TrimSpace(v) == "" {
		return "", errs.New(errs.Invalid, name, "is required")
	}
	return v, nil
}

// optionalInt returns the named integer parameter and whether it was given;
// an empty value counts as not given, as HTML forms send empty fields.
func (p *params) optionalInt(name string) (int, bool, error) {
	v := strings.TrimSpace(p.values[name])
	if v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, false, errs.New(errs.Invalid, name, "must be an integer, got %q", v)
	}
	return n, true, nil
}

// intOr returns the named integer parameter, or def when it is not given.
func (p *params) intOr(name string, def int) (int, error) {
	n, ok, err := p.optionalInt(name)
	if !ok {
		return def, err
	}
	return n, nil
}

// requiredInt returns the named integer parameter, which must be given.
func (p *params) requiredInt(name string) (int, error) {
	n, ok, err := p.optionalInt(name)
	if err == nil && !ok {
		err = errs.New(errs.Invalid, name, "is required")
	}
	return n, err
}

// boolean returns the named boolean parameter (true, false, 1, 0, ...),
// false when it is not given.
func (p *params) boolean(name string) (bool, error) {
	v := strings.TrimSpace(p.values[name])
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errs.New(errs.Invalid, name, "must be true or false, got %q", v)
	}
	return b, nil
}

// file opens the named file of a multipart body, at most limit bytes.
func (p *params) file(name string, limit int64) (multipart.File, error) {
	var fs []*multipart.FileHeader
	if p.form != nil {
		fs = p.form.File[name]
	}
	switch {
	case len(fs) == 0:
		return nil, errs.New(errs.Invalid, name, "is required: send a multipart/form-data part named %q with the file", name)
	case len(fs) > 1:
		return nil, errs.New(errs.Invalid, name, "is given more than once")
	case fs[0].Size > limit:
		return nil, errTooLarge(name, limit)
	}
	f, err := fs[0].Open()
	if err != nil {
		return nil, errs.Wrap("open uploaded file", err)
	}
	return f, nil
}

// bearer returns the token of an "Authorization: Bearer" header, if any.
func bearer(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// token returns the first of the named parameters that is given, else the
// bearer token of r.
func (p *params) token(r *http.Request, names ...string) string {
	for _, name := range names {
		if v := strings.TrimSpace(p.values[name]); v != "" {
			return v
		}
	}
	return bearer(r)
}
