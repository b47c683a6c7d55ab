package storage

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/team"
)

// membershipRow is a row of memberships, with its user (relation "U", alias
// u) and team (relation "T", alias t) when a query joins them.
type membershipRow struct {
	bun.BaseModel `bun:"table:memberships,alias:m"`

	TeamID    string    `bun:"team_id,pk"`
	UserID    string    `bun:"user_id,pk"`
	Role      int       `bun:"role"`
	Status    int       `bun:"status"`
	Pool      string    `bun:"pool"`
	CreatedAt time.Time `bun:"created_at,nullzero"`
	UpdatedAt time.Time `bun:"updated_at,nullzero"`

	// Copies of the user's sort keys, for the list indexes: written with
	// the row by fillListKeys, kept up to date by a trigger on users.
	FirstNameKey string    `bun:"first_name_key"`
	LastNameKey  string    `bun:"last_name_key"`
	EmailKey     string    `bun:"email_key"`
	SignupAt     time.Time `bun:"signup_at,nullzero"`

	U *userRow `bun:"rel:belongs-to,join:user_id=id"`
	T *teamRow `bun:"rel:belongs-to,join:team_id=id"`
}

// derived names the list keys, which are copies of the user's.
func (*membershipRow) derived() []string {
	return []string{"first_name_key", "last_name_key", "email_key", "signup_at"}
}

func membershipRowOf(m *team.Membership) *membershipRow {
	return &membershipRow{
		TeamID:    m.TeamID,
		UserID:    m.UserID,
		Role:      int(m.Role),
		Status:    int(m.Status),
		Pool:      string(m.Pool),
		CreatedAt: dbTime(m.CreatedAt),
		UpdatedAt: dbTime(m.UpdatedAt),
	}
}

func membershipOf(r *membershipRow) team.Membership {
	return team.Membership{
		TeamID:    r.TeamID,
		UserID:    r.UserID,
		Role:      team.Role(r.Role),
		Status:    team.MemberStatus(r.Status),
		Pool:      team.Pool(r.Pool),
		CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC(),
	}
}

// teamedOf reads a membership joined with its team.
func teamedOf(r *membershipRow) team.Teamed {
	return team.Teamed{Team: teamOf(r.T), Membership: membershipOf(r)}
}

func (t *tx) InsertMembership(ctx context.Context, m team.Membership) error {
	_, err := t.insertMembership(ctx, m, func(r *membershipRow) (bool, error) {
		_, err := insertMembership.exec(ctx, t, r)
		return true, err
	})
	return err
}

var (
	insertMembership         = insertOf[membershipRow]("insert membership", "team or user not found", 1, "")
	insertMembershipIfAbsent = insertOf[membershipRow]("insert membership", "team or user not found", 1, "ON CONFLICT DO NOTHING")
)

func (t *tx) InsertMembershipIfAbsent(ctx context.Context, m team.Membership) (bool, error) {
	return t.insertMembership(ctx, m, func(r *membershipRow) (bool, error) {
		n, err := insertMembershipIfAbsent.exec(ctx, t, r)
		return n > 0, err
	})
}

// insertMembership inserts m with insert, which reports whether it did, and
// keeps the list keys and count.
func (t *tx) insertMembership(ctx context.Context, m team.Membership, insert func(*membershipRow) (bool, error)) (bool, error) {
	r := membershipRowOf(&m)
	if err := t.fillListKeys(ctx, []*membershipRow{r}); err != nil {
		return false, err
	}
	added, err := insert(r)
	if err != nil || !added || m.Status == team.MemberRemoved {
		return added, err
	}
	return true, t.addListed(ctx, m.TeamID, 1)
}

var getMembership = register(&prepared[membershipRow]{
	op: "get membership", missing: "membership not found", byKey: true, locks: true,
	build: from[membershipRow]("m.team_id = $1 AND m.user_id = $2"),
})

func (t *tx) Membership(ctx context.Context, teamID, userID string) (team.Membership, error) {
	return one(ctx, t, getMembership, infallible(membershipOf), teamID, userID)
}

func (t *tx) UpdateMembership(ctx context.Context, m team.Membership) error {
	q := t.db.NewUpdate().Model(membershipRowOf(&m)).Column("role", "status", "pool", "updated_at").WherePK()
	return t.update(ctx, "update membership", "membership not found", q)
}

func (t *tx) CountActiveAdmins(ctx context.Context, teamID string) (int, error) {
	n, err := t.db.NewSelect().Model((*membershipRow)(nil)).
		Where("m.team_id = ? AND m.role = ? AND m.status = ?", teamID, int(team.RoleAdmin), int(team.MemberActive)).
		Count(ctx)
	return int(n), t.d.fail("count active admins", err, "")
}

func (t *tx) Teams(ctx context.Context, userID string) ([]team.Teamed, error) {
	return selectAll(ctx, t, "list teams of user", infallible(teamedOf), func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Relation("T").Where("m.user_id = ?", userID).
			OrderExpr("m.created_at ASC").OrderExpr("m.team_id" + t.d.collate + " ASC")
	})
}
