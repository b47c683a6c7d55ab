package scim

import (
	"strings"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// userDoc returns what a client writes of m, as a document: the stored
// values only (displayName only when the team set one), which PATCH works
// on and readUser reads back.
func userDoc(m identity.Provisioned) map[string]any {
	p := m.Membership.Profile
	doc := map[string]any{
		"id":       m.User.ID,
		"userName": userName(m),
		"active":   m.Membership.Status != team.MemberSuspended,
		"emails":   []any{map[string]any{"value": m.User.Email.Normalized, "type": "work", "primary": true}},
	}
	setText(doc, "externalId", p.ExternalID)
	setText(doc, "displayName", p.DisplayName)
	setText(doc, "title", p.JobTitle)
	setOrDelete(doc, "name", texts("givenName", p.FirstName, "middleName", p.MiddleName, "familyName", p.LastName))
	if p.Phone != "" {
		doc["phoneNumbers"] = []any{map[string]any{"value": p.Phone, "type": "mobile"}}
	}
	ext := texts("employeeNumber", p.EmployeeID, "department", p.Department)
	setOrDelete(ext, "manager", texts("value", p.ManagerID))
	setOrDelete(doc, urnEnterprise, ext)
	return doc
}

// userName is m's userName: the team's login name, else the address.
func userName(m identity.Provisioned) string {
	if m.Membership.LoginName != "" {
		return m.Membership.LoginName
	}
	return m.User.Email.Normalized
}

// renderUser returns m as a User resource, with its read-only attributes.
func (c *call) renderUser(m identity.Provisioned) map[string]any {
	doc := userDoc(m)
	doc["schemas"] = userResource.schemas()
	full := m.Membership.FullName()
	if _, ok := doc["displayName"]; !ok {
		setText(doc, "displayName", full)
	}
	if name, ok := doc["name"].(map[string]any); ok {
		name["formatted"] = full
	}
	doc["meta"] = c.meta(userResource, m.User.ID, m.Membership.CreatedAt, m.Membership.UpdatedAt, m.Version)
	return doc
}

// meta returns the meta attribute of a resource.
func (c *call) meta(r resource, id string, created, modified time.Time, version string) map[string]any {
	return map[string]any{
		"resourceType": r.name,
		"created":      created.UTC().Format(time.RFC3339),
		"lastModified": modified.UTC().Format(time.RFC3339),
		"location":     c.location(r.endpoint, id),
		"version":      etag(version),
	}
}

// readUser reads a User body, as POST and PUT send it, as a Provision.
func readUser(body map[string]any) (identity.Provision, error) {
	doc := map[string]any{}
	if err := (&patcher{res: userResource, doc: doc}).applyObject("replace", body, ""); err != nil {
		return identity.Provision{}, err
	}
	if strings.TrimSpace(str(doc, "userName")) == "" {
		return identity.Provision{}, badRequest(typeInvalidValue, "userName", "is required")
	}
	return provisionOf(doc)
}

// provisionOf returns what a User document asks of a member: the address
// from emails, else userName; a userName that is the address is kept as
// none, so that it follows the address. A document without active is
// active.
func provisionOf(doc map[string]any) (identity.Provision, error) {
	name, _ := doc["name"].(map[string]any)
	ext, _ := doc[urnEnterprise].(map[string]any)
	manager, _ := ext["manager"].(map[string]any)
	p := identity.Provision{
		UserName:       strings.TrimSpace(str(doc, "userName")),
		Email:          strings.TrimSpace(address(doc)),
		Active:         doc["active"] != false,
		GivenName:      str(name, "givenName"),
		MiddleName:     str(name, "middleName"),
		FamilyName:     str(name, "familyName"),
		DisplayName:    str(doc, "displayName"),
		ExternalID:     str(doc, "externalId"),
		Title:          str(doc, "title"),
		Department:     str(ext, "department"),
		EmployeeNumber: str(ext, "employeeNumber"),
		Manager:        str(manager, "value"),
		Phone:          phone(doc),
		Password:       str(doc, "password"),
	}
	switch {
	case p.Email == "" && !strings.Contains(p.UserName, "@"):
		return p, badRequest(typeInvalidValue, "emails", "is required: the member's address (userName is not one)")
	case p.Email == "":
		p.Email = p.UserName
	}
	if strings.EqualFold(p.UserName, p.Email) {
		p.UserName = ""
	}
	return p, nil
}

// address returns the primary value of emails, else the work one, else the
// first; "" if there is none.
func address(doc map[string]any) string {
	return pick(list(doc, "emails"), "work")
}

// phone returns the mobile, else the primary, else the first number of
// phoneNumbers.
func phone(doc map[string]any) string {
	return pick(list(doc, "phoneNumbers"), "mobile")
}

// pick returns the value of the first of vs that is primary, else of the
// given type, else the first value; "" if vs is empty.
func pick(vs []map[string]any, typ string) string {
	for _, match := range []func(map[string]any) bool{
		func(e map[string]any) bool { return e["primary"] == true },
		func(e map[string]any) bool { return strings.EqualFold(str(e, "type"), typ) },
		func(map[string]any) bool { return true },
	} {
		for _, e := range vs {
			if match(e) {
				return str(e, "value")
			}
		}
	}
	return ""
}

// str returns a string member of obj, "" if it has none.
func str(obj map[string]any, name string) string {
	s, _ := obj[name].(string)
	return s
}

// list returns the values of a multi-valued complex attribute of doc.
func list(doc map[string]any, name string) []map[string]any {
	vs, _ := doc[name].([]any)
	out := make([]map[string]any, 0, len(vs))
	for _, v := range vs {
		if e := elem(v); e != nil {
			out = append(out, e)
		}
	}
	return out
}

// setText sets doc[name] to v unless v is "".
func setText(doc map[string]any, name, v string) {
	if v != "" {
		doc[name] = v
	}
}

// texts returns an object of the names and values of kv that are not "".
func texts(kv ...string) map[string]any {
	obj := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		setText(obj, kv[i], kv[i+1])
	}
	return obj
}
