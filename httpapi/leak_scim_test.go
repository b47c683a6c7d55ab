package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// Passwords the SCIM part of the leak test writes.
const (
	leakScimPassword  = "leak-scim-password-12"
	leakScimPassword2 = "leak-scim-password-13"
	leakScimPassword3 = "leak-scim-password-14"
	leakScimShort     = "leak-15"
)

// driveSCIM calls every SCIM route with a's token: a member created with a
// password, read, listed, replaced and patched with new ones, refused a
// short one, put in a group and removed; the group's every route; the
// discovery routes and an unknown path.
func driveSCIM(t testing.TB, s *server, a app, memberID string) {
	sc := func(method, path, body string) *reply { return s.call(a.token, method, "/scim/v2"+path, body) }
	want := func(r *reply, status int) map[string]any {
		t.Helper()
		if r.Status != status {
			t.Fatalf("got %d, want %d: %s", r.Status, status, r.Body)
		}
		var v map[string]any
		json.Unmarshal(r.Body, &v)
		return v
	}
	const userSchema, groupSchema, patchSchema = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],`,
		`"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],`, `"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],`
	sid := userSchema + `"userName":"sid.scim@leak.example","name":{"givenName":"Sid","familyName":"Scim"}`
	id, _ := want(sc(http.MethodPost, "/Users", `{`+sid+`,"password":"`+leakScimPassword+`"}`), http.StatusCreated)["id"].(string)
	want(sc(http.MethodPost, "/Users", `{`+userSchema+`"userName":"sam.scim@leak.example","password":"`+leakScimShort+`"}`), http.StatusBadRequest)
	want(sc(http.MethodGet, "/Users/"+id, ""), http.StatusOK)
	want(sc(http.MethodGet, "/Users?"+url.Values{"filter": {`userName eq "sid.scim@leak.example"`}}.Encode(), ""), http.StatusOK)
	want(sc(http.MethodPut, "/Users/"+id, `{`+sid+`,"password":"`+leakScimPassword2+`"}`), http.StatusOK)
	want(sc(http.MethodPatch, "/Users/"+id, `{`+patchSchema+`"Operations":[{"op":"replace","path":"password","value":"`+leakScimPassword3+`"}]}`), http.StatusOK)
	want(sc(http.MethodPatch, "/Users/"+id, `{`+patchSchema+`"Operations":[{"op":"replace","path":"password","value":"`+leakScimShort+`"}]}`), http.StatusBadRequest)

	gid, _ := want(sc(http.MethodPost, "/Groups", `{`+groupSchema+`"displayName":"Leaky Group","members":[{"value":"`+id+`"}]}`), http.StatusCreated)["id"].(string)
	want(sc(http.MethodGet, "/Groups/"+gid, ""), http.StatusOK)
	want(sc(http.MethodGet, "/Groups?"+url.Values{"filter": {`displayName eq "Leaky Group"`}}.Encode(), ""), http.StatusOK)
	want(sc(http.MethodPatch, "/Groups/"+gid, `{`+patchSchema+`"Operations":[{"op":"add","path":"members","value":[{"value":"`+memberID+`"}]}]}`), http.StatusOK)
	want(sc(http.MethodPut, "/Groups/"+gid, `{`+groupSchema+`"displayName":"Leakier Group","members":[]}`), http.StatusOK)
	want(sc(http.MethodDelete, "/Groups/"+gid, ""), http.StatusNoContent)
	want(sc(http.MethodDelete, "/Users/"+id, ""), http.StatusNoContent)
	want(sc(http.MethodGet, "/Users/"+id, ""), http.StatusNotFound)

	for _, path := range []string{"/ServiceProviderConfig", "/ResourceTypes", "/ResourceTypes/Group", "/Schemas", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group"} {
		want(sc(http.MethodGet, path, ""), http.StatusOK)
	}
	want(sc(http.MethodGet, "/Bulk", ""), http.StatusNotFound)
	want(s.call("", http.MethodGet, "/scim/v2/Users", ""), http.StatusUnauthorized)
}
