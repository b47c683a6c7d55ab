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
	FirstName    string `bun:"first_name"`
	MiddleName   string `bun:"middle_name"`
	LastName     string `bun:"last_name"`
	NickName     string `bun:"nick_name"`
	FullName     string `bun:"full_name"`
	FirstNameKey string `bun:"first_name_key"`
	LastNameKey  string `bun:"last_name_key"`
	SearchText   string `bun:"search_text"`

	EmailDisplay     string `bun:"email_display"`
	EmailNorm        string `bun:"email_norm,nullzero"`
	MobileE164       string `bun:"mobile_e164,nullzero"`
	MobileBackupE164 string `bun:"mobile_backup_e164,nullzero"`

	Gender         string    `bun:"gender"`
	Age            int       `bun:"age"`
	City           string    `bun:"city"`
	CityRaw        string    `bun:"city_raw"`
	CityMobile     string    `bun:"city_mobile"`
	Area           string    `bun:"area"`
	CompanyName    string    `bun:"company_name"`
	JobTitle       string    `bun:"job_title"`
	Department     string    `bun:"department"`
	Industry       string    `bun:"industry"`
	LinkedInURL    string    `bun:"linkedin_url"`
	EmployeeID     string    `bun:"employee_id"`
	ExternalID     string    `bun:"external_id"`
	IdentityType   string    `bun:"identity_type"`
	IdentityNumber string    `bun:"identity_number"`
	ManagerID      string    `bun:"manager_id"`
	Birthday       time.Time `bun:"birthday,nullzero"`
	PersonnelType  string    `bun:"personnel_type"`
	HireDate       time.Time `bun:"hire_date,nullzero"`
	WorkPlace      string    `bun:"work_place"`

	// The settings' columns are named as bun names their fields:
	// time_zone, lang, ..., session_timeout.
	user.Settings

	Status             int       `bun:"status"`
	Disabled           bool      `bun:"disabled"`
	Locked             bool      `bun:"locked"`
	Grade              int       `bun:"grade"`
	MustChangePassword bool      `bun:"must_change_password"`
	PasswordHash       []byte    `bun:"password_hash"`
	PasswordChangedAt  time.Time `bun:"password_changed_at,nullzero"`
	ActivatedAt        time.Time `bun:"activated_at,nullzero"`
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
		FirstName:    u.FirstName,
		MiddleName:   u.MiddleName,
		LastName:     u.LastName,
		NickName:     u.NickName,
		FullName:     full,
		FirstNameKey: nameKey(u.FirstName),
		LastNameKey:  nameKey(u.LastName),
		SearchText:   strings.ToLower(full + "\n" + u.Email.Normalized),

		EmailDisplay:     u.Email.Display,
		EmailNorm:        u.Email.Normalized,
		MobileE164:       u.Mobile.E164(),
		MobileBackupE164: u.MobileBackup.E164(),

		Gender:         u.Gender,
		Age:            u.Age,
		City:           u.City,
		CityRaw:        u.CityRaw,
		CityMobile:     u.CityMobile,
		Area:           u.Area,
		CompanyName:    u.CompanyName,
		JobTitle:       u.JobTitle,
		Department:     u.Department,
		Industry:       u.Industry,
		LinkedInURL:    u.LinkedInURL,
		EmployeeID:     u.EmployeeID,
		ExternalID:     u.ExternalID,
		IdentityType:   u.IdentityType,
		IdentityNumber: u.IdentityNumber,
		ManagerID:      u.ManagerID,
		Birthday:       dbTime(u.Birthday),
		PersonnelType:  u.PersonnelType,
		HireDate:       dbTime(u.HireDate),
		WorkPlace:      u.WorkPlace,

		Settings: u.Settings,

		Status:             int(u.Status),
		Disabled:           u.Disabled,
		Locked:             u.Locked,
		Grade:              u.Grade,
		MustChangePassword: u.MustChangePassword,
		PasswordHash:       u.PasswordHash,
		PasswordChangedAt:  dbTime(u.PasswordChangedAt),
		ActivatedAt:        dbTime(u.ActivatedAt),
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
	if err := errors.Join(err1, err2, err3); err != nil {
		return user.User{}, corrupt("user "+r.ID, err)
	}
	return user.User{
		ID:         r.ID,
		UserName:   r.UserName,
		FirstName:  r.FirstName,
		MiddleName: r.MiddleName,
		LastName:   r.LastName,
		NickName:   r.NickName,

		Email:        contact.Email{Display: r.EmailDisplay, Normalized: r.EmailNorm},
		Mobile:       mobile,
		MobileBackup: backup,

		Gender:         r.Gender,
		Age:            r.Age,
		City:           r.City,
		CityRaw:        r.CityRaw,
		CityMobile:     r.CityMobile,
		Area:           r.Area,
		CompanyName:    r.CompanyName,
		JobTitle:       r.JobTitle,
		Department:     r.Department,
		Industry:       r.Industry,
		LinkedInURL:    r.LinkedInURL,
		EmployeeID:     r.EmployeeID,
		ExternalID:     r.ExternalID,
		IdentityType:   r.IdentityType,
		IdentityNumber: r.IdentityNumber,
		ManagerID:      r.ManagerID,
		Birthday:       r.Birthday.UTC(),
		PersonnelType:  r.PersonnelType,
		HireDate:       r.HireDate.UTC(),
		WorkPlace:      r.WorkPlace,

		Settings: r.Settings,

		Status:             user.Status(r.Status),
		Disabled:           r.Disabled,
		Locked:             r.Locked,
		Grade:              r.Grade,
		MustChangePassword: r.MustChangePassword,
		PasswordHash:       r.PasswordHash,
		PasswordChangedAt:  r.PasswordChangedAt.UTC(),
		ActivatedAt:        r.ActivatedAt.UTC(),
		HomeTeamID:         r.HomeTeamID,

		CreatedAt:      r.CreatedAt.UTC(),
		UpdatedAt:      r.UpdatedAt.UTC(),
		LastLoginIP:    r.LastLoginIP,
		LastLoginAt:    r.LastLoginAt.UTC(),
		LastActivityAt: r.LastActivityAt.UTC(),

		Extension: ext,
	}, nil
}
