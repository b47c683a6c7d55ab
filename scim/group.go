package scim

import (
	"slices"
	"strings"

	filter "github.com/scim2/filter-parser/v2"

	"github.com/embedid/identity"
)

// groupDoc returns what a client writes of g, as a document.
func groupDoc(g identity.Group) map[string]any {
	doc := map[string]any{"id": g.ID, "displayName": g.Name}
	setText(doc, "externalId", g.ExternalID)
	members := make([]any, len(g.Members))
	for i, id := range g.Members {
		members[i] = map[string]any{"value": id, "type": "User"}
	}
	setOrDelete(doc, "members", members)
	return doc
}

// renderGroup returns g as a Group resource, with its read-only
// attributes.
func (c *call) renderGroup(g identity.Group) map[string]any {
	doc := groupDoc(g)
	doc["schemas"] = groupResource.schemas()
	for _, m := range list(doc, "members") {
		m["$ref"] = c.location(userResource.endpoint, m["value"].(string))
	}
	doc["meta"] = c.meta(groupResource, g.ID, g.CreatedAt, g.UpdatedAt, g.Version)
	return doc
}

// groupWrite is what a Group body or document asks of a project.
type groupWrite struct {
	name, externalID string
	members          []string // user IDs, sorted, without duplicates
}

// readGroup reads a Group body, as POST and PUT send it.
func readGroup(body map[string]any) (groupWrite, error) {
	doc := map[string]any{}
	if err := (&patcher{res: groupResource, doc: doc}).applyObject("replace", body, ""); err != nil {
		return groupWrite{}, err
	}
	return groupOf(doc)
}

// groupOf returns what a Group document asks of a project.
func groupOf(doc map[string]any) (groupWrite, error) {
	g := groupWrite{name: str(doc, "displayName"), externalID: str(doc, "externalId")}
	if strings.TrimSpace(g.name) == "" {
		return g, badRequest(typeInvalidValue, "displayName", "is required")
	}
	for _, m := range list(doc, "members") {
		id := str(m, "value")
		if id == "" {
			return g, badRequest(typeInvalidValue, "members", "each member needs a value: the user's id")
		}
		g.members = append(g.members, id)
	}
	slices.Sort(g.members)
	g.members = slices.Compact(g.members)
	return g, nil
}

// change returns the change that makes g of what is: its name and
// external ID, and the members to add and remove.
func (g groupWrite) change(is identity.Group) identity.GroupChange {
	ch := identity.GroupChange{Name: &g.name, ExternalID: &g.externalID}
	for _, id := range g.members {
		if !slices.Contains(is.Members, id) {
			ch.Add = append(ch.Add, id)
		}
	}
	for _, id := range is.Members {
		if _, found := slices.BinarySearch(g.members, id); !found {
			ch.Remove = append(ch.Remove, id)
		}
	}
	return ch
}

// groupQuery is a filter of Groups: the conditions of its eq terms.
type groupQuery struct {
	id, name, externalID *string
	none                 bool // two terms of one attribute that no group meets both of
}

// groupFilter reads a filter of Groups: eq terms of displayName,
// externalId and id, joined by and.
func groupFilter(s string) (groupQuery, error) {
	var q groupQuery
	e, err := parseFilter(s)
	if err != nil {
		return q, err
	}
	return q, q.add(e)
}

func (q *groupQuery) add(e filter.Expression) error {
	if x, ok := e.(*filter.LogicalExpression); ok && x.Operator == filter.AND {
		if err := q.add(x.Left); err != nil {
			return err
		}
		return q.add(x.Right)
	}
	if vp, ok := e.(*filter.ValuePath); ok && strings.EqualFold(vp.AttributePath.AttributeName, "members") {
		e = &filter.AttributeExpression{AttributePath: vp.AttributePath}
	}
	x, ok := e.(*filter.AttributeExpression)
	if ok && strings.EqualFold(x.AttributePath.AttributeName, "members") {
		return badRequest(typeInvalidFilter, "filter", "Groups cannot be filtered by members; read a group to see them")
	}
	var field **string
	fold := false
	if ok && x.Operator == filter.EQ && x.AttributePath.SubAttribute == nil && (x.AttributePath.URIPrefix == nil || strings.EqualFold(x.AttributePath.URI(), urnGroup)) {
		switch strings.ToLower(x.AttributePath.AttributeName) {
		case "displayname":
			field, fold = &q.name, true
		case "externalid":
			field = &q.externalID
		case "id":
			field = &q.id
		}
	}
	if field == nil {
		return badRequest(typeInvalidFilter, "filter", "Groups are filtered only by displayName eq, externalId eq and id eq, joined by and")
	}
	v, err := compareValue(x.CompareValue, "filter", x.AttributePath.String(), typeInvalidFilter)
	s, isText := v.(string)
	if err != nil || !isText {
		return badRequest(typeInvalidFilter, "filter", "%s is compared with a string", x.AttributePath.String())
	}
	if *field != nil && !(**field == s || fold && strings.EqualFold(**field, s)) {
		q.none = true
	}
	*field = &s
	return nil
}

// admits reports whether g meets the conditions of q other than its id.
func (q groupQuery) admits(g identity.Group) bool {
	return !q.none && (q.name == nil || strings.EqualFold(*q.name, g.Name)) && (q.externalID == nil || *q.externalID == g.ExternalID)
}
