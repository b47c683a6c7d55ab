package httpapi

import (
	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// The 689Cloud endpoints about the members of the caller's team.

func (a *api) list(c *call689) (any, error) {
	q := identity.DefaultListQuery()
	q.Search = c.str("search_key")
	sort, err := c.intOr("sort_key", int(q.Sort))
	if err != nil {
		return nil, err
	}
	q.Sort = team.SortKey(sort)
	if q.Size, err = c.intOr("page_size", q.Size); err != nil {
		return nil, err
	}
	if q.Page, err = c.intOr("page_number", q.Page); err != nil {
		return nil, err
	}
	members, total, err := a.svc.ListMembers(c.ctx(), c.actor, q)
	if err != nil {
		return nil, err
	}
	data := make([]user689, len(members))
	for i, m := range members {
		data[i] = user689Of(m)
	}
	return list689{TotalResult: total, Data: data}, nil
}

func (a *api) project(c *call689) (any, error) {
	members, err := a.svc.ProjectMembers(c.ctx(), c.actor, c.str("project_id"))
	if err != nil {
		return nil, err
	}
	out := make([]projectMember689, len(members))
	for i, m := range members {
		out[i] = projectMember689Of(m)
	}
	return out, nil
}

// names reads first_name, middle_name and last_name.
func (c *call689) names() user.Names {
	return user.Names{First: c.str("first_name"), Middle: c.str("middle_name"), Last: c.str("last_name")}
}

func (a *api) create(c *call689) (any, error) {
	role, err := c.requiredInt("user_role")
	if err != nil {
		return nil, err
	}
	in := identity.NewMember{Names: c.names(), Email: c.str("mail_address"), Password: c.str("password"), Role: role}
	if err := in.Validate(c.actor.Role); err != nil {
		return nil, err
	}
	if err := c.confirm("confirm_password", in.Password); err != nil {
		return nil, err
	}
	return userResult(a.svc.CreateMember(c.ctx(), c.actor, in))
}

// importCSV adds the members of the uploaded CSV file, all or none; its
// column password_hash may hold fast digests if allow_weak_hashes is true.
func (a *api) importCSV(c *call689) (any, error) {
	weak, err := c.boolean("allow_weak_hashes")
	if err != nil {
		return nil, err
	}
	f, err := c.file("file", a.opts.MaxCSVBytes)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var opts []identity.ImportOption
	if weak {
		opts = append(opts, identity.AllowWeakHashes())
	}
	res, err := a.svc.ImportCSV(c.ctx(), c.actor, f, opts...)
	if err != nil {
		return nil, err
	}
	return counted{result: 200, total: res.Imported}, nil
}

// update replaces a member's names (a middle_name left out is cleared) and
// changes the role and the settings given.
func (a *api) update(c *call689) (any, error) {
	names := c.names()
	in := identity.MemberUpdate{UserID: c.str("user_update_id"), Names: &names}
	role, hasRole, err := c.optionalInt("role_id")
	if err != nil {
		return nil, err
	}
	tz, hasTZ, err := c.optionalInt("time_zone")
	if err != nil {
		return nil, err
	}
	if hasRole {
		in.Role = &role
	}
	if hasTZ {
		in.TimeZone = &tz
	}
	if v, ok := c.optionalStr("notification_flag"); ok {
		in.Notify = &v
	}
	if v, ok := c.optionalStr("lang"); ok {
		in.Lang = &v
	}
	return userResult(a.svc.UpdateMember(c.ctx(), c.actor, in))
}

func (a *api) remove(c *call689) (any, error) {
	return "User is inactive now", a.svc.RemoveMember(c.ctx(), c.actor, c.str("user_id"))
}

func (a *api) info(c *call689) (any, error) {
	return userResult(a.svc.Member(c.ctx(), c.actor, c.actor.UserID))
}

func (a *api) profile(c *call689) (any, error) {
	return userResult(a.svc.Member(c.ctx(), c.actor, c.str("user_id")))
}

func (a *api) changePassword(c *call689) (any, error) {
	next := c.str("new_password")
	if err := c.confirm("confirm_new_password", next); err != nil {
		return nil, err
	}
	return userResult(a.svc.ChangePassword(c.ctx(), c.actor, c.str("confirm_old_password"), next))
}

// changeEmail takes the new address as mail_adress, as the 689Cloud document
// spells it, or as mail_address.
func (a *api) changeEmail(c *call689) (any, error) {
	email, ok := c.optionalStr("mail_adress")
	if !ok {
		email = c.str("mail_address")
	}
	return userResult(a.svc.ChangeEmail(c.ctx(), c.actor, email))
}
