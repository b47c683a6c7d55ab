package httpapi_test

import (
	"net/http"
	"testing"
)

// TestHijackOver689 replays, over HTTP, team B creating addresses of team A
// first with a password B knows, then A adding them through create,
// importusercsv and v5 user/create: B's password never opens team A, and
// A's own does.
func TestHijackOver689(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamA, tokenA := s.activeTeam("admin@a.example")
		teamB, tokenB := s.activeTeam("admin@b.example")
		for _, addr := range []string{"create@a.example", "import@a.example", "invite@a.example", "v5@a.example"} {
			s.form("/api/user/create", map[string]string{"auth_token": tokenB, "first_name": "B", "last_name": "Made",
				"mail_address": addr, "password": "b-knows-this", "confirm_password": "b-knows-this", "user_role": member}).ok(t, nil)
		}

		s.form("/api/user/create", map[string]string{"auth_token": tokenA, "first_name": "New", "last_name": "Hire",
			"mail_address": "create@a.example", "password": "a-chose-this", "confirm_password": "a-chose-this", "user_role": member}).ok(t, nil)
		s.multipart("/api/user/importusercsv", map[string]string{"auth_token": tokenA},
			"mail_address,first_name,last_name,password\nimport@a.example,Imp,Ort,a-chose-this\ninvite@a.example,In,Vite,\n").ok(t, nil)
		a := s.newApp(teamA, "all")
		s.post(a.token, "/api/v5/entity/user/create", map[string]string{"corp_id": teamA, "email": "v5@a.example"}).data(t, nil)

		for _, addr := range []string{"create@a.example", "import@a.example", "invite@a.example", "v5@a.example"} {
			s.refusedLogin(addr, "b-knows-this", teamA)
			s.login(addr, "b-knows-this", teamB)
		}
		s.login("create@a.example", "a-chose-this", teamA)
		s.login("import@a.example", "a-chose-this", teamA)
		s.refusedLogin("import@a.example", "a-chose-this", teamB)
		s.form("/api/user/activation", map[string]string{"activation_code": s.box.Last(t, "invite@a.example").Code, "password": "owner-chose-this"}).ok(t, nil)
		s.login("invite@a.example", "owner-chose-this", teamA)
		s.refusedLogin("invite@a.example", "b-knows-this", teamB)
	})
}

// TestSquatOverV5 replays, over HTTP, team B's application creating an
// address it does not own: the owner signs up and claims it, which ends
// B's password and sessions, and v5 email/update moves only an account
// nobody claimed that belongs to the caller alone.
func TestSquatOverV5(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		teamB, tokenB := s.activeTeam("admin@b.example")
		b := s.newApp(teamB, "all")
		var created struct {
			UserID string `json:"user_id"`
		}
		s.post(b.token, "/api/v5/entity/user/create", map[string]string{"corp_id": teamB, "email": "ceo@victim.example"}).data(t, &created)
		moved, bSession := s.member(tokenB, teamB, "cfo@victim.example", member)
		s.post(b.token, "/api/v5/entity/user/email/update", map[string]string{"corp_id": teamB, "user_id": moved.UserID, "email": "cfo2@victim.example"}).data(t, nil)

		teamOwner := s.signUp("ceo@victim.example")
		s.activate("ceo@victim.example")
		s.login("ceo@victim.example", password, teamOwner)
		s.login("ceo@victim.example", password, teamB)
		s.post(b.token, "/api/v5/entity/user/email/update", map[string]string{"corp_id": teamB, "user_id": created.UserID, "email": "ceo@b.example"}).
			refused(t, http.StatusForbidden, "40300", "email")

		// B's admin-set password for cfo2@ and B's session end when the owner
		// claims the account through another team's invitation.
		teamC, tokenC := s.activeTeam("admin@c.example")
		s.multipart("/api/user/importusercsv", map[string]string{"auth_token": tokenC}, "mail_address,first_name,last_name\ncfo2@victim.example,C,Fo\n").ok(t, nil)
		s.post(b.token, "/api/v5/entity/user/email/update", map[string]string{"corp_id": teamB, "user_id": moved.UserID, "email": "cfo3@victim.example"}).
			refused(t, http.StatusForbidden, "40300", "email")
		s.form("/api/user/activation", map[string]string{"activation_code": s.box.Last(t, "cfo2@victim.example").Code, "password": "owner-chose-this"}).ok(t, nil)
		s.form("/api/user/info", map[string]string{"auth_token": bSession}).fail(t, http.StatusUnauthorized, "auth_token")
		s.refusedLogin("cfo2@victim.example", password, teamB)
		s.login("cfo2@victim.example", "owner-chose-this", teamB)
		s.login("cfo2@victim.example", "owner-chose-this", teamC)
	})
}
