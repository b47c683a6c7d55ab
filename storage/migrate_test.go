package storage_test

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/storage/storagetest"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// beforeMemberProfiles is the ID of the migration before member_profiles,
// which moves what a team records about a person from users to
// memberships.
const beforeMemberProfiles = "20261206000003"

// eachOldStore runs fn, on each backend, on a new store with the embedded
// migrations applied up to last: a store of an earlier version.
func eachOldStore(t *testing.T, last string, fn func(t *testing.T, db *storage.DB)) {
	for name, dsn := range map[string]func(testing.TB) string{
		"sqlite":   func(tb testing.TB) string { return "sqlite:" + tb.TempDir() + "/old.db" },
		"postgres": storagetest.PostgresDSN,
	} {
		t.Run(name, func(t *testing.T) {
			db, err := storage.Open(t.Context(), dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := storage.MigrateTo(t.Context(), db, last); err != nil {
				t.Fatalf("migrate to %s: %v", last, err)
			}
			fn(t, db)
		})
	}
}

// TestMigrateMemberProfiles builds a database as the version before
// member_profiles left it, with rows of that shape (a user in two teams
// with every profile field set, one with few), migrates it, and checks that
// every member reads as their teams read them before, that lists find and
// sort them by the names they had, and that users no longer hold them.
func TestMigrateMemberProfiles(t *testing.T) {
	eachOldStore(t, beforeMemberProfiles, func(t *testing.T, db *storage.DB) {
		ctx := t.Context()
		want := seedOldShape(t, db)
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
		for _, column := range []string{"first_name", "job_title", "extension", "last_login_at", "search_text"} {
			if _, err := db.Bun().NewRaw("SELECT " + column + " FROM users").Exec(ctx); err == nil {
				t.Errorf("users still has %s, which is each team's", column)
			}
		}
		for _, w := range want {
			var got team.Member
			err := db.Read(ctx, func(tx storage.Tx) (err error) {
				got, err = tx.Member(ctx, w.Membership.TeamID, w.User.ID)
				return err
			})
			if err != nil || !reflect.DeepEqual(got, w) {
				t.Errorf("member %s of %s after the migration: %v\n got %+v\nwant %+v", w.User.ID, w.Membership.TeamID, err, got, w)
			}
		}
		for _, c := range []struct {
			team, search string
			sort         team.SortKey
			want         []string
		}{
			{"a", "", team.SortFirstNameDesc, []string{"u1", "u2"}}, // émile, then ann
			{"a", "", team.SortLastNameAsc, []string{"u2", "u1"}},   // lee, then zola
			{"a", "zola", team.SortEmailAsc, []string{"u1"}},
			{"a", "u1@example", team.SortEmailAsc, []string{"u1"}},
			{"a", "ann lee", team.SortEmailAsc, []string{"u2"}},
			{"b", "émile édouard zola", team.SortEmailAsc, []string{"u1"}},
			{"b", "", team.SortEmailDesc, []string{"u1"}},
		} {
			var ids []string
			err := db.Read(ctx, func(tx storage.Tx) error {
				ms, n, err := tx.ListMembers(ctx, c.team, team.ListQuery{Search: c.search, Sort: c.sort, Size: 10})
				for _, m := range ms {
					ids = append(ids, m.User.ID)
				}
				if err == nil && n != len(c.want) {
					err = fmt.Errorf("total %d", n)
				}
				return err
			})
			if err != nil || !slices.Equal(ids, c.want) {
				t.Errorf("team %s, search %q, sort %d after the migration: %v, %v; want %v", c.team, c.search, c.sort, ids, err, c.want)
			}
		}
		var found []team.Member
		err := db.Read(ctx, func(tx storage.Tx) (err error) {
			found, err = tx.FindMembers(ctx, "a", team.Criteria{Name: "Ann Lee"}, 10)
			return err
		})
		if err != nil || len(found) != 1 || found[0].User.ID != "u2" {
			t.Errorf("FindMembers by full name after the migration: %v, %v", found, err)
		}
	})
}

// seedOldShape writes teams, users and memberships as the previous version
// stored them, names and attributes on the user, and returns the members as
// their teams read them.
func seedOldShape(t *testing.T, db *storage.DB) []team.Member {
	t.Helper()
	at := func(minutes int) time.Time { return time.Date(2026, 11, 24, 9, minutes, 0, 123456000, time.UTC) }
	birthday := time.Date(1840, 4, 2, 0, 0, 0, 0, time.UTC)
	full := user.Profile{
		FirstName: "Émile", MiddleName: "Édouard", LastName: "Zola", NickName: "Mimi",
		Gender: "m", Age: 42, City: "Paris", CityRaw: "paris ", CityMobile: "Paris 75", Area: "FR",
		CompanyName: "Rougon", JobTitle: "Writer", Department: "Letters", Industry: "Publishing",
		LinkedInURL: "https://linkedin.example/ez", EmployeeID: "E-1", ExternalID: "X-1",
		IdentityType: "passport", IdentityNumber: "P123", ManagerID: "mgr", Birthday: birthday,
		PersonnelType: "full", HireDate: at(-60), WorkPlace: "Médan",
	}
	u1 := user.User{
		ID: "u1", UserName: "ezola", Email: contact.Email{Display: "U1@Example.com", Normalized: "u1@example.com"},
		Settings: user.DefaultSettings(), Status: user.StatusActive, Grade: 1, HomeTeamID: "a",
		CreatedAt: at(1), UpdatedAt: at(2), LastActivityAt: at(3),
	}
	u2 := user.User{ID: "u2", Settings: user.DefaultSettings(), CreatedAt: at(4), UpdatedAt: at(4)}
	exec := func(table string, cols map[string]any) {
		t.Helper()
		names := slices.Sorted(maps.Keys(cols))
		args := make([]any, len(names))
		for i, n := range names {
			args[i] = cols[n]
		}
		q := "INSERT INTO " + table + " (" + strings.Join(names, ", ") + ") VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ") + ")"
		if _, err := db.Bun().NewRaw(q, args...).Exec(t.Context()); err != nil {
			t.Fatalf("insert into %s: %v", table, err)
		}
	}
	settings := func(u user.User) map[string]any {
		s := u.Settings
		return map[string]any{
			"time_zone": s.TimeZone, "lang": s.Lang, "notification_flag": s.NotificationFlag, "status_notify": s.StatusNotify,
			"notify_display_count": s.NotifyDisplayCount, "notify_display_period": s.NotifyDisplayPeriod,
			"landing_page": s.LandingPage, "session_timeout": s.SessionTimeout,
		}
	}
	for _, id := range []string{"a", "b"} {
		exec("teams", map[string]any{"id": id, "name": "Team " + id, "status": int(team.StatusActive), "created_at": at(0), "listed_members": 0})
	}
	row1 := settings(u1)
	maps.Copy(row1, map[string]any{
		"id": "u1", "user_name": "ezola", "email_display": u1.Email.Display, "email_norm": u1.Email.Normalized,
		"first_name": full.FirstName, "middle_name": full.MiddleName, "last_name": full.LastName, "nick_name": full.NickName,
		"full_name": full.FullName(), "first_name_key": "émile", "last_name_key": "zola", "search_text": "émile édouard zola\nu1@example.com",
		"gender": full.Gender, "age": full.Age, "city": full.City, "city_raw": full.CityRaw, "city_mobile": full.CityMobile, "area": full.Area,
		"company_name": full.CompanyName, "job_title": full.JobTitle, "department": full.Department, "industry": full.Industry,
		"linked_in_url": full.LinkedInURL, "employee_id": full.EmployeeID, "external_id": full.ExternalID,
		"identity_type": full.IdentityType, "identity_number": full.IdentityNumber, "manager_id": full.ManagerID,
		"birthday": birthday, "personnel_type": full.PersonnelType, "hire_date": full.HireDate, "work_place": full.WorkPlace,
		"status": int(u1.Status), "grade": u1.Grade, "home_team_id": "a", "created_at": u1.CreatedAt, "updated_at": u1.UpdatedAt,
		"last_login_ip": "2001:db8::1", "last_login_at": at(5), "last_activity_at": u1.LastActivityAt, "extension": `{"k":"v","n":1.5}`,
	})
	exec("users", row1)
	row2 := settings(u2)
	maps.Copy(row2, map[string]any{
		"id": "u2", "first_name": "Ann", "last_name": "Lee", "full_name": "Ann Lee", "first_name_key": "ann", "last_name_key": "lee",
		"search_text": "ann lee\n", "created_at": u2.CreatedAt, "updated_at": u2.UpdatedAt,
	})
	exec("users", row2)
	membership := func(teamID string, u user.User, role team.Role, first, last string) team.Membership {
		exec("memberships", map[string]any{
			"team_id": teamID, "user_id": u.ID, "role": int(role), "status": int(team.MemberActive), "pool": string(team.PoolAlive),
			"created_at": at(6), "updated_at": at(7), "first_name_key": first, "last_name_key": last,
			"email_key": u.Email.Normalized, "signup_at": u.CreatedAt,
		})
		return team.Membership{TeamID: teamID, UserID: u.ID, Role: role, Status: team.MemberActive, Pool: team.PoolAlive, CreatedAt: at(6), UpdatedAt: at(7)}
	}
	ma, mb := membership("a", u1, team.RoleAdmin, "émile", "zola"), membership("b", u1, team.RoleMember, "émile", "zola")
	for _, m := range []*team.Membership{&ma, &mb} {
		m.Profile, m.Extension, m.LastLoginAt, m.LastLoginIP = full, map[string]any{"k": "v", "n": 1.5}, at(5), "2001:db8::1"
	}
	m2 := membership("a", u2, team.RoleMember, "ann", "lee")
	m2.FirstName, m2.LastName = "Ann", "Lee"
	if _, err := db.Bun().NewRaw("UPDATE teams SET listed_members = ? WHERE id = ?", 2, "a").Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Bun().NewRaw("UPDATE teams SET listed_members = ? WHERE id = ?", 1, "b").Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	return []team.Member{{User: u1, Membership: ma}, {User: u1, Membership: mb}, {User: u2, Membership: m2}}
}
