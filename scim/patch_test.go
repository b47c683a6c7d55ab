package scim

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// ann is the member the user PATCH tests start from.
func ann() identity.Provisioned {
	m := team.Member{
		User: user.User{ID: "u1", Email: contact.Email{Display: "Ann@Example.com", Normalized: "ann@example.com"}},
		Membership: team.Membership{TeamID: "t1", UserID: "u1", Status: team.MemberActive,
			CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), UpdatedAt: time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC),
			Profile: user.Profile{FirstName: "Ann", LastName: "Lee", JobTitle: "Engineer", Department: "R&D",
				EmployeeID: "7", ExternalID: "ext-1", ManagerID: "m1"}},
	}
	return identity.Provisioned{Member: m, Version: "v1"}
}

// annProvision is what ann is asked to be if nothing changes.
func annProvision() identity.Provision {
	return identity.Provision{Email: "ann@example.com", Active: true, GivenName: "Ann", FamilyName: "Lee", ExternalID: "ext-1",
		Title: "Engineer", Department: "R&D", EmployeeNumber: "7", Manager: "m1"}
}

// ops reads the operations of a PATCH body.
func ops(t testing.TB, body string) []operation {
	t.Helper()
	var obj map[string]any
	if err := json.Unmarshal([]byte(body), &obj); err != nil {
		t.Fatal(err)
	}
	list, err := readPatch(obj)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

const ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

func TestPatchUser(t *testing.T) {
	for _, c := range []struct {
		name, ops string
		change    func(p *identity.Provision)
	}{
		{"nothing", `[{"op":"add","path":"nickName","value":"x"}]`, func(p *identity.Provision) {}},
		{"Entra replace displayName", `[{"op":"Replace","path":"displayName","value":"Annie"}]`,
			func(p *identity.Provision) { p.DisplayName = "Annie" }},
		{"Entra active as a string", `[{"op":"Replace","path":"active","value":"False"}]`,
			func(p *identity.Provision) { p.Active = false }},
		{"Entra enterprise attributes", `[{"op":"Add","path":"` + ent + `:department","value":"Ops"},
			{"op":"Add","path":"` + ent + `:manager","value":"m2"},
			{"op":"Replace","path":"` + ent + `:employeeNumber","value":"8"}]`,
			func(p *identity.Provision) { p.Department, p.Manager, p.EmployeeNumber = "Ops", "m2", "8" }},
		{"Entra remove manager", `[{"op":"Remove","path":"` + ent + `:manager","value":[{"value":"m1"}]}]`,
			func(p *identity.Provision) { p.Manager = "" }},
		{"new address in both", `[{"op":"Replace","path":"userName","value":"ann@new.example"},
			{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ANN@new.example"}]`,
			func(p *identity.Provision) { p.Email = "ANN@new.example" }},
		{"new address alone follows into userName", `[{"op":"replace","path":"emails[type eq \"work\"].value","value":"other@example.com"}]`,
			func(p *identity.Provision) { p.Email = "other@example.com" }},
		{"a userName of its own", `[{"op":"replace","path":"userName","value":"ann_lee"}]`,
			func(p *identity.Provision) { p.UserName = "ann_lee" }},
		{"new userName alone", `[{"op":"replace","path":"userName","value":"ann@new.example"}]`,
			func(p *identity.Provision) { p.Email = "ann@new.example" }},
		{"sub-attribute", `[{"op":"replace","path":"name.givenName","value":"Anna"},{"op":"add","path":"NAME.middleName","value":"M"}]`,
			func(p *identity.Provision) { p.GivenName, p.MiddleName = "Anna", "M" }},
		{"phone made by its filter", `[{"op":"Replace","path":"phoneNumbers[type eq \"mobile\"].value","value":"+8613800000000"}]`,
			func(p *identity.Provision) { p.Phone = "+8613800000000" }},
		{"phone added", `[{"op":"add","path":"phoneNumbers","value":[{"value":"+1 555","type":"work"},{"value":"+2","type":"Mobile"}]}]`,
			func(p *identity.Provision) { p.Phone = "+2" }},
		{"path-less Entra", `[{"op":"Replace","value":{"active":false,"name.familyName":"Li","` + ent + `:employeeNumber":"9","id":"ignored"}}]`,
			func(p *identity.Provision) { p.Active, p.FamilyName, p.EmployeeNumber = false, "Li", "9" }},
		{"path-less with a value path", `[{"op":"Replace","value":{"emails[type eq \"work\"].value":"ann@example.com","userName":"ann@example.com","phoneNumbers[type eq \"mobile\"].value":"+3","bad[":1}}]`,
			func(p *identity.Provision) { p.Email, p.Phone = "ann@example.com", "+3" }},
		{"path-less Okta", `[{"op":"replace","value":{"active":false,"name":{"givenName":"A"},"` + ent + `":{"department":"X"}}}]`,
			func(p *identity.Provision) { p.Active, p.GivenName, p.Department = false, "A", "X" }},
		{"extension as a path", `[{"op":"replace","path":"` + ent + `","value":{"Department":"Y"}}]`,
			func(p *identity.Provision) { p.Department = "Y" }},
		{"remove", `[{"op":"remove","path":"title"},{"op":"remove","path":"name.givenName"},{"op":"remove","path":"` + ent + `"}]`,
			func(p *identity.Provision) {
				p.Title, p.GivenName, p.Department, p.EmployeeNumber, p.Manager = "", "", "", "", ""
			}},
		{"remove matching nothing", `[{"op":"remove","path":"phoneNumbers[type eq \"fax\"]"}]`, func(p *identity.Provision) {}},
		{"password", `[{"op":"replace","path":"password","value":"s3cret-Pass"}]`, func(p *identity.Provision) { p.Password = "s3cret-Pass" }},
		{"URN-qualified core", `[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:title","value":"Boss"}]`,
			func(p *identity.Provision) { p.Title = "Boss" }},
	} {
		got, err := patchedUser(ann(), ops(t, `{"Operations":`+c.ops+`}`))
		want := annProvision()
		c.change(&want)
		if err != nil || got != want {
			t.Errorf("%s:\n got %+v, %v\nwant %+v", c.name, got, err, want)
		}
	}
}

func TestPatchUserRefused(t *testing.T) {
	for _, c := range []struct{ ops, scimType, detail string }{
		{`[{"op":"replace","path":"emails[type eq","value":"x"}]`, typeInvalidPath, "path: "},
		{`[{"op":"replace","path":"id","value":"x"}]`, typeMutability, "id: is read-only"},
		{`[{"op":"replace","path":"meta.created","value":"x"}]`, typeMutability, "meta.created: is read-only"},
		{`[{"op":"remove"}]`, typeNoTarget, "path: is required to remove"},
		{`[{"op":"replace","path":"emails[type eq \"a\" or type eq \"b\"].value","value":"x"}]`, typeNoTarget, "path: the filter on emails matches no value"},
		{`[{"op":"replace","path":"title","value":5}]`, typeInvalidValue, "title: must be a string, not a number"},
		{`[{"op":"replace","path":"active","value":"maybe"}]`, typeInvalidValue, "active: must be true or false"},
		{`[{"op":"replace","path":"name","value":"Ann"}]`, typeInvalidValue, "name: must be an object"},
		{`[{"op":"replace","path":"name[givenName eq \"Ann\"]","value":{}}]`, typeInvalidPath, "path: "},
		{`[{"op":"replace","path":"emails[nope eq \"x\"].value","value":"x"}]`, typeInvalidPath, "path: emails has no sub-attribute nope"},
		{`[{"op":"replace","path":"userName","value":""}]`, typeInvalidValue, "userName: is required"},
		{`[{"op":"replace","value":"x"}]`, typeInvalidValue, "value: must be an object"},
		{`[{"op":"add","path":"phoneNumbers","value":[1]}]`, typeInvalidValue, "phoneNumbers: must be an object"},
		{`[{"op":"replace","path":"title","value":"a\u0000b"}]`, typeInvalidValue, "title: must not contain a NUL"},
	} {
		_, err := patchedUser(ann(), ops(t, `{"Operations":`+c.ops+`}`))
		wantRefusal(t, c.ops, err, 400, c.scimType, c.detail)
	}
	for _, c := range []struct{ body, scimType, detail string }{
		{`{}`, typeInvalidValue, "Operations: must be an array"},
		{`{"Operations":[]}`, typeInvalidValue, "Operations: must be an array"},
		{`{"operations":[{"op":"move","path":"title"}]}`, typeInvalidValue, "op: must be add, replace or remove"},
		{`{"Operations":[{"op":"add","path":3}]}`, typeInvalidPath, "path: must be a string"},
		{`{"Operations":[3]}`, typeInvalidValue, "Operations: must hold objects"},
	} {
		var obj map[string]any
		json.Unmarshal([]byte(c.body), &obj)
		_, err := readPatch(obj)
		wantRefusal(t, c.body, err, 400, c.scimType, c.detail)
	}
}

func TestPatchLimits(t *testing.T) {
	many := make([]any, maxValues+1)
	for i := range many {
		many[i] = map[string]any{"op": "add", "path": "title", "value": "x"}
	}
	_, err := readPatch(map[string]any{"Operations": many})
	wantRefusal(t, "1001 operations", err, 400, typeInvalidValue, "Operations: has 1001 operations; the limit is 1000")
	members := make([]any, maxValues+1)
	for i := range members {
		members[i] = map[string]any{"value": "u"}
	}
	p := patcher{res: groupResource, doc: map[string]any{}}
	err = p.apply(operation{op: "add", path: "members", value: members})
	wantRefusal(t, "1001 members", err, 400, typeInvalidValue, "members: has 1001 values; the limit is 1000")
}

func group() identity.Group {
	return identity.Group{Project: team.Project{ID: "g1", Name: "Eng", ExternalID: "x1"}, Members: []string{"u1", "u2"}, Version: "v1"}
}

func TestPatchGroup(t *testing.T) {
	for _, c := range []struct {
		name, ops    string
		add, remove  []string
		wantName     string
		wantExternal string
	}{
		{"Okta add", `[{"op":"add","path":"members","value":[{"value":"u3","display":"Cy"}]}]`, []string{"u3"}, nil, "Eng", "x1"},
		{"Okta add again", `[{"op":"add","path":"members","value":[{"value":"u2"}]}]`, nil, nil, "Eng", "x1"},
		{"Okta remove", `[{"op":"remove","path":"members[value eq \"u2\"]"}]`, nil, []string{"u2"}, "Eng", "x1"},
		{"remove a non-member", `[{"op":"remove","path":"members[value eq \"u9\"]"}]`, nil, nil, "Eng", "x1"},
		{"Entra remove", `[{"op":"Remove","path":"members","value":[{"value":"u1"},{"value":"u2"}]}]`, nil, []string{"u1", "u2"}, "Eng", "x1"},
		{"Entra rename", `[{"op":"Replace","path":"displayName","value":"Ops"}]`, nil, nil, "Ops", "x1"},
		{"replace members", `[{"op":"replace","path":"members","value":[{"value":"u2"},{"value":"u4"}]}]`, []string{"u4"}, []string{"u1"}, "Eng", "x1"},
		{"remove all", `[{"op":"remove","path":"members"},{"op":"remove","path":"externalId"}]`, nil, []string{"u1", "u2"}, "Eng", ""},
		{"path-less", `[{"op":"replace","value":{"displayName":"A","externalId":"x2"}}]`, nil, nil, "A", "x2"},
	} {
		g := group()
		p := patcher{res: groupResource, doc: groupDoc(g)}
		var err error
		for _, op := range ops(t, `{"Operations":`+c.ops+`}`) {
			if err = p.apply(op); err != nil {
				break
			}
		}
		var w groupWrite
		if err == nil {
			w, err = groupOf(p.doc)
		}
		ch := w.change(g)
		if err != nil || !reflect.DeepEqual(ch.Add, c.add) || !reflect.DeepEqual(ch.Remove, c.remove) || *ch.Name != c.wantName || *ch.ExternalID != c.wantExternal {
			t.Errorf("%s: got %+v (%s, %s), %v; want add %v remove %v", c.name, ch, w.name, w.externalID, err, c.add, c.remove)
		}
	}
	p := patcher{res: groupResource, doc: groupDoc(group())}
	err := p.apply(operation{op: "add", path: "members", value: []any{map[string]any{"display": "no id"}}})
	if err == nil {
		_, err = groupOf(p.doc)
	}
	wantRefusal(t, "member without value", err, 400, typeInvalidValue, "members: each member needs a value")
}
