package httpapi_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// userPortal is a user of getUserBaseInfo.
type userPortal struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Email  string `json:"email"`
}

// TestPortalDocumentedRequest replays the request of the application-portal
// document and checks the documented answer.
func TestPortalDocumentedRequest(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", "acme.example"), "read")
		amy := s.operatorMember(a.teamID, "Amy", "Acker", "Amy@Example.com")
		r := s.call(a.token, http.MethodPost, "/app-portal-service/v2.2/user/getUserBaseInfo", `{"organizationId":"`+a.teamID+`", "email":"amy@example.com"}`)
		var got struct {
			Users []userPortal `json:"users"`
		}
		r.data(t, &got)
		sameShape(t, r.Body, example(t, http.MethodPost, "/app-portal-service/v2.2/user/getUserBaseInfo"))
		want := []userPortal{{ID: amy, Name: "Amy Acker", Domain: "acme.example", Email: "Amy@Example.com"}}
		if !reflect.DeepEqual(got.Users, want) {
			t.Errorf("got %+v, want %+v", got.Users, want)
		}
	})
}

// TestPortalCriteria checks each criterion and their combinations.
func TestPortalCriteria(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", "acme.example"), "all")
		noDomain := s.newApp(s.newTeam("Plain", ""), "all")
		amy := s.operatorMember(a.teamID, "Amy", "Acker", "amy@example.com")
		s.clock.Advance(time.Second) // members are answered in the order of their IDs, which follow time
		amy2 := s.operatorMember(a.teamID, "Amy", "Acker", "amy2@example.com")
		phone := s.created(a, "15204130007", "")
		plain := s.created(noDomain, "13888888888", "")
		tests := []struct {
			app    app
			params map[string]string
			want   []userPortal
		}{
			{a, map[string]string{"email": "AMY@example.com "}, []userPortal{{amy, "Amy Acker", "acme.example", "amy@example.com"}}},
			{a, map[string]string{"name": "Amy Acker"}, []userPortal{{amy, "Amy Acker", "acme.example", "amy@example.com"}, {amy2, "Amy Acker", "acme.example", "amy2@example.com"}}},
			{a, map[string]string{"name": "Amy Acker", "domain": "ACME.example"}, []userPortal{{amy, "Amy Acker", "acme.example", "amy@example.com"}, {amy2, "Amy Acker", "acme.example", "amy2@example.com"}}},
			{a, map[string]string{"name": "Amy Acker", "email": "amy2@example.com"}, []userPortal{{amy2, "Amy Acker", "acme.example", "amy2@example.com"}}},
			{a, map[string]string{"phoneArea": "86", "phone": "15204130007"}, []userPortal{{phone, "", "acme.example", ""}}},
			{a, map[string]string{"phoneArea": "+86", "phone": "152 0413 0007"}, []userPortal{{phone, "", "acme.example", ""}}},
			{noDomain, map[string]string{"phoneArea": "86", "phone": "13888888888"}, []userPortal{{plain, "", "", ""}}},
		}
		for _, tt := range tests {
			tt.params["organizationId"] = tt.app.teamID
			var got struct {
				Users []userPortal `json:"users"`
			}
			s.post(tt.app.token, "/app-portal-service/v2.2/user/getUserBaseInfo", tt.params).data(t, &got)
			if !reflect.DeepEqual(got.Users, tt.want) {
				t.Errorf("%v: got %+v, want %+v", tt.params, got.Users, tt.want)
			}
		}
		var got struct {
			Users []userPortal `json:"users"`
		}
		s.send(http.MethodPost, "/app-portal-service/v2.2/user/getUserBaseInfo", formType, strings.NewReader("organizationId="+a.teamID+"&email=amy%40example.com"),
			http.Header{"Authorization": {"Bearer " + a.token}}).data(t, &got)
		if len(got.Users) != 1 || got.Users[0].ID != amy {
			t.Errorf("form-encoded: %+v", got)
		}
	})
}

// TestPortalErrors checks the refusals of the application portal.
func TestPortalErrors(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *server) {
		a := s.newApp(s.newTeam("Acme", "acme.example"), "all")
		other := s.newTeam("Other", "")
		s.operatorMember(a.teamID, "Amy", "Acker", "amy@example.com")
		tests := []struct {
			name   string
			params map[string]string
			status int
			code   string
			field  string
		}{
			{"no organizationId", map[string]string{"email": "amy@example.com"}, 400, "31400", "organizationId"},
			{"another organization", map[string]string{"organizationId": other, "email": "amy@example.com"}, 404, "31404", "organizationId"},
			{"no organization", map[string]string{"organizationId": "nope", "email": "amy@example.com"}, 404, "31404", "organizationId"},
			{"no criteria", map[string]string{"organizationId": a.teamID}, 400, "31400", "email"},
			{"empty criteria", map[string]string{"organizationId": a.teamID, "email": "", "name": " ", "phone": ""}, 400, "31400", "email"},
			{"invalid email", map[string]string{"organizationId": a.teamID, "email": "amy"}, 400, "31400", "email"},
			{"domain without name", map[string]string{"organizationId": a.teamID, "email": "amy@example.com", "domain": "acme.example"}, 400, "31400", "domain"},
			{"unparseable phone", map[string]string{"organizationId": a.teamID, "phoneArea": "86", "phone": "phone"}, 400, "31400", "phone"},
			{"no match", map[string]string{"organizationId": a.teamID, "email": "bob@example.com"}, 404, "31404", ""},
			{"another domain", map[string]string{"organizationId": a.teamID, "name": "Amy Acker", "domain": "other.example"}, 404, "31404", ""},
			{"one criterion fails", map[string]string{"organizationId": a.teamID, "name": "Amy Acker", "email": "bob@example.com"}, 404, "31404", ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s.post(a.token, "/app-portal-service/v2.2/user/getUserBaseInfo", tt.params).refused(t, tt.status, tt.code, tt.field)
			})
		}
		t.Run("routing", func(t *testing.T) {
			r := s.call(a.token, http.MethodGet, "/app-portal-service/v2.2/user/getUserBaseInfo", "")
			r.refused(t, http.StatusMethodNotAllowed, "31405", "")
			if r.Header.Get("Allow") != http.MethodPost {
				t.Errorf("Allow %q", r.Header.Get("Allow"))
			}
			s.call(a.token, http.MethodPost, "/app-portal-service/v2.2/user/getUserInfo", "{}").refused(t, http.StatusNotFound, "31404", "")
			s.call(a.token, http.MethodPost, "/app-portal-service/v2.2/user/getUserBaseInfo", `{"organizationId":`).refused(t, http.StatusBadRequest, "31400", "body")
			s.call(a.token, http.MethodPost, "/app-portal-service/v2.2/user/getUserBaseInfo", `{"organizationId":"`+strings.Repeat("a", 1<<20)+`"}`).
				refused(t, http.StatusRequestEntityTooLarge, "31413", "body")
		})
	})
}
