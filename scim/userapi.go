package scim

import (
	"net/http"
	"reflect"
	"strings"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

func (s *server) listUsers(c *call) error {
	p, err := c.listParams()
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
	return users.list(c, p, ms, total, err)
}

func (s *server) createUser(c *call) error {
	p, err := body(c, readUser)
	if err != nil {
		return err
	}
	m, err := s.svc.ProvisionMember(c.r.Context(), c.client, p)
	return users.answer(c, http.StatusCreated, m, err)
}

func (s *server) getUser(c *call) error { return users.get(c, s.svc.ProvisionedMember) }

func (s *server) replaceUser(c *call) error {
	p, err := body(c, readUser)
	if err != nil {
		return err
	}
	m, err := s.svc.ReplaceProvisioned(c.r.Context(), c.client, c.r.PathValue("id"), versionOf(c.r.Header.Get("If-Match")), p)
	return users.answer(c, http.StatusOK, m, err)
}

// patchUser reads the member, applies the operations to its document and
// replaces the member with the result, at the version it read.
func (s *server) patchUser(c *call) error {
	ops, err := body(c, readPatch)
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
	return users.answer(c, http.StatusOK, m, err)
}

// patchedUser returns what m is asked to be once ops are applied. While
// m's userName is their address, the two stay together: the one of them
// the operations left alone follows the other.
func patchedUser(m identity.Provisioned, ops []operation) (identity.Provision, error) {
	doc, before := userDoc(m), userDoc(m) // the second a copy the operations cannot touch
	p := patcher{res: userResource, doc: doc}
	for _, op := range ops {
		if err := p.apply(op); err != nil {
			return identity.Provision{}, err
		}
	}
	if strings.TrimSpace(str(doc, "userName")) == "" {
		return identity.Provision{}, badRequest(typeInvalidValue, "userName", "is required")
	}
	if m.Membership.LoginName == "" {
		same := func(name string) bool { return reflect.DeepEqual(doc[name], before[name]) }
		switch {
		case same("userName") && !same("emails"):
			delete(doc, "userName")
		case same("emails") && !same("userName") && strings.Contains(str(doc, "userName"), "@"):
			delete(doc, "emails")
		}
	}
	return provisionOf(doc)
}

func (s *server) deleteUser(c *call) error { return c.remove(s.svc.DeprovisionMember) }
