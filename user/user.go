// Package user holds the person: profile fields, password hashing, activation
// and invitation codes, and sessions. It knows nothing of storage or HTTP.
package user

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
)

// Status is a user's account state.
type Status int

// The account states.
const (
	StatusPending Status = 0 // created, awaiting activation
	StatusActive  Status = 1 // activated
)

// User is one person, global across teams: the identity keys, credentials
// and own settings. Per-team facts, what a team records about the person
// included, live on the team membership. Empty strings and zero times mean
// "unknown".
type User struct {
	ID       string
	UserName string

	Email        contact.Email
	Mobile       contact.Phone
	MobileBackup contact.Phone

	Settings Settings

	Status             Status
	Disabled           bool
	Locked             bool
	Grade              int // trust grade
	MustChangePassword bool
	PasswordHash       []byte `json:"-"` // the owner's: set only once the account is claimed
	PasswordChangedAt  time.Time
	ActivatedAt        time.Time
	// ClaimedAt is when someone first proved control of the address by
	// redeeming a code sent to it; zero while the account is unclaimed.
	ClaimedAt  time.Time
	HomeTeamID string // the team the account was first created in

	CreatedAt      time.Time
	UpdatedAt      time.Time
	LastActivityAt time.Time
}

// Profile is what one team records about a person: names and attributes.
type Profile struct {
	FirstName  string
	MiddleName string
	LastName   string
	NickName   string
	// DisplayName is the name the team's directory shows; "" for the full
	// name.
	DisplayName string
	// LoginName is the name the team's directory signs the person in by
	// (SCIM userName); "" for the email. It is the team's record, not a
	// credential.
	LoginName string

	Gender         string
	Age            int // 0: unknown
	City           string
	CityRaw        string
	CityMobile     string
	Area           string // country or region
	CompanyName    string
	JobTitle       string
	Department     string
	Industry       string
	LinkedInURL    string
	EmployeeID     string
	ExternalID     string
	IdentityType   string
	IdentityNumber string
	ManagerID      string
	Birthday       time.Time
	PersonnelType  string
	HireDate       time.Time
	WorkPlace      string
	// Phone is the mobile number the team records, in E.164; it is not the
	// user's sign-in mobile.
	Phone string
}

// Claimed reports whether the account is its owner's: until then, a
// password opens only the team that set it (team.Membership.PasswordHash).
func (u *User) Claimed() bool { return !u.ClaimedAt.IsZero() }

// Settings are the preferences a user may change about themselves.
type Settings struct {
	TimeZone            int    // hours from UTC
	Lang                string // "auto", "en", "ja", ...
	NotificationFlag    string // three '0'/'1' characters
	StatusNotify        string
	NotifyDisplayCount  int
	NotifyDisplayPeriod int // minutes
	LandingPage         int
	SessionTimeout      int // idle minutes before a session ends
}

// DefaultSettings are the preferences of a new user.
func DefaultSettings() Settings {
	return Settings{
		Lang:                "auto",
		NotificationFlag:    "111",
		StatusNotify:        "00000100",
		NotifyDisplayCount:  5,
		NotifyDisplayPeriod: 10080,
		LandingPage:         1,
		SessionTimeout:      30,
	}
}

// FullName returns the first, middle and last names joined by spaces.
func (p *Profile) FullName() string {
	return joinNonEmpty(p.FirstName, p.MiddleName, p.LastName)
}

func joinNonEmpty(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

// Limits on the size of text fields.
const (
	MaxNameLen = 100 // runes in a first, middle or last name
	MaxTextLen = 255 // runes in any other text field
)

// Names are a person's first, middle and last names.
type Names struct {
	First, Middle, Last string
}

// Validate trims the names and checks that first and last are present and
// that none is too long or holds control characters.
func (n *Names) Validate() error {
	n.First, n.Middle, n.Last = strings.TrimSpace(n.First), strings.TrimSpace(n.Middle), strings.TrimSpace(n.Last)
	if n.First == "" {
		return errs.New(errs.Invalid, "first_name", "is required")
	}
	if n.Last == "" {
		return errs.New(errs.Invalid, "last_name", "is required")
	}
	for _, f := range []struct{ field, v string }{{"first_name", n.First}, {"middle_name", n.Middle}, {"last_name", n.Last}} {
		if err := CheckText(f.field, f.v, MaxNameLen); err != nil {
			return err
		}
	}
	return nil
}

// Apply sets the names on p.
func (n Names) Apply(p *Profile) {
	p.FirstName, p.MiddleName, p.LastName = n.First, n.Middle, n.Last
}

// CheckText refuses text that is not UTF-8, holds control characters or is
// longer than max runes.
func CheckText(field, v string, max int) error {
	if !utf8.ValidString(v) {
		return errs.New(errs.Invalid, field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(v); n > max {
		return errs.New(errs.Invalid, field, "is %d characters long; the limit is %d", n, max)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return errs.New(errs.Invalid, field, "must not contain control characters")
		}
	}
	return nil
}

// Validate checks the settings a user may change.
func (s Settings) Validate() error {
	if s.TimeZone < -12 || s.TimeZone > 14 {
		return errs.New(errs.Invalid, "time_zone", "must be an hour offset from -12 to 14, got %d", s.TimeZone)
	}
	if len(s.NotificationFlag) != 3 || strings.Trim(s.NotificationFlag, "01") != "" {
		return errs.New(errs.Invalid, "notification_flag", "must be three characters, each 0 or 1")
	}
	if s.Lang == "" || len(s.Lang) > 16 || strings.Trim(strings.ToLower(s.Lang), "abcdefghijklmnopqrstuvwxyz-_") != "" {
		return errs.New(errs.Invalid, "lang", "must be a language tag such as en, ja or auto")
	}
	if s.SessionTimeout < 1 || s.SessionTimeout > 7*24*60 {
		return errs.New(errs.Invalid, "session_time_out", "must be from 1 to 10080 minutes")
	}
	return nil
}
