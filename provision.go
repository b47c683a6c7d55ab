package identity

import (
	"context"

	"github.com/embedid/identity/team"
)

// Provision is a member as a provisioning client (SCIM) writes it: the
// address that signs them in, whether their membership is active, and the
// team's record of them. On a replace, fields left "" are cleared; the
// team's other attributes of the person are kept.
type Provision struct {
	Email          string
	Active         bool
	GivenName      string
	MiddleName     string
	FamilyName     string
	DisplayName    string
	ExternalID     string
	Title          string
	Department     string
	EmployeeNumber string
	Manager        string // the manager's ID as the client knows it
	Phone          string // a mobile number, E.164 or national in the team's region
	// Password is a password in clear: the team's password while the
	// account is unclaimed (see CreateMember); never returned.
	Password string
}

// Provisioned is a member as a provisioning client reads it, with the
// version of what it shows (the resource's ETag).
type Provisioned struct {
	team.Member
	Version string
}

// ProvisionMember adds the person with p's address to the client's team,
// as "Who owns an account" says: a new address makes an unclaimed user; an
// existing one joins with nothing another team set for them changed or
// shown. A member already in the team is a conflict on "email"; one removed
// from it is brought back with p's record.
func (s *Service) ProvisionMember(ctx context.Context, c Client, p Provision) (Provisioned, error) {
	return Provisioned{}, errPending
}

// ProvisionedMember returns a member of the client's team who is not
// removed.
func (s *Service) ProvisionedMember(ctx context.Context, c Client, userID string) (Provisioned, error) {
	return Provisioned{}, errPending
}

// ProvisionedMembers returns a page of the client's team's members that
// match q, and the number of all that match.
func (s *Service) ProvisionedMembers(ctx context.Context, c Client, q team.MemberQuery) ([]Provisioned, int, error) {
	return nil, 0, errPending
}

// ReplaceProvisioned replaces what p holds of a member of the client's
// team, if ifMatch is "" or the member's version (else CodeStale). A new
// address follows the rules of UpdateEmail.
func (s *Service) ReplaceProvisioned(ctx context.Context, c Client, userID, ifMatch string, p Provision) (Provisioned, error) {
	return Provisioned{}, errPending
}

// DeprovisionMember removes a member from the client's team, as
// RemoveMember does, if ifMatch is "" or the member's version.
func (s *Service) DeprovisionMember(ctx context.Context, c Client, userID, ifMatch string) error {
	return errPending
}

// Group is a team's project as a provisioning client reads it: the user
// IDs of its members, in byte order, and the version of what it shows.
type Group struct {
	team.Project
	Members []string
	Version string
}

// GroupChange changes a group; nil fields are left alone. Add and Remove
// are user IDs of members of the team.
type GroupChange struct {
	Name        *string
	ExternalID  *string
	Add, Remove []string
}

// CreateGroup creates a project in the client's team with the members.
func (s *Service) CreateGroup(ctx context.Context, c Client, name, externalID string, members []string) (Group, error) {
	return Group{}, errPending
}

// Group returns a project of the client's team.
func (s *Service) Group(ctx context.Context, c Client, id string) (Group, error) {
	return Group{}, errPending
}

// Groups returns a page of the client's team's projects that match q, and
// the number of all that match.
func (s *Service) Groups(ctx context.Context, c Client, q team.ProjectQuery) ([]Group, int, error) {
	return nil, 0, errPending
}

// ChangeGroup applies ch to a project of the client's team, if ifMatch is
// "" or the group's version.
func (s *Service) ChangeGroup(ctx context.Context, c Client, id, ifMatch string, ch GroupChange) (Group, error) {
	return Group{}, errPending
}

// DeleteGroup deletes a project of the client's team, if ifMatch is "" or
// the group's version.
func (s *Service) DeleteGroup(ctx context.Context, c Client, id, ifMatch string) error {
	return errPending
}
