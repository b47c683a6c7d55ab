package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/storage"
)

// teamRecord is what one team records about the person both teams share,
// set through the API (names) and the store (the attributes no endpoint
// writes yet).
type teamRecord struct {
	teamID, session string
	app             app
	first, last     string
	attrs           []string // job title, department, employee ID, city, nickname, company, extension value
}

// values are the record's values that only this team may see.
func (r *teamRecord) values() []string { return append([]string{r.first, r.last}, r.attrs...) }

// record writes the record's attributes to the team's membership of userID.
func (r *teamRecord) record(t *testing.T, s *server, userID string) {
	t.Helper()
	err := s.svc.Store().Write(context.Background(), func(tx storage.Tx) error {
		m, err := tx.Membership(context.Background(), r.teamID, userID)
		if err != nil {
			return err
		}
		m.JobTitle, m.Department, m.EmployeeID, m.City, m.NickName, m.CompanyName = r.attrs[0], r.attrs[1], r.attrs[2], r.attrs[3], r.attrs[4], r.attrs[5]
		m.Extension = map[string]any{"note": r.attrs[6]}
		return tx.UpdateMembership(context.Background(), m)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// answers are every family's answers about userID to the team: 689Cloud
// profile and list, v5 profile/fetch, tenant v2 by ID and by mobile, and
// the application portal by email.
func (r *teamRecord) answers(s *server, userID, email, mobile string) map[string]*reply {
	return map[string]*reply{
		"689 profile":   s.form("/api/user/profile", map[string]string{"auth_token": r.session, "user_id": userID}),
		"689 list":      s.form("/api/user/list", map[string]string{"auth_token": r.session, "search_key": email}),
		"v5 profile":    s.get(r.app.token, "/api/v5/entity/profile/fetch", map[string]string{"corp_id": r.teamID, "user_id": userID}),
		"tenant by ID":  s.call(r.app.token, "GET", "/api/v2/tenant/users/"+userID, ""),
		"tenant mobile": s.post(r.app.token, "/api/v2/tenant/users/user-by-mobile", map[string]string{"mobile": mobile}),
		"portal":        s.post(r.app.token, "/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": r.teamID, "email": email}),
	}
}

// checkApart checks that every answer to own carries own's first name and
// none of other's values, and that each of own's values shows in some
// answer.
func checkApart(t *testing.T, s *server, own, other *teamRecord, userID, email, mobile string) {
	t.Helper()
	var all strings.Builder
	for name, r := range own.answers(s, userID, email, mobile) {
		all.Write(r.Body)
		if r.Status != 200 {
			t.Errorf("%s to team %s: status %d: %s", name, own.first, r.Status, r.Body)
			continue
		}
		if !strings.Contains(string(r.Body), own.first) {
			t.Errorf("%s to the team that calls them %s: %s", name, own.first, r.Body)
		}
		for _, v := range other.values() {
			if strings.Contains(string(r.Body), v) {
				t.Errorf("%s to team %s carries %q, which the other team recorded: %s", name, own.first, v, r.Body)
			}
		}
	}
	for _, v := range own.values() {
		if !strings.Contains(all.String(), v) {
			t.Errorf("no answer to team %s shows its own %q", own.first, v)
		}
	}
}

// TestTeamsKeepTheirOwnRecords adds one person to two teams, each with its
// own names and attributes, and checks in every family's answers that each
// team reads its own record and never the other's, that each team (its
// admin, or the user themself) changes its record only, and that the last
// login shows in the team logged into only.
func TestTeamsKeepTheirOwnRecords(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := &teamRecord{first: "Ayla", last: "Aname", attrs: []string{"A-Title", "A-Dept", "A-EMP-1", "A-City", "A-Nick", "A-Corp", "A-Ext"}}
		b := &teamRecord{first: "Beatrix", last: "Bname", attrs: []string{"B-Title", "B-Dept", "B-EMP-2", "B-City", "B-Nick", "B-Corp", "B-Ext"}}
		a.teamID, a.session = s.activeTeam("admin-a@example.com")
		b.teamID, b.session = s.activeTeam("admin-b@example.com")
		a.app, b.app = s.newApp(a.teamID, "all"), s.newApp(b.teamID, "all")

		const email, national = "shared@example.com", "13955550001"
		var inB, inA user
		for _, c := range []struct {
			r   *teamRecord
			out *user
		}{{b, &inB}, {a, &inA}} { // B first: A adds an address B created
			s.form("/api/user/create", map[string]string{"auth_token": c.r.session, "first_name": c.r.first, "last_name": c.r.last,
				"mail_address": email, "password": password, "confirm_password": password, "user_role": member}).ok(t, c.out)
			if c.out.FirstName != c.r.first || c.out.LastName != c.r.last {
				t.Errorf("create in the team of %s answers %+v", c.r.first, *c.out)
			}
		}
		if inA.UserID != inB.UserID {
			t.Fatalf("two users for one address: %s, %s", inA.UserID, inB.UserID)
		}
		id := inA.UserID
		err := s.svc.Store().Write(context.Background(), func(tx storage.Tx) error {
			u, err := tx.User(context.Background(), id)
			if err != nil {
				return err
			}
			u.Mobile = contact.Phone{CountryCode: 86, National: national}
			return tx.UpdateUser(context.Background(), u)
		})
		if err != nil {
			t.Fatal(err)
		}
		a.record(t, s, id)
		b.record(t, s, id)
		self := s.login(email, password, b.teamID) // the last login is B's alone

		checkApart(t, s, a, b, id, email, "+86"+national)
		checkApart(t, s, b, a, id, email, "+86"+national)
		for _, c := range []struct {
			r    *teamRecord
			want bool
		}{{a, false}, {b, true}} {
			var u struct {
				LastLoginAt *string `json:"last_login_at"`
				LastLoginIP *string `json:"last_login_ip"`
			}
			s.call(c.r.app.token, "GET", "/api/v2/tenant/users/"+id, "").data(t, &u)
			if (u.LastLoginAt != nil) != c.want || (u.LastLoginIP != nil) != c.want {
				t.Errorf("the last login as team %s reads it: %v %v, want set %v", c.r.first, u.LastLoginAt, u.LastLoginIP, c.want)
			}
		}

		// A's admin renames the person in A, and they rename themself in B:
		// each change stays in its team.
		a.first, a.last = "Ayleen", "Anew"
		s.form("/api/user/update", map[string]string{"auth_token": a.session, "user_update_id": id, "first_name": a.first, "last_name": a.last}).ok(t, &inA)
		b.first, b.last = "Bettina", "Bself"
		s.form("/api/user/update", map[string]string{"auth_token": self, "user_update_id": id, "first_name": b.first, "last_name": b.last}).ok(t, &inB)
		if inA.FirstName != a.first || inB.FirstName != b.first {
			t.Errorf("renames answer %s in A and %s in B", inA.FirstName, inB.FirstName)
		}
		checkApart(t, s, a, b, id, email, "+86"+national)
		checkApart(t, s, b, a, id, email, "+86"+national)
		for _, old := range []string{"Ayla", "Beatrix"} {
			for _, r := range []*teamRecord{a, b} {
				if body := s.form("/api/user/profile", map[string]string{"auth_token": r.session, "user_id": id}).Body; strings.Contains(string(body), old) {
					t.Errorf("team %s still reads %s after the rename: %s", r.first, old, body)
				}
			}
		}
	})
}

// TestTeamRecordsFollowTheirRoleRules checks that a team's record changes
// under the role rules of that team: a member may not rename another.
func TestTeamRecordsFollowTheirRoleRules(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamID, admin := s.activeTeam("admin@example.com")
		other := s.create(admin, "other@example.com", member)
		_, session := s.member(admin, teamID, "member@example.com", member)
		s.form("/api/user/update", map[string]string{"auth_token": session, "user_update_id": other.UserID, "first_name": "No", "last_name": "Way"}).
			fail(t, 403, "user_update_id")
		var got user
		s.form("/api/user/profile", map[string]string{"auth_token": admin, "user_id": other.UserID}).ok(t, &got)
		if got.FirstName != "First" {
			t.Errorf("a member renamed another: %+v", got)
		}
	})
}
