package httpapi

import (
	"net"

	"github.com/embedid/identity"
	"github.com/embedid/identity/internal/errs"
)

// The 689Cloud endpoints that need no session: sign-up, activation and
// logging in and out.

func (a *api) signup(c *call689) (any, error) {
	plan, err := c.requiredInt("plan_id")
	if err != nil {
		return nil, err
	}
	in := identity.SignUp{
		FirstName:    c.str("first_name"),
		LastName:     c.str("last_name"),
		Email:        c.str("email_address"),
		BusinessName: c.str("business_name"),
		BusinessSize: c.str("business_size"),
		Phone:        c.str("phone"),
		Password:     c.str("password"),
		PaymentID:    c.str("payment_id"),
		PlanID:       plan,
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := c.confirm("confirm_password", in.Password); err != nil {
		return nil, err
	}
	_, err = a.svc.SignUp(c.ctx(), in)
	return "OK", err
}

// confirm checks that the parameter field repeats password, as forms ask
// people to; it is checked after the other parameters and before the
// password itself.
func (c *call689) confirm(field, password string) error {
	if c.str(field) != password {
		return errs.New(errs.Invalid, field, "does not match the password")
	}
	return nil
}

// activation redeems an activation code, or an invitation code together with
// the invited member's new password.
func (a *api) activation(c *call689) (any, error) {
	err := a.svc.Activate(c.ctx(), c.str("activation_code"), c.str("password"))
	return "You have just activate your account successful", err
}

// forgotPassword answers alike whether or not the address is registered.
func (a *api) forgotPassword(c *call689) (any, error) {
	err := a.svc.RequestPasswordReset(c.ctx(), c.str("email_address"), remoteIP(c.r.RemoteAddr))
	return "If the address is registered, a reset code is on its way to it", err
}

func (a *api) resetPassword(c *call689) (any, error) {
	next := c.str("new_password")
	if err := c.confirm("confirm_new_password", next); err != nil {
		return nil, err
	}
	err := a.svc.ResetPassword(c.ctx(), c.str("reset_code"), next)
	return "Your password is reset; log in with it", err
}

func (a *api) getActivationCode(c *call689) (any, error) {
	err := a.svc.ReissueCode(c.ctx(), c.str("activation_code"))
	return "Check your email address to active your account", err
}

func (a *api) checkMail(c *call689) (any, error) {
	teams, u, err := a.svc.TeamsForEmail(c.ctx(), c.str("email_address"))
	if err != nil {
		return nil, err
	}
	out := make([]teamOfEmail689, len(teams))
	for i, t := range teams {
		out[i] = teamOfEmail689Of(t, u)
	}
	return counted{result: out, total: len(out)}, nil
}

func (a *api) login(c *call689) (any, error) {
	keep, err := c.boolean("keep_me_login")
	if err != nil {
		return nil, err
	}
	s, err := a.svc.Login(c.ctx(), identity.Login{
		Email:       c.str("email_address"),
		Password:    c.str("password"),
		TeamID:      c.str("team_id"),
		KeepMeLogin: keep,
		IP:          remoteIP(c.r.RemoteAddr),
	})
	if err != nil {
		return nil, err
	}
	return login689Of(s), nil
}

// remoteIP returns the host part of a request's remote address.
func remoteIP(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

// logout ends the session given as access_token, auth_token or a bearer
// token.
func (a *api) logout(c *call689) (any, error) {
	return "OK", a.svc.Logout(c.ctx(), c.token(c.r, "access_token", "auth_token"))
}
