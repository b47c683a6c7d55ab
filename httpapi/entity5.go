package httpapi

import (
	"net/http"

	"github.com/embedid/identity"
	"github.com/embedid/identity/internal/errs"
)

// The v5 entity family: /api/v5/entity/..., every call inside the
// corporation named by corp_id, answered in one envelope whatever the
// outcome.

func (a *api) entity5() bearerFamily {
	return bearerFamily{
		name:      "entity_v5",
		base:      "/api/v5/entity/",
		teamParam: "corp_id",
		endpoints: []bearerEndpoint{
			{http.MethodPost, "user/create", a.createUser5, []string{"area_code", "mobile", "email"}},
			{http.MethodGet, "profile/fetch", a.profile5, []string{"user_id"}},
			{http.MethodPost, "user/owner/update", a.updateOwner5, []string{"user_id", "owner_id", "event_type"}},
			{http.MethodPost, "user/pool/update", a.updatePool5, []string{"user_id", "pool"}},
			{http.MethodPost, "user/email/update", a.updateEmail5, []string{"user_id", "email"}},
			{http.MethodGet, "user/contact/fetch", a.contact5, []string{"user_id", "contact_type"}},
		},
		ok: func(w http.ResponseWriter, result any) {
			writeJSON(w, http.StatusOK, envelope5{Msg: "success.", Data: result})
		},
		fail: func(w http.ResponseWriter, f failure) {
			writeJSON(w, f.status, envelope5{Code: f.status * 100, Msg: f.message})
		},
	}
}

// envelope5 is the body of every v5 answer: code 0 on success, else the
// HTTP status times 100 (40000, 40400, ...).
type envelope5 struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data any    `json:"data"`
}

// createUser5 creates or gets the user with area_code and mobile, or email,
// and makes them a member of the corporation.
func (a *api) createUser5(c *bearerCall) (any, error) {
	res, err := a.svc.CreateOrGetUser(c.ctx(), c.client, identity.NewContact{
		AreaCode: c.str("area_code"),
		Mobile:   c.str("mobile"),
		Email:    c.str("email"),
	})
	if err != nil {
		return nil, err
	}
	return created5{UserID: res.UserID, IsUserExists: res.Existed}, nil
}

func (a *api) profile5(c *bearerCall) (any, error) {
	m, err := a.svc.Profile(c.ctx(), c.client, c.str("user_id"))
	if err != nil {
		return nil, err
	}
	return profile5Of(m), nil
}

// updateOwner5 adds or removes an owner, as event_type says.
func (a *api) updateOwner5(c *bearerCall) (any, error) {
	var add bool
	switch c.str("event_type") {
	case "add":
		add = true
	case "remove":
	default:
		return nil, errs.New(errs.Invalid, "event_type", "must be add or remove")
	}
	owners, err := a.svc.SetOwner(c.ctx(), c.client, c.str("user_id"), c.str("owner_id"), add)
	if err != nil {
		return nil, err
	}
	return owners5Of(c.str("user_id"), owners), nil
}

func (a *api) updatePool5(c *bearerCall) (any, error) {
	return userID5{c.str("user_id")}, a.svc.SetPool(c.ctx(), c.client, c.str("user_id"), c.str("pool"))
}

func (a *api) updateEmail5(c *bearerCall) (any, error) {
	return userID5{c.str("user_id")}, a.svc.UpdateEmail(c.ctx(), c.client, c.str("user_id"), c.str("email"))
}

func (a *api) contact5(c *bearerCall) (any, error) {
	value, err := a.svc.ContactOf(c.ctx(), c.client, c.str("user_id"), c.str("contact_type"))
	if err != nil {
		return nil, err
	}
	return contact5{UserID: c.str("user_id"), CorpID: c.client.TeamID, ContactType: c.str("contact_type"), Value: value}, nil
}
