package identity

import (
	"context"
	"strings"
	"time"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// MaxFound is the most members FindUsers returns.
const MaxFound = 100

// FindByMobile returns the member of the client's team whose mobile is text,
// written in any common form; national numbers are read in the team's region
// (or the service's default region). A member's number was checked when it
// was stored, so a match needs no check: the number is checked against its
// region's numbering plan only when no member has it, to be refused if it
// cannot be a number there.
func (s *Service) FindByMobile(ctx context.Context, c Client, text string) (team.Member, error) {
	if err := c.canRead(); err != nil {
		return team.Member{}, err
	}
	var found []team.Member // the one variable the closure shares, and so allocates
	err := s.store.Query(ctx, func(tx storage.Reads) error {
		t, err := s.clientTeam(ctx, tx, c.TeamID)
		if err != nil {
			return err
		}
		p, err := contact.ReadPhone(text, s.regionOr(t.Region), "mobile")
		if err != nil {
			return err
		}
		found, err = tx.FindMembers(ctx, c.TeamID, team.Criteria{Mobile: p.E164()}, 1)
		if err != nil || len(found) > 0 {
			return err
		}
		if err := p.Check("mobile", s.phones); err != nil {
			return err // a number nobody can have, not one nobody has
		}
		return errs.New(errs.NotFound, "mobile", "no member of this team has that mobile")
	})
	if err != nil {
		return team.Member{}, err
	}
	return found[0], nil
}

// regionOr returns a team's region, or the service's default if it has none.
func (s *Service) regionOr(region string) string {
	if region != "" {
		return region
	}
	return s.region
}

// Criteria select members by contact or name for FindUsers.
type Criteria struct {
	Email     string
	Name      string // the user name, or the full name of a user with none
	Domain    string // must equal the team's domain; only with Name
	PhoneArea string // with Phone
	Phone     string
}

// FindUsers returns the members of the client's team, not removed, that
// match every criterion given, at most MaxFound of them; none is not found.
func (s *Service) FindUsers(ctx context.Context, c Client, in Criteria) ([]team.Member, error) {
	if err := c.canRead(); err != nil {
		return nil, err
	}
	q, err := s.criteria(in)
	if err != nil {
		return nil, err
	}
	var found []team.Member
	err = s.store.Query(ctx, func(tx storage.Reads) (err error) {
		found, err = tx.FindMembers(ctx, c.TeamID, q, MaxFound)
		return err
	})
	if err == nil && len(found) == 0 {
		err = errs.New(errs.NotFound, "", "no member of this organization matches")
	}
	return found, err
}

func (s *Service) criteria(in Criteria) (team.Criteria, error) {
	var q team.Criteria
	in.Name, in.Domain = strings.TrimSpace(in.Name), strings.TrimSpace(in.Domain)
	if in.Email == "" && in.Name == "" && in.Phone == "" {
		return q, errs.New(errs.Invalid, "email", "give email, name, or phoneArea and phone")
	}
	if in.Email != "" {
		e, err := contact.ParseEmail(in.Email, "email")
		if err != nil {
			return q, err
		}
		q.Email = e.Normalized
	}
	if in.Name != "" {
		if err := user.CheckText("name", in.Name, user.MaxTextLen); err != nil {
			return q, err
		}
		q.Name, q.Domain = in.Name, strings.ToLower(in.Domain)
	} else if in.Domain != "" {
		return q, errs.New(errs.Invalid, "domain", "may be given only with name")
	}
	if in.Phone != "" || in.PhoneArea != "" {
		p, err := contact.PhoneFromParts(in.PhoneArea, in.Phone, "phone", s.phones)
		if err != nil {
			return q, err
		}
		q.Mobile = p.E164()
	}
	return q, nil
}

// ClientTeam returns the client's own team, as the store held it at most the
// team cache's time to live ago (see WithTeamCache).
func (s *Service) ClientTeam(ctx context.Context, c Client) (team.Team, error) {
	if err := c.canRead(); err != nil {
		return team.Team{}, err
	}
	var t team.Team
	err := s.store.Query(ctx, func(tx storage.Reads) (err error) {
		t, err = s.clientTeam(ctx, tx, c.TeamID)
		return err
	})
	return t, err
}

// clientTeam returns a team from the team cache, or reads it into the cache.
func (s *Service) clientTeam(ctx context.Context, tx storage.Reads, teamID string) (team.Team, error) {
	now := s.clock()
	t, gen, ok := s.teams.get(teamID, now)
	if ok {
		return t, nil
	}
	t, err := tx.Team(ctx, teamID)
	if err == nil {
		s.teams.put(teamID, t, gen, now, time.Time{})
	}
	return t, err
}

// FindByID returns a member of the client's team who is not removed.
func (s *Service) FindByID(ctx context.Context, c Client, userID string) (team.Member, error) {
	return s.Profile(ctx, c, userID)
}
