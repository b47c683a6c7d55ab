package httpapi

import (
	"net/http"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// The tenant v2 family: user details under /api/v2/tenant/users/, answered
// as a bare user object, or an error object. Its token endpoint is in
// token.go.

func (a *api) tenant2() bearerFamily {
	return bearerFamily{
		name: "tenant_v2",
		base: "/api/v2/tenant/",
		endpoints: []bearerEndpoint{
			{http.MethodPost, "users/user-by-mobile", a.userByMobile2, []string{"mobile"}},
			{http.MethodGet, "users/{user_id}", a.userByID2, nil},
		},
		ok: func(w http.ResponseWriter, result any) { writeJSON(w, http.StatusOK, result) },
		fail: func(w http.ResponseWriter, f failure) {
			e := error2{Code: codes2[f.status], Message: f.message}
			if f.code == identity.CodeNotFound {
				f.status, e = http.StatusBadRequest, error2{Code: "USER.0001", Message: "User does not exist"}
			}
			writeJSON(w, f.status, e)
		},
	}
}

// error2 is the body of every tenant v2 error.
type error2 struct {
	Code    string `json:"error_code"`
	Message string `json:"error_msg"`
}

// codes2 is the error code of each HTTP status. A user not found, in the
// token's team or at all, is USER.0001 with 400, as the tenant document
// says; 404 is left to paths that name no endpoint.
var codes2 = map[int]string{
	http.StatusBadRequest:            "PARAM.0001",
	http.StatusUnauthorized:          "AUTH.0001",
	http.StatusForbidden:             "AUTH.0002",
	http.StatusNotFound:              "API.0001",
	http.StatusMethodNotAllowed:      "API.0002",
	http.StatusConflict:              "PARAM.0003",
	http.StatusGone:                  "PARAM.0004",
	http.StatusRequestEntityTooLarge: "PARAM.0002",
	http.StatusTooManyRequests:       "AUTH.0003",
	http.StatusInternalServerError:   "SYSTEM.0001",
	http.StatusServiceUnavailable:    "SYSTEM.0002",
}

// userByMobile2 finds the member with a mobile in any common form; national
// numbers are read in the team's region.
func (a *api) userByMobile2(c *bearerCall) (any, error) {
	return user2Result(a.svc.FindByMobile(c.ctx(), c.client, c.str("mobile")))
}

func (a *api) userByID2(c *bearerCall) (any, error) {
	return user2Result(a.svc.FindByID(c.ctx(), c.client, c.str("user_id")))
}

func user2Result(m team.Member, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return user2Of(m), nil
}
