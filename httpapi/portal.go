package httpapi

import (
	"net/http"

	"github.com/embedid/identity"
)

// The application-portal family: /app-portal-service/v2.2/..., every call
// inside the organization named by organizationId, answered in one envelope
// whatever the outcome.

func (a *api) portal() bearerFamily {
	return bearerFamily{
		name:      "portal",
		base:      "/app-portal-service/",
		teamParam: "organizationId",
		fields:    fieldsPortal,
		endpoints: []bearerEndpoint{
			{http.MethodPost, "v2.2/user/getUserBaseInfo", a.getUserBaseInfo, []string{"email", "name", "domain", "phoneArea", "phone"}},
		},
		ok: func(w http.ResponseWriter, result any) {
			writeJSON(w, http.StatusOK, envelopePortal{Message: "OK", Data: result})
		},
		fail: func(w http.ResponseWriter, f failure) {
			writeJSON(w, f.status, envelopePortal{Code: 31000 + f.status, Message: f.message})
		},
	}
}

// fieldsPortal names the library's fields as the portal names its
// parameters.
var fieldsPortal = fieldNames{"area_code": "phoneArea"}

// envelopePortal is the body of every application-portal answer: code 0 on
// success, else 31000 plus the HTTP status (31400, 31404, ...).
type envelopePortal struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data"`
}

// usersPortal is the data of getUserBaseInfo.
type usersPortal struct {
	Users []userPortal `json:"users"`
}

// userPortal is a member as getUserBaseInfo shows one: the name is the user
// name, or the full name of a user with none; the domain is the team's; an
// unknown name, domain or email is "".
type userPortal struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Email  string `json:"email"`
}

// getUserBaseInfo lists the members that match every criterion given: email;
// name and optionally domain; phoneArea and phone.
func (a *api) getUserBaseInfo(c *bearerCall) (any, error) {
	found, err := a.svc.FindUsers(c.ctx(), c.client, identity.Criteria{
		Email:     c.str("email"),
		Name:      c.str("name"),
		Domain:    c.str("domain"),
		PhoneArea: c.str("phoneArea"),
		Phone:     c.str("phone"),
	})
	if err != nil {
		return nil, err
	}
	t, err := a.svc.ClientTeam(c.ctx(), c.client)
	if err != nil {
		return nil, err
	}
	users := make([]userPortal, len(found))
	for i, m := range found {
		users[i] = userPortal{ID: m.User.ID, Name: m.DisplayName(), Domain: t.Domain, Email: m.User.Email.Display}
	}
	return usersPortal{Users: users}, nil
}
