package storage

import (
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/user"
)

// userRow is a row of users. Besides the fields of user.User it holds
// columns the store derives on every write: the full name, lower-cased sort
// keys, and search_text, the lower-cased "full name\nemail" that list
// searches match. Lower-casing in Go, not in SQL, makes non-ASCII letters
// match alike on SQLite, whose LOWER and LIKE fold ASCII only, and Postgres.
type userRow struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID           string `bun:"id,pk"`
	UserName     string `bun:"user_name"`
	FullName     string `bun:"full_name"`
	FirstNameKey string `bun:"first_name_key"`
	LastNameKey  string `bun:"last_name_key"`
	SearchText   string `bun:"search_text"`

	EmailDisplay     string `bun:"email_display"`
	EmailNorm        string `bun:"email_norm,nullzero"`
	MobileE164       string `bun:"mobile_e164,nullzero"`
	MobileBackupE164 string `bun:"mobile_backup_e164,nullzero"`

	// The profile's and the settings' columns are named as bun names their
	// fields: first_name, ..., linked_in_url, ..., time_zone, lang, ...
	user.Profile
	user.Settings

	Status             int       `bun:"status"`
	Disabled           bool      `bun:"disabled"`
	Locked             bool      `bun:"locked"`
	Grade              int       `bun:"grade"`
	MustChangePassword bool      `bun:"must_change_password"`
	PasswordHash       []byte    `bun:"password_hash"`
	PasswordChangedAt  time.Time `bun:"password_changed_at,nullzero"`
	ActivatedAt        time.Time `bun:"activated_at,nullzero"`
	ClaimedAt          time.Time `bun:"claimed_at,nullzero"`
	HomeTeamID         string    `bun:"home_team_id,nullzero"`

	CreatedAt      time.Time `bun:"created_at,nullzero"`
	UpdatedAt      time.Time `bun:"updated_at,nullzero"`
	LastLoginIP    string    `bun:"last_login_ip"`
	LastLoginAt    time.Time `bun:"last_login_at,nullzero"`
	LastActivityAt time.Time `bun:"last_activity_at,nullzero"`

	Extension string `bun:"extension"` // a JSON object
}

// nameKey is the sort key of a name: the name in lower case.
func nameKey(name string) string { return strings.ToLower(name) }

func userRowOf(u *user.User) (*userRow, error) {
	ext, err := encodeObject("extension", u.Extension)
	if err != nil {
		return nil, err
	}
	full := u.FullName()
	return &userRow{
		ID:           u.ID,
		UserName:     u.UserName,
		FullName:     full,
		FirstNameKey: nameKey(u.FirstName),
		LastNameKey:  nameKey(u.LastName),
		SearchText:   strings.ToLower(full + "\n" + u.Email.Normalized),

		EmailDisplay:     u.Email.Display,
		EmailNorm:        u.Email.Normalized,
		MobileE164:       u.Mobile.E164(),
		MobileBackupE164: u.MobileBackup.E164(),

		Profile:  u.Profile,
		Settings: u.Settings,

		Status:             int(u.Status),
		Disabled:           u.Disabled,
		Locked:             u.Locked,
		Grade:              u.Grade,
		MustChangePassword: u.MustChangePassword,
		PasswordHash:       u.PasswordHash,
		PasswordChangedAt:  dbTime(u.PasswordChangedAt),
		ActivatedAt:        dbTime(u.ActivatedAt),
		ClaimedAt:          dbTime(u.ClaimedAt),
		HomeTeamID:         u.HomeTeamID,

		CreatedAt:      dbTime(u.CreatedAt),
		UpdatedAt:      dbTime(u.UpdatedAt),
		LastLoginIP:    u.LastLoginIP,
		LastLoginAt:    dbTime(u.LastLoginAt),
		LastActivityAt: dbTime(u.LastActivityAt),

		Extension: ext,
	}, nil
}

func userOf(r *userRow) (user.User, error) {
	mobile, err1 := phone(r.MobileE164)
	backup, err2 := phone(r.MobileBackupE164)
	ext, err3 := decodeObject(r.Extension)
	r.Birthday, r.HireDate = r.Birthday.UTC(), r.HireDate.UTC()
	if err := errors.Join(err1, err2, err3); err != nil {
		return user.User{}, corrupt("user "+r.ID, err)
	}
	return user.User{
		ID:       r.ID,
		UserName: r.UserName,
		Profile:  r.Profile,

		Email:        contact.Email{Display: r.EmailDisplay, Normalized: r.EmailNorm},
		Mobile:       mobile,
		MobileBackup: backup,

		Settings: r.Settings,

		Status:             user.Status(r.Status),
		Disabled:           r.Disabled,
		Locked:             r.Locked,
		Grade:              r.Grade,
		MustChangePassword: r.MustChangePassword,
		PasswordHash:       r.PasswordHash,
		PasswordChangedAt:  r.PasswordChangedAt.UTC(),
		ActivatedAt:        r.ActivatedAt.UTC(),
		ClaimedAt:          r.ClaimedAt.UTC(),
		HomeTeamID:         r.HomeTeamID,

		CreatedAt:      r.CreatedAt.UTC(),
		UpdatedAt:      r.UpdatedAt.UTC(),
		LastLoginIP:    r.LastLoginIP,
		LastLoginAt:    r.LastLoginAt.UTC(),
		LastActivityAt: r.LastActivityAt.UTC(),

		Extension: ext,
	}, nil
}
