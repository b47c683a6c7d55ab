package scim

import (
	"net/http"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// listGroups lists the team's projects, oldest first: Groups do not sort.
func (s *server) listGroups(c *call) error {
	p, err := c.listParams()
	if err != nil {
		return err
	}
	if p.sortBy != "" {
		return badRequest(typeInvalidValue, "sortBy", "Groups are listed oldest first and do not sort")
	}
	var q groupQuery
	if p.filter != "" {
		if q, err = groupFilter(p.filter); err != nil {
			return err
		}
	}
	gs, total, err := s.findGroups(c, q, team.ProjectQuery{Offset: p.start - 1, Limit: p.count})
	return groups.list(c, p, gs, total, err)
}

// findGroups returns the page pq asks of the groups q matches, and how many
// match.
func (s *server) findGroups(c *call, q groupQuery, pq team.ProjectQuery) ([]identity.Group, int, error) {
	switch {
	case q.none:
		return nil, 0, nil
	case q.id != nil:
		return s.groupByID(c, *q.id, q, pq)
	}
	if q.name != nil {
		pq.Name = *q.name
	}
	if q.externalID != nil {
		pq.ExternalID = *q.externalID
	}
	return s.svc.Groups(c.r.Context(), c.client, pq)
}

// groupByID returns the page pq asks of the group with the id, if it meets
// q's other conditions.
func (s *server) groupByID(c *call, id string, q groupQuery, pq team.ProjectQuery) ([]identity.Group, int, error) {
	g, err := s.svc.Group(c.r.Context(), c.client, id)
	switch {
	case identity.ErrorCode(err) == identity.CodeNotFound || err == nil && !q.admits(g):
		return nil, 0, nil
	case err != nil:
		return nil, 0, err
	case pq.Offset > 0 || pq.Limit == 0:
		return nil, 1, nil
	}
	return []identity.Group{g}, 1, nil
}

func (s *server) createGroup(c *call) error {
	w, err := body(c, readGroup)
	if err != nil {
		return err
	}
	g, err := s.svc.CreateGroup(c.r.Context(), c.client, w.name, w.externalID, w.members)
	return groups.answer(c, http.StatusCreated, g, err)
}

func (s *server) getGroup(c *call) error { return groups.get(c, s.svc.Group) }

// replaceGroup makes the project what the body says: its name, external
// ID and members, added and removed as they differ from those it has.
func (s *server) replaceGroup(c *call) error {
	w, err := body(c, readGroup)
	if err != nil {
		return err
	}
	return s.changeGroup(c, func(identity.Group) (groupWrite, error) { return w, nil })
}

// patchGroup applies the operations to the project's document and makes
// the project what results.
func (s *server) patchGroup(c *call) error {
	ops, err := body(c, readPatch)
	if err != nil {
		return err
	}
	return s.changeGroup(c, func(g identity.Group) (groupWrite, error) {
		p := patcher{res: groupResource, doc: groupDoc(g)}
		for _, op := range ops {
			if err := p.apply(op); err != nil {
				return groupWrite{}, err
			}
		}
		return groupOf(p.doc)
	})
}

// changeGroup reads the project, asks want what it should be, and changes
// it so, at the version it read.
func (s *server) changeGroup(c *call, want func(identity.Group) (groupWrite, error)) error {
	id := c.r.PathValue("id")
	var g identity.Group
	err := c.retrying(func(ifMatch string) error {
		read, err := s.svc.Group(c.r.Context(), c.client, id)
		if err != nil {
			return err
		}
		w, err := want(read)
		if err != nil {
			return err
		}
		g, err = s.svc.ChangeGroup(c.r.Context(), c.client, id, ifMatchOr(ifMatch, read.Version), w.change(read))
		return err
	})
	return groups.answer(c, http.StatusOK, g, err)
}

func (s *server) deleteGroup(c *call) error { return c.remove(s.svc.DeleteGroup) }
