package identity

import (
	"bytes"
	"context"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/passhash"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// activeMembership re-reads the actor's membership inside a transaction, so a
// role changed or a member removed since authentication counts at once.
func activeMembership(ctx context.Context, tx storage.Tx, a Actor) (team.Membership, error) {
	if a.operator {
		if err := tx.LockTeam(ctx, a.TeamID); err != nil {
			return team.Membership{}, blame(err, "team_id", "no such team")
		}
		return team.Membership{TeamID: a.TeamID, Role: team.RoleAdmin, Status: team.MemberActive}, nil
	}
	m, err := tx.Membership(ctx, a.TeamID, a.UserID)
	if err == nil && m.Status != team.MemberActive {
		err = errs.New(errs.Unauthorized, "session", "your membership of this team is no longer active")
	}
	return m, err
}

// NewMember is a member an admin or manager creates.
type NewMember struct {
	Names    user.Names
	Email    string
	Password string
	// PasswordHash is the password hashed by another system, given instead
	// of Password (see README, "Migrating users"); it is replaced by a
	// bcrypt hash at the member's first login.
	PasswordHash string
	// AllowWeakHash lets PasswordHash be a fast digest (see AllowWeakHashes).
	AllowWeakHash bool
	Role          int
}

// Validate checks in as CreateMember does for an actor whose role is
// creator before it touches the store, except a password in clear, which
// CreateMember checks as it hashes it.
func (in NewMember) Validate(creator team.Role) error {
	_, _, err := in.parse(creator)
	return err
}

// parse returns in's email and role, checked for creator, after its names.
func (in NewMember) parse(creator team.Role) (contact.Email, team.Role, error) {
	if err := in.Names.Validate(); err != nil {
		return contact.Email{}, 0, err
	}
	email, err := contact.ParseEmail(in.Email, "email")
	if err != nil {
		return email, 0, err
	}
	role, err := team.ParseRole("role", in.Role)
	if err != nil {
		return email, role, err
	}
	if in.PasswordHash != "" {
		if in.Password != "" {
			return email, role, errs.New(errs.Invalid, "password_hash", "cannot be given with password: give one or the other")
		}
		if _, err := importedHash(in.PasswordHash, in.AllowWeakHash); err != nil {
			return email, role, err
		}
	}
	return email, role, team.CanCreate(creator, role)
}

// password returns the hash to keep of in's password: the bcrypt hash of
// Password, or PasswordHash in its stored form.
func (s *Service) password(ctx context.Context, in NewMember) ([]byte, error) {
	if in.PasswordHash != "" {
		return importedHash(in.PasswordHash, in.AllowWeakHash)
	}
	return s.hasher.Hash(ctx, "password", in.Password)
}

// importedHash returns the stored form of a password hash made by another
// system, a fast digest only if weak; nil for "".
func importedHash(hash string, weak bool) ([]byte, error) {
	if hash == "" {
		return nil, nil
	}
	h, err := passhash.Accept(hash, weak)
	if err != nil {
		return nil, err
	}
	return []byte(h.String()), nil
}

// CreateMember adds a member to the actor's team under the role rules: an
// admin creates managers and members, a manager creates members. The new
// member is active at once, known to the team by the names given. The
// password opens this team only, until the person claims the account (see
// user.User.Claimed); once they have, their own password opens it and the
// one given is not kept. An email that already belongs to a user elsewhere
// adds that user to the team, with nothing another team set for them
// changed or let in; one already in this team is a conflict. It checks in
// as Validate does, then the password.
func (s *Service) CreateMember(ctx context.Context, a Actor, in NewMember) (team.Member, error) {
	email, role, err := in.parse(a.Role)
	if err != nil {
		return team.Member{}, err
	}
	hash, err := s.password(ctx, in)
	if err != nil {
		return team.Member{}, err
	}
	var m team.Member
	err = s.write(ctx, func(tx storage.Tx, now time.Time) error {
		actor, err := activeMembership(ctx, tx, a)
		if err != nil {
			return err
		}
		if err := team.CanCreate(actor.Role, role); err != nil {
			return err
		}
		u := s.newUser(now, a.TeamID, email)
		u.Status, u.ActivatedAt = user.StatusActive, now
		if u, err = s.userFor(ctx, tx, u); err != nil {
			return err
		}
		m = team.Member{User: u, Membership: team.Membership{
			TeamID: a.TeamID, UserID: u.ID, Role: role, Status: team.MemberActive, Pool: team.PoolAlive, CreatedAt: now, UpdatedAt: now,
		}}
		if !u.Claimed() {
			m.Membership.PasswordHash, m.Membership.PasswordChangedAt = hash, now
		}
		in.Names.Apply(&m.Membership.Profile)
		record(tx, a.event(audit.MemberCreated, u.ID, "email", "role", "password", "names"))
		return s.join(ctx, tx, m.Membership, "email")
	})
	return m, err
}

// userFor inserts u, or returns the user that already holds its email.
func (s *Service) userFor(ctx context.Context, tx storage.Tx, u user.User) (user.User, error) {
	inserted, err := tx.InsertUserIfAbsent(ctx, u)
	if err != nil || inserted {
		return u, err
	}
	existing, err := tx.UserByEmail(ctx, u.Email.Normalized)
	if errs.CodeOf(err) == errs.NotFound {
		return u, errs.New(errs.Conflict, "mobile", "belongs to another user")
	}
	return existing, err
}

// join adds a membership; one already there is a conflict blamed on field.
func (s *Service) join(ctx context.Context, tx storage.Tx, m team.Membership, field string) error {
	err := tx.InsertMembership(ctx, m)
	if errs.CodeOf(err) == errs.Conflict {
		return errs.New(errs.Conflict, field, "already belongs to a member of this team")
	}
	return err
}

// MemberUpdate changes a member. Nil fields are left alone.
type MemberUpdate struct {
	UserID   string
	Names    *user.Names
	Role     *int
	TimeZone *int
	Notify   *string // notification flag, three '0'/'1' characters
	Lang     *string
}

// UpdateMember applies in under the role rules: everyone may update their own
// names and settings; an admin may update another member's names and anyone's
// role, as long as the team keeps an active admin; a manager may update a
// member's names. Names are the team's: they change how this team knows the
// member, and no other team.
func (s *Service) UpdateMember(ctx context.Context, a Actor, in MemberUpdate) (team.Member, error) {
	change, err := in.validate()
	if err != nil {
		return team.Member{}, err
	}
	var target team.Member
	err = s.write(ctx, func(tx storage.Tx, now time.Time) error {
		if err := tx.LockTeam(ctx, a.TeamID); err != nil {
			return err
		}
		actor, err := activeMembership(ctx, tx, a)
		if err != nil {
			return err
		}
		if target, err = liveMember(ctx, tx, a.TeamID, in.UserID, "user_id"); err != nil {
			return err
		}
		if err := team.CanUpdate(actor, target.Membership, change); err != nil {
			return err
		}
		role := target.Membership.Role
		if err := s.applyUpdate(ctx, tx, &target, in, now); err != nil {
			return err
		}
		recordUpdate(tx, a, target, role, in)
		return nil
	})
	return target, err
}

// recordUpdate records the update in of m, whose role was role: the role's
// change, and the change of the other fields in sets.
func recordUpdate(tx storage.Tx, a Actor, m team.Member, role team.Role, in MemberUpdate) {
	if m.Membership.Role != role {
		record(tx, a.event(audit.MemberRoleChanged, m.User.ID, "role"))
	}
	var fields []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"names", in.Names != nil}, {"time_zone", in.TimeZone != nil}, {"notify", in.Notify != nil}, {"lang", in.Lang != nil}} {
		if f.set {
			fields = append(fields, f.name)
		}
	}
	if len(fields) > 0 {
		record(tx, a.event(audit.MemberUpdated, m.User.ID, fields...))
	}
}

func (in *MemberUpdate) validate() (team.Change, error) {
	var c team.Change
	if in.UserID == "" {
		return c, errs.New(errs.Invalid, "user_id", "is required")
	}
	if in.Names != nil {
		if err := in.Names.Validate(); err != nil {
			return c, err
		}
		c.Names = true
	}
	if in.Role != nil {
		r, err := team.ParseRole("role", *in.Role)
		if err != nil {
			return c, err
		}
		c.Role = &r
	}
	c.Settings = in.TimeZone != nil || in.Notify != nil || in.Lang != nil
	return c, nil
}

func (s *Service) applyUpdate(ctx context.Context, tx storage.Tx, m *team.Member, in MemberUpdate, now time.Time) error {
	if err := applyToMembership(ctx, tx, &m.Membership, in, now); err != nil {
		return err
	}
	if in.TimeZone == nil && in.Notify == nil && in.Lang == nil {
		return nil
	}
	u := &m.User
	set := u.Settings
	setIf(&set.TimeZone, in.TimeZone)
	setIf(&set.NotificationFlag, in.Notify)
	setIf(&set.Lang, in.Lang)
	if err := set.Validate(); err != nil {
		return err
	}
	u.Settings, u.UpdatedAt = set, now
	return tx.UpdateUser(ctx, *u)
}

// applyToMembership applies the role and names of in, which are the team's,
// to m.
func applyToMembership(ctx context.Context, tx storage.Tx, m *team.Membership, in MemberUpdate, now time.Time) error {
	changed := in.Names != nil
	if in.Role != nil && team.Role(*in.Role) != m.Role {
		admins, err := tx.CountActiveAdmins(ctx, m.TeamID)
		if err != nil {
			return err
		}
		if err := team.KeepsAdmin(admins, *m, team.Role(*in.Role)); err != nil {
			return err
		}
		m.Role, changed = team.Role(*in.Role), true
	}
	if !changed {
		return nil
	}
	if in.Names != nil {
		in.Names.Apply(&m.Profile)
	}
	m.UpdatedAt = now
	return tx.UpdateMembership(ctx, *m)
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// liveMember returns a member of the team who has not been removed.
func liveMember(ctx context.Context, tx storage.Reads, teamID, userID, field string) (team.Member, error) {
	if userID == "" {
		return team.Member{}, errs.New(errs.Invalid, field, "is required")
	}
	m, err := tx.Member(ctx, teamID, userID)
	if err == nil && m.Membership.Status == team.MemberRemoved {
		err = errs.New(errs.NotFound, "", "removed")
	}
	return m, blame(err, field, "no such member in this team")
}

// blame replaces a NotFound error with one that names field.
func blame(err error, field, message string) error {
	if errs.CodeOf(err) == errs.NotFound {
		return errs.New(errs.NotFound, field, "%s", message)
	}
	return err
}

// RemoveMember marks a member removed and ends their sessions in the team;
// their data is kept. An admin removes managers and members, a manager
// removes members, and nobody removes themself.
func (s *Service) RemoveMember(ctx context.Context, a Actor, userID string) error {
	return s.write(ctx, func(tx storage.Tx, now time.Time) error {
		actor, err := activeMembership(ctx, tx, a)
		if err != nil {
			return err
		}
		target, err := liveMember(ctx, tx, a.TeamID, userID, "user_id")
		if err != nil {
			return err
		}
		if target.User.ID == a.UserID {
			return errs.New(errs.Forbidden, "user_id", "you may not remove yourself")
		}
		if err := team.CanRemove(actor.Role, target.Membership.Role); err != nil {
			return err
		}
		return removeMember(ctx, tx, target.Membership, a.event(audit.MemberRemoved, userID, "status"), now)
	})
}

// removeMember marks m removed at now, records e and ends the member's
// sessions in the team.
func removeMember(ctx context.Context, tx storage.Tx, m team.Membership, e audit.Event, now time.Time) error {
	m.Status, m.UpdatedAt = team.MemberRemoved, now
	if err := tx.UpdateMembership(ctx, m); err != nil {
		return err
	}
	record(tx, e)
	return tx.DeleteSessions(ctx, storage.SessionFilter{UserID: m.UserID, TeamID: m.TeamID})
}

var errOldPassword = errs.New(errs.Invalid, "old_password", "does not match your current password")

// ChangePassword sets a new password after checking the old one, and ends the
// user's other sessions; the session that made the change stays open. It
// changes the owner's password once the account is claimed, else the team's
// (see Login). If another change replaces the password meanwhile, old no
// longer counts.
func (s *Service) ChangePassword(ctx context.Context, a Actor, old, next string) (team.Member, error) {
	var m team.Member
	err := s.store.Read(ctx, func(tx storage.Tx) (err error) {
		m, err = tx.Member(ctx, a.TeamID, a.UserID)
		return err
	})
	if err != nil {
		return m, err
	}
	checked := m.PasswordHash()
	verdict, err := s.hasher.Verify(ctx, checked, old)
	if err != nil {
		return m, err
	}
	who := subject{account: a.UserID, teamID: a.TeamID}
	if verdict == user.Mismatch {
		s.event(ctx, audit.PasswordChangeFailed, who)
		return m, errOldPassword
	}
	hash, err := s.hasher.Hash(ctx, "password", next)
	if err != nil {
		return m, err
	}
	m, err = s.updateSelf(ctx, a, a.event(audit.PasswordChanged, a.UserID, "password"), func(m *team.Member, now time.Time) error {
		if !bytes.Equal(m.PasswordHash(), checked) {
			return errOldPassword // changed since old was checked against it
		}
		m.User.MustChangePassword = false
		m.SetPassword(hash, now)
		return nil
	})
	if err == nil {
		s.event(ctx, audit.PasswordChanged, who)
	}
	return m, err
}

// ChangeEmail sends a code to a new address for the actor's account, and
// answers with the member as they are: redeeming the code with Activate
// moves the account there and ends its sessions, so that only someone who
// reads the new address can move it. An account that is not claimed and
// also belongs to other teams is not the actor's to move: Forbidden.
func (s *Service) ChangeEmail(ctx context.Context, a Actor, email string) (team.Member, error) {
	e, err := contact.ParseEmail(email, "email")
	if err != nil {
		return team.Member{}, err
	}
	var m team.Member
	err = s.sending(ctx, s.store.Write, func(tx storage.Tx, now time.Time, out *outbox) error {
		if _, err := activeMembership(ctx, tx, a); err != nil {
			return err
		}
		if m, err = tx.Member(ctx, a.TeamID, a.UserID); err != nil {
			return err
		}
		if !m.User.Claimed() {
			if err := soleTeam(ctx, tx, m.User.ID, a.TeamID, "email"); err != nil {
				return err
			}
		}
		record(tx, a.event(audit.EmailChangeRequested, m.User.ID, "email"))
		return s.send(ctx, tx, out, user.Code{Kind: user.CodeEmail, UserID: m.User.ID, TeamID: a.TeamID, Email: e.Display}, e.Display, now)
	})
	return m, err
}

// soleTeam refuses, blaming field, a change to an account that belongs to
// other teams than teamID too.
func soleTeam(ctx context.Context, tx storage.Tx, userID, teamID, field string) error {
	teams, err := tx.Teams(ctx, userID)
	if err != nil || len(teams) < 2 {
		return err
	}
	return errs.New(errs.Forbidden, field, "the account also belongs to other teams; only its owner may change its address")
}

// updateSelf changes the actor's own membership and user, records e and
// ends their other sessions; an error from change leaves everything as it
// was.
func (s *Service) updateSelf(ctx context.Context, a Actor, e audit.Event, change func(*team.Member, time.Time) error) (team.Member, error) {
	var m team.Member
	err := s.write(ctx, func(tx storage.Tx, now time.Time) error {
		if _, err := activeMembership(ctx, tx, a); err != nil {
			return err
		}
		var err error
		if m, err = tx.Member(ctx, a.TeamID, a.UserID); err != nil {
			return err
		}
		if err := change(&m, now); err != nil {
			return err
		}
		m.User.UpdatedAt, m.Membership.UpdatedAt = now, now
		if err := tx.UpdateUser(ctx, m.User); err != nil {
			return err
		}
		if err := tx.UpdateMembership(ctx, m.Membership); err != nil {
			return err
		}
		record(tx, e)
		return tx.DeleteSessions(ctx, storage.SessionFilter{UserID: a.UserID, Except: a.session})
	})
	return m, err
}

// ListMembers returns a page of the actor's team members who are not removed,
// and how many match in all. q is validated; DefaultListQuery gives the
// defaults.
func (s *Service) ListMembers(ctx context.Context, a Actor, q team.ListQuery) ([]team.Member, int, error) {
	if err := q.Validate(); err != nil {
		return nil, 0, err
	}
	var members []team.Member
	var total int
	err := s.store.Read(ctx, func(tx storage.Tx) (err error) {
		members, total, err = tx.ListMembers(ctx, a.TeamID, q)
		return err
	})
	return members, total, err
}

// DefaultListQuery is the first page of ten members sorted by email
// descending.
func DefaultListQuery() team.ListQuery {
	return team.ListQuery{Sort: team.SortEmailDesc, Size: team.DefaultPageSize}
}

// Member returns a member of the actor's team, in any member status.
func (s *Service) Member(ctx context.Context, a Actor, userID string) (team.Member, error) {
	var m team.Member
	err := s.store.Query(ctx, func(tx storage.Reads) (err error) {
		if userID == "" {
			return errs.New(errs.Invalid, "user_id", "is required")
		}
		m, err = tx.Member(ctx, a.TeamID, userID)
		return blame(err, "user_id", "no such member in this team")
	})
	return m, err
}
