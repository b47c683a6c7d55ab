package storage

import (
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/user"
)

// userRow is a row of users: the fields of user.User. What a team records
// about the person, names included, is on the membership (membershipRow).
type userRow struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID       string `bun:"id,pk"`
	UserName string `bun:"user_name"`

	EmailDisplay     string `bun:"email_display"`
	EmailNorm        string `bun:"email_norm,nullzero"`
	MobileE164       string `bun:"mobile_e164,nullzero"`
	MobileBackupE164 string `bun:"mobile_backup_e164,nullzero"`

	// The settings' columns are named as bun names their fields: time_zone,
	// lang, ...
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
	LastActivityAt time.Time `bun:"last_activity_at,nullzero"`
}

func userRowOf(u *user.User) *userRow {
	return &userRow{
		ID:       u.ID,
		UserName: u.UserName,

		EmailDisplay:     u.Email.Display,
		EmailNorm:        u.Email.Normalized,
		MobileE164:       u.Mobile.E164(),
		MobileBackupE164: u.MobileBackup.E164(),

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
		LastActivityAt: dbTime(u.LastActivityAt),
	}
}

func userOf(r *userRow) (user.User, error) {
	mobile, err1 := phone(r.MobileE164)
	backup, err2 := phone(r.MobileBackupE164)
	if err := errors.Join(err1, err2); err != nil {
		return user.User{}, corrupt("user "+r.ID, err)
	}
	return user.User{
		ID:       r.ID,
		UserName: r.UserName,

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
		LastActivityAt: r.LastActivityAt.UTC(),
	}, nil
}
