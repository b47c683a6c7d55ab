package httpapi

import "github.com/embedid/identity/team"

// The 689Cloud endpoints about the caller's team.

func (a *api) getTeam(c *call689) (any, error) {
	info, err := a.svc.Team(c.ctx(), c.actor, c.str("team_id"))
	if err != nil {
		return nil, err
	}
	return team689Of(info), nil
}

// updateTeamProfile replaces the team's profile; a plan_id left out keeps the
// team's plan.
func (a *api) updateTeamProfile(c *call689) (any, error) {
	p := team.Profile{Name: c.str("team_name"), Website: c.str("website")}
	var err error
	if p.Phone, err = c.requiredStr("phone_number"); err != nil {
		return nil, err
	}
	if p.BusinessSize, err = c.requiredStr("company_size"); err != nil {
		return nil, err
	}
	if p.PlanID, _, err = c.optionalInt("plan_id"); err != nil {
		return nil, err
	}
	t, err := a.svc.UpdateTeam(c.ctx(), c.actor, c.str("team_update_id"), p)
	if err != nil {
		return nil, err
	}
	return teamProfile689Of(t), nil
}
