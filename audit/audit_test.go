package audit_test

import (
	"regexp"
	"testing"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/internal/errs"
)

// TestActionsAreStableDottedNames checks that every declared action is a
// distinct dotted name and known, and nothing else is.
func TestActionsAreStableDottedNames(t *testing.T) {
	dotted := regexp.MustCompile(`^[a-z]+\.[a-z_]+$`)
	seen := map[string]bool{}
	for _, a := range audit.Actions {
		if !dotted.MatchString(a) || seen[a] || !audit.Known(a) {
			t.Errorf("action %q: not a dotted name, declared twice or unknown", a)
		}
		seen[a] = true
	}
	if audit.Known("member.invented") || audit.Known("") {
		t.Error("an undeclared action is known")
	}
}

func TestValidate(t *testing.T) {
	ok := audit.Event{Action: audit.MemberCreated, Actor: audit.Actor{Kind: audit.Member, ID: "u"}, Fields: []string{"role", "time_zone"}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, e := range map[string]audit.Event{
		"action": {Action: "member.invented", Actor: ok.Actor},
		"actor":  {Action: audit.MemberCreated, Actor: audit.Actor{Kind: "robot"}},
		"fields": {Action: audit.MemberCreated, Actor: ok.Actor, Fields: []string{"someone@example.com"}},
	} {
		if err := e.Validate(); errs.CodeOf(err) != errs.Invalid || errs.FieldOf(err) != field {
			t.Errorf("%+v: got %v, want Invalid on %s", e, err, field)
		}
	}
	f := audit.Filter{}
	if err := f.Validate(); err != nil || f.Limit != audit.DefaultLimit {
		t.Errorf("default filter: %v, limit %d", err, f.Limit)
	}
	for field, f := range map[string]audit.Filter{"page_size": {Limit: audit.MaxLimit + 1}, "after": {Before: -1}, "action": {Action: "x.y"}} {
		if err := f.Validate(); errs.FieldOf(err) != field {
			t.Errorf("%+v: got %v, want a refusal of %s", f, err, field)
		}
	}
}
