package httpapi_test

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// The seeds' curl examples of the v5 entity family, as sent: JSON bodies,
// with X-APP-ID where the source sends it.

// TestEntity5DocumentedRequests replays the requests of the v5 document
// and checks the documented answers.
func TestEntity5DocumentedRequests(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("School", ""), "all")
		corp := a.teamID
		appID := []string{"X-APP-ID", a.clientID}
		create := func(body string) *reply {
			return s.call(a.token, http.MethodPost, "/api/v5/entity/user/create", body, appID...)
		}

		// Create by mobile: the example leaves out corp_id, which is required.
		create(`{"area_code": "86", "mobile": "13888888888"}`).refused(t, http.StatusBadRequest, "40000", "corp_id")
		r := create(`{"area_code": "86", "mobile": "13888888888", "corp_id": "` + corp + `"}`)
		var byMobile created5
		r.data(t, &byMobile)
		sameShape(t, r.Body, example(t, http.MethodPost, "/api/v5/entity/user/create"))
		if byMobile.UserID == "" || byMobile.IsUserExists {
			t.Errorf("create by mobile: %s", r.Body)
		}
		var again created5
		create(`{"area_code": "+86", "mobile": "138 8888 8888", "corp_id": "`+corp+`"}`).data(t, &again)
		if again.UserID != byMobile.UserID || !again.IsUserExists {
			t.Errorf("create by the same mobile: %+v, want %s existing", again, byMobile.UserID)
		}

		// Create by email, likewise.
		create(`{"email": "test@123.com"}`).refused(t, http.StatusBadRequest, "40000", "corp_id")
		var byEmail created5
		create(`{"email": "test@123.com", "corp_id": "`+corp+`"}`).data(t, &byEmail)
		if byEmail.UserID == "" || byEmail.UserID == byMobile.UserID || byEmail.IsUserExists {
			t.Errorf("create by email: %+v", byEmail)
		}

		// Profile.
		r = s.call(a.token, http.MethodGet, "/api/v5/entity/profile/fetch?corp_id="+corp+"&user_id="+byMobile.UserID, "", appID...)
		var profile map[string]any
		r.data(t, &profile)
		sameShape(t, r.Body, example(t, http.MethodGet, "/api/v5/entity/profile/fetch"))
		want := map[string]any{"user_id": byMobile.UserID, "corp_id": corp, "area_code": "86", "mobile": "13888888888"}
		for k, v := range profile {
			if want[k] != v {
				t.Errorf("profile %s = %v, want %v", k, v, want[k])
			}
		}

		// Owners: the example leaves out corp_id too.
		owner := func(body string) *reply {
			return s.call(a.token, http.MethodPost, "/api/v5/entity/user/owner/update", body)
		}
		owner(`{"user_id": "`+byMobile.UserID+`", "owner_id": "`+byEmail.UserID+`", "event_type": "add"}`).
			refused(t, http.StatusBadRequest, "40000", "corp_id")
		third := s.created(a, "15204130007", "")
		for _, step := range []struct {
			owner, event string
			want         []string
		}{
			{byEmail.UserID, "add", []string{byEmail.UserID}},
			{byEmail.UserID, "add", []string{byEmail.UserID}},
			{third, "add", []string{byEmail.UserID, third}},
			{byEmail.UserID, "remove", []string{third}},
			{byEmail.UserID, "remove", []string{third}},
			{third, "remove", []string{}},
		} {
			s.clock.Advance(time.Second) // owners are listed in the order added
			r := owner(`{"user_id": "` + byMobile.UserID + `", "owner_id": "` + step.owner + `", "event_type": "` + step.event + `", "corp_id": "` + corp + `"}`)
			var got owners5
			r.data(t, &got)
			sameShape(t, r.Body, example(t, http.MethodPost, "/api/v5/entity/user/owner/update"))
			if got.UserID != byMobile.UserID || !slices.Equal(got.OwnerID, step.want) || got.OwnerID == nil {
				t.Errorf("%s %s: got %s, want %q", step.event, step.owner, r.Body, step.want)
			}
		}

		// Pool.
		r = s.call(a.token, http.MethodPost, "/api/v5/entity/user/pool/update", `{"user_id": "`+byMobile.UserID+`", "corp_id": "`+corp+`", "pool": "dead"}`)
		var updated struct {
			UserID string `json:"user_id"`
		}
		r.data(t, &updated)
		sameShape(t, r.Body, example(t, http.MethodPost, "/api/v5/entity/user/pool/update"))
		if updated.UserID != byMobile.UserID {
			t.Errorf("pool: %s", r.Body)
		}

		// Email: the example's address is the email user's own.
		r = s.call(a.token, http.MethodPost, "/api/v5/entity/user/email/update", `{"user_id": "`+byEmail.UserID+`",
"email": "test@123.com",
"corp_id": "`+corp+`"}`)
		r.data(t, &updated)
		sameShape(t, r.Body, example(t, http.MethodPost, "/api/v5/entity/user/email/update"))
		if updated.UserID != byEmail.UserID {
			t.Errorf("email: %s", r.Body)
		}
		s.post(a.token, "/api/v5/entity/user/email/update", map[string]string{"user_id": byMobile.UserID, "email": "TEST@123.com", "corp_id": corp}).
			refused(t, http.StatusConflict, "40900", "email")
		s.post(a.token, "/api/v5/entity/user/email/update", map[string]string{"user_id": byMobile.UserID, "email": "Amy@Example.com", "corp_id": corp}).data(t, nil)

		// Contacts.
		r = s.call(a.token, http.MethodGet, "/api/v5/entity/user/contact/fetch?user_id="+byMobile.UserID+"&corp_id="+corp+"&contact_type=mobile", "")
		var c contact5
		r.data(t, &c)
		sameShape(t, r.Body, example(t, http.MethodGet, "/api/v5/entity/user/contact/fetch"))
		if want := (contact5{byMobile.UserID, corp, "mobile", []string{"86", "13888888888"}}); !reflect.DeepEqual(c, want) {
			t.Errorf("contact: got %+v, want %+v", c, want)
		}
		for kind, want := range map[string][]string{"email": {"Amy@Example.com"}, "mobile_backup": {}} {
			s.get(a.token, "/api/v5/entity/user/contact/fetch", map[string]string{"user_id": byMobile.UserID, "corp_id": corp, "contact_type": kind}).data(t, &c)
			if !slices.Equal(c.Value, want) || c.Value == nil || c.ContactType != kind {
				t.Errorf("contact %s: got %+v, want %q", kind, c, want)
			}
		}
		s.get(a.token, "/api/v5/entity/user/contact/fetch", map[string]string{"user_id": byEmail.UserID, "corp_id": corp, "contact_type": "mobile"}).data(t, &c)
		if len(c.Value) != 0 || c.Value == nil {
			t.Errorf("mobile of a user without one: %+v", c)
		}
	})
}

// created5, owners5 and contact5 are data of the v5 family.
type created5 struct {
	UserID       string `json:"user_id"`
	IsUserExists bool   `json:"is_user_exists"`
}

type owners5 struct {
	UserID  string   `json:"user_id"`
	OwnerID []string `json:"owner_id"`
}

type contact5 struct {
	UserID      string   `json:"user_id"`
	CorpID      string   `json:"corp_id"`
	ContactType string   `json:"contact_type"`
	Value       []string `json:"value"`
}

// TestEntity5Profile checks every field of a full profile and the form
// body.
func TestEntity5Profile(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("School", ""), "all")
		amy := s.operatorMember(a.teamID, "Amy", "Acker", "amy@example.com")
		var p map[string]any
		s.get(a.token, "/api/v5/entity/profile/fetch", map[string]string{"corp_id": a.teamID, "user_id": amy}).data(t, &p)
		if p["name"] != "Amy Acker" || p["first_name"] != "Amy" || p["last_name"] != "Acker" || p["mobile"] != nil || p["age"] != nil {
			t.Errorf("profile: %v", p)
		}
		var res created5
		s.send(http.MethodPost, "/api/v5/entity/user/create", formType, strings.NewReader("corp_id="+a.teamID+"&email=AMY@example.com"),
			http.Header{"Authorization": {"Bearer " + a.token}}).data(t, &res)
		if res.UserID != amy || !res.IsUserExists {
			t.Errorf("create by a member's email, form-encoded: %+v", res)
		}
	})
}

// TestEntity5Errors checks the refusals of the v5 family.
func TestEntity5Errors(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("School", ""), "all")
		other := s.newApp(s.newTeam("Other", ""), "all")
		u := s.created(a, "13888888888", "")
		stranger := s.created(other, "15204130007", "")
		post := func(path string, params map[string]string) func() *reply {
			return func() *reply { return s.post(a.token, "/api/v5/entity/"+path, params) }
		}
		get := func(path string, params map[string]string) func() *reply {
			return func() *reply { return s.get(a.token, "/api/v5/entity/"+path, params) }
		}
		corp := a.teamID
		tests := []struct {
			name   string
			r      func() *reply
			status int
			code   string
			field  string
		}{
			{"invalid pool", post("user/pool/update", map[string]string{"corp_id": corp, "user_id": u, "pool": "zombie"}), 400, "40000", "pool"},
			{"invalid event_type", post("user/owner/update", map[string]string{"corp_id": corp, "user_id": u, "owner_id": u, "event_type": "Add"}), 400, "40000", "event_type"},
			{"no event_type", post("user/owner/update", map[string]string{"corp_id": corp, "user_id": u, "owner_id": u}), 400, "40000", "event_type"},
			{"owner from another team", post("user/owner/update", map[string]string{"corp_id": corp, "user_id": u, "owner_id": stranger, "event_type": "add"}), 404, "40400", "owner_id"},
			{"corp_id of another team", get("profile/fetch", map[string]string{"corp_id": other.teamID, "user_id": u}), 404, "40400", "corp_id"},
			{"corp_id of no team", get("profile/fetch", map[string]string{"corp_id": "nope", "user_id": u}), 404, "40400", "corp_id"},
			{"no corp_id", get("user/contact/fetch", map[string]string{"user_id": u, "contact_type": "mobile"}), 400, "40000", "corp_id"},
			{"no user_id", get("profile/fetch", map[string]string{"corp_id": corp}), 400, "40000", "user_id"},
			{"unknown user", get("profile/fetch", map[string]string{"corp_id": corp, "user_id": "nope"}), 404, "40400", "user_id"},
			{"user of another team", post("user/pool/update", map[string]string{"corp_id": corp, "user_id": stranger, "pool": "dead"}), 404, "40400", "user_id"},
			{"invalid contact_type", get("user/contact/fetch", map[string]string{"corp_id": corp, "user_id": u, "contact_type": "fax"}), 400, "40000", "contact_type"},
			{"create without a contact", post("user/create", map[string]string{"corp_id": corp}), 400, "40000", "mobile"},
			{"create without area_code", post("user/create", map[string]string{"corp_id": corp, "mobile": "13888888888"}), 400, "40000", "area_code"},
			{"unparseable mobile", post("user/create", map[string]string{"corp_id": corp, "area_code": "86", "mobile": "138-ABC"}), 400, "40000", "mobile"},
			{"invalid email", post("user/create", map[string]string{"corp_id": corp, "email": "not-an-email"}), 400, "40000", "email"},
			{"invalid new email", post("user/email/update", map[string]string{"corp_id": corp, "user_id": u, "email": "@"}), 400, "40000", "email"},
			{"query parameter twice", func() *reply {
				return s.call(a.token, http.MethodGet, "/api/v5/entity/profile/fetch?corp_id="+corp+"&corp_id="+corp+"&user_id="+u, "")
			}, 400, "40000", "corp_id"},
			{"malformed query", func() *reply {
				return s.call(a.token, http.MethodGet, "/api/v5/entity/profile/fetch?corp_id=%zz", "")
			}, 400, "40000", "query"},
			{"malformed JSON", func() *reply {
				return s.call(a.token, http.MethodPost, "/api/v5/entity/user/create", `{"corp_id":`)
			}, 400, "40000", "body"},
			{"array for a value", func() *reply {
				return s.call(a.token, http.MethodPost, "/api/v5/entity/user/create", `{"corp_id":"`+corp+`","email":["a@b.c"]}`)
			}, 400, "40000", "email"},
			{"too large", func() *reply {
				return s.call(a.token, http.MethodPost, "/api/v5/entity/user/create", `{"corp_id":"`+strings.Repeat("a", 1<<20)+`"}`)
			}, 413, "41300", "body"},
			{"unknown path", func() *reply { return s.call(a.token, http.MethodGet, "/api/v5/entity/user/delete", "") }, 404, "40400", ""},
			{"base path", func() *reply { return s.call(a.token, http.MethodPost, "/api/v5/entity/", "") }, 404, "40400", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) { tt.r().refused(t, tt.status, tt.code, tt.field) })
		}
		t.Run("wrong method", func(t *testing.T) {
			for path, allow := range map[string]string{
				"user/create": http.MethodPost, "profile/fetch": http.MethodGet, "user/owner/update": http.MethodPost,
				"user/pool/update": http.MethodPost, "user/email/update": http.MethodPost, "user/contact/fetch": http.MethodGet,
			} {
				method := http.MethodGet
				if allow == http.MethodGet {
					method = http.MethodPost
				}
				r := s.call(a.token, method, "/api/v5/entity/"+path, "")
				r.refused(t, http.StatusMethodNotAllowed, "40500", "")
				if r.Header.Get("Allow") != allow {
					t.Errorf("%s %s: Allow %q", method, path, r.Header.Get("Allow"))
				}
			}
		})
		t.Run("GET ignores the body", func(t *testing.T) {
			s.call(a.token, http.MethodGet, "/api/v5/entity/profile/fetch?corp_id="+corp+"&user_id="+u, `{"corp_id": "nope"}`).data(t, nil)
		})
	})
}
