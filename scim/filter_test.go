package scim

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/embedid/identity/team"
)

func cmp(a team.Attr, c team.Cmp, v any) team.Filter {
	return team.Filter{Op: team.OpCompare, Attr: a, Cmp: c, Value: v}
}

func pr(a team.Attr) team.Filter { return team.Filter{Op: team.OpPresent, Attr: a} }

func and(fs ...team.Filter) team.Filter { return team.Filter{Op: team.OpAnd, Sub: fs} }

func or(fs ...team.Filter) team.Filter { return team.Filter{Op: team.OpOr, Sub: fs} }

func not(f team.Filter) team.Filter { return team.Filter{Op: team.OpNot, Sub: []team.Filter{f}} }

var (
	yes = team.Filter{Op: team.OpTrue}
	no  = team.Filter{Op: team.OpFalse}
)

func TestUserFilter(t *testing.T) {
	when := time.Date(2011, 5, 13, 4, 42, 34, 0, time.UTC)
	for _, c := range []struct {
		filter string
		want   team.Filter
	}{
		{`userName eq "Ann@Example.com"`, cmp(team.AttrUserName, team.CmpEq, "Ann@Example.com")},
		{`USERNAME Eq "a"`, cmp(team.AttrUserName, team.CmpEq, "a")},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "a"`, cmp(team.AttrUserName, team.CmpSw, "a")},
		{`emails.value co "@x"`, cmp(team.AttrEmail, team.CmpCo, "@x")},
		{`emails eq "a@x"`, cmp(team.AttrEmail, team.CmpEq, "a@x")},
		{`emails[type eq "work" and value eq "a@x"]`, and(yes, cmp(team.AttrEmail, team.CmpEq, "a@x"))},
		{`emails[value eq "a@x"]`, cmp(team.AttrEmail, team.CmpEq, "a@x")},
		{`emails.type eq "WORK"`, yes},
		{`emails.type eq "home"`, no},
		{`emails.type ne "home"`, yes},
		{`emails.primary eq true`, yes},
		{`emails.primary eq false`, no},
		{`emails.primary pr`, yes},
		{`id eq "u1"`, cmp(team.AttrUserID, team.CmpEq, "u1")},
		{`externalId eq "e1"`, cmp(team.AttrExternalID, team.CmpEq, "e1")},
		{`name.givenName ew "n"`, cmp(team.AttrGivenName, team.CmpEw, "n")},
		{`name.middleName pr`, pr(team.AttrMiddleName)},
		{`name.familyName ne "x"`, cmp(team.AttrFamilyName, team.CmpNe, "x")},
		{`displayName eq "A B"`, cmp(team.AttrDisplayName, team.CmpEq, "A B")},
		{`title co "eng"`, cmp(team.AttrTitle, team.CmpCo, "eng")},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"`, cmp(team.AttrEmployeeNumber, team.CmpEq, "7")},
		{`department eq "R&D"`, cmp(team.AttrDepartment, team.CmpEq, "R&D")},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m1"`, cmp(team.AttrManager, team.CmpEq, "m1")},
		{`phoneNumbers.value eq "+8613800000000"`, cmp(team.AttrPhone, team.CmpEq, "+8613800000000")},
		{`phoneNumbers[type eq "mobile" and value eq "+1"]`, and(pr(team.AttrPhone), cmp(team.AttrPhone, team.CmpEq, "+1"))},
		{`phoneNumbers[type eq "fax"]`, no},
		{`active eq false`, cmp(team.AttrActive, team.CmpEq, false)},
		{`active ne true`, cmp(team.AttrActive, team.CmpNe, true)},
		{`meta.created gt "2011-05-13T04:42:34Z"`, cmp(team.AttrCreated, team.CmpGt, when)},
		{`meta.lastModified le "2011-05-13T04:42:34Z"`, cmp(team.AttrUpdated, team.CmpLe, when)},
		{`title eq "a\"b"`, cmp(team.AttrTitle, team.CmpEq, `a"b`)},
		{`title pr and (emails sw "a" or emails sw "b") and not (active eq false)`, and(pr(team.AttrTitle),
			or(cmp(team.AttrEmail, team.CmpSw, "a"), cmp(team.AttrEmail, team.CmpSw, "b")), not(cmp(team.AttrActive, team.CmpEq, false)))},
		{`title eq "a" or title eq "b" or title eq "c"`, or(cmp(team.AttrTitle, team.CmpEq, "a"), cmp(team.AttrTitle, team.CmpEq, "b"), cmp(team.AttrTitle, team.CmpEq, "c"))},
	} {
		got, err := userFilter(c.filter)
		if err != nil {
			t.Errorf("%s: %v", c.filter, err)
			continue
		}
		if !reflect.DeepEqual(*got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.filter, *got, c.want)
		}
	}
}

func TestUserFilterRefused(t *testing.T) {
	long := `title eq "a"`
	for range 70 {
		long += ` or title eq "a"`
	}
	for _, c := range []struct{ filter, scimType, detail string }{
		{`userName eq`, typeInvalidFilter, "filter: is not a valid SCIM filter"},
		{`nickName eq "a"`, typeInvalidFilter, "filter: nickName is not an attribute filters compare"},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName eq "a"`, typeInvalidFilter, "filter: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName is not an attribute"},
		{`userName eq 1`, typeInvalidFilter, "filter: userName can only be compared with a string or a boolean"},
		{`userName eq true`, typeInvalidFilter, "filter: userName is text"},
		{`userName gt "a"`, typeInvalidFilter, "filter: userName is text"},
		{`active eq "true"`, typeInvalidFilter, "filter: active is a boolean"},
		{`active co true`, typeInvalidFilter, "filter: active is a boolean"},
		{`meta.created eq "yesterday"`, typeInvalidFilter, "filter: meta.created is a dateTime"},
		{`meta.created sw "2011"`, typeInvalidFilter, "filter: meta.created is a dateTime"},
		{`emails.primary eq "x"`, typeInvalidFilter, "filter: emails.primary is a boolean"},
		{`emails.type eq 3`, typeInvalidFilter, "filter: emails.type can only be compared"},
		{`title eq null`, typeInvalidFilter, "filter: title can only be compared"},
		{`name[givenName eq "a"]`, typeInvalidFilter, "filter: name cannot take a value filter"},
		{`emails[nope eq "a"]`, typeInvalidFilter, "filter: emails.nope is not an attribute"},
		{long, typeTooMany, "filter: has 72 terms; the limit is 64"},
		{string(make([]byte, maxFilterBytes+1)), typeTooMany, "filter: is longer than"},
		{"title eq \"a\x00\"", typeInvalidFilter, "filter: must be UTF-8 text without NUL characters"},
		{"title eq \"a\xff\"", typeInvalidFilter, "filter: must be UTF-8 text without NUL characters"},
	} {
		_, err := userFilter(c.filter)
		wantRefusal(t, c.filter, err, 400, c.scimType, c.detail)
	}
}

// wantRefusal checks that err is a refusal with the status and scimType
// whose detail starts with detail.
func wantRefusal(t *testing.T, what string, err error, status int, scimType, detail string) {
	t.Helper()
	var r *refusal
	if !errors.As(err, &r) {
		t.Errorf("%.80s: got %v, want a refusal", what, err)
		return
	}
	if r.status != status || r.scimType != scimType || !startsWith(r.Error(), detail) {
		t.Errorf("%.80s: got %d %s %q, want %d %s %q...", what, r.status, r.scimType, r.Error(), status, scimType, detail)
	}
}

func startsWith(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

func TestGroupFilter(t *testing.T) {
	s := func(v string) *string { return &v }
	for _, c := range []struct {
		filter string
		want   groupQuery
	}{
		{`displayName eq "Eng"`, groupQuery{name: s("Eng")}},
		{`DisplayName EQ "Eng" and externalId eq "x"`, groupQuery{name: s("Eng"), externalID: s("x")}},
		{`urn:ietf:params:scim:schemas:core:2.0:Group:id eq "g1"`, groupQuery{id: s("g1")}},
		{`displayName eq "Eng" and displayName eq "ENG"`, groupQuery{name: s("ENG")}},
		{`externalId eq "x" and externalId eq "X"`, groupQuery{externalID: s("X"), none: true}},
	} {
		got, err := groupFilter(c.filter)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %+v, %v; want %+v", c.filter, got, err, c.want)
		}
	}
	for _, c := range []struct{ filter, detail string }{
		{`displayName co "E"`, "filter: Groups are filtered only by"},
		{`displayName eq "a" or id eq "b"`, "filter: Groups are filtered only by"},
		{`members[value eq "u1"]`, "filter: Groups cannot be filtered by members"},
		{`members.value eq "u1"`, "filter: Groups cannot be filtered by members"},
		{`members eq "u1"`, "filter: Groups cannot be filtered by members"},
		{`id eq 3`, "filter: id is compared with a string"},
		{`(`, "filter: is not a valid SCIM filter"},
	} {
		_, err := groupFilter(c.filter)
		wantRefusal(t, c.filter, err, 400, typeInvalidFilter, c.detail)
	}
}

func TestUserSort(t *testing.T) {
	for in, want := range map[string]team.Attr{"": 0, "userName": team.AttrUserName, "emails": team.AttrEmail, "NAME.GIVENNAME": team.AttrGivenName,
		"urn:ietf:params:scim:schemas:core:2.0:User:meta.lastModified": team.AttrUpdated, "id": team.AttrUserID} {
		if got, err := userSort(in); got != want || err != nil {
			t.Errorf("%q: got %v, %v; want %v", in, got, err, want)
		}
	}
	_, err := userSort("title")
	wantRefusal(t, "title", err, 400, typeInvalidValue, "sortBy: Users sort by")
}
