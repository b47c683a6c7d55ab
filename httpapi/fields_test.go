package httpapi_test

import (
	"net/http"
	"testing"
)

// TestFieldNames checks, byte for byte, the answers that blame a field the
// library names unlike the family: each family's table, and the 689Cloud
// endpoints that name a field unlike the rest of their family.
func TestFieldNames(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamID, adminToken := s.activeTeam("admin@example.com")
		_, mgrToken := s.member(adminToken, teamID, "manager@example.com", manager)
		mem, _ := s.member(adminToken, teamID, "member@example.com", member)
		signup := map[string]string{
			"first_name": "Le", "last_name": "Tran", "email_address": "new@example.com", "business_name": "NIT",
			"phone": "0908296906", "password": password, "confirm_password": password, "plan_id": "1",
		}
		create := map[string]string{
			"auth_token": adminToken, "first_name": "New", "last_name": "User", "mail_address": "new@example.com",
			"password": password, "confirm_password": password, "user_role": member,
		}
		changePassword := map[string]string{
			"auth_token": mgrToken, "confirm_old_password": password, "new_password": "new-password", "confirm_new_password": "new-password",
		}
		update := map[string]string{"auth_token": adminToken, "user_update_id": mem.UserID, "first_name": "A", "last_name": "B"}
		tests := []struct {
			name, endpoint string
			params         map[string]string
			status         int
			description    string
		}{
			{"signup email", "signup", withParam(signup, "email_address", "nope"), 400,
				"email_address: must contain exactly one @"},
			{"signup business name", "signup", withParam(signup, "business_name", " "), 400,
				"business_name: is required"},
			{"signup confirmation", "signup", withParam(signup, "confirm_password", "other-password"), 400,
				"confirm_password: does not match the password"},
			{"signup bad email before confirmation", "signup", withParam(withParam(signup, "email_address", "nope"), "confirm_password", "x"), 400,
				"email_address: must contain exactly one @"},
			{"signup confirmation before short password", "signup", withParam(withParam(signup, "password", "short"), "confirm_password", "x"), 400,
				"confirm_password: does not match the password"},
			{"activation code", "activation", map[string]string{"activation_code": "nonsense"}, 400,
				"activation_code: is unknown or already used"},
			{"login email", "login", map[string]string{"email_address": "nope", "password": password, "team_id": teamID}, 400,
				"email_address: must contain exactly one @"},
			{"checkmail email", "login/checkmail", map[string]string{"email_address": "nope"}, 400,
				"email_address: must contain exactly one @"},
			{"session", "info", map[string]string{"auth_token": "nonsense"}, 401,
				"auth_token: is not valid or has expired; log in again"},
			{"create email", "create", withParam(create, "mail_address", "nope"), 400,
				"mail_address: must contain exactly one @"},
			{"create role", "create", withParam(create, "user_role", "7"), 400,
				"user_role: must be 1 (admin), 2 (manager) or 3 (member), got 7"},
			{"create confirmation", "create", withParam(create, "confirm_password", "other-password"), 400,
				"confirm_password: does not match the password"},
			{"create role before confirmation", "create", withParam(withParam(create, "user_role", admin), "confirm_password", "x"), 403,
				"user_role: nobody may create an admin; create a manager or member and promote them"},
			{"create confirmation before short password", "create", withParam(withParam(create, "password", "short"), "confirm_password", "x"), 400,
				"confirm_password: does not match the password"},
			{"update user", "update", withParam(update, "user_update_id", "nobody"), 404,
				"user_update_id: no such member in this team"},
			{"update role", "update", withParam(update, "role_id", "7"), 400,
				"role_id: must be 1 (admin), 2 (manager) or 3 (member), got 7"},
			{"change password confirmation", "changepassword", withParam(changePassword, "confirm_new_password", "other-password"), 400,
				"confirm_new_password: does not match the password"},
			{"change password confirmation first", "changepassword", withParam(withParam(changePassword, "confirm_new_password", "x"), "confirm_old_password", "wrong-password"), 400,
				"confirm_new_password: does not match the password"},
			{"change password old", "changepassword", withParam(changePassword, "confirm_old_password", "wrong-password"), 400,
				"confirm_old_password: does not match your current password"},
			{"change password new", "changepassword", withParam(withParam(changePassword, "new_password", "short"), "confirm_new_password", "short"), 400,
				"new_password: must be at least 8 characters"},
			{"change email", "changeemail", map[string]string{"auth_token": adminToken, "mail_address": "nope"}, 400,
				"mail_address: must contain exactly one @"},
			{"update team", "updateteamprofile", map[string]string{"auth_token": adminToken, "team_update_id": "other", "team_name": "T", "phone_number": "1", "company_size": "1-50"}, 404,
				"team_update_id: no such team"},
			{"get team", "getteam", map[string]string{"auth_token": adminToken, "team_id": "other"}, 404,
				"team_id: no such team"},
		}
		for _, c := range tests {
			t.Run(c.name, func(t *testing.T) {
				r := s.form("/api/user/"+c.endpoint, c.params)
				if r.Status != c.status || r.Env.Description != c.description {
					t.Errorf("got %d %q, want %d %q", r.Status, r.Env.Description, c.status, c.description)
				}
			})
		}
		s.form("/api/user/changeemail", map[string]string{"auth_token": adminToken, "mail_address": "member@example.com"}).ok(t, nil)
		r := s.form("/api/user/activation", map[string]string{"activation_code": s.box.Last(t, "member@example.com").Code})
		if want := "mail_address: is already used by another user"; r.Status != http.StatusConflict || r.Env.Description != want {
			t.Errorf("redeeming a code for a taken address: got %d %q, want 409 %q", r.Status, r.Env.Description, want)
		}

		a := s.newApp(s.newTeam("Portal", "p.example"), "all")
		r = s.post(a.token, "/app-portal-service/v2.2/user/getUserBaseInfo", map[string]string{"organizationId": a.teamID, "phoneArea": "x", "phone": "15204130007"})
		if want := "phoneArea: must be a country calling code of 1 to 3 digits, such as 86"; r.Status != http.StatusBadRequest || r.Message != want {
			t.Errorf("portal: got %d %q, want 400 %q", r.Status, r.Message, want)
		}
		r = s.post(a.token, "/api/v5/entity/user/create", map[string]string{"corp_id": a.teamID, "area_code": "x", "mobile": "15204130007"})
		if want := "area_code: must be a country calling code of 1 to 3 digits, such as 86"; r.Status != http.StatusBadRequest || r.Message != want {
			t.Errorf("v5: got %d %q, want 400 %q", r.Status, r.Message, want)
		}
	})
}

// withParam returns a copy of params with name set to value.
func withParam(params map[string]string, name, value string) map[string]string {
	out := make(map[string]string, len(params)+1)
	for k, v := range params {
		out[k] = v
	}
	out[name] = value
	return out
}
