package storage

import (
	"context"
	"reflect"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// membershipRow is a row of memberships, whose first columns are named as
// bun names the fields of team.Membership, the profile's included
// (first_name, ..., linked_in_url, ...).
type membershipRow struct {
	bun.BaseModel `bun:"table:memberships,alias:m"`
	team.Membership

	Extension string `bun:"extension"` // a JSON object

	// Columns the store derives from the row's profile on every write: the
	// full name, lower-cased sort keys, and search_text, the lower-cased
	// full name and a newline, which list searches match followed by
	// email_key. Lower-casing in Go, not in SQL, makes non-ASCII letters
	// match alike on SQLite, whose LOWER and LIKE fold ASCII only, and
	// Postgres.
	FullName     string `bun:"full_name"`
	FirstNameKey string `bun:"first_name_key"`
	LastNameKey  string `bun:"last_name_key"`
	SearchText   string `bun:"search_text"`

	// Copies of the user's email and sign-up time, for the list indexes.
	// They and the team's listed_members (its memberships not removed) are
	// kept by the store alone, no trigger: written with the row
	// (fillListKeys), by UpdateUser (updateEmailKeys) and by
	// UpdateMembership when a status goes to or from removed. Nothing
	// deletes memberships; whatever comes to must lower listed_members for
	// each one not removed.
	EmailKey string    `bun:"email_key"`
	SignupAt time.Time `bun:"signup_at,nullzero"`
}

// membershipRowOf returns the row of m with the columns derived from its
// profile; the copies of its user's columns are left to fillListKeys.
func membershipRowOf(m *team.Membership) (*membershipRow, error) {
	ext, err := encodeObject("extension", m.Extension)
	if err != nil {
		return nil, err
	}
	full := m.FullName()
	return &membershipRow{
		Membership: *m, Extension: ext,
		FullName: full, FirstNameKey: nameKey(m.FirstName), LastNameKey: nameKey(m.LastName), SearchText: nameKey(full) + "\n",
	}, nil
}

// nameKey is the sort key of a name: the name in lower case.
func nameKey(name string) string { return strings.ToLower(name) }

// teamedRow is a membership joined with its team.
type teamedRow struct {
	bun.BaseModel `bun:"table:memberships,alias:m"`

	membershipRow
	T teamRow `bun:"embed:t__"`
}

// MemberReads read memberships, members (memberships with their users) and
// owners, each scoped to its team.
type MemberReads interface {
	// Membership returns the membership of userID in the team.
	Membership(ctx context.Context, teamID, userID string) (team.Membership, error)
	// CountActiveAdmins counts the team's active members with the admin role.
	CountActiveAdmins(ctx context.Context, teamID string) (int, error)
	// Teams lists every team userID belongs to with its membership, oldest
	// membership first.
	Teams(ctx context.Context, userID string) ([]team.Teamed, error)
	// Member returns a member of the team in any member status.
	Member(ctx context.Context, teamID, userID string) (team.Member, error)
	// FindMembers returns the team's members that are not removed and match
	// every criterion given, ordered by user ID, at most limit of them.
	FindMembers(ctx context.Context, teamID string, c team.Criteria, limit int) ([]team.Member, error)
	// ListMembers returns one page of the team's members that are not
	// removed, and the number of all that match. q is already validated.
	ListMembers(ctx context.Context, teamID string, q team.ListQuery) ([]team.Member, int, error)
	// SearchMembers returns a page of the team's members that are not
	// removed and match q's filter, in q's order, and the number of all that
	// match. q is already validated.
	SearchMembers(ctx context.Context, teamID string, q team.MemberQuery) ([]team.Member, int, error)
	// Owners lists the owners of userID in the team in the order added.
	Owners(ctx context.Context, teamID, userID string) ([]string, error)
}

// Members read and write memberships, members and owners.
type Members interface {
	MemberReads
	// InsertMembership adds m; Conflict (field "user_id") if the user is
	// already in the team.
	InsertMembership(ctx context.Context, m team.Membership) error
	// InsertMembershipIfAbsent adds m unless the user is already in the
	// team, and reports whether it did.
	InsertMembershipIfAbsent(ctx context.Context, m team.Membership) (bool, error)
	// InsertMembershipsIfAbsent adds, in multi-row statements, every
	// membership whose user is not yet in its team, and returns the user IDs
	// of those it added. users may hold users of ms as this transaction has
	// just inserted them: their emails and sign-up times, which memberships
	// copy, are taken from there rather than read back.
	InsertMembershipsIfAbsent(ctx context.Context, ms []team.Membership, users []user.User) (map[string]bool, error)
	// UpdateMembership writes every mutable field of m (all but TeamID,
	// UserID and CreatedAt), and counts the member in or out of the team's
	// listed members when its status goes to or from removed.
	UpdateMembership(ctx context.Context, m team.Membership) error
	// EndTeamPasswords removes every team's password of userID.
	EndTeamPasswords(ctx context.Context, userID string) error
	// AddOwner makes ownerID an owner of userID in the team; adding an
	// existing owner does nothing.
	AddOwner(ctx context.Context, teamID, userID, ownerID string, at time.Time) error
	// RemoveOwner removes the owner; removing a missing one does nothing.
	RemoveOwner(ctx context.Context, teamID, userID, ownerID string) error
}

var (
	insertMembership         = insertOf[membershipRow]("insert membership", "team or user not found", 1, "")
	insertMembershipIfAbsent = insertOf[membershipRow]("insert membership", "team or user not found", 1, "ON CONFLICT DO NOTHING")
	updateMembership         = updateOf[membershipRow]("update membership", "membership not found", []string{"team_id", "user_id"}, func(c string) bool {
		return c != "created_at" && c != "email_key" && c != "signup_at"
	})
	endTeamPasswords = &stmt{op: "end team passwords", text: fixed(
		"UPDATE memberships SET password_hash = NULL, password_changed_at = NULL WHERE user_id = ?")}
	getMembership = &stmt{
		op: "get membership", missing: "membership not found", byKey: true, locks: true, row: reflect.TypeFor[membershipRow](),
		text: fixed("FROM memberships AS m WHERE m.team_id = ? AND m.user_id = ?"),
	}
	// updateEmailKeys copies a user's email to those of its memberships
	// whose copy differs.
	updateEmailKeys   = &stmt{op: "update email keys", text: fixed("UPDATE memberships SET email_key = ? WHERE user_id = ? AND email_key <> ?")}
	countActiveAdmins = &stmt{op: "count active admins", text: fixed("SELECT count(*) FROM memberships AS m WHERE m.team_id = ? AND m.role = ? AND m.status = ?")}
	teamsOfUser       = &stmt{op: "list teams of user", row: reflect.TypeFor[teamedRow](), text: func(db *DB) string {
		return "FROM memberships AS m JOIN teams AS t ON t.id = m.team_id WHERE m.user_id = ? ORDER BY m.created_at ASC, m.team_id" + db.d.collate() + " ASC"
	}}
)

func membershipOf(r *membershipRow) (team.Membership, error) {
	m := r.Membership
	ext, err := decodeObject(r.Extension)
	if err != nil {
		return m, corrupt("membership of "+m.UserID+" in "+m.TeamID, err)
	}
	m.Extension = ext
	m.CreatedAt, m.UpdatedAt, m.LastLoginAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC(), m.LastLoginAt.UTC()
	m.Birthday, m.HireDate = m.Birthday.UTC(), m.HireDate.UTC()
	return m, nil
}

// teamedOf reads a membership joined with its team.
func teamedOf(r *teamedRow) (team.Teamed, error) {
	m, err := membershipOf(&r.membershipRow)
	return team.Teamed{Team: teamOf(&r.T), Membership: m}, err
}

func (t *tx) InsertMembership(ctx context.Context, m team.Membership) error {
	_, err := t.insertMembership(ctx, m, func(r *membershipRow) (bool, error) {
		_, err := insertMembership.exec(ctx, t, r)
		return true, err
	})
	return err
}

func (t *tx) InsertMembershipIfAbsent(ctx context.Context, m team.Membership) (bool, error) {
	return t.insertMembership(ctx, m, func(r *membershipRow) (bool, error) {
		n, err := insertMembershipIfAbsent.exec(ctx, t, r)
		return n > 0, err
	})
}

// insertMembership inserts m with insert, which reports whether it did, and
// keeps the list keys and count.
func (t *tx) insertMembership(ctx context.Context, m team.Membership, insert func(*membershipRow) (bool, error)) (bool, error) {
	r, err := membershipRowOf(&m)
	if err != nil {
		return false, err
	}
	if err := t.fillListKeys(ctx, []*membershipRow{r}); err != nil {
		return false, err
	}
	added, err := insert(r)
	if err != nil || !added || m.Status == team.MemberRemoved {
		return added, err
	}
	return true, t.addListed(ctx, m.TeamID, 1)
}

func (t *tx) Membership(ctx context.Context, teamID, userID string) (team.Membership, error) {
	return one(ctx, t, getMembership, membershipOf, teamID, userID)
}

func (t *tx) UpdateMembership(ctx context.Context, m team.Membership) error {
	old, err := t.Membership(ctx, m.TeamID, m.UserID) // locked inside Write
	if err != nil {
		return err
	}
	r, err := membershipRowOf(&m)
	if err != nil {
		return err
	}
	was, is := old.Status != team.MemberRemoved, m.Status != team.MemberRemoved
	if err := updateMembership.exec(ctx, t, r); err != nil || was == is {
		return err
	}
	if is {
		return t.addListed(ctx, m.TeamID, 1)
	}
	return t.addListed(ctx, m.TeamID, -1)
}

func (t *tx) EndTeamPasswords(ctx context.Context, userID string) error {
	_, err := t.exec(ctx, endTeamPasswords, userID)
	return err
}

func (t *tx) CountActiveAdmins(ctx context.Context, teamID string) (int, error) {
	return one(ctx, t, countActiveAdmins, value[int], teamID, int(team.RoleAdmin), int(team.MemberActive))
}

func (t *tx) Teams(ctx context.Context, userID string) ([]team.Teamed, error) {
	return all(ctx, t, teamsOfUser, teamedOf, userID)
}
