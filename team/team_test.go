package team_test

import (
	"strings"
	"testing"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

func TestParsePermissions(t *testing.T) {
	ps, err := team.ParsePermissions("permissions", "all, read,read")
	if err != nil || ps.String() != "all read" || !ps.CanRead() || !ps.CanWrite() {
		t.Fatalf("got %v, %v", ps, err)
	}
	for list, write := range map[string]bool{"read": false, "user_read": false, "all": true, "user_all": true, "read,user_all": true} {
		ps, err := team.ParsePermissions("permissions", list)
		if err != nil || !ps.CanRead() || ps.CanWrite() != write {
			t.Errorf("%q: read %v write %v, %v", list, ps.CanRead(), ps.CanWrite(), err)
		}
	}
	for _, bad := range []string{"", "write", "all,", "ALL"} {
		if _, err := team.ParsePermissions("permissions", bad); errs.FieldOf(err) != "permissions" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if (team.Permissions{}).CanRead() {
		t.Error("an empty set allows reads")
	}
}

func TestParsePool(t *testing.T) {
	for _, p := range []string{"alive", "dead", "public"} {
		if got, err := team.ParsePool("pool", p); err != nil || string(got) != p {
			t.Errorf("%q: %v %v", p, got, err)
		}
	}
	for _, p := range []string{"", "Alive", "gone"} {
		if _, err := team.ParsePool("pool", p); errs.CodeOf(err) != errs.Invalid || errs.FieldOf(err) != "pool" {
			t.Errorf("%q: %v", p, err)
		}
	}
}

func TestListQueryValidate(t *testing.T) {
	ok := team.ListQuery{Sort: team.SortEmailDesc, Size: 10}
	cases := []struct {
		name  string
		edit  func(*team.ListQuery)
		field string
	}{
		{"defaults", func(*team.ListQuery) {}, ""},
		{"sort 0", func(q *team.ListQuery) { q.Sort = 0 }, "sort_key"},
		{"sort 11", func(q *team.ListQuery) { q.Sort = 11 }, "sort_key"},
		{"page size 0", func(q *team.ListQuery) { q.Size = 0 }, "page_size"},
		{"page size 1001", func(q *team.ListQuery) { q.Size = 1001 }, "page_size"},
		{"page size 1000", func(q *team.ListQuery) { q.Size = 1000 }, ""},
		{"page -1", func(q *team.ListQuery) { q.Page = -1 }, "page_number"},
		{"page overflow", func(q *team.ListQuery) { q.Page = 1 << 30 }, "page_number"},
		{"long search", func(q *team.ListQuery) { q.Search = strings.Repeat("a", 101) }, "search_key"},
		{"control in search", func(q *team.ListQuery) { q.Search = "a\x00" }, "search_key"},
	}
	for _, c := range cases {
		q := ok
		c.edit(&q)
		err := q.Validate()
		if errs.FieldOf(err) != c.field || (c.field == "") != (err == nil) {
			t.Errorf("%s: %v, want field %q", c.name, err, c.field)
		}
	}
}

func TestProfileValidate(t *testing.T) {
	p := team.Profile{Name: "  NIT SOFTWARE ", Region: "cn", Domain: " Example.COM"}
	if err := p.Validate(); err != nil || p.Name != "NIT SOFTWARE" || p.Region != "CN" || p.Domain != "example.com" || p.BusinessSize != team.DefaultBusinessSize {
		t.Fatalf("got %+v, %v", p, err)
	}
	for _, c := range []struct {
		field string
		bad   team.Profile
	}{
		{"team_name", team.Profile{Name: " "}},
		{"team_name", team.Profile{Name: "a\x00b"}},
		{"team_name", team.Profile{Name: "a\xffb"}},
		{"region", team.Profile{Name: "x", Region: "XX"}},
		{"plan_id", team.Profile{Name: "x", PlanID: -1}},
		{"plan_id", team.Profile{Name: "x", PlanID: team.MaxPlanID + 1}},
		{"website", team.Profile{Name: "x", Website: strings.Repeat("w", 256)}},
		{"website", team.Profile{Name: "x", Website: "a\tb"}},
	} {
		if err := c.bad.Validate(); errs.CodeOf(err) != errs.Invalid || errs.FieldOf(err) != c.field {
			t.Errorf("%+v: %v, want invalid %s", c.bad, err, c.field)
		}
	}
	if p := (team.Profile{Name: "x", PlanID: team.MaxPlanID}); p.Validate() != nil {
		t.Errorf("plan_id %d: %v", team.MaxPlanID, p.Validate())
	}
}
