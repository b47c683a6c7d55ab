package identity

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/secret"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// CreateTeam creates an active team, as an operator does; email is the
// team's contact address and may be empty.
func (s *Service) CreateTeam(ctx context.Context, p team.Profile, email string) (team.Team, error) {
	if err := p.Validate(); err != nil {
		return team.Team{}, err
	}
	if email != "" {
		e, err := contact.ParseEmail(email, "email")
		if err != nil {
			return team.Team{}, err
		}
		email = e.Display
	}
	var t team.Team
	err := s.write(ctx, func(tx storage.Tx, now time.Time) error {
		t = team.Team{ID: secret.ID(now), Email: email, Status: team.StatusActive, CreatedAt: now, UpdatedAt: now}
		p.Apply(&t)
		record(tx, Operator(t.ID).event(audit.TeamCreated, "", "profile", "email"))
		return tx.InsertTeam(ctx, t)
	})
	return t, err
}

// TeamInfo is a team with its counts.
type TeamInfo struct {
	Team  team.Team
	Stats team.Stats
}

// Team returns the actor's own team; any other team is not found.
func (s *Service) Team(ctx context.Context, a Actor, teamID string) (TeamInfo, error) {
	var info TeamInfo
	if err := ownTeam(a, teamID, "team_id"); err != nil {
		return info, err
	}
	err := s.store.Read(ctx, func(tx storage.Tx) (err error) {
		if info.Team, err = tx.Team(ctx, teamID); err != nil {
			return err
		}
		info.Stats, err = tx.TeamStats(ctx, teamID)
		return err
	})
	return info, err
}

func ownTeam(a Actor, teamID, field string) error {
	if teamID == "" {
		return errs.New(errs.Invalid, field, "is required")
	}
	if teamID != a.TeamID {
		return errs.New(errs.NotFound, field, "no such team")
	}
	return nil
}

// UpdateTeam replaces the profile of the actor's team; admins only. A zero
// PlanID, Region or Domain keeps the team's current one.
func (s *Service) UpdateTeam(ctx context.Context, a Actor, teamID string, p team.Profile) (team.Team, error) {
	if err := ownTeam(a, teamID, "team_id"); err != nil {
		return team.Team{}, err
	}
	if err := p.Validate(); err != nil {
		return team.Team{}, err
	}
	var t team.Team
	err := s.write(ctx, func(tx storage.Tx, now time.Time) error {
		actor, err := activeMembership(ctx, tx, a)
		if err != nil {
			return err
		}
		if actor.Role != team.RoleAdmin {
			return errs.New(errs.Forbidden, "", "only an admin may update the team profile")
		}
		if t, err = tx.Team(ctx, teamID); err != nil {
			return err
		}
		keep(&p.PlanID, t.PlanID)
		keep(&p.Region, t.Region)
		keep(&p.Domain, t.Domain)
		p.Apply(&t)
		t.UpdatedAt = now
		record(tx, a.event(audit.TeamUpdated, "", "profile"))
		return tx.UpdateTeam(ctx, t)
	})
	s.teams.forget(teamID)
	return t, err
}

// keep sets a zero *v to current.
func keep[T comparable](v *T, current T) {
	var zero T
	if *v == zero {
		*v = current
	}
}

// Client is an application acting through an access token, as
// AuthenticateToken returns it.
type Client struct {
	AppID       string
	ClientID    string
	TeamID      string
	Permissions team.Permissions
}

func (c Client) canRead() error {
	if !c.Permissions.CanRead() {
		return errs.New(errs.Forbidden, "", "the application has no read permission")
	}
	return nil
}

func (c Client) canWrite() error {
	if !c.Permissions.CanWrite() {
		return errs.New(errs.Forbidden, "", "the application has no write permission (all or user_all)")
	}
	return nil
}

// NewApplication is an application and its secret, shown only once.
type NewApplication struct {
	Application team.Application
	Secret      string
}

// CreateApplication registers a machine client of a team with permissions.
func (s *Service) CreateApplication(ctx context.Context, teamID, name string, perms team.Permissions) (NewApplication, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return NewApplication{}, errs.New(errs.Invalid, "name", "is required")
	}
	if err := user.CheckText("name", name, user.MaxTextLen); err != nil {
		return NewApplication{}, err
	}
	if len(perms) == 0 {
		return NewApplication{}, errs.New(errs.Invalid, "permissions", "at least one permission is required")
	}
	plain, hash := secret.Token()
	var a team.Application
	err := s.write(ctx, func(tx storage.Tx, now time.Time) error {
		if _, err := tx.Team(ctx, teamID); err != nil {
			return err
		}
		a = team.Application{ID: secret.ID(now), TeamID: teamID, Name: name, ClientID: secret.ID(now), SecretHash: hash, Permissions: perms, CreatedAt: now}
		record(tx, Operator(teamID).event(audit.ApplicationCreated, "", "name", "permissions", "client_secret"))
		return tx.InsertApplication(ctx, a)
	})
	return NewApplication{Application: a, Secret: plain}, err
}

// AccessToken is an issued access token, shown only once.
type AccessToken struct {
	Token     string
	ExpiresIn time.Duration
	Client    Client
}

var errBadClient = errs.New(errs.Unauthorized, "client_secret", "the client ID or secret is wrong")

// IssueToken exchanges an application's credentials for an access token
// (OAuth 2.0 client credentials). Earlier tokens stay valid until they
// expire or are ended (RevokeToken, RotateSecret, DisableApplication).
// Wrong secrets from one address lock that address out of the client ID
// (see WithLockout); address is the caller's network address. A disabled
// application gets none.
func (s *Service) IssueToken(ctx context.Context, clientID, clientSecret, address string) (AccessToken, error) {
	a, err := s.authenticateClient(ctx, clientID, clientSecret, address)
	if err != nil {
		return AccessToken{}, err
	}
	plain, hash := secret.Token()
	var t team.Token
	err = s.write(ctx, func(tx storage.Tx, now time.Time) error {
		t = team.Token{Hash: hash, AppID: a.ID, ClientID: a.ClientID, TeamID: a.TeamID, Permissions: a.Permissions, CreatedAt: now, ExpiresAt: now.Add(s.tokenTTL)}
		e := clientOf(t).event(audit.TokenIssued, "")
		e.Address = address
		record(tx, e)
		return tx.InsertToken(ctx, t)
	})
	if err != nil {
		return AccessToken{}, err
	}
	return AccessToken{Token: plain, ExpiresIn: s.tokenTTL, Client: clientOf(t)}, nil
}

func clientOf(t team.Token) Client {
	return Client{AppID: t.AppID, ClientID: t.ClientID, TeamID: t.TeamID, Permissions: t.Permissions}
}

var errBadToken = errs.New(errs.Unauthorized, "access_token", "is missing, unknown or expired; get a new one")

// AuthenticateToken returns the client behind an access token, with its
// application's permissions as the store held them at most the token cache's
// time to live ago (see WithTokenCache). It never writes.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (Client, error) {
	if token == "" || len(token) > 128 {
		return Client{}, errBadToken
	}
	hash, now := secret.Hash(token), s.clock()
	c, gen, ok := s.tokens.get(string(hash), now)
	if ok {
		c.Permissions = slices.Clone(c.Permissions) // the caller's own
		return c, nil
	}
	var t team.Token
	err := s.store.Query(ctx, func(tx storage.Reads) (err error) {
		t, err = tx.Token(ctx, hash)
		return err
	})
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		return Client{}, errBadToken
	case err != nil:
		return Client{}, err
	case t.Expired(now):
		return Client{}, errBadToken
	}
	c = clientOf(t)
	s.tokens.put(string(hash), c, gen, now, t.ExpiresAt)
	c.Permissions = slices.Clone(c.Permissions)
	return c, nil
}

// CreateProject creates a project in a team.
func (s *Service) CreateProject(ctx context.Context, teamID, name string) (team.Project, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return team.Project{}, errs.New(errs.Invalid, "name", "is required")
	}
	if err := user.CheckText("name", name, user.MaxTextLen); err != nil {
		return team.Project{}, err
	}
	var p team.Project
	err := s.write(ctx, func(tx storage.Tx, now time.Time) error {
		if _, err := tx.Team(ctx, teamID); err != nil {
			return err
		}
		p = team.Project{ID: secret.ID(now), TeamID: teamID, Name: name, CreatedAt: now}
		record(tx, Operator(teamID).event(audit.ProjectCreated, "", "name"))
		return tx.InsertProject(ctx, p)
	})
	return p, err
}

// AddProjectMember puts a member of the project's team in the project with a
// project role from 1 to 3, or changes their project role.
func (s *Service) AddProjectMember(ctx context.Context, projectID, userID string, role int) error {
	if role < 1 || role > 3 {
		return errs.New(errs.Invalid, "role", "must be from 1 to 3, got %d", role)
	}
	return s.write(ctx, func(tx storage.Tx, now time.Time) error {
		p, err := tx.ProjectByID(ctx, projectID)
		if err != nil {
			return err
		}
		if _, err := liveMember(ctx, tx, p.TeamID, userID, "user"); err != nil {
			return err
		}
		record(tx, Operator(p.TeamID).event(audit.ProjectMemberAdded, userID, "project_role"))
		return tx.AddProjectMember(ctx, p.TeamID, p.ID, userID, role, now)
	})
}

// ProjectMembers lists the members of a project of the actor's team.
func (s *Service) ProjectMembers(ctx context.Context, a Actor, projectID string) ([]team.ProjectMember, error) {
	if projectID == "" {
		return nil, errs.New(errs.Invalid, "project_id", "is required")
	}
	var ms []team.ProjectMember
	err := s.store.Read(ctx, func(tx storage.Tx) error {
		if _, err := tx.Project(ctx, a.TeamID, projectID); err != nil {
			return blame(err, "project_id", "no such project in this team")
		}
		var err error
		ms, err = tx.ProjectMembers(ctx, a.TeamID, projectID)
		return err
	})
	return ms, err
}
