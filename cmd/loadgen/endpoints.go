package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
)

// The endpoint names, in the order they are driven: reads first, so that
// the lists see exactly the seeded members, and the writes last.
var endpointNames = []string{
	"tenant.user-by-mobile",
	"v5.profile-fetch",
	"portal.base-info",
	"689.list-page1",
	"689.list-page150",
	"689.login",
	"v5.user-create",
}

// Pages of the list endpoints: 0-based page_number, 10 a page, sort_key 6
// (email descending).
const (
	listPageSize = 10
	listSortKey  = 6
	deepPage     = 150
)

// endpoint is one endpoint under load.
type endpoint struct {
	name string
	read bool // does not write (a read-only request)
	// call returns the i-th request to the endpoint and its expected answer.
	call func(i int) call
	// floor is set for a lookup, which the floor can answer (floorReads).
	floor bool
}

// The paths of the lookups.
const (
	pathUserByMobile = "/api/v2/tenant/users/user-by-mobile"
	pathProfileFetch = "/api/v5/entity/profile/fetch"
	pathBaseInfo     = "/app-portal-service/v2.2/user/getUserBaseInfo"
)

// call is one request and the check of its answer.
type call struct {
	method string
	path   string // with the query
	header http.Header
	body   []byte
	check  func(status int, body []byte) error
}

// endpoints returns the endpoints named in names, on the seeded fixture.
func endpoints(f *fixture, names []string) []endpoint {
	bearer := http.Header{"Authorization": {"Bearer " + f.token}, "Content-Type": {"application/json; charset=utf-8"}}
	v5 := bearer.Clone()
	v5.Set("X-APP-ID", f.clientID)
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	pick := func(i int) member { return f.members[i%len(f.members)] }
	var created atomic.Int64
	all := []endpoint{
		{"tenant.user-by-mobile", true, func(i int) call {
			m := pick(i)
			return call{http.MethodPost, pathUserByMobile, bearer, jsonBody(map[string]string{"mobile": m.mobile}),
				func(status int, body []byte) error { return checkTenantUser(status, body, m.id, "+86-"+m.mobile) }}
		}, true},
		{"v5.profile-fetch", true, func(i int) call {
			m := pick(i)
			q := url.Values{"corp_id": {f.teamID}, "user_id": {m.id}}
			return call{http.MethodGet, pathProfileFetch + "?" + q.Encode(), v5, nil,
				func(status int, body []byte) error { return checkV5Profile(status, body, f.teamID, m.id) }}
		}, true},
		{"portal.base-info", true, func(i int) call {
			m := pick(i)
			return call{http.MethodPost, pathBaseInfo, bearer,
				jsonBody(map[string]string{"organizationId": f.teamID, "email": m.email}),
				func(status int, body []byte) error { return checkBaseInfo(status, body, m.id, m.email) }}
		}, true},
		{"689.list-page1", true, func(int) call { return f.listCall(form, 0) }, false},
		{"689.list-page150", true, func(int) call { return f.listCall(form, deepPage) }, false},
		{"689.login", false, func(int) call {
			q := url.Values{"email_address": {f.adminEmail}, "password": {f.password}, "team_id": {f.teamID}}
			return call{http.MethodPost, "/api/user/login", form, []byte(q.Encode()),
				func(status int, body []byte) error { return checkLogin(status, body, f.adminID) }}
		}, false},
		{"v5.user-create", false, func(int) call {
			mobile := fmt.Sprintf("%s%08d", createPrefix, f.nextMobile+int(created.Add(1))-1)
			return call{http.MethodPost, "/api/v5/entity/user/create", v5,
				jsonBody(map[string]string{"area_code": "86", "mobile": mobile, "corp_id": f.teamID}), checkV5Create}
		}, false},
	}
	var out []endpoint
	for _, e := range all {
		for _, name := range names {
			if e.name == name {
				out = append(out, e)
			}
		}
	}
	return out
}

// listCall lists a page of the team sorted by email descending.
func (f *fixture) listCall(form http.Header, page int) call {
	q := url.Values{"auth_token": {f.session}, "sort_key": {strconv.Itoa(listSortKey)},
		"page_size": {strconv.Itoa(listPageSize)}, "page_number": {strconv.Itoa(page)}}
	from := min(page*listPageSize, len(f.emailsDesc))
	want := f.emailsDesc[from:min(from+listPageSize, len(f.emailsDesc))]
	total := len(f.emailsDesc)
	return call{http.MethodPost, "/api/user/list", form, []byte(q.Encode()),
		func(status int, body []byte) error { return checkList(status, body, total, want) }}
}

func jsonBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps of strings always marshal
	}
	return b
}

// decode checks the status and decodes a JSON answer into v.
func decode(status int, body []byte, v any) error {
	if status != http.StatusOK {
		return fmt.Errorf("status %d: %s", status, snippet(body))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("answer is not the expected JSON (%v): %s", err, snippet(body))
	}
	return nil
}

// snippet is the start of an answer, for error messages.
func snippet(body []byte) string {
	const max = 200
	s := strings.TrimSpace(string(body))
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}

// checkTenantUser checks a tenant user-by-mobile answer: the user itself,
// with the mobile as +86-152....
func checkTenantUser(status int, body []byte, userID, mobile string) error {
	var a struct {
		UserID string `json:"user_id"`
		Mobile string `json:"mobile"`
	}
	if err := decode(status, body, &a); err != nil {
		return err
	}
	if a.UserID != userID || a.Mobile != mobile {
		return fmt.Errorf("got user %q with mobile %q, want %q with %q", a.UserID, a.Mobile, userID, mobile)
	}
	return nil
}

// v5Envelope is the envelope of the v5 family.
type v5Envelope struct {
	Code int             `json:"code"`
	Msg  string          `json:"msg"`
	Data json.RawMessage `json:"data"`
}

// decodeV5 checks a v5 answer's status and code and decodes its data.
func decodeV5(status int, body []byte, data any) error {
	var env v5Envelope
	if err := decode(status, body, &env); err != nil {
		return err
	}
	if env.Code != 0 {
		return fmt.Errorf("code %d: %s", env.Code, env.Msg)
	}
	if err := json.Unmarshal(env.Data, data); err != nil {
		return fmt.Errorf("data is not the expected JSON (%v): %s", err, snippet(body))
	}
	return nil
}

// checkV5Profile checks a v5 profile fetch: the user of the corp asked for.
func checkV5Profile(status int, body []byte, corpID, userID string) error {
	var d struct {
		UserID string `json:"user_id"`
		CorpID string `json:"corp_id"`
	}
	if err := decodeV5(status, body, &d); err != nil {
		return err
	}
	if d.UserID != userID || d.CorpID != corpID {
		return fmt.Errorf("got user %q of corp %q, want %q of %q", d.UserID, d.CorpID, userID, corpID)
	}
	return nil
}

// checkV5Create checks a v5 create of a new number: a new user.
func checkV5Create(status int, body []byte) error {
	var d struct {
		UserID string `json:"user_id"`
		Exists *bool  `json:"is_user_exists"`
	}
	if err := decodeV5(status, body, &d); err != nil {
		return err
	}
	if d.UserID == "" || d.Exists == nil || *d.Exists {
		return fmt.Errorf("want a new user with is_user_exists false: %s", snippet(body))
	}
	return nil
}

// checkBaseInfo checks a getUserBaseInfo by email: exactly that user.
func checkBaseInfo(status int, body []byte, userID, email string) error {
	var a struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    struct {
			Users []struct {
				ID    string `json:"id"`
				Email string `json:"email"`
			} `json:"users"`
		} `json:"data"`
	}
	if err := decode(status, body, &a); err != nil {
		return err
	}
	if a.Code != 0 {
		return fmt.Errorf("code %d: %s", a.Code, a.Message)
	}
	if len(a.Data.Users) != 1 || a.Data.Users[0].ID != userID || !strings.EqualFold(a.Data.Users[0].Email, email) {
		return fmt.Errorf("want only user %s (%s): %s", userID, email, snippet(body))
	}
	return nil
}

// envelope689 is the envelope of the 689Cloud family.
type envelope689 struct {
	Result      json.RawMessage `json:"result"`
	Description string          `json:"description"`
	StatusCode  int             `json:"status_code"`
}

// decode689 checks a 689Cloud answer's status and decodes its result.
func decode689(status int, body []byte, result any) error {
	var env envelope689
	if err := decode(status, body, &env); err != nil {
		return err
	}
	if env.StatusCode != http.StatusOK {
		return fmt.Errorf("status_code %d: %s", env.StatusCode, env.Description)
	}
	if err := json.Unmarshal(env.Result, result); err != nil {
		return fmt.Errorf("result is not the expected JSON (%v): %s", err, snippet(body))
	}
	return nil
}

// checkList checks a list page: the total and exactly the emails expected,
// in order.
func checkList(status int, body []byte, total int, emails []string) error {
	var r struct {
		TotalResult *int `json:"total_result"`
		Data        []struct {
			MailAddress string `json:"mail_address"`
		} `json:"data"`
	}
	if err := decode689(status, body, &r); err != nil {
		return err
	}
	if r.TotalResult == nil || *r.TotalResult != total {
		return fmt.Errorf("total_result is %v, want %d", r.TotalResult, total)
	}
	if len(r.Data) != len(emails) {
		return fmt.Errorf("got %d members, want %d", len(r.Data), len(emails))
	}
	for i, m := range r.Data {
		if !strings.EqualFold(m.MailAddress, emails[i]) {
			return fmt.Errorf("member %d is %q, want %q", i, m.MailAddress, emails[i])
		}
	}
	return nil
}

// checkLogin checks a login: the admin, with a session.
func checkLogin(status int, body []byte, userID string) error {
	var r struct {
		UserID    string `json:"user_id"`
		SessionID string `json:"session_id"`
	}
	if err := decode689(status, body, &r); err != nil {
		return err
	}
	if r.UserID != userID {
		return fmt.Errorf("logged in as %q, want %q", r.UserID, userID)
	}
	if r.SessionID == "" {
		return errors.New("no session_id")
	}
	return nil
}
