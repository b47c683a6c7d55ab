package scim

import "strings"

// The URNs of the schemas and messages this server speaks.
const (
	urnUser       = "urn:ietf:params:scim:schemas:core:2.0:User"
	urnEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	urnGroup      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	urnList       = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	urnError      = "urn:ietf:params:scim:api:messages:2.0:Error"
	urnPatch      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	urnSPC        = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	urnRT         = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	urnSchema     = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// attr describes an attribute as RFC 7643 section 7 does; the same table
// serves /Schemas, PATCH paths and attributes/excludedAttributes.
type attr struct {
	name        string
	typ         string // string, boolean, complex, dateTime, reference
	multi       bool
	required    bool
	caseExact   bool
	mutability  string // readOnly, readWrite, immutable, writeOnly; "" readWrite
	returned    string // always, never, default, request; "" default
	uniqueness  string // none, server; "" none
	canonical   []string
	refTypes    []string
	description string
	sub         []attr
}

// schema is a resource schema or extension.
type schema struct {
	id, name, description string
	attrs                 []attr
}

func text(name, description string) attr {
	return attr{name: name, typ: "string", description: description}
}

func readOnly(a attr) attr { a.mutability = "readOnly"; return a }

func exact(a attr) attr { a.caseExact = true; return a }

var userSchema = schema{id: urnUser, name: "User", description: "A member of the token's team", attrs: []attr{
	{name: "userName", typ: "string", required: true, uniqueness: "server",
		description: "The team's sign-in name for the member, unique in the team; the email address when not set. Compared with ASCII letters folded"},
	{name: "name", typ: "complex", description: "The member's name as the team records it", sub: []attr{
		readOnly(text("formatted", "The given, middle and family names joined")),
		text("familyName", "Family name"),
		text("givenName", "Given name"),
		text("middleName", "Middle name"),
	}},
	text("displayName", "The name the team's directory shows; the full name when not set"),
	text("title", "Job title"),
	{name: "active", typ: "boolean", description: "false suspends the membership"},
	{name: "password", typ: "string", mutability: "writeOnly", returned: "never", caseExact: true,
		description: "The team's password for the member while the account is unclaimed"},
	{name: "emails", typ: "complex", multi: true, description: "The member's one address, which their account is found by: the primary value, else the work one, else the first; userName when none is given", sub: []attr{
		text("value", "The address"),
		{name: "type", typ: "string", canonical: []string{"work"}, description: "Always work"},
		{name: "primary", typ: "boolean", description: "Always true"},
	}},
	{name: "phoneNumbers", typ: "complex", multi: true, description: "The mobile number the team records", sub: []attr{
		exact(text("value", "The number, E.164 or national in the team's region; stored and compared in E.164")),
		{name: "type", typ: "string", canonical: []string{"mobile"}, description: "Always mobile"},
		{name: "primary", typ: "boolean", description: "Ignored"},
	}},
}}

var enterpriseSchema = schema{id: urnEnterprise, name: "EnterpriseUser", description: "Enterprise attributes of a member", attrs: []attr{
	text("employeeNumber", "Employee number"),
	text("department", "Department"),
	{name: "manager", typ: "complex", description: "The member's manager", sub: []attr{
		exact(text("value", "The manager's ID as the client knows it")),
	}},
}}

var groupSchema = schema{id: urnGroup, name: "Group", description: "A project of the token's team", attrs: []attr{
	{name: "displayName", typ: "string", required: true, description: "The project's name"},
	{name: "members", typ: "complex", multi: true, description: "The project's members", sub: []attr{
		{name: "value", typ: "string", mutability: "immutable", caseExact: true, description: "The member's id"},
		{name: "$ref", typ: "reference", mutability: "immutable", caseExact: true, refTypes: []string{"User"}, description: "The member's location"},
		{name: "type", typ: "string", mutability: "immutable", canonical: []string{"User"}, description: "Always User"},
	}},
}}

// common are the attributes every resource has (RFC 7643 section 3.1).
// They belong to no schema; /Schemas lists id and externalId among a
// resource's core attributes, so that clients see how they compare.
var common = []attr{
	{name: "id", typ: "string", mutability: "readOnly", returned: "always", caseExact: true, uniqueness: "server",
		description: "The user's ID (a User) or the project's (a Group)"},
	{name: "externalId", typ: "string", caseExact: true, description: "The provisioning client's ID of the resource"},
	{name: "meta", typ: "complex", mutability: "readOnly", sub: []attr{
		{name: "resourceType", typ: "string", mutability: "readOnly", caseExact: true},
		{name: "created", typ: "dateTime", mutability: "readOnly"},
		{name: "lastModified", typ: "dateTime", mutability: "readOnly"},
		{name: "location", typ: "reference", mutability: "readOnly", caseExact: true},
		{name: "version", typ: "string", mutability: "readOnly", caseExact: true},
	}},
}

// resource is a kind of resource: its schema, extensions and endpoint.
type resource struct {
	name       string // User, Group
	endpoint   string // /Users, /Groups
	schema     schema
	extensions []schema
}

var (
	userResource  = resource{name: "User", endpoint: "/Users", schema: userSchema, extensions: []schema{enterpriseSchema}}
	groupResource = resource{name: "Group", endpoint: "/Groups", schema: groupSchema}
)

// find returns the attribute of as named, ignoring case.
func find(as []attr, name string) *attr {
	for i := range as {
		if strings.EqualFold(as[i].name, name) {
			return &as[i]
		}
	}
	return nil
}

// extension returns the resource's extension with the URN, ignoring case.
func (r resource) extension(urn string) *schema {
	for i := range r.extensions {
		if strings.EqualFold(r.extensions[i].id, urn) {
			return &r.extensions[i]
		}
	}
	return nil
}

// schemas returns the URNs a resource of r lists in "schemas".
func (r resource) schemas() []any {
	ids := []any{r.schema.id}
	for _, e := range r.extensions {
		ids = append(ids, e.id)
	}
	return ids
}
