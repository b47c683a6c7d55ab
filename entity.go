package identity

import (
	"context"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/secret"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// NewContact is a user to create or get by contact: AreaCode and Mobile, or
// Email, or all three (then the mobile is the key and the email is attached
// if no other user holds it).
type NewContact struct {
	AreaCode string
	Mobile   string
	Email    string
	// PasswordHash, if set, is the person's password hashed by another
	// system (see README, "Migrating users"): it becomes the team's password
	// for a user who joins the team by this call and has not claimed their
	// account, and is replaced by a bcrypt hash at their first login.
	PasswordHash string
	// AllowWeakHash lets PasswordHash be a fast digest (see AllowWeakHashes).
	AllowWeakHash bool
}

// Created is the outcome of CreateOrGetUser.
type Created struct {
	UserID string
	// Existed is true when a user with the key contact existed before the
	// call, in any team.
	Existed bool
}

// CreateOrGetUser returns the user with the given contact, creating them if
// there is none, and makes them a member of the client's team if they are
// not. Concurrent calls with one contact give one user.
func (s *Service) CreateOrGetUser(ctx context.Context, c Client, in NewContact) (Created, error) {
	if err := c.canWrite(); err != nil {
		return Created{}, err
	}
	u, err := s.contactUser(in)
	if err != nil {
		return Created{}, err
	}
	hash, err := importedHash(in.PasswordHash, in.AllowWeakHash)
	if err != nil {
		return Created{}, err
	}
	var out Created
	err = s.write(ctx, func(tx storage.Tx, now time.Time) error {
		u.ID, u.HomeTeamID, u.CreatedAt, u.UpdatedAt = secret.ID(now), c.TeamID, now, now
		found, existed, err := s.createOrGet(ctx, tx, u)
		if err != nil {
			return err
		}
		out = Created{UserID: found.ID, Existed: existed}
		m := team.Membership{TeamID: c.TeamID, UserID: found.ID, Role: team.RoleMember, Status: team.MemberActive, Pool: team.PoolAlive, CreatedAt: now, UpdatedAt: now}
		if hash != nil && !found.Claimed() {
			m.PasswordHash, m.PasswordChangedAt = hash, now
		}
		joined, err := tx.InsertMembershipIfAbsent(ctx, m)
		if joined {
			record(tx, c.event(audit.MemberCreated, found.ID, contactFields(found)...))
		}
		return err
	})
	return out, err
}

// contactFields names the contacts u holds.
func contactFields(u user.User) []string {
	var fields []string
	if !u.Mobile.IsZero() {
		fields = append(fields, "mobile")
	}
	if u.Email.Normalized != "" {
		fields = append(fields, "email")
	}
	return fields
}

// contactUser validates in and returns an unverified user holding it.
func (s *Service) contactUser(in NewContact) (user.User, error) {
	u := user.User{Settings: user.DefaultSettings(), Grade: 1}
	if in.Mobile == "" && in.Email == "" {
		return u, errs.New(errs.Invalid, "mobile", "either area_code and mobile, or email, is required")
	}
	if in.Mobile != "" || in.AreaCode != "" {
		p, err := contact.PhoneFromParts(in.AreaCode, in.Mobile, "mobile", s.phones)
		if err != nil {
			return u, err
		}
		u.Mobile = p
	}
	if in.Email != "" {
		e, err := contact.ParseEmail(in.Email, "email")
		if err != nil {
			return u, err
		}
		u.Email = e
	}
	return u, nil
}

// createOrGet finds the user holding u's key contact (the mobile if set,
// else the email) or inserts u; an email held by another user is dropped.
func (s *Service) createOrGet(ctx context.Context, tx storage.Tx, u user.User) (user.User, bool, error) {
	byKey := func() (user.User, error) {
		if !u.Mobile.IsZero() {
			return tx.UserByMobile(ctx, u.Mobile.E164())
		}
		return tx.UserByEmail(ctx, u.Email.Normalized)
	}
	for range 2 {
		found, err := byKey()
		if errs.CodeOf(err) != errs.NotFound {
			return found, true, err
		}
		inserted, err := tx.InsertUserIfAbsent(ctx, u)
		if err != nil || inserted {
			return u, false, err
		}
		// Either a concurrent call inserted the key first (found on the
		// next pass) or the attached email belongs to someone else.
		if found, err := byKey(); errs.CodeOf(err) != errs.NotFound {
			return found, true, err
		}
		u.Email = contact.Email{}
	}
	return u, false, errs.New(errs.Conflict, "mobile", "could not be stored; try again")
}

// Profile returns a member of the client's team who is not removed.
func (s *Service) Profile(ctx context.Context, c Client, userID string) (team.Member, error) {
	if err := c.canRead(); err != nil {
		return team.Member{}, err
	}
	var m team.Member
	err := s.store.Query(ctx, func(tx storage.Reads) (err error) {
		m, err = liveMember(ctx, tx, c.TeamID, userID, "user_id")
		return err
	})
	return m, err
}

// SetOwner adds or removes ownerID among the owners of userID; both must be
// members of the client's team. Adding an owner twice or removing one that
// is not there changes nothing. It returns every owner, in the order added.
func (s *Service) SetOwner(ctx context.Context, c Client, userID, ownerID string, add bool) ([]string, error) {
	if err := c.canWrite(); err != nil {
		return nil, err
	}
	var owners []string
	err := s.write(ctx, func(tx storage.Tx, now time.Time) error {
		if _, err := liveMember(ctx, tx, c.TeamID, userID, "user_id"); err != nil {
			return err
		}
		if _, err := liveMember(ctx, tx, c.TeamID, ownerID, "owner_id"); err != nil {
			return err
		}
		var err error
		if add {
			err = tx.AddOwner(ctx, c.TeamID, userID, ownerID, now)
		} else {
			err = tx.RemoveOwner(ctx, c.TeamID, userID, ownerID)
		}
		if err != nil {
			return err
		}
		record(tx, c.event(audit.OwnerChanged, userID, "owners"))
		owners, err = tx.Owners(ctx, c.TeamID, userID)
		return err
	})
	return owners, err
}

// SetPool moves a member of the client's team to a pool: alive, dead or
// public.
func (s *Service) SetPool(ctx context.Context, c Client, userID, pool string) error {
	if err := c.canWrite(); err != nil {
		return err
	}
	p, err := team.ParsePool("pool", pool)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx storage.Tx, now time.Time) error {
		m, err := liveMember(ctx, tx, c.TeamID, userID, "user_id")
		if err != nil {
			return err
		}
		m.Membership.Pool, m.Membership.UpdatedAt = p, now
		record(tx, c.event(audit.PoolChanged, userID, "pool"))
		return tx.UpdateMembership(ctx, m.Membership)
	})
}

// UpdateEmail sets the email of a member of the client's team and ends the
// user's sessions. Only an account nobody has claimed and that belongs to
// the client's team alone may be moved this way; any other is its owner's
// to move (Service.ChangeEmail): Forbidden. Otherwise a team could move an
// account another team uses, or its owner's, to an address it reads.
func (s *Service) UpdateEmail(ctx context.Context, c Client, userID, email string) error {
	if err := c.canWrite(); err != nil {
		return err
	}
	e, err := contact.ParseEmail(email, "email")
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx storage.Tx, now time.Time) error {
		m, err := liveMember(ctx, tx, c.TeamID, userID, "user_id")
		if err != nil {
			return err
		}
		if m.User.Claimed() {
			return errs.New(errs.Forbidden, "email", "the account is its owner's; only they may change its address")
		}
		if err := soleTeam(ctx, tx, userID, c.TeamID, "email"); err != nil {
			return err
		}
		m.User.Email, m.User.UpdatedAt = e, now
		if err := tx.UpdateUser(ctx, m.User); err != nil {
			return err
		}
		record(tx, c.event(audit.EmailChanged, userID, "email"))
		return tx.DeleteSessions(ctx, storage.SessionFilter{UserID: userID})
	})
}

// Contact kinds for ContactOf.
const (
	ContactMobile       = "mobile"
	ContactEmail        = "email"
	ContactMobileBackup = "mobile_backup"
)

// ContactOf returns one contact of a member of the client's team: a mobile as
// [area code, national number], an email as [address], a missing one as [].
func (s *Service) ContactOf(ctx context.Context, c Client, userID, kind string) ([]string, error) {
	if kind != ContactMobile && kind != ContactEmail && kind != ContactMobileBackup {
		return nil, errs.New(errs.Invalid, "contact_type", "must be mobile, email or mobile_backup")
	}
	m, err := s.Profile(ctx, c, userID)
	if err != nil {
		return nil, err
	}
	phone := m.User.Mobile
	switch kind {
	case ContactEmail:
		if m.User.Email.IsZero() {
			return []string{}, nil
		}
		return []string{m.User.Email.Display}, nil
	case ContactMobileBackup:
		phone = m.User.MobileBackup
	}
	if phone.IsZero() {
		return []string{}, nil
	}
	p := phone.Parts()
	return p[:], nil
}
