// Package team holds the team and everything scoped to it: its profile, roles
// and the rules of who may do what to whom, memberships, projects,
// applications and their permissions.
package team

import (
	"strings"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/user"
)

// Status is a team's state.
type Status int

// The team states.
const (
	StatusPending Status = 1 // signed up, awaiting activation
	StatusActive  Status = 2
)

// Team is a tenant: a corporation, organization or OU in the API families.
type Team struct {
	ID           string
	Name         string
	Email        string
	Website      string
	BusinessSize string
	Phone        string
	Status       Status
	PlanID       int
	PaymentID    string
	Region       string // default region for national phone numbers, e.g. "CN"
	Domain       string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// DefaultBusinessSize is the business size of a team that gives none.
const DefaultBusinessSize = "1-50 employees"

// MaxPlanID is the largest plan ID, the most its column (a 32-bit integer)
// holds.
const MaxPlanID = 1<<31 - 1

// Profile is the part of a team its admins may edit.
type Profile struct {
	Name         string
	Phone        string
	BusinessSize string
	Website      string
	PlanID       int
	Region       string
	Domain       string
}

// Validate trims the profile and checks every field.
func (p *Profile) Validate() error {
	p.Name, p.Phone = strings.TrimSpace(p.Name), strings.TrimSpace(p.Phone)
	p.BusinessSize, p.Website = strings.TrimSpace(p.BusinessSize), strings.TrimSpace(p.Website)
	p.Region, p.Domain = strings.ToUpper(strings.TrimSpace(p.Region)), strings.ToLower(strings.TrimSpace(p.Domain))
	if p.Name == "" {
		return errs.New(errs.Invalid, "team_name", "is required")
	}
	if p.BusinessSize == "" {
		p.BusinessSize = DefaultBusinessSize
	}
	if p.PlanID < 0 || p.PlanID > MaxPlanID {
		return errs.New(errs.Invalid, "plan_id", "must be from 0 to %d, got %d", MaxPlanID, p.PlanID)
	}
	if p.Region != "" && !contact.ValidRegion(p.Region) {
		return errs.New(errs.Invalid, "region", "%q is not a known two-letter region code", p.Region)
	}
	for _, f := range []struct{ field, v string }{
		{"team_name", p.Name}, {"phone_number", p.Phone}, {"company_size", p.BusinessSize},
		{"website", p.Website}, {"domain", p.Domain},
	} {
		if err := user.CheckText(f.field, f.v, user.MaxTextLen); err != nil {
			return err
		}
	}
	return nil
}

// Apply sets the profile on t.
func (p Profile) Apply(t *Team) {
	t.Name, t.Phone, t.BusinessSize, t.Website = p.Name, p.Phone, p.BusinessSize, p.Website
	t.PlanID, t.Region, t.Domain = p.PlanID, p.Region, p.Domain
}

// Stats are counts about a team.
type Stats struct {
	Members  int // active members
	Projects int
}
