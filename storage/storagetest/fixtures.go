package storagetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// base is the time the fixtures start from: not UTC, and whole microseconds
// so that it survives a round trip unchanged.
var base = time.Date(2026, 3, 4, 5, 6, 7, 891234000, time.FixedZone("JST", 9*60*60))

// at returns base plus n minutes.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

// mobile returns the n-th test mobile number.
func mobile(n int) contact.Phone {
	return contact.Phone{CountryCode: 86, National: fmt.Sprintf("1520413%04d", n)}
}

// email returns an address with display in mixed case.
func email(local string) contact.Email {
	display := local + "@Example.COM"
	return contact.Email{Display: display, Normalized: strings.ToLower(display)}
}

// newTeam returns a team with every field set.
func newTeam(id string) team.Team {
	return team.Team{
		ID:           id,
		Name:         "Team " + id,
		Email:        "admin@" + id + ".example.com",
		Website:      "https://" + id + ".example.com",
		BusinessSize: team.DefaultBusinessSize,
		Phone:        "+81-3-1234-5678",
		Status:       team.StatusActive,
		PlanID:       2,
		PaymentID:    "pay-" + id,
		Region:       "JP",
		Domain:       id + ".example.com",
		CreatedAt:    at(0),
		UpdatedAt:    at(1),
	}
}

// person is a user and what a team records about them. The fixtures give
// each team of a person the same record unless a test says otherwise.
type person struct {
	user.User
	user.Profile
	Extension   map[string]any
	LastLoginAt time.Time
	LastLoginIP string
}

// newUser returns an active user with names, an email and defaults.
func newUser(id, first, last string) person {
	return person{
		User: user.User{
			ID:        id,
			Email:     email(id),
			Settings:  user.DefaultSettings(),
			Status:    user.StatusActive,
			CreatedAt: at(0),
			UpdatedAt: at(0),
		},
		Profile: user.Profile{FirstName: first, LastName: last},
	}
}

// fullUser returns a person with every field set to something other than
// its zero value.
func fullUser(id string, n int) person {
	u := newUser(id, "Émile", "Zola")
	u.UserName, u.MiddleName, u.NickName = "ezola"+id, "Édouard", "Mimi"
	u.Mobile, u.MobileBackup = mobile(n), contact.Phone{CountryCode: 44, National: fmt.Sprintf("77009%05d", n)}
	u.Gender, u.Age, u.City, u.CityRaw, u.CityMobile, u.Area = "m", 42, "Paris", "paris ", "Paris 75", "FR"
	u.CompanyName, u.JobTitle, u.Department, u.Industry = "Rougon", "Writer", "Letters", "Publishing"
	u.LinkedInURL, u.EmployeeID, u.ExternalID = "https://linkedin.example/ez", "E-1", "X-1"
	u.IdentityType, u.IdentityNumber, u.ManagerID, u.PersonnelType, u.WorkPlace = "passport", "P123", "mgr", "full", "Médan"
	u.DisplayName, u.Phone, u.LoginName = "É. Zola", "+33612345678", "Émile_Z"
	u.Birthday, u.HireDate = time.Date(1840, 4, 2, 0, 0, 0, 0, time.UTC), at(-60*24*365)
	u.Settings = user.Settings{TimeZone: 9, Lang: "ja", NotificationFlag: "101", StatusNotify: "00000011",
		NotifyDisplayCount: 7, NotifyDisplayPeriod: 60, LandingPage: 3, SessionTimeout: 45}
	u.Status, u.Disabled, u.Locked, u.Grade, u.MustChangePassword = user.StatusActive, true, true, 3, true
	u.PasswordHash = []byte("$2a$10$0123456789012345678901uJ5bC7r8B2wQ6Yk0aF5c0m3zq5x4e2K")
	u.PasswordChangedAt, u.ActivatedAt, u.HomeTeamID = at(2), at(3), "home"
	u.ClaimedAt = at(3)
	u.CreatedAt, u.UpdatedAt, u.LastLoginIP, u.LastLoginAt, u.LastActivityAt = at(4), at(5), "2001:db8::1", at(6), at(7)
	u.Extension = map[string]any{"s": "x", "n": 1.5, "b": true, "list": []any{"a", 2.0}, "obj": map[string]any{"k": "v"}}
	return u
}

// userTimes returns pointers to every time of u.
func userTimes(u *user.User) []*time.Time {
	return []*time.Time{&u.PasswordChangedAt, &u.ActivatedAt, &u.ClaimedAt, &u.CreatedAt, &u.UpdatedAt, &u.LastActivityAt}
}

// membershipOf returns p's membership of teamID, created when p was, with
// p's record.
func (p person) membershipOf(teamID string, role team.Role, status team.MemberStatus) team.Membership {
	m := membership(teamID, p.ID, role, status, p.CreatedAt)
	m.Profile, m.Extension, m.LastLoginAt, m.LastLoginIP = p.Profile, p.Extension, p.LastLoginAt, p.LastLoginIP
	return m
}

// memberOf returns p as a member of teamID, as seedMember seeds them.
func (p person) memberOf(teamID string, role team.Role, status team.MemberStatus) team.Member {
	return team.Member{User: p.User, Membership: p.membershipOf(teamID, role, status)}
}

// membership returns a membership of userID in teamID in the pool alive.
func membership(teamID, userID string, role team.Role, status team.MemberStatus, created time.Time) team.Membership {
	return team.Membership{TeamID: teamID, UserID: userID, Role: role, Status: status, Pool: team.PoolAlive, CreatedAt: created, UpdatedAt: created}
}

// seedTeams inserts a team for each ID.
func seedTeams(t *testing.T, s storage.Store, ids ...string) {
	t.Helper()
	write(t, s, func(tx storage.Tx) error {
		for _, id := range ids {
			if err := tx.InsertTeam(t.Context(), newTeam(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

// seedMember inserts p's user, unless its ID is taken, and makes them a
// member of teamID with p's record.
func seedMember(t *testing.T, s storage.Store, teamID string, p person, role team.Role, status team.MemberStatus) {
	t.Helper()
	write(t, s, func(tx storage.Tx) error {
		if _, err := tx.InsertUserIfAbsent(t.Context(), p.User); err != nil {
			return err
		}
		return tx.InsertMembership(t.Context(), p.membershipOf(teamID, role, status))
	})
}
