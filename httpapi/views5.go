package httpapi

import "github.com/embedid/identity/team"

// The data shapes of the v5 entity family, with the documented field names.
// Unknown values are null.

// created5 is the data of user/create.
type created5 struct {
	UserID       string `json:"user_id"`
	IsUserExists bool   `json:"is_user_exists"`
}

// userID5 is the data of the updates that answer only the user.
type userID5 struct {
	UserID string `json:"user_id"`
}

// owners5 is the data of user/owner/update: every owner of the user.
type owners5 struct {
	UserID  string   `json:"user_id"`
	OwnerID []string `json:"owner_id"`
}

func owners5Of(userID string, owners []string) owners5 {
	if owners == nil {
		owners = []string{}
	}
	return owners5{UserID: userID, OwnerID: owners}
}

// contact5 is the data of user/contact/fetch.
type contact5 struct {
	UserID      string   `json:"user_id"`
	CorpID      string   `json:"corp_id"`
	ContactType string   `json:"contact_type"`
	Value       []string `json:"value"`
}

// profile5 is the data of profile/fetch.
type profile5 struct {
	UserID      string  `json:"user_id"`
	CorpID      string  `json:"corp_id"`
	Name        *string `json:"name"`
	LastName    *string `json:"last_name"`
	FirstName   *string `json:"first_name"`
	AreaCode    *string `json:"area_code"`
	Mobile      *string `json:"mobile"`
	Gender      *string `json:"gender"`
	Age         *int    `json:"age"`
	City        *string `json:"city"`
	CityRaw     *string `json:"city_raw"`
	CityMobile  *string `json:"city_mobile"`
	CompanyName *string `json:"company_name"`
	JobTitle    *string `json:"job_title"`
	Department  *string `json:"department"`
	Industry    *string `json:"industry"`
	LinkedinURL *string `json:"linkedin_url"`
}

func profile5Of(m team.Member) profile5 {
	u, pr := &m.User, &m.Membership
	p := profile5{
		UserID:      u.ID,
		CorpID:      m.Membership.TeamID,
		Name:        orNull(m.DisplayName()),
		LastName:    orNull(pr.LastName),
		FirstName:   orNull(pr.FirstName),
		AreaCode:    orNull(u.Mobile.AreaCode()),
		Mobile:      orNull(u.Mobile.National),
		Gender:      orNull(pr.Gender),
		City:        orNull(pr.City),
		CityRaw:     orNull(pr.CityRaw),
		CityMobile:  orNull(pr.CityMobile),
		CompanyName: orNull(pr.CompanyName),
		JobTitle:    orNull(pr.JobTitle),
		Department:  orNull(pr.Department),
		Industry:    orNull(pr.Industry),
		LinkedinURL: orNull(pr.LinkedInURL),
	}
	if age := pr.Age; age > 0 {
		p.Age = &age // a copy: a pointer into m would move all of m to the heap
	}
	return p
}
