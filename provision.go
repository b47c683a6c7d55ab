package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// Provision is a member as a provisioning client (SCIM) writes it: the
// address that signs them in, whether their membership is active, and the
// team's record of them. On a replace, fields left "" are cleared; the
// team's other attributes of the person are kept.
type Provision struct {
	Email string
	// UserName is the name the team's directory signs the person in by;
	// unique among the team's members, compared ASCII-case-insensitively,
	// with the address of each member who has none.
	UserName       string
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

// provisioned returns m with its version.
func provisioned(m team.Member) Provisioned {
	return Provisioned{Member: m, Version: memberVersion(m)}
}

// memberVersion is a digest of what a provisioning client reads of m: it
// changes whenever that does, and never because of what another team
// changed of the person.
func memberVersion(m team.Member) string {
	ms := &m.Membership
	return version(m.User.ID, m.User.Email.Normalized, strconv.Itoa(int(ms.Status)), ms.LoginName,
		ms.FirstName, ms.MiddleName, ms.LastName, ms.DisplayName, ms.ExternalID, ms.JobTitle,
		ms.Department, ms.EmployeeID, ms.ManagerID, ms.Phone,
		ms.CreatedAt.Format(time.RFC3339Nano), ms.UpdatedAt.Format(time.RFC3339Nano))
}

// version digests parts, each ended by a NUL, to 24 hex digits.
func version(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// checkVersion refuses a write that names a version other than got.
func checkVersion(ifMatch, got string) error {
	if ifMatch != "" && ifMatch != got {
		return errs.New(errs.Stale, "version", "the resource has changed since version %q; read it again", ifMatch)
	}
	return nil
}

// fields returns the team's record fields of p, with the names the library
// gives them, and where each goes on a profile.
func (p *Provision) fields(pr *user.Profile) []struct {
	name string
	v    *string
	dst  *string
	max  int
} {
	return []struct {
		name string
		v    *string
		dst  *string
		max  int
	}{
		{"user_name", &p.UserName, &pr.LoginName, user.MaxTextLen},
		{"first_name", &p.GivenName, &pr.FirstName, user.MaxNameLen},
		{"middle_name", &p.MiddleName, &pr.MiddleName, user.MaxNameLen},
		{"last_name", &p.FamilyName, &pr.LastName, user.MaxNameLen},
		{"display_name", &p.DisplayName, &pr.DisplayName, user.MaxTextLen},
		{"external_id", &p.ExternalID, &pr.ExternalID, user.MaxTextLen},
		{"job_title", &p.Title, &pr.JobTitle, user.MaxTextLen},
		{"department", &p.Department, &pr.Department, user.MaxTextLen},
		{"employee_id", &p.EmployeeNumber, &pr.EmployeeID, user.MaxTextLen},
		{"manager_id", &p.Manager, &pr.ManagerID, user.MaxTextLen},
	}
}

// check trims p's texts, checks them and returns its address.
func (p *Provision) check() (contact.Email, error) {
	for _, f := range p.fields(&user.Profile{}) {
		*f.v = strings.TrimSpace(*f.v)
		if err := user.CheckText(f.name, *f.v, f.max); err != nil {
			return contact.Email{}, err
		}
	}
	p.Phone = strings.TrimSpace(p.Phone)
	return contact.ParseEmail(p.Email, "email")
}

// apply sets p's record on m, whose phone is phone, and its activity: it
// returns the names of the fields it changed.
func (p *Provision) apply(m *team.Membership, phone string) []string {
	var changed []string
	for _, f := range p.fields(&m.Profile) {
		if *f.dst != *f.v {
			*f.dst, changed = *f.v, append(changed, f.name)
		}
	}
	if m.Phone != phone {
		m.Phone, changed = phone, append(changed, "phone")
	}
	switch {
	case p.Active && m.Status == team.MemberSuspended:
		m.Status, changed = team.MemberActive, append(changed, "status")
	case !p.Active && m.Status != team.MemberSuspended:
		m.Status, changed = team.MemberSuspended, append(changed, "status")
	}
	return changed
}

// teamPhone returns text as an E.164 mobile number read in the team's
// region, or "" for "".
func (s *Service) teamPhone(text, region string) (string, error) {
	if text == "" {
		return "", nil
	}
	p, err := contact.ReadPhone(text, s.regionOr(region), "phone")
	if err != nil {
		return "", err
	}
	if err := p.Check("phone", s.phones); err != nil {
		return "", err
	}
	return p.E164(), nil
}

// provisionTeam locks the client's team, so that its members' user names
// stay unique, and returns phone read in its region.
func (s *Service) provisionTeam(ctx context.Context, tx storage.Tx, c Client, phone string) (string, error) {
	if err := tx.LockTeam(ctx, c.TeamID); err != nil {
		return "", blame(err, "team_id", "no such team")
	}
	t, err := s.clientTeam(ctx, tx, c.TeamID)
	if err != nil {
		return "", err
	}
	return s.teamPhone(phone, t.Region)
}

// uniqueUserName refuses the user name of userID, name or else their
// address, if it names another member of the team not removed.
func uniqueUserName(ctx context.Context, tx storage.Tx, teamID, userID, name string, email contact.Email) error {
	if name == "" {
		name = email.Normalized
	}
	f := team.Filter{Op: team.OpCompare, Attr: team.AttrUserName, Cmp: team.CmpEq, Value: name}
	ms, _, err := tx.SearchMembers(ctx, teamID, team.MemberQuery{Filter: &f, Limit: 2})
	for _, m := range ms {
		if m.User.ID != userID {
			return errs.New(errs.Conflict, "user_name", "already names another member of this team")
		}
	}
	return err
}

// provisionInput checks that c may write and p is valid, and returns p's
// address and the bcrypt hash of its password (nil for none).
func (s *Service) provisionInput(ctx context.Context, c Client, p *Provision) (contact.Email, []byte, error) {
	if err := c.canWrite(); err != nil {
		return contact.Email{}, nil, err
	}
	email, err := p.check()
	if err != nil || p.Password == "" {
		return email, nil, err
	}
	hash, err := s.hasher.Hash(ctx, "password", p.Password)
	return email, hash, err
}

// ProvisionMember adds the person with p's address to the client's team,
// as "Who owns an account" says: a new address makes an unclaimed user; an
// existing one joins with nothing another team set for them changed or
// shown. A member already in the team is a conflict on "email"; one removed
// from it is brought back with p's record.
func (s *Service) ProvisionMember(ctx context.Context, c Client, p Provision) (Provisioned, error) {
	email, hash, err := s.provisionInput(ctx, c, &p)
	if err != nil {
		return Provisioned{}, err
	}
	var m team.Member
	err = s.write(ctx, func(tx storage.Tx, now time.Time) error {
		phone, err := s.provisionTeam(ctx, tx, c, p.Phone)
		if err != nil {
			return err
		}
		u := s.newUser(now, c.TeamID, email)
		u.Status, u.ActivatedAt = user.StatusActive, now
		if u, err = s.userFor(ctx, tx, u); err != nil {
			return err
		}
		if err := uniqueUserName(ctx, tx, c.TeamID, u.ID, p.UserName, email); err != nil {
			return err
		}
		var removed bool
		m, removed, err = s.provisionMembership(ctx, tx, c, u, now)
		if err != nil {
			return err
		}
		p.apply(&m.Membership, phone)
		if hash != nil && !u.Claimed() {
			m.Membership.PasswordHash, m.Membership.PasswordChangedAt = hash, now
		}
		if !removed {
			record(tx, c.event(audit.MemberCreated, u.ID, "email", "profile"))
			return s.join(ctx, tx, m.Membership, "email")
		}
		record(tx, c.event(audit.MemberReinstated, u.ID, "status", "profile"))
		return tx.UpdateMembership(ctx, m.Membership)
	})
	return provisioned(m), err
}

// provisionMembership returns the membership u is to have in the client's
// team: a new one, or the one they were removed from (then removed is
// true), reinstated with no record and no password of the team's. A
// member not removed is a conflict.
func (s *Service) provisionMembership(ctx context.Context, tx storage.Tx, c Client, u user.User, now time.Time) (m team.Member, removed bool, err error) {
	old, err := tx.Membership(ctx, c.TeamID, u.ID)
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		return team.Member{User: u, Membership: team.Membership{
			TeamID: c.TeamID, UserID: u.ID, Role: team.RoleMember, Status: team.MemberActive, Pool: team.PoolAlive, CreatedAt: now, UpdatedAt: now,
		}}, false, nil
	case err != nil:
		return m, false, err
	case old.Status != team.MemberRemoved:
		return m, false, errs.New(errs.Conflict, "email", "already belongs to a member of this team")
	}
	return team.Member{User: u, Membership: team.Membership{
		TeamID: c.TeamID, UserID: u.ID, Role: old.Role, Status: team.MemberActive, Pool: old.Pool, CreatedAt: old.CreatedAt, UpdatedAt: now,
	}}, true, nil
}

// ProvisionedMember returns a member of the client's team who is not
// removed.
func (s *Service) ProvisionedMember(ctx context.Context, c Client, userID string) (Provisioned, error) {
	m, err := s.Profile(ctx, c, userID)
	return provisioned(m), err
}

// ProvisionedMembers returns a page of the client's team's members that
// match q, and the number of all that match.
func (s *Service) ProvisionedMembers(ctx context.Context, c Client, q team.MemberQuery) ([]Provisioned, int, error) {
	if err := c.canRead(); err != nil {
		return nil, 0, err
	}
	if err := q.Validate(); err != nil {
		return nil, 0, err
	}
	var (
		ms    []team.Member
		total int
	)
	err := s.store.Query(ctx, func(tx storage.Reads) (err error) {
		ms, total, err = tx.SearchMembers(ctx, c.TeamID, q)
		return err
	})
	out := make([]Provisioned, len(ms))
	for i, m := range ms {
		out[i] = provisioned(m)
	}
	return out, total, err
}

// ReplaceProvisioned replaces what p holds of a member of the client's
// team, if ifMatch is "" or the member's version (else CodeStale). A new
// address follows the rules of UpdateEmail; a password is kept only while
// the account is unclaimed. Deactivating a member ends their sessions in
// the team; the team's last active admin is neither deactivated nor
// removed.
func (s *Service) ReplaceProvisioned(ctx context.Context, c Client, userID, ifMatch string, p Provision) (Provisioned, error) {
	email, hash, err := s.provisionInput(ctx, c, &p)
	if err != nil {
		return Provisioned{}, err
	}
	var m team.Member
	err = s.write(ctx, func(tx storage.Tx, now time.Time) error {
		phone, err := s.provisionTeam(ctx, tx, c, p.Phone)
		if err != nil {
			return err
		}
		if m, err = provisionTarget(ctx, tx, c, userID, ifMatch); err != nil {
			return err
		}
		if err := uniqueUserName(ctx, tx, c.TeamID, userID, p.UserName, email); err != nil {
			return err
		}
		if err := s.moveAddress(ctx, tx, c, &m.User, email, now); err != nil {
			return err
		}
		was := m.Membership.Status
		changed := p.apply(&m.Membership, phone)
		if hash != nil && !m.User.Claimed() {
			m.Membership.PasswordHash, m.Membership.PasswordChangedAt = hash, now
			changed = append(changed, "password")
		}
		if len(changed) == 0 {
			return nil
		}
		m.Membership.UpdatedAt = now
		if err := s.recordActivity(ctx, tx, c, m.Membership, was); err != nil {
			return err
		}
		record(tx, c.event(audit.MemberUpdated, userID, changed...))
		return tx.UpdateMembership(ctx, m.Membership)
	})
	return provisioned(m), err
}

// provisionTarget returns the member of the client's team a provisioning
// write changes, if ifMatch is "" or its version.
func provisionTarget(ctx context.Context, tx storage.Tx, c Client, userID, ifMatch string) (team.Member, error) {
	m, err := liveMember(ctx, tx, c.TeamID, userID, "user_id")
	if err != nil {
		return m, err
	}
	return m, checkVersion(ifMatch, memberVersion(m))
}

// moveAddress gives u the address email, as UpdateEmail would, if it is
// another address than u's.
func (s *Service) moveAddress(ctx context.Context, tx storage.Tx, c Client, u *user.User, email contact.Email, now time.Time) error {
	if email.Normalized == u.Email.Normalized {
		return nil
	}
	if u.Claimed() {
		return errs.New(errs.Forbidden, "email", "the account is its owner's; only they may change its address")
	}
	if err := soleTeam(ctx, tx, u.ID, c.TeamID, "email"); err != nil {
		return err
	}
	u.Email, u.UpdatedAt = email, now
	if err := tx.UpdateUser(ctx, *u); err != nil {
		return err
	}
	record(tx, c.event(audit.EmailChanged, u.ID, "email"))
	return tx.DeleteSessions(ctx, storage.SessionFilter{UserID: u.ID})
}

// recordActivity records a change of m's status from was, and keeps the
// team's last active admin: a suspension ends the member's sessions in the
// team.
func (s *Service) recordActivity(ctx context.Context, tx storage.Tx, c Client, m team.Membership, was team.MemberStatus) error {
	switch {
	case m.Status == was:
		return nil
	case m.Status == team.MemberActive:
		record(tx, c.event(audit.MemberReinstated, m.UserID, "status"))
		return nil
	}
	if err := keepsAdmin(ctx, tx, m.TeamID, was, m.Role, "active"); err != nil {
		return err
	}
	record(tx, c.event(audit.MemberSuspended, m.UserID, "status"))
	return tx.DeleteSessions(ctx, storage.SessionFilter{UserID: m.UserID, TeamID: m.TeamID})
}

// keepsAdmin refuses to take a member of role, whose status was, out of the
// team's active members if they are its last active admin, blaming field.
func keepsAdmin(ctx context.Context, tx storage.Tx, teamID string, was team.MemberStatus, role team.Role, field string) error {
	if was != team.MemberActive || role != team.RoleAdmin {
		return nil
	}
	admins, err := tx.CountActiveAdmins(ctx, teamID)
	if err != nil || admins > 1 {
		return err
	}
	return errs.New(errs.Forbidden, field, "this is the team's last active admin; make another member admin first")
}

// DeprovisionMember removes a member from the client's team, as
// RemoveMember does, if ifMatch is "" or the member's version.
func (s *Service) DeprovisionMember(ctx context.Context, c Client, userID, ifMatch string) error {
	if err := c.canWrite(); err != nil {
		return err
	}
	return s.write(ctx, func(tx storage.Tx, now time.Time) error {
		m, err := provisionTarget(ctx, tx, c, userID, ifMatch)
		if err != nil {
			return err
		}
		if err := keepsAdmin(ctx, tx, c.TeamID, m.Membership.Status, m.Membership.Role, "user_id"); err != nil {
			return err
		}
		return removeMember(ctx, tx, m.Membership, c.event(audit.MemberRemoved, userID, "status"), now)
	})
}
