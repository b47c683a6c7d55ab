package httpapi

import (
	"time"

	"github.com/embedid/identity/team"
)

// The JSON shape of a user in the tenant v2 family, with the documented
// field names. Unknown values are null.

// timeLayout2 is how the family writes times, always in UTC.
const timeLayout2 = "2006-01-02 15:04:05.000"

func time2(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(timeLayout2)
	return &s
}

// user2 is a member of the token's team. Positions (jobs) are left out:
// position management is not enabled.
type user2 struct {
	UserID             string         `json:"user_id"`
	OrgID              string         `json:"org_id"`
	UserName           *string        `json:"user_name"`
	Name               *string        `json:"name"`
	Mobile             *string        `json:"mobile"`
	Email              *string        `json:"email"`
	FirstName          *string        `json:"first_name"`
	MiddleName         *string        `json:"middle_name"`
	LastName           *string        `json:"last_name"`
	EmployeeID         *string        `json:"employee_id"`
	ExternalID         *string        `json:"external_id"`
	AttrCity           *string        `json:"attr_city"`
	AttrNickName       *string        `json:"attr_nick_name"`
	AttrArea           *string        `json:"attr_area"`
	AttrGender         *string        `json:"attr_gender"`
	AttrWorkPlace      *string        `json:"attr_work_place"`
	AttrIdentityType   *string        `json:"attr_identity_type"`
	AttrIdentityNumber *string        `json:"attr_identity_number"`
	AttrManagerID      *string        `json:"attr_manager_id"`
	AttrBirthday       *string        `json:"attr_birthday"`
	AttrUserType       *string        `json:"attr_user_type"`
	AttrHireDate       *string        `json:"attr_hire_date"`
	PwdMustModify      bool           `json:"pwd_must_modify"`
	PwdChangeAt        *string        `json:"pwd_change_at"`
	Disabled           bool           `json:"disabled"`
	Locked             bool           `json:"locked"`
	Grade              int            `json:"grade"`
	CreatedAt          *string        `json:"created_at"`
	UpdatedAt          *string        `json:"updated_at"`
	LastLoginIP        *string        `json:"last_login_ip"`
	LastLoginAt        *string        `json:"last_login_at"`
	UserOrgRelations   []orgRelation2 `json:"user_org_relation_list"`
	Extension          map[string]any `json:"extension"`
}

// orgRelation2 is the user's relation to one team: 1 where it is the team
// the user was first created in, 0 otherwise.
type orgRelation2 struct {
	OrgID        string `json:"org_id"`
	RelationType int    `json:"relation_type"`
}

// user2Of shows m; the relation list holds only m's team, so that a token
// never learns which other teams the user belongs to.
func user2Of(m team.Member) user2 {
	u, p, teamID := &m.User, &m.Membership, m.Membership.TeamID
	relation := orgRelation2{OrgID: teamID}
	if u.HomeTeamID == teamID {
		relation.RelationType = 1
	}
	ext := p.Extension
	if ext == nil {
		ext = map[string]any{}
	}
	return user2{
		UserID:             u.ID,
		OrgID:              teamID,
		UserName:           orNull(u.UserName),
		Name:               orNull(m.DisplayName()),
		Mobile:             orNull(u.Mobile.Dashed()),
		Email:              orNull(u.Email.Display),
		FirstName:          orNull(p.FirstName),
		MiddleName:         orNull(p.MiddleName),
		LastName:           orNull(p.LastName),
		EmployeeID:         orNull(p.EmployeeID),
		ExternalID:         orNull(p.ExternalID),
		AttrCity:           orNull(p.City),
		AttrNickName:       orNull(p.NickName),
		AttrArea:           orNull(p.Area),
		AttrGender:         orNull(p.Gender),
		AttrWorkPlace:      orNull(p.WorkPlace),
		AttrIdentityType:   orNull(p.IdentityType),
		AttrIdentityNumber: orNull(p.IdentityNumber),
		AttrManagerID:      orNull(p.ManagerID),
		AttrBirthday:       time2(p.Birthday),
		AttrUserType:       orNull(p.PersonnelType),
		AttrHireDate:       time2(p.HireDate),
		PwdMustModify:      u.MustChangePassword,
		PwdChangeAt:        time2(m.PasswordChangedAt()),
		Disabled:           u.Disabled,
		Locked:             u.Locked,
		Grade:              u.Grade,
		CreatedAt:          time2(u.CreatedAt),
		UpdatedAt:          time2(u.UpdatedAt),
		LastLoginIP:        orNull(p.LastLoginIP),
		LastLoginAt:        time2(p.LastLoginAt),
		UserOrgRelations:   []orgRelation2{relation},
		Extension:          ext,
	}
}
