package scim

import (
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"slices"
	"testing"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// testCall is a call on a server with default options, for the parts
// that need no service.
func testCall(method, target string) (*call, *httptest.ResponseRecorder) {
	w := httptest.NewRecorder()
	return &call{w: w, r: httptest.NewRequest(method, target, nil), s: &server{opts: Options{Prefix: "/id"}.withDefaults()}}, w
}

func TestRenderUser(t *testing.T) {
	c, _ := testCall("GET", "https://id.example.com/id/scim/v2/Users/u1")
	m := ann()
	m.Membership.Phone = "+8613800000000"
	got := c.renderUser(m)
	want := map[string]any{
		"schemas":      []any{urnUser, urnEnterprise},
		"id":           "u1",
		"externalId":   "ext-1",
		"userName":     "ann@example.com",
		"name":         map[string]any{"givenName": "Ann", "familyName": "Lee", "formatted": "Ann Lee"},
		"displayName":  "Ann Lee",
		"title":        "Engineer",
		"active":       true,
		"emails":       []any{map[string]any{"value": "ann@example.com", "type": "work", "primary": true}},
		"phoneNumbers": []any{map[string]any{"value": "+8613800000000", "type": "mobile"}},
		urnEnterprise:  map[string]any{"employeeNumber": "7", "department": "R&D", "manager": map[string]any{"value": "m1"}},
		"meta": map[string]any{"resourceType": "User", "created": "2026-01-02T03:04:05Z", "lastModified": "2026-02-03T04:05:06Z",
			"location": "https://id.example.com/id/scim/v2/Users/u1", "version": `W/"v1"`},
	}
	if !reflect.DeepEqual(roundTrip(t, got), roundTrip(t, want)) {
		t.Errorf("got  %v\nwant %v", roundTrip(t, got), roundTrip(t, want))
	}
	m.Membership.Status, m.Membership.DisplayName = team.MemberSuspended, "Annie"
	if got := c.renderUser(m); got["active"] != false || got["displayName"] != "Annie" {
		t.Errorf("suspended with a display name: got %v, %v", got["active"], got["displayName"])
	}
	c.s.opts.BaseURL = "https://proxy.example"
	if got := c.location("/Users", "a/b"); got != "https://proxy.example/id/scim/v2/Users/a%2Fb" {
		t.Errorf("location with BaseURL: %s", got)
	}
}

// roundTrip returns v as JSON decodes it.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}

// A rendered member read back as a PUT body asks for what it holds.
func TestUserRoundTrip(t *testing.T) {
	c, _ := testCall("GET", "/")
	m := ann()
	m.Membership.Phone, m.Membership.DisplayName, m.Membership.MiddleName = "+1", "Annie", "M"
	got, err := readUser(roundTrip(t, c.renderUser(m)).(map[string]any))
	want := annProvision()
	want.Phone, want.DisplayName, want.MiddleName = "+1", "Annie", "M"
	if err != nil || got != want {
		t.Errorf("got %+v, %v\nwant %+v", got, err, want)
	}
}

func TestReadUser(t *testing.T) {
	for _, c := range []struct {
		name, body string
		want       identity.Provision
	}{
		{"minimal, active by default", `{"userName":"a@x"}`, identity.Provision{Email: "a@x", Active: true}},
		{"names ignore case", `{"USERNAME":"a@x","Name":{"GivenName":"A"},"ACTIVE":"false","externalID":"e"}`,
			identity.Provision{Email: "a@x", GivenName: "A", ExternalID: "e"}},
		{"URN-qualified", `{"urn:ietf:params:scim:schemas:core:2.0:User:userName":"a@x","` + ent + `:department":"D","` + ent + `":{"employeeNumber":"1","manager":{"value":"m"}}}`,
			identity.Provision{Email: "a@x", Active: true, Department: "D", EmployeeNumber: "1", Manager: "m"}},
		{"read-only and unknown ignored", `{"userName":"a@x","id":"x","meta":{"version":"1"},"groups":[{"value":"g"}],"nickName":"n","name":{"formatted":"F"}}`,
			identity.Provision{Email: "a@x", Active: true}},
		{"emails repeat userName", `{"userName":"a@x","emails":[{"value":"A@X","type":"work","primary":true},{"value":"home@x","type":"home"}]}`,
			identity.Provision{Email: "A@X", Active: true}},
		{"a userName of the team's", `{"userName":"a.x","emails":[{"value":"home@x","type":"home"},{"value":"b@x","primary":true}]}`,
			identity.Provision{UserName: "a.x", Email: "b@x", Active: true}},
		{"the work address", `{"userName":"a.x","emails":[{"value":"home@x","type":"home"},{"value":"b@x","type":"Work"}]}`,
			identity.Provision{UserName: "a.x", Email: "b@x", Active: true}},
		{"phones: the mobile", `{"userName":"a@x","phoneNumbers":[{"value":"1","type":"work"},{"value":"2","type":"mobile"}]}`,
			identity.Provision{Email: "a@x", Active: true, Phone: "2"}},
		{"phones: the primary", `{"userName":"a@x","phoneNumbers":[{"value":"1","type":"work"},{"value":"2","primary":"True"}]}`,
			identity.Provision{Email: "a@x", Active: true, Phone: "2"}},
		{"phones: the first", `{"userName":"a@x","phoneNumbers":[{"value":"1","type":"work"},{"value":"2"}]}`,
			identity.Provision{Email: "a@x", Active: true, Phone: "1"}},
		{"nulls", `{"userName":"a@x","title":null,"name":null}`, identity.Provision{Email: "a@x", Active: true}},
		{"password", `{"userName":"a@x","password":"pw"}`, identity.Provision{Email: "a@x", Active: true, Password: "pw"}},
	} {
		var body map[string]any
		if err := json.Unmarshal([]byte(c.body), &body); err != nil {
			t.Fatal(err)
		}
		got, err := readUser(body)
		if err != nil || got != c.want {
			t.Errorf("%s: got %+v, %v\nwant %+v", c.name, got, err, c.want)
		}
	}
	for _, c := range []struct{ body, detail string }{
		{`{"name":{"givenName":"A"}}`, "userName: is required"},
		{`{"userName":"a.x"}`, "emails: is required"},
		{`{"userName":" ","emails":[{"value":"b@x"}]}`, "userName: is required"},
		{`{"userName":42}`, "userName: must be a string, not a number"},
		{`{"userName":"a@x","name":{"givenName":["A"]}}`, "name.givenName: must be a string, not an array"},
		{`{"userName":"a@x","` + ent + `":"x"}`, ent + ": must be an object of attributes"},
		{`{"userName":"a@x","name":{"givenName":"A","GIVENNAME":"B"}}`, "name.givenName: is given twice"},
		{`{"userName":"a@x","active":1}`, "active: must be true or false, not a number"},
	} {
		var body map[string]any
		json.Unmarshal([]byte(c.body), &body)
		_, err := readUser(body)
		wantRefusal(t, c.body, err, 400, typeInvalidValue, c.detail)
	}
}

func TestRenderGroup(t *testing.T) {
	c, _ := testCall("GET", "http://h/id/scim/v2/Groups/g1")
	got := roundTrip(t, c.renderGroup(group()))
	want := roundTrip(t, map[string]any{
		"schemas": []string{urnGroup}, "id": "g1", "displayName": "Eng", "externalId": "x1",
		"members": []any{
			map[string]any{"value": "u1", "type": "User", "$ref": "http://h/id/scim/v2/Users/u1"},
			map[string]any{"value": "u2", "type": "User", "$ref": "http://h/id/scim/v2/Users/u2"},
		},
		"meta": map[string]any{"resourceType": "Group", "created": "0001-01-01T00:00:00Z", "lastModified": "0001-01-01T00:00:00Z",
			"location": "http://h/id/scim/v2/Groups/g1", "version": `W/"v1"`},
	})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	w, err := readGroup(got.(map[string]any))
	if err != nil || !reflect.DeepEqual(w, groupWrite{name: "Eng", externalID: "x1", members: []string{"u1", "u2"}}) {
		t.Errorf("read back: %+v, %v", w, err)
	}
	_, err = readGroup(map[string]any{"members": []any{}})
	wantRefusal(t, "no displayName", err, 400, typeInvalidValue, "displayName: is required")
}

func TestProjection(t *testing.T) {
	c, _ := testCall("GET", "/")
	for _, tc := range []struct {
		query string
		keys  []string // the top-level members of the result
		check func(doc map[string]any) bool
	}{
		{"attributes=userName", []string{"id", "schemas", "userName"}, nil},
		{"attributes=NAME.givenName,emails.value", []string{"emails", "id", "name", "schemas"}, func(d map[string]any) bool {
			return reflect.DeepEqual(d["name"], map[string]any{"givenName": "Ann"}) &&
				reflect.DeepEqual(d["emails"], []any{map[string]any{"value": "ann@example.com"}})
		}},
		{"attributes=" + ent + ":department", []string{"id", "schemas", ent}, func(d map[string]any) bool {
			return reflect.DeepEqual(d[ent], map[string]any{"department": "R&D"})
		}},
		{"attributes=" + ent, []string{"id", "schemas", ent}, nil},
		{"attributes=nothing", []string{"id", "schemas"}, nil},
		{"excludedAttributes=id,meta,emails,name.givenName," + ent, []string{"active", "displayName", "externalId", "id", "name", "schemas", "title", "userName"},
			func(d map[string]any) bool {
				return reflect.DeepEqual(d["name"], map[string]any{"familyName": "Lee", "formatted": "Ann Lee"})
			}},
	} {
		view, err := (&call{r: httptest.NewRequest("GET", "/?"+tc.query, nil)}).projection(userResource)
		if err != nil {
			t.Fatal(err)
		}
		doc := view.apply(c.renderUser(ann()))
		var keys []string
		for k := range doc {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !reflect.DeepEqual(keys, tc.keys) || tc.check != nil && !tc.check(doc) {
			t.Errorf("%s: got %v", tc.query, doc)
		}
	}
}
