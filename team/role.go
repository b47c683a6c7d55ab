package team

import "github.com/embedid/identity/internal/errs"

// Role is a member's role in a team.
type Role int

// The roles, strongest first.
const (
	RoleAdmin   Role = 1
	RoleManager Role = 2
	RoleMember  Role = 3
)

// ParseRole checks that n is a role, naming field in the error.
func ParseRole(field string, n int) (Role, error) {
	r := Role(n)
	if r < RoleAdmin || r > RoleMember {
		return 0, errs.New(errs.Invalid, field, "must be 1 (admin), 2 (manager) or 3 (member), got %d", n)
	}
	return r, nil
}

// String returns the role's name: admin, manager or member.
func (r Role) String() string {
	switch r {
	case RoleAdmin:
		return "admin"
	case RoleManager:
		return "manager"
	case RoleMember:
		return "member"
	}
	return "unknown role"
}

// CanCreate checks that actor may create a member with role: an admin creates
// managers and members, a manager creates members, and nobody creates an admin.
func CanCreate(actor, role Role) error {
	switch {
	case role == RoleAdmin:
		return errs.New(errs.Forbidden, "role", "nobody may create an admin; create a manager or member and promote them")
	case actor == RoleAdmin:
		return nil
	case actor == RoleManager && role == RoleMember:
		return nil
	case actor == RoleManager:
		return errs.New(errs.Forbidden, "role", "a manager may create members only")
	}
	return errs.New(errs.Forbidden, "", "a member may not create users")
}

// CanRemove checks that actor may remove target: an admin removes managers
// and members, a manager removes members.
func CanRemove(actor, target Role) error {
	switch {
	case actor == RoleAdmin && target != RoleAdmin:
		return nil
	case actor == RoleAdmin:
		return errs.New(errs.Forbidden, "user_id", "an admin may not be removed; change their role first")
	case actor == RoleManager && target == RoleMember:
		return nil
	case actor == RoleManager:
		return errs.New(errs.Forbidden, "user_id", "a manager may remove members only")
	}
	return errs.New(errs.Forbidden, "", "a member may not remove users")
}

// Change says what an update touches.
type Change struct {
	Names    bool  // first, middle or last name
	Settings bool  // time zone, notification flag, language
	Role     *Role // a new role, if any
}

// CanUpdate checks that actor may make change to target. Everyone may update
// their own names and settings; an admin may update another member's names
// and anyone's role; a manager may update a member's names. Whether the team
// keeps an admin is checked separately by KeepsAdmin.
func CanUpdate(actor Membership, target Membership, c Change) error {
	self := actor.UserID == target.UserID
	if c.Role != nil && *c.Role != target.Role && actor.Role != RoleAdmin {
		return errs.New(errs.Forbidden, "role", "only an admin may change roles")
	}
	if self {
		return nil
	}
	if c.Settings {
		return errs.New(errs.Forbidden, "user_id", "time zone, notifications and language may be changed only by the user themself")
	}
	switch {
	case actor.Role == RoleAdmin:
		return nil
	case actor.Role == RoleManager && target.Role == RoleMember:
		return nil
	case actor.Role == RoleManager:
		return errs.New(errs.Forbidden, "user_id", "a manager may update members only")
	}
	return errs.New(errs.Forbidden, "user_id", "a member may update only themself")
}

// KeepsAdmin checks that giving target the role next leaves the team at least
// one active admin, given how many active admins it has now.
func KeepsAdmin(activeAdmins int, target Membership, next Role) error {
	if target.Role == RoleAdmin && target.Status == MemberActive && next != RoleAdmin && activeAdmins <= 1 {
		return errs.New(errs.Forbidden, "role", "the team must keep at least one active admin; promote another member first")
	}
	return nil
}

// CanEndSessions checks that actor may end the sessions of another member
// whose role is target: only an admin, and only a manager's or a member's.
func CanEndSessions(actor, target Role) error {
	switch {
	case actor != RoleAdmin:
		return errs.New(errs.Forbidden, "user_id", "only an admin may end another member's sessions")
	case target == RoleAdmin:
		return errs.New(errs.Forbidden, "user_id", "an admin's sessions may be ended only by that admin")
	}
	return nil
}
