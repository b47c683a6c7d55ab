package team

import (
	"slices"
	"strings"
	"time"

	"github.com/embedid/identity/internal/errs"
)

// Permission is a permission code granted to an application.
type Permission string

// The permission codes: read and user_read allow reads; all and user_all
// allow reads and writes.
const (
	PermRead     Permission = "read"
	PermUserRead Permission = "user_read"
	PermAll      Permission = "all"
	PermUserAll  Permission = "user_all"
)

// Permissions is a set of permission codes.
type Permissions []Permission

// ParsePermissions reads a comma-separated list of permission codes, sorted
// and without duplicates.
func ParsePermissions(field, list string) (Permissions, error) {
	var ps Permissions
	for code := range strings.SplitSeq(list, ",") {
		switch p := Permission(strings.TrimSpace(code)); p {
		case PermRead, PermUserRead, PermAll, PermUserAll:
			ps = append(ps, p)
		default:
			return nil, errs.New(errs.Invalid, field, "%q is not a permission; use read, user_read, all or user_all", code)
		}
	}
	slices.Sort(ps)
	return slices.Compact(ps), nil
}

// CanRead reports whether the set allows reads.
func (ps Permissions) CanRead() bool { return len(ps) > 0 }

// CanWrite reports whether the set allows writes.
func (ps Permissions) CanWrite() bool {
	return slices.Contains(ps, PermAll) || slices.Contains(ps, PermUserAll)
}

// String returns the codes separated by spaces, as an OAuth scope.
func (ps Permissions) String() string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = string(p)
	}
	return strings.Join(s, " ")
}

// Application is a machine client of one team.
type Application struct {
	ID          string
	TeamID      string
	Name        string
	ClientID    string
	SecretHash  []byte `json:"-"`
	Permissions Permissions
	CreatedAt   time.Time
	DisabledAt  time.Time // zero while the application is enabled
}

// Disabled reports whether the application is disabled.
func (a Application) Disabled() bool { return !a.DisabledAt.IsZero() }

// Token is an access token issued to an application. Only its hash is stored.
type Token struct {
	Hash        []byte `json:"-"`
	AppID       string
	ClientID    string
	TeamID      string
	Permissions Permissions
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// Expired reports whether the token is past its expiry at now.
func (t Token) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// Project is a project of a team.
type Project struct {
	ID         string
	TeamID     string
	Name       string
	ExternalID string // the team's identity provider's ID, exactly
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// ProjectQuery selects a page of a team's projects, oldest first, those
// created at the same time by ID.
type ProjectQuery struct {
	Name       string // exact, case-insensitive for ASCII letters; "" any
	ExternalID string // exact; "" any
	Offset     int
	Limit      int // 0 counts only
}

// Validate checks the query's paging.
func (q *ProjectQuery) Validate() error { return checkPage(q.Offset, q.Limit) }

// ProjectMember is a team member's place in a project.
type ProjectMember struct {
	Member
	ProjectRole int
	AddedAt     time.Time
}
