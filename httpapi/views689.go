package httpapi

import (
	"strconv"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// The JSON shapes of the 689Cloud family, with the documented field names.
// Unknown dates and empty optional strings are null. No shape has a field
// for a password hash, a code or a token other than the session just opened.

// dateLayout689 is how the family writes dates, always in UTC.
const dateLayout689 = "2006/01/02 15:04:05"

func date689(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(dateLayout689)
	return &s
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// user689 is a member as the family shows one.
type user689 struct {
	UserID             string  `json:"user_id"`
	TeamID             string  `json:"team_id"`
	RoleID             int     `json:"role_id"`
	MailAddress        string  `json:"mail_address"`
	Status             int     `json:"status"`
	FirstName          string  `json:"first_name"`
	MiddleName         *string `json:"middle_name"`
	LastName           string  `json:"last_name"`
	SessionTimeOut     int     `json:"session_time_out"`
	ActivationDate     *string `json:"activation_date"`
	NumOfDispNotify    string  `json:"num_of_disp_notify"`
	PiriodOfDispNotify int     `json:"piriod_of_disp_notify"`
	TimeZone           int     `json:"time_zone"`
	SignupDate         *string `json:"signup_date"`
	LastActivity       *string `json:"last_activity"`
	StatusNotify       string  `json:"status_notify"`
	NotificationFlag   string  `json:"notification_flag"`
	CardInfoID         *string `json:"card_info_id"`
	LandingPage        int     `json:"landing_page"`
	Lang               string  `json:"lang"`
	BookendUserID      *string `json:"bookend_user_id"`
}

func user689Of(m team.Member) user689 {
	u, p, s := &m.User, &m.Membership, m.User.Settings
	return user689{
		UserID:             u.ID,
		TeamID:             m.Membership.TeamID,
		RoleID:             int(m.Membership.Role),
		MailAddress:        u.Email.Display,
		Status:             int(m.Membership.Status),
		FirstName:          p.FirstName,
		MiddleName:         orNull(p.MiddleName),
		LastName:           p.LastName,
		SessionTimeOut:     s.SessionTimeout,
		ActivationDate:     date689(u.ActivatedAt),
		NumOfDispNotify:    strconv.Itoa(s.NotifyDisplayCount),
		PiriodOfDispNotify: s.NotifyDisplayPeriod,
		TimeZone:           s.TimeZone,
		SignupDate:         date689(u.CreatedAt),
		LastActivity:       date689(u.LastActivityAt),
		StatusNotify:       s.StatusNotify,
		NotificationFlag:   s.NotificationFlag,
		LandingPage:        s.LandingPage,
		Lang:               s.Lang,
		BookendUserID:      orNull(p.ExternalID),
	}
}

// userResult answers a use case that returns a member with the user object.
func userResult(m team.Member, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return user689Of(m), nil
}

// list689 is the result of list.
type list689 struct {
	TotalResult int       `json:"total_result"`
	Data        []user689 `json:"data"`
}

// projectMember689 is one member of a project.
type projectMember689 struct {
	FirstName     string  `json:"first_name"`
	CreateDate    *string `json:"create_date"`
	Status        int     `json:"status"`
	ProjectRoleID int     `json:"project_role_id"`
	LastName      string  `json:"last_name"`
	UserID        string  `json:"user_id"`
	EmailAddress  string  `json:"email_address"`
}

func projectMember689Of(pm team.ProjectMember) projectMember689 {
	return projectMember689{
		FirstName:     pm.Membership.FirstName,
		CreateDate:    date689(pm.AddedAt),
		Status:        int(pm.Membership.Status),
		ProjectRoleID: pm.ProjectRole,
		LastName:      pm.Membership.LastName,
		UserID:        pm.User.ID,
		EmailAddress:  pm.User.Email.Display,
	}
}

// teamProfile689 is a team as updateteamprofile answers it.
type teamProfile689 struct {
	TeamID       string  `json:"team_id"`
	Name         string  `json:"name"`
	CreateDate   *string `json:"create_date"`
	EmailAddress string  `json:"email_address"`
	Website      *string `json:"website"`
	BusinessSize string  `json:"business_size"`
	PhoneNumber  string  `json:"phone_number"`
	Status       int     `json:"status"`
}

func teamProfile689Of(t team.Team) teamProfile689 {
	return teamProfile689{
		TeamID:       t.ID,
		Name:         t.Name,
		CreateDate:   date689(t.CreatedAt),
		EmailAddress: t.Email,
		Website:      orNull(t.Website),
		BusinessSize: t.BusinessSize,
		PhoneNumber:  t.Phone,
		Status:       int(t.Status),
	}
}

// team689 is a team as getteam answers it: its profile and counts.
type team689 struct {
	teamProfile689
	ProjectsUsage int     `json:"projects_usage"`
	PaymentTeamID *string `json:"payment_team_id"`
	NumberOfUser  int     `json:"number_of_user"`
}

func team689Of(info identity.TeamInfo) team689 {
	return team689{
		teamProfile689: teamProfile689Of(info.Team),
		ProjectsUsage:  info.Stats.Projects,
		PaymentTeamID:  orNull(info.Team.PaymentID),
		NumberOfUser:   info.Stats.Members,
	}
}

// teamOfEmail689 is one team login/checkmail lists.
type teamOfEmail689 struct {
	TeamID       string  `json:"team_id"`
	TeamName     string  `json:"team_name"`
	FirstName    string  `json:"first_name"`
	MiddleName   *string `json:"middle_name"`
	LastName     string  `json:"last_name"`
	Lang         string  `json:"lang"`
	EmailAddress string  `json:"email_address"`
}

func teamOfEmail689Of(t team.Teamed, u user.User) teamOfEmail689 {
	return teamOfEmail689{
		TeamID:       t.Team.ID,
		TeamName:     t.Team.Name,
		FirstName:    t.Membership.FirstName,
		MiddleName:   orNull(t.Membership.MiddleName),
		LastName:     t.Membership.LastName,
		Lang:         u.Settings.Lang,
		EmailAddress: u.Email.Display,
	}
}

// login689 is the member and session login answers.
type login689 struct {
	UserID       string  `json:"user_id"`
	TeamID       string  `json:"team_id"`
	FirstName    string  `json:"first_name"`
	MiddleName   *string `json:"middle_name"`
	LastName     string  `json:"last_name"`
	RoleID       int     `json:"role_id"`
	Lang         string  `json:"lang"`
	EmailAddress string  `json:"email_address"`
	SessionID    string  `json:"session_id"`
}

func login689Of(s identity.Session) login689 {
	u, p := &s.Member.User, &s.Member.Membership
	return login689{
		UserID:       u.ID,
		TeamID:       s.Member.Membership.TeamID,
		FirstName:    p.FirstName,
		MiddleName:   orNull(p.MiddleName),
		LastName:     p.LastName,
		RoleID:       int(s.Member.Membership.Role),
		Lang:         u.Settings.Lang,
		EmailAddress: u.Email.Display,
		SessionID:    s.Token,
	}
}

// session689 is one of the caller's sessions, named by its public ID: never
// its token.
type session689 struct {
	ID         string  `json:"id"`
	CreatedAt  *string `json:"created_at"`
	LastSeenAt *string `json:"last_seen_at"`
	ExpiresAt  *string `json:"expires_at"`
	IPAddress  *string `json:"ip_address"`
	Current    bool    `json:"current"`
}

func session689Of(s identity.OpenSession) session689 {
	return session689{
		ID:         s.ID,
		CreatedAt:  date689(s.CreatedAt),
		LastSeenAt: date689(s.LastSeenAt),
		ExpiresAt:  date689(s.ExpiresAt),
		IPAddress:  orNull(s.IP),
		Current:    s.Current,
	}
}

// revoked689 is how many sessions a revoke ended.
type revoked689 struct {
	Revoked int `json:"revoked"`
}

// row689 is a bad row of a refused import.
type row689 struct {
	Line   int    `json:"line"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

func rows689(rows []identity.RowError) []row689 {
	out := make([]row689, len(rows))
	for i, r := range rows {
		out[i] = row689{Line: r.Line, Column: r.Column, Reason: r.Reason}
	}
	return out
}
