package httpapi

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/embedid/identity"
)

// The 689Cloud family: POST /api/user/..., with form-encoded, JSON or
// multipart parameters, answered in one envelope whatever the outcome.

const base689 = "/api/user/"

// endpoint689 is one endpoint of the 689Cloud family.
type endpoint689 struct {
	name        string     // the path under /api/user/
	session     bool       // needs a session: auth_token or a bearer token
	upload      bool       // takes a CSV file, so its body may be as large as one
	fields      fieldNames // where its parameters are named unlike fields689's
	takes       []string   // its parameters, besides auth_token; it ignores others
	description string     // of a success; "" means "OK"
	serve       func(*call689) (any, error)
}

// call689 is a request to a 689Cloud endpoint being served.
type call689 struct {
	*params
	r     *http.Request
	actor identity.Actor // the session's member, when the endpoint needs one
}

func (c *call689) ctx() context.Context { return c.r.Context() }

func (a *api) endpoints689() []endpoint689 {
	return []endpoint689{
		{name: "signup", serve: a.signup, takes: []string{"plan_id", "first_name", "last_name", "email_address", "business_name", "business_size", "phone", "password", "payment_id", "confirm_password"}, description: "New user and team is created", fields: fieldNames{"team_name": "business_name"}},
		{name: "activation", serve: a.activation, takes: []string{"activation_code", "password"}, fields: fieldNames{"email": "mail_address"}}, // an email code moves the account to changeemail's mail_address
		{name: "getactivationcode", serve: a.getActivationCode, takes: []string{"activation_code"}},
		{name: "forgotpassword", serve: a.forgotPassword, takes: []string{"email_address"}},
		{name: "resetpassword", serve: a.resetPassword, takes: []string{"reset_code", "new_password", "confirm_new_password"}, fields: fieldNames{"code": "reset_code", "password": "new_password"}},
		{name: "login/checkmail", serve: a.checkMail, takes: []string{"email_address"}},
		{name: "login", serve: a.login, takes: []string{"email_address", "password", "team_id", "keep_me_login"}},
		{name: "logout", serve: a.logout, takes: []string{"access_token"}},
		{name: "list", session: true, serve: a.list, takes: []string{"search_key", "sort_key", "page_size", "page_number"}},
		{name: "project", session: true, serve: a.project, takes: []string{"project_id"}},
		{name: "create", session: true, serve: a.create, takes: []string{"user_role", "first_name", "middle_name", "last_name", "mail_address", "password", "confirm_password"}, fields: fieldNames{"email": "mail_address", "role": "user_role"}},
		{name: "importusercsv", session: true, upload: true, serve: a.importCSV, takes: []string{"allow_weak_hashes"}},
		{name: "update", session: true, serve: a.update, takes: []string{"user_update_id", "first_name", "middle_name", "last_name", "role_id", "time_zone", "notification_flag", "lang"}, fields: fieldNames{"user_id": "user_update_id", "role": "role_id"}},
		{name: "remove", session: true, serve: a.remove, takes: []string{"user_id"}},
		{name: "info", session: true, serve: a.info},
		{name: "profile", session: true, serve: a.profile, takes: []string{"user_id"}},
		{name: "changepassword", session: true, serve: a.changePassword, takes: []string{"new_password", "confirm_new_password", "confirm_old_password"}, fields: fieldNames{"password": "new_password", "old_password": "confirm_old_password"}},
		{name: "changeemail", session: true, serve: a.changeEmail, takes: []string{"mail_adress", "mail_address"}, fields: fieldNames{"email": "mail_address"}},
		{name: "sessions", session: true, serve: a.sessions},
		{name: "sessions/revoke", session: true, serve: a.revokeSessions, takes: []string{"all", "user_id", "session_id"}},
		{name: "events", session: true, serve: a.events, takes: []string{"user_id", "action", "after", "page_size"}},
		{name: "getteam", session: true, serve: a.getTeam, takes: []string{"team_id"}},
		{name: "updateteamprofile", session: true, serve: a.updateTeamProfile, takes: []string{"team_update_id", "team_name", "website", "phone_number", "company_size", "plan_id"}, fields: fieldNames{"team_id": "team_update_id"}},
	}
}

// cloud689Routes mounts each endpoint on its path for every method, so that a
// wrong method is answered in the envelope, and every other path under
// /api/user/ as an unknown endpoint.
func (a *api) cloud689Routes() []route {
	eps := a.endpoints689()
	rs := make([]route, 0, len(eps)+1)
	for _, e := range eps {
		rs = append(rs, route{path: base689 + e.name, handler: a.handle689(e)})
	}
	unknown := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.fail689(w, r, errNoEndpoint(), fields689) })
	return append(rs, route{path: base689, handler: unknown})
}

func (a *api) handle689(e endpoint689) http.Handler {
	fields := fields689.with(e.fields)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			a.fail689(w, r, errMethod(r, http.MethodPost), fields)
			return
		}
		result, err := a.serve689(w, r, e)
		if err != nil {
			a.fail689(w, r, err, fields)
			return
		}
		env := envelope689{Result: result, Description: e.description, StatusCode: http.StatusOK}
		if env.Description == "" {
			env.Description = "OK"
		}
		if c, ok := result.(counted); ok {
			env.Result, env.TotalRecords = c.result, &c.total
		}
		writeJSON(w, http.StatusOK, env)
	})
}

// serve689 reads the parameters, authenticates the session if e needs one,
// and serves e.
func (a *api) serve689(w http.ResponseWriter, r *http.Request, e endpoint689) (any, error) {
	limit := a.opts.MaxBodyBytes
	if e.upload {
		limit += a.opts.MaxCSVBytes
	}
	p, err := readParams(w, r, limit)
	if err != nil {
		return nil, err
	}
	defer p.close()
	if err := p.only(slices.Concat(e.takes, []string{"auth_token"})...); err != nil {
		return nil, err
	}
	c := &call689{params: p, r: r}
	if e.session {
		if c.actor, err = a.svc.Authenticate(r.Context(), p.token(r, "auth_token")); err != nil {
			return nil, err
		}
	}
	return e.serve(c)
}

// fields689 names the library's fields as the 689Cloud family names its
// parameters. Some endpoints name one differently (endpoint689.fields): the
// email is mail_address in create and changeemail, the role user_role in
// create and role_id in update, the user user_update_id in update, the team
// team_update_id in updateteamprofile, the team name business_name in
// signup, the passwords new_password and confirm_old_password in
// changepassword, the code reset_code and the password new_password in
// resetpassword, and the new address mail_address in activation.
var fields689 = fieldNames{
	"email":   "email_address",
	"session": "auth_token",
	"code":    "activation_code",
}

// envelope689 is the body of every 689Cloud answer.
type envelope689 struct {
	Result       any    `json:"result"`
	Description  string `json:"description"`
	StatusCode   int    `json:"status_code"`
	TotalRecords *int   `json:"total_records"`
}

// counted is a result that also sets total_records.
type counted struct {
	result any
	total  int
}

// fail689 answers err in the envelope, its field named as fields says:
// result null (the bad rows of a refused import) and the error's message as
// description.
func (a *api) fail689(w http.ResponseWriter, r *http.Request, err error, fields fieldNames) {
	f := a.failureOf(w, r, err, fields)
	env := envelope689{Description: f.message, StatusCode: f.status}
	if ie, ok := errors.AsType[*identity.ImportError](err); ok {
		n := len(ie.Rows) + ie.More
		env.Description, env.Result, env.TotalRecords = ie.Error(), rows689(ie.Rows), &n
	}
	writeJSON(w, f.status, env)
}
