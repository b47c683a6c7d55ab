package scim

import (
	"encoding/json"
	"errors"
	"testing"
)

// Parsing and compiling any filter never panics, and every refusal is an
// invalidFilter or tooMany 400.
func FuzzFilter(f *testing.F) {
	for _, s := range []string{`userName eq "a"`, `emails[type eq "work" and value co "@x"]`, `not (active eq true) or title pr`,
		`meta.created gt "2011-05-13T04:42:34Z"`, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"`,
		`displayName eq "a" and id eq "b"`, `title eq "\u00e9\"x"`, `((((userName pr))))`, `x[y[z eq 1]]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := userFilter(s); err != nil {
			checkRefusal(t, s, err, typeInvalidFilter, typeTooMany)
		}
		if _, err := groupFilter(s); err != nil {
			checkRefusal(t, s, err, typeInvalidFilter, typeTooMany)
		}
	})
}

func checkRefusal(t *testing.T, input string, err error, scimTypes ...string) {
	var r *refusal
	if !errors.As(err, &r) || r.status != 400 {
		t.Fatalf("%q: %v is not a 400 refusal", input, err)
	}
	for _, st := range scimTypes {
		if r.scimType == st {
			return
		}
	}
	t.Fatalf("%q: scimType %s, want one of %v", input, r.scimType, scimTypes)
}

// Applying any PATCH body to a fixed User and Group never panics, and
// every refusal is a 400.
func FuzzPatch(f *testing.F) {
	for _, s := range []string{
		`{"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@x"}]}`,
		`{"Operations":[{"op":"add","path":"members","value":[{"value":"u3"}]},{"op":"remove","path":"members[value eq \"u1\"]"}]}`,
		`{"Operations":[{"op":"replace","value":{"name.givenName":"A","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"m"}}}]}`,
		`{"Operations":[{"op":"remove","path":"phoneNumbers[type eq \"mobile\" and not (value pr)].value"}]}`,
		`{"Operations":[{"op":"add","path":"name","value":{"givenName":null}},{"op":"replace","path":"active","value":"True"}]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var obj map[string]any
		if json.Unmarshal([]byte(body), &obj) != nil || obj == nil {
			return
		}
		ops, err := readPatch(obj)
		if err != nil {
			checkRefusal(t, body, err, typeInvalidValue, typeInvalidPath)
			return
		}
		if _, err := patchedUser(ann(), ops); err != nil {
			checkRefusal(t, body, err, typeInvalidValue, typeInvalidPath, typeNoTarget, typeMutability)
		}
		p := patcher{res: groupResource, doc: groupDoc(group())}
		for _, op := range ops {
			if err := p.apply(op); err != nil {
				checkRefusal(t, body, err, typeInvalidValue, typeInvalidPath, typeNoTarget, typeMutability)
				return
			}
		}
		if _, err := groupOf(p.doc); err != nil {
			checkRefusal(t, body, err, typeInvalidValue)
		}
	})
}
