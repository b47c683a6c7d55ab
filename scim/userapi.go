package scim

import (
	"net/http"
	"reflect"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

func (s *server) listUsers(c *call) error {
	p, err := c.listParams(userResource)
	if err != nil {
		return err
	}
	q := team.MemberQuery{Offset: p.start - 1, Limit: p.count, Desc: p.desc}
	if q.Sort, err = userSort(p.sortBy); err != nil {
		return err
	}
	if p.filter != "" {
		if q.Filter, err = userFilter(p.filter); err != nil {
			return err
		}
	}
	ms, total, err := s.svc.ProvisionedMembers(c.r.Context(), c.client, q)
	if err != nil {
		return err
	}
	docs := make([]map[string]any, len(ms))
	for i, m := range ms {
		docs[i] = p.view.apply(c.renderUser(m))
	}
	writeJSON(c.w, http.StatusOK, newList(total, p.start, docs))
	return nil
}

func (s *server) createUser(c *call) error {
	body, err := c.readBody()
	if err != nil {
		return err
	}
	p, err := readUser(body)
	if err != nil {
		return err
	}
	m, err := s.svc.ProvisionMember(c.r.Context(), c.client, p)
	if err != nil {
		return err
	}
	c.writeResource(http.StatusCreated, c.renderUser(m), m.Version)
	return nil
}

func (s *server) getUser(c *call) error {
	q, err := c.query()
	if err != nil {
		return err
	}
	view, err := userResource.projection(q)
	if err != nil {
		return err
	}
	m, err := s.svc.ProvisionedMember(c.r.Context(), c.client, c.r.PathValue("id"))
	if err != nil || c.notModified(m.Version) {
		return err
	}
	c.writeResource(http.StatusOK, view.apply(c.renderUser(m)), m.Version)
	return nil
}

func (s *server) replaceUser(c *call) error {
	body, err := c.readBody()
	if err != nil {
		return err
	}
	p, err := readUser(body)
	if err != nil {
		return err
	}
	m, err := s.svc.ReplaceProvisioned(c.r.Context(), c.client, c.r.PathValue("id"), versionOf(c.r.Header.Get("If-Match")), p)
	if err != nil {
		return err
	}
	c.writeResource(http.StatusOK, c.renderUser(m), m.Version)
	return nil
}

// patchUser reads the member, applies the operations to its document and
// replaces the member with the result, at the version it read.
func (s *server) patchUser(c *call) error {
	body, err := c.readBody()
	if err != nil {
		return err
	}
	ops, err := readPatch(body)
	if err != nil {
		return err
	}
	id := c.r.PathValue("id")
	var m identity.Provisioned
	err = c.retrying(func(ifMatch string) error {
		read, err := s.svc.ProvisionedMember(c.r.Context(), c.client, id)
		if err != nil {
			return err
		}
		p, err := patchedUser(read, ops)
		if err != nil {
			return err
		}
		m, err = s.svc.ReplaceProvisioned(c.r.Context(), c.client, id, ifMatchOr(ifMatch, read.Version), p)
		return err
	})
	if err != nil {
		return err
	}
	c.writeResource(http.StatusOK, c.renderUser(m), m.Version)
	return nil
}

// patchedUser returns what m is asked to be once ops are applied. emails
// the operations left alone follow userName, which they repeat.
func patchedUser(m identity.Provisioned, ops []operation) (identity.Provision, error) {
	doc, emails := userDoc(m), userDoc(m)["emails"] // the second a copy the operations cannot touch
	p := patcher{res: userResource, doc: doc}
	for _, op := range ops {
		if err := p.apply(op); err != nil {
			return identity.Provision{}, err
		}
	}
	if reflect.DeepEqual(doc["emails"], emails) {
		delete(doc, "emails")
	}
	return provisionOf(doc)
}

func (s *server) deleteUser(c *call) error {
	err := s.svc.DeprovisionMember(c.r.Context(), c.client, c.r.PathValue("id"), versionOf(c.r.Header.Get("If-Match")))
	if err == nil {
		c.w.WriteHeader(http.StatusNoContent)
	}
	return err
}
