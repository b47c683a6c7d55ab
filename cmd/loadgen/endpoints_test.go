package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// checkCase is an answer and whether a check must accept it.
type checkCase struct {
	status int
	body   string
	ok     bool
}

func runChecks(t *testing.T, name string, check func(int, []byte) error, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		err := check(c.status, []byte(c.body))
		if (err == nil) != c.ok {
			t.Errorf("%s(%d, %s) = %v, want ok %v", name, c.status, c.body, err, c.ok)
		}
	}
}

func TestCheckTenantUser(t *testing.T) {
	runChecks(t, "checkTenantUser", func(s int, b []byte) error { return checkTenantUser(s, b, "u1", "+86-13900000001") }, []checkCase{
		{200, `{"user_id":"u1","org_id":"t","mobile":"+86-13900000001","email":"a@b.c"}`, true},
		{200, `{"user_id":"u2","mobile":"+86-13900000001"}`, false},
		{200, `{"user_id":"u1","mobile":"+8613900000001"}`, false},
		{400, `{"error_code":"USER.0001","error_msg":"User does not exist"}`, false},
		{200, `not json`, false},
	})
}

func TestCheckV5(t *testing.T) {
	runChecks(t, "checkV5Profile", func(s int, b []byte) error { return checkV5Profile(s, b, "t1", "u1") }, []checkCase{
		{200, `{"code":0,"msg":"success.","data":{"user_id":"u1","corp_id":"t1","name":"A","gender":null}}`, true},
		{200, `{"code":0,"msg":"success.","data":{"user_id":"u1","corp_id":"t2"}}`, false},
		{200, `{"code":40401,"msg":"not found","data":null}`, false},
		{404, `{"code":40401,"msg":"not found","data":null}`, false},
	})
	runChecks(t, "checkV5Create", checkV5Create, []checkCase{
		{200, `{"code":0,"msg":"success.","data":{"user_id":"u9","is_user_exists":false}}`, true},
		{200, `{"code":0,"msg":"success.","data":{"user_id":"u9","is_user_exists":true}}`, false},
		{200, `{"code":0,"msg":"success.","data":{"user_id":"u9"}}`, false},
		{200, `{"code":0,"msg":"success.","data":{"user_id":"","is_user_exists":false}}`, false},
		{409, `{"code":40901,"msg":"conflict","data":null}`, false},
	})
}

func TestCheckBaseInfo(t *testing.T) {
	runChecks(t, "checkBaseInfo", func(s int, b []byte) error { return checkBaseInfo(s, b, "u1", "wei.li@load.example") }, []checkCase{
		{200, `{"code":0,"message":"OK","data":{"users":[{"id":"u1","name":"Wei Li","domain":"","email":"Wei.Li@load.example"}]}}`, true},
		{200, `{"code":0,"message":"OK","data":{"users":[]}}`, false},
		{200, `{"code":0,"message":"OK","data":{"users":[{"id":"u1","email":"wei.li@load.example"},{"id":"u2","email":"x@y.z"}]}}`, false},
		{200, `{"code":31404,"message":"not found","data":null}`, false},
		{400, `{"code":31400,"message":"bad","data":null}`, false},
	})
}

func TestCheckList(t *testing.T) {
	want := []string{"c@x.example", "b@x.example"}
	list := func(total int, emails ...string) string {
		type m struct {
			Mail string `json:"mail_address"`
		}
		data := make([]m, len(emails))
		for i, e := range emails {
			data[i] = m{e}
		}
		b, _ := json.Marshal(map[string]any{"result": map[string]any{"total_result": total, "data": data},
			"description": "OK", "status_code": 200, "total_records": nil})
		return string(b)
	}
	runChecks(t, "checkList", func(s int, b []byte) error { return checkList(s, b, 1501, want) }, []checkCase{
		{200, list(1501, "c@x.example", "B@x.example"), true},
		{200, list(1500, "c@x.example", "b@x.example"), false},
		{200, list(1501, "b@x.example", "c@x.example"), false},
		{200, list(1501, "c@x.example"), false},
		{200, `{"result":null,"description":"auth_token is not valid","status_code":401,"total_records":null}`, false},
		{401, `{"result":null,"description":"auth_token is not valid","status_code":401,"total_records":null}`, false},
	})
	runChecks(t, "checkList(empty page)", func(s int, b []byte) error { return checkList(s, b, 3, nil) }, []checkCase{
		{200, list(3), true},
		{200, list(3, "a@x.example"), false},
	})
}

func TestCheckLogin(t *testing.T) {
	runChecks(t, "checkLogin", func(s int, b []byte) error { return checkLogin(s, b, "admin") }, []checkCase{
		{200, `{"result":{"user_id":"admin","team_id":"t","session_id":"s3cr3t"},"description":"OK","status_code":200,"total_records":null}`, true},
		{200, `{"result":{"user_id":"admin","session_id":""},"description":"OK","status_code":200}`, false},
		{200, `{"result":{"user_id":"other","session_id":"s"},"description":"OK","status_code":200}`, false},
		{401, `{"result":null,"description":"the email address, password or team is wrong","status_code":401}`, false},
	})
}

// TestEndpointsRequests checks the requests each endpoint sends.
func TestEndpointsRequests(t *testing.T) {
	f := &fixture{teamID: "t1", adminID: "a1", adminEmail: "admin@load.example", password: "pw-123456", clientID: "c1",
		token: "tok", session: "sess", nextMobile: 42,
		members:    []member{{"u0", "wei.wang.13900000000@load.example", "13900000000"}, {"u1", "fang.li.13900000001@load.example", "13900000001"}},
		emailsDesc: []string{"wei.wang.13900000000@load.example", "fang.li.13900000001@load.example", "admin@load.example"}}
	eps := endpoints(f, endpointNames)
	if len(eps) != len(endpointNames) {
		t.Fatalf("got %d endpoints, want %d", len(eps), len(endpointNames))
	}
	calls := map[string]call{}
	for _, e := range eps {
		calls[e.name] = e.call(1)
	}
	if c := calls["tenant.user-by-mobile"]; c.method != http.MethodPost || string(c.body) != `{"mobile":"13900000001"}` ||
		c.header.Get("Authorization") != "Bearer tok" {
		t.Errorf("tenant call: %+v %s", c, c.body)
	}
	if c := calls["v5.profile-fetch"]; c.method != http.MethodGet || c.path != "/api/v5/entity/profile/fetch?corp_id=t1&user_id=u1" ||
		c.header.Get("X-APP-ID") != "c1" {
		t.Errorf("v5 fetch call: %+v", c)
	}
	if c := calls["portal.base-info"]; !strings.Contains(string(c.body), `"email":"fang.li.13900000001@load.example"`) ||
		!strings.Contains(string(c.body), `"organizationId":"t1"`) {
		t.Errorf("portal call body: %s", c.body)
	}
	for name, page := range map[string]string{"689.list-page1": "0", "689.list-page150": "150"} {
		q, err := url.ParseQuery(string(calls[name].body))
		if err != nil || q.Get("auth_token") != "sess" || q.Get("sort_key") != "6" || q.Get("page_size") != "10" || q.Get("page_number") != page {
			t.Errorf("%s body: %s", name, calls[name].body)
		}
	}
	// Page 1 of three members holds all three; page 150 none.
	full := `{"result":{"total_result":3,"data":[{"mail_address":"wei.wang.13900000000@load.example"},{"mail_address":"fang.li.13900000001@load.example"},{"mail_address":"admin@load.example"}]},"status_code":200}`
	if err := calls["689.list-page1"].check(200, []byte(full)); err != nil {
		t.Error(err)
	}
	if err := calls["689.list-page150"].check(200, []byte(`{"result":{"total_result":3,"data":[]},"status_code":200}`)); err != nil {
		t.Error(err)
	}
	if q, _ := url.ParseQuery(string(calls["689.login"].body)); q.Get("email_address") != "admin@load.example" || q.Get("team_id") != "t1" {
		t.Errorf("login body: %s", calls["689.login"].body)
	}
	// Each create is a new number, following the store's largest: the call
	// above took 42.
	var e endpoint
	for _, x := range eps {
		if x.name == "v5.user-create" {
			e = x
		}
	}
	a, b := string(e.call(0).body), string(e.call(0).body)
	if !strings.Contains(string(calls["v5.user-create"].body), `"mobile":"18600000042"`) ||
		!strings.Contains(a, `"mobile":"18600000043"`) || !strings.Contains(b, `"mobile":"18600000044"`) || !strings.Contains(a, `"corp_id":"t1"`) {
		t.Errorf("create bodies: %s then %s", a, b)
	}
}
