package scim_test

// The tests in this file serve Users and Groups through the identity
// layer's provisioning use cases (provision.go). They are written against
// those use cases' documented behaviour and fail while the use cases are
// placeholders.

import (
	"net/url"
	"testing"

	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
)

const annBody = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
	"userName":"Ann@Example.com","name":{"givenName":"Ann","familyName":"Lee"},"title":"Engineer","externalId":"e1","active":true,
	"emails":[{"value":"ann@example.com","type":"work","primary":true}],"phoneNumbers":[{"value":"+8613800000000","type":"mobile"}],
	"password":"Secret-Pass-1",
	"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D","manager":{"value":"m1"}}}`

// create provisions a user from body and returns its id.
func (s *server) create(path, body string) (string, reply) {
	s.t.Helper()
	rep := s.do("POST", path, body)
	if rep.status != 201 {
		s.t.Fatalf("POST %s: %d %s", path, rep.status, rep.raw)
	}
	meta := rep.body["meta"].(map[string]any)
	if rep.header.Get("Location") != meta["location"] || rep.header.Get("ETag") != meta["version"] {
		s.t.Errorf("POST %s: Location %q, ETag %q, meta %v", path, rep.header.Get("Location"), rep.header.Get("ETag"), meta)
	}
	return rep.body["id"].(string), rep
}

func filterQuery(f string) string { return url.Values{"filter": {f}}.Encode() }

func TestUsersLifecycle(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, st storage.Store) {
		s := newServer(t, st)
		id, rep := s.create("/Users", annBody)
		ent := rep.body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].(map[string]any)
		if rep.body["userName"] != "ann@example.com" || rep.body["displayName"] != "Ann Lee" || rep.body["active"] != true ||
			ent["department"] != "R&D" || rep.body["password"] != nil || rep.body["meta"].(map[string]any)["location"] != "https://id.example.com/id/scim/v2/Users/"+id {
			t.Errorf("created: %s", rep.raw)
		}
		etag := rep.header.Get("ETag")

		if got := s.do("GET", "/Users/"+id, ""); got.status != 200 || got.header.Get("ETag") != etag || got.body["title"] != "Engineer" {
			t.Errorf("GET: %d %s", got.status, got.raw)
		}
		if got := s.do("GET", "/Users/"+id, "", "If-None-Match", etag); got.status != 304 {
			t.Errorf("GET If-None-Match: %d", got.status)
		}
		wantError(t, "second POST", s.do("POST", "/Users", `{"userName":"ann@example.com"}`), 409, "uniqueness", "emails: ")

		list := s.do("GET", "/Users?"+filterQuery(`userName eq "ANN@example.com" and emails[type eq "work"]`), "")
		if list.body["totalResults"] != 1.0 || list.body["Resources"].([]any)[0].(map[string]any)["id"] != id {
			t.Errorf("filtered list: %s", list.raw)
		}
		if none := s.do("GET", "/Users?"+filterQuery(`title eq "nope"`), ""); none.body["totalResults"] != 0.0 {
			t.Errorf("list of none: %s", none.raw)
		}
		counted := s.do("GET", "/Users?count=0&sortBy=meta.created&sortOrder=descending", "")
		if counted.body["totalResults"] != 1.0 || len(counted.body["Resources"].([]any)) != 0 || counted.body["startIndex"] != 1.0 {
			t.Errorf("count=0: %s", counted.raw)
		}

		patched := s.do("PATCH", "/Users/"+id, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
			{"op":"Replace","path":"active","value":"False"},
			{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Ops"}]}`)
		if patched.status != 200 || patched.body["active"] != false || patched.header.Get("ETag") == etag {
			t.Errorf("PATCH: %d %s", patched.status, patched.raw)
		}
		wantError(t, "PUT at an old version", s.do("PUT", "/Users/"+id, `{"userName":"ann@example.com"}`, "If-Match", etag), 412, "", "")
		wantError(t, "PATCH at an old version", s.do("PATCH", "/Users/"+id, `{"Operations":[{"op":"replace","path":"title","value":"x"}]}`, "If-Match", etag), 412, "", "")
		put := s.do("PUT", "/Users/"+id, `{"userName":"ann@example.com","name":{"givenName":"Ann"}}`, "If-Match", patched.header.Get("ETag"))
		if put.status != 200 || put.body["title"] != nil || put.body["active"] != true {
			t.Errorf("PUT: %d %s", put.status, put.raw)
		}

		wantError(t, "DELETE at an old version", s.do("DELETE", "/Users/"+id, "", "If-Match", etag), 412, "", "")
		if del := s.do("DELETE", "/Users/"+id, ""); del.status != 204 {
			t.Errorf("DELETE: %d %s", del.status, del.raw)
		}
		wantError(t, "GET deleted", s.do("GET", "/Users/"+id, ""), 404, "", "")
	})
}

// A token reads only its own team's members, and writes only with a
// write permission.
func TestUsersScope(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, st storage.Store) {
		s := newServer(t, st)
		id, _ := s.create("/Users", annBody)
		s.token = s.tokenOf(s.teamID, team.PermRead)
		if got := s.do("GET", "/Users/"+id, ""); got.status != 200 {
			t.Errorf("read with read: %d %s", got.status, got.raw)
		}
		wantError(t, "write with read", s.do("POST", "/Users", `{"userName":"bo@example.com"}`), 403, "", "")
		wantError(t, "PATCH with read", s.do("PATCH", "/Users/"+id, `{"Operations":[{"op":"replace","path":"title","value":"x"}]}`), 403, "", "")

		other, err := s.svc.CreateTeam(t.Context(), team.Profile{Name: "Other"}, "")
		if err != nil {
			t.Fatal(err)
		}
		s.token = s.tokenOf(other.ID, team.PermAll)
		wantError(t, "another team's member", s.do("GET", "/Users/"+id, ""), 404, "", "")
		if list := s.do("GET", "/Users", ""); list.body["totalResults"] != 0.0 {
			t.Errorf("another team's list: %s", list.raw)
		}
	})
}

func TestGroupsLifecycle(t *testing.T) {
	storagetest.EachBackend(t, func(t *testing.T, st storage.Store) {
		s := newServer(t, st)
		ann, _ := s.create("/Users", annBody)
		bo, _ := s.create("/Users", `{"userName":"bo@example.com"}`)
		gid, rep := s.create("/Groups", `{"displayName":"Eng","externalId":"x1","members":[{"value":"`+ann+`"}]}`)
		if members := rep.body["members"].([]any); len(members) != 1 || members[0].(map[string]any)["$ref"] != "https://id.example.com/id/scim/v2/Users/"+ann {
			t.Errorf("created group: %s", rep.raw)
		}
		found := s.do("GET", "/Groups?"+filterQuery(`displayName eq "eng"`)+"&excludedAttributes=members", "")
		if found.body["totalResults"] != 1.0 || found.body["Resources"].([]any)[0].(map[string]any)["members"] != nil {
			t.Errorf("filtered groups: %s", found.raw)
		}
		if byID := s.do("GET", "/Groups?"+filterQuery(`id eq "`+gid+`" and externalId eq "x1"`), ""); byID.body["totalResults"] != 1.0 {
			t.Errorf("group by id: %s", byID.raw)
		}

		members := func(rep reply) []string {
			var ids []string
			ms, _ := rep.body["members"].([]any)
			for _, m := range ms {
				ids = append(ids, m.(map[string]any)["value"].(string))
			}
			return ids
		}
		okta := s.do("PATCH", "/Groups/"+gid, `{"Operations":[{"op":"add","path":"members","value":[{"value":"`+bo+`"}]},
			{"op":"remove","path":"members[value eq \"`+ann+`\"]"}]}`)
		if got := members(okta); okta.status != 200 || len(got) != 1 || got[0] != bo {
			t.Errorf("Okta PATCH: %d %s", okta.status, okta.raw)
		}
		entra := s.do("PATCH", "/Groups/"+gid, `{"Operations":[{"op":"Remove","path":"members","value":[{"value":"`+bo+`"}]},
			{"op":"Replace","path":"displayName","value":"Ops"}]}`)
		if entra.status != 200 || len(members(entra)) != 0 || entra.body["displayName"] != "Ops" {
			t.Errorf("Entra PATCH: %d %s", entra.status, entra.raw)
		}
		put := s.do("PUT", "/Groups/"+gid, `{"displayName":"Ops","members":[{"value":"`+ann+`"},{"value":"`+bo+`"}]}`)
		if got := members(put); put.status != 200 || len(got) != 2 || put.body["externalId"] != nil {
			t.Errorf("PUT: %d %s", put.status, put.raw)
		}
		wantError(t, "PUT at an old version", s.do("PUT", "/Groups/"+gid, `{"displayName":"X"}`, "If-Match", rep.header.Get("ETag")), 412, "", "")
		if del := s.do("DELETE", "/Groups/"+gid, ""); del.status != 204 {
			t.Errorf("DELETE: %d %s", del.status, del.raw)
		}
		wantError(t, "GET deleted", s.do("GET", "/Groups/"+gid, ""), 404, "", "")
	})
}
