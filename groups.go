package identity

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/secret"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// MaxGroupChange is the most members one group write adds or removes.
const MaxGroupChange = 1000

// Group is a team's project as a provisioning client reads it: the user
// IDs of its members, in byte order, and the version of what it shows.
type Group struct {
	team.Project
	Members []string
	Version string
}

// groupOf returns p with its members and version.
func groupOf(p team.Project, members []string) Group {
	parts := append([]string{p.ID, p.Name, p.ExternalID, p.CreatedAt.Format(time.RFC3339Nano), p.UpdatedAt.Format(time.RFC3339Nano)}, members...)
	return Group{Project: p, Members: members, Version: version(parts...)}
}

// GroupChange changes a group; nil fields are left alone. Add and Remove
// are user IDs of members of the team; adding a member already in the
// group or removing one not in it changes nothing.
type GroupChange struct {
	Name        *string
	ExternalID  *string
	Add, Remove []string
}

// check trims and checks the change's texts and sizes.
func (ch *GroupChange) check() error {
	if ch.Name != nil {
		name, err := groupName(*ch.Name)
		if err != nil {
			return err
		}
		ch.Name = &name
	}
	if ch.ExternalID != nil {
		id := strings.TrimSpace(*ch.ExternalID)
		if err := user.CheckText("external_id", id, user.MaxTextLen); err != nil {
			return err
		}
		ch.ExternalID = &id
	}
	if len(ch.Add)+len(ch.Remove) > MaxGroupChange {
		return errs.New(errs.Invalid, "members", "at most %d members may be added or removed at once", MaxGroupChange)
	}
	return nil
}

// groupName returns a project's name trimmed, if it is one.
func groupName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", errs.New(errs.Invalid, "name", "is required")
	}
	return name, user.CheckText("name", name, user.MaxTextLen)
}

// CreateGroup creates a project in the client's team with the members.
func (s *Service) CreateGroup(ctx context.Context, c Client, name, externalID string, members []string) (Group, error) {
	if err := c.canWrite(); err != nil {
		return Group{}, err
	}
	ch := GroupChange{Name: &name, ExternalID: &externalID, Add: members}
	if err := ch.check(); err != nil {
		return Group{}, err
	}
	var g Group
	err := s.write(ctx, func(tx storage.Tx, now time.Time) error {
		p := team.Project{ID: secret.ID(now), TeamID: c.TeamID, Name: *ch.Name, ExternalID: *ch.ExternalID, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertProject(ctx, p); err != nil {
			return err
		}
		record(tx, c.event(audit.ProjectCreated, "", "name", "external_id"))
		ids, err := s.changeMembers(ctx, tx, c, p, nil, ch, now)
		g = groupOf(p, ids)
		return err
	})
	return g, err
}

// changeMembers adds and removes the members of ch to and from p, whose
// members are ids, and returns its members after.
func (s *Service) changeMembers(ctx context.Context, tx storage.Tx, c Client, p team.Project, ids []string, ch GroupChange, now time.Time) ([]string, error) {
	for _, id := range ch.Add {
		if slices.Contains(ids, id) {
			continue
		}
		if _, err := liveMember(ctx, tx, c.TeamID, id, "members"); err != nil {
			return nil, err
		}
		if err := tx.AddProjectMember(ctx, c.TeamID, p.ID, id, 1, now); err != nil {
			return nil, err
		}
		record(tx, c.event(audit.ProjectMemberAdded, id, "project_role"))
		ids = append(ids, id)
	}
	for _, id := range ch.Remove {
		i := slices.Index(ids, id)
		if i < 0 {
			continue
		}
		if err := tx.RemoveProjectMember(ctx, c.TeamID, p.ID, id); err != nil {
			return nil, err
		}
		record(tx, c.event(audit.ProjectMemberRemoved, id))
		ids = slices.Delete(ids, i, i+1)
	}
	slices.Sort(ids)
	return ids, nil
}

// Group returns a project of the client's team.
func (s *Service) Group(ctx context.Context, c Client, id string) (Group, error) {
	if err := c.canRead(); err != nil {
		return Group{}, err
	}
	var g Group
	err := s.store.Query(ctx, func(tx storage.Reads) (err error) {
		g, err = readGroup(ctx, tx, c.TeamID, id)
		return err
	})
	return g, err
}

// readGroup reads a project of the team and its members.
func readGroup(ctx context.Context, tx storage.Reads, teamID, id string) (Group, error) {
	if id == "" {
		return Group{}, errs.New(errs.Invalid, "id", "is required")
	}
	p, err := tx.Project(ctx, teamID, id)
	if err != nil {
		return Group{}, blame(err, "id", "no such group in this team")
	}
	ids, err := tx.ProjectMemberIDs(ctx, teamID, id)
	return groupOf(p, ids), err
}

// Groups returns a page of the client's team's projects that match q, and
// the number of all that match.
func (s *Service) Groups(ctx context.Context, c Client, q team.ProjectQuery) ([]Group, int, error) {
	if err := c.canRead(); err != nil {
		return nil, 0, err
	}
	if q.Offset < 0 || q.Limit < 0 || q.Limit > team.MaxPageSize {
		return nil, 0, errs.New(errs.Invalid, "count", "must be from 0 to %d", team.MaxPageSize)
	}
	var (
		gs    []Group
		total int
	)
	err := s.store.Query(ctx, func(tx storage.Reads) error {
		ps, n, err := tx.Projects(ctx, c.TeamID, q)
		if err != nil {
			return err
		}
		total, gs = n, make([]Group, 0, len(ps))
		for _, p := range ps {
			ids, err := tx.ProjectMemberIDs(ctx, c.TeamID, p.ID)
			if err != nil {
				return err
			}
			gs = append(gs, groupOf(p, ids))
		}
		return nil
	})
	return gs, total, err
}

// ChangeGroup applies ch to a project of the client's team, if ifMatch is
// "" or the group's version.
func (s *Service) ChangeGroup(ctx context.Context, c Client, id, ifMatch string, ch GroupChange) (Group, error) {
	if err := c.canWrite(); err != nil {
		return Group{}, err
	}
	if err := ch.check(); err != nil {
		return Group{}, err
	}
	var g Group
	err := s.write(ctx, func(tx storage.Tx, now time.Time) error {
		var err error
		if g, err = groupTarget(ctx, tx, c, id, ifMatch); err != nil {
			return err
		}
		p, before := g.Project, g.Version
		ids, err := s.changeMembers(ctx, tx, c, p, g.Members, ch, now)
		if err != nil {
			return err
		}
		var fields []string
		if ch.Name != nil && *ch.Name != p.Name {
			p.Name, fields = *ch.Name, append(fields, "name")
		}
		if ch.ExternalID != nil && *ch.ExternalID != p.ExternalID {
			p.ExternalID, fields = *ch.ExternalID, append(fields, "external_id")
		}
		if g = groupOf(p, ids); g.Version == before {
			return nil
		}
		p.UpdatedAt = now
		if len(fields) > 0 {
			record(tx, c.event(audit.ProjectUpdated, "", fields...))
		}
		g = groupOf(p, ids)
		return tx.UpdateProject(ctx, p)
	})
	return g, err
}

// groupTarget returns the project of the client's team a write changes, if
// ifMatch is "" or its version.
func groupTarget(ctx context.Context, tx storage.Tx, c Client, id, ifMatch string) (Group, error) {
	g, err := readGroup(ctx, tx, c.TeamID, id)
	if err != nil {
		return g, err
	}
	return g, checkVersion(ifMatch, g.Version)
}

// DeleteGroup deletes a project of the client's team, if ifMatch is "" or
// the group's version.
func (s *Service) DeleteGroup(ctx context.Context, c Client, id, ifMatch string) error {
	if err := c.canWrite(); err != nil {
		return err
	}
	return s.write(ctx, func(tx storage.Tx, now time.Time) error {
		if _, err := groupTarget(ctx, tx, c, id, ifMatch); err != nil {
			return err
		}
		record(tx, c.event(audit.ProjectDeleted, ""))
		return tx.DeleteProject(ctx, c.TeamID, id)
	})
}
