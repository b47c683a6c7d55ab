package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// scimIsolationRows are the isolation matrix's rows of the SCIM routes
// (package scim): B's token, with A's users, addresses, names and project
// in filters, paths and bodies.
func scimIsolationRows(s *server, a *isoA, b *isoB) map[string][]probe {
	const root = "/scim/v2"
	send := func(method, path, body string) func() *reply {
		return func() *reply { return s.call(b.app.token, method, root+path, body) }
	}
	filter := func(path, f string) func() *reply {
		return send(http.MethodGet, path+"?"+url.Values{"filter": {f}}.Encode(), "")
	}
	none := func(t *testing.T, r *reply) {
		var list struct {
			TotalResults int `json:"totalResults"`
		}
		if err := json.Unmarshal(r.Body, &list); err != nil || list.TotalResults != 0 {
			t.Errorf("B's filter on A's data found %d: %s", list.TotalResults, r.Body)
		}
	}
	notFound := func(name, method, path, body string) probe {
		return probe{name: name, status: 404, send: send(method, path, body)}
	}
	user := `{"userName":"pwned@bravo-team.example","name":{"givenName":"Pwned","familyName":"ByBravo"}}`
	patch := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"name.givenName","value":"Pwned"}]}`
	rows := map[string][]probe{
		root + "/Users": {
			{name: "userName eq A's admin", status: 200, send: filter("/Users", `userName eq "`+a.admin.email+`"`), exact: none},
			{name: "emails co A's domain", status: 200, send: filter("/Users", `emails co "`+a.domain+`"`), exact: none},
			{name: "id eq A's admin", status: 200, send: filter("/Users", `id eq "`+a.admin.id+`"`), exact: none},
			{name: "A's names and records", status: 200, send: filter("/Users", `name.familyName eq "`+a.member.last+`" or title eq "`+a.member.attributes()[0]+`"`), exact: none},
			{name: "every member of B", status: 200, send: send(http.MethodGet, "/Users?count=1000", "")},
			// Documented (SECURITY.md, SCIM): an address another team knows
			// joins B with B's record; the answer is what a new address
			// gets: the ID and the address, nothing A recorded.
			{name: "A's manager by address (documented join)", status: 201, last: true, allow: a.manager.contacts(),
				send: send(http.MethodPost, "/Users", `{"userName":"`+a.manager.email+`","name":{"givenName":"Pwned","familyName":"ByBravo"}}`),
				exact: func(t *testing.T, r *reply) {
					var u map[string]any
					json.Unmarshal(r.Body, &u)
					if u["id"] != a.manager.id || u["userName"] != strings.ToLower(a.manager.email) || u["title"] != nil || u["phoneNumbers"] != nil {
						t.Errorf("B's SCIM create of A's manager answers %s", r.Body)
					}
				}},
		},
		root + "/Users/{id}": {
			notFound("GET A's admin", http.MethodGet, "/Users/"+a.admin.id, ""),
			notFound("PUT A's member", http.MethodPut, "/Users/"+a.member.id, user),
			notFound("PATCH A's member", http.MethodPatch, "/Users/"+a.member.id, patch),
			notFound("DELETE A's member", http.MethodDelete, "/Users/"+a.member.id, ""),
		},
		root + "/Groups": {
			{name: "displayName eq A's project", status: 200, send: filter("/Groups", `displayName eq "`+a.project+`"`), exact: none},
			{name: "id eq A's project", status: 200, send: filter("/Groups", `id eq "`+a.projectID+`"`), exact: none},
			{name: "a group of A's member", status: 404, send: send(http.MethodPost, "/Groups", `{"displayName":"Bravo","members":[{"value":"`+a.member.id+`"}]}`)},
		},
		root + "/Groups/{id}": {
			notFound("GET A's project", http.MethodGet, "/Groups/"+a.projectID, ""),
			notFound("PUT A's project", http.MethodPut, "/Groups/"+a.projectID, `{"displayName":"Pwned"}`),
			notFound("PATCH A's project", http.MethodPatch, "/Groups/"+a.projectID, `{"Operations":[{"op":"remove","path":"members"}]}`),
			notFound("DELETE A's project", http.MethodDelete, "/Groups/"+a.projectID, ""),
		},
		root + "/ServiceProviderConfig": {{name: "the same for everyone", status: 200, send: send(http.MethodGet, "/ServiceProviderConfig", "")}},
		root + "/ResourceTypes":         {{name: "the same for everyone", status: 200, send: send(http.MethodGet, "/ResourceTypes", "")}},
		root + "/ResourceTypes/{name}":  {{name: "the same for everyone", status: 200, send: send(http.MethodGet, "/ResourceTypes/User", "")}},
		root + "/Schemas":               {{name: "the same for everyone", status: 200, send: send(http.MethodGet, "/Schemas", "")}},
		root + "/Schemas/{id}":          {{name: "the same for everyone", status: 200, send: send(http.MethodGet, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "")}},
		root + "/":                      {notFound("A's user under an unknown path", http.MethodGet, "/Users/"+a.admin.id+"/groups", "")},
	}
	// B reads, renames and tries to move the users of A it has added: each
	// answer is B's record of them with their contacts, nothing A recorded;
	// the address is the owner's and A's too, so B may not move it.
	for _, u := range []isoUser{a.shared5, a.shared689} {
		contains := func(t *testing.T, r *reply) {
			if !strings.Contains(string(r.Body), u.id) {
				t.Errorf("SCIM on A's %s, joined, answers without them: %s", u.first, r.Body)
			}
		}
		rows[root+"/Users/{id}"] = append(rows[root+"/Users/{id}"],
			probe{name: "GET A's " + u.first + ", joined", status: 200, joined: true, allow: u.contacts(), exact: contains, send: send(http.MethodGet, "/Users/"+u.id, "")},
			probe{name: "PATCH A's " + u.first + ", joined", status: 200, joined: true, allow: u.contacts(), exact: contains, send: send(http.MethodPatch, "/Users/"+u.id, patch)},
			probe{name: "move A's " + u.first + ", joined", status: 403, joined: true, send: send(http.MethodPatch, "/Users/"+u.id,
				`{"Operations":[{"op":"replace","path":"emails[type eq \"work\"].value","value":"moved@bravo-team.example"}]}`)},
		)
		rows[root+"/Users"] = append(rows[root+"/Users"],
			probe{name: "userName eq A's " + u.first + ", joined", status: 200, joined: true, allow: u.contacts(), exact: contains,
				send: filter("/Users", `userName eq "`+u.email+`"`)})
	}
	return rows
}
