package scim

import (
	"context"
	"net/http"

	"github.com/embedid/identity"
)

// kind is what the handlers of one kind of resource (User, Group) share:
// how they render it and read its version.
type kind[T any] struct {
	render  func(c *call, v T) map[string]any
	version func(v T) string
}

var (
	users = kind[identity.Provisioned]{render: (*call).renderUser,
		version: func(m identity.Provisioned) string { return m.Version }}
	groups = kind[identity.Group]{render: (*call).renderGroup,
		version: func(g identity.Group) string { return g.Version }}
)

// answer answers with v rendered as the query asks, and status, unless
// err.
func (k kind[T]) answer(c *call, status int, v T, err error) error {
	if err != nil {
		return err
	}
	c.writeResource(status, c.view.apply(k.render(c, v)), k.version(v))
	return nil
}

// get answers a GET of the resource the path names, as the query's
// attributes and excludedAttributes ask; 304 if If-None-Match names its
// version.
func (k kind[T]) get(c *call, fetch func(context.Context, identity.Client, string) (T, error)) error {
	v, err := fetch(c.r.Context(), c.client, c.r.PathValue("id"))
	if err != nil || c.notModified(k.version(v)) {
		return err
	}
	return k.answer(c, http.StatusOK, v, nil)
}

// list answers a page of resources, of total that match.
func (k kind[T]) list(c *call, p listParams, page []T, total int, err error) error {
	if err != nil {
		return err
	}
	docs := make([]map[string]any, len(page))
	for i, v := range page {
		docs[i] = c.view.apply(k.render(c, v))
	}
	writeJSON(c.w, http.StatusOK, newList(total, p.start, docs))
	return nil
}

// body reads the request's body with read.
func body[T any](c *call, read func(map[string]any) (T, error)) (T, error) {
	b, err := c.readBody()
	if err != nil {
		var zero T
		return zero, err
	}
	return read(b)
}

// remove answers a DELETE of the resource the path names: 204.
func (c *call) remove(del func(ctx context.Context, c identity.Client, id, ifMatch string) error) error {
	err := del(c.r.Context(), c.client, c.r.PathValue("id"), versionOf(c.r.Header.Get("If-Match")))
	if err == nil {
		c.w.WriteHeader(http.StatusNoContent)
	}
	return err
}
