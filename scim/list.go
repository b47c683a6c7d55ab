package scim

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/embedid/identity/team"
)

// Paging of lists (RFC 7644 section 3.4.2.4).
const (
	defaultCount = 100
	maxCount     = team.MaxPageSize
	maxNames     = 100 // names in attributes or excludedAttributes
)

// listParams are the parameters of a list request.
type listParams struct {
	filter string
	start  int // 1-based
	count  int
	sortBy string
	desc   bool
}

// query returns the parameters of c's query string.
func (c *call) query() (url.Values, error) {
	q, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, badRequest(typeInvalidValue, "query", "is not a valid query string")
	}
	return q, nil
}

// listParams reads the parameters of a list: startIndex below 1 is 1,
// count below 0 is 0 and above 1000 is 1000.
func (c *call) listParams() (listParams, error) {
	q, err := c.query()
	if err != nil {
		return listParams{}, err
	}
	p := listParams{filter: q.Get("filter"), sortBy: q.Get("sortBy")}
	if p.start, err = intParam(q, "startIndex", 1); err != nil {
		return p, err
	}
	if p.count, err = intParam(q, "count", defaultCount); err != nil {
		return p, err
	}
	p.start, p.count = max(p.start, 1), min(max(p.count, 0), maxCount)
	switch order := strings.ToLower(q.Get("sortOrder")); order {
	case "", "ascending":
	case "descending":
		p.desc = true
	default:
		return p, badRequest(typeInvalidValue, "sortOrder", "must be ascending or descending")
	}
	return p, nil
}

// intParam returns the named integer parameter, def when not given.
func intParam(q url.Values, name string, def int) (int, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, badRequest(typeInvalidValue, name, "must be an integer, got %q", v)
	}
	return int(n), nil
}

// userSorts are the attributes Users sort by.
var userSorts = map[string]team.Attr{
	"username": team.AttrUserName, "emails": team.AttrEmail, "emails.value": team.AttrEmail,
	"name.givenname": team.AttrGivenName, "name.familyname": team.AttrFamilyName,
	"externalid": team.AttrExternalID, "id": team.AttrUserID,
	"meta.created": team.AttrCreated, "meta.lastmodified": team.AttrUpdated,
}

// userSort returns the attribute sortBy names; 0 for none.
func userSort(sortBy string) (team.Attr, error) {
	if sortBy == "" {
		return 0, nil
	}
	name := strings.ToLower(strings.TrimPrefix(strings.ToLower(sortBy), strings.ToLower(urnUser)+":"))
	if a, ok := userSorts[name]; ok {
		return a, nil
	}
	return 0, badRequest(typeInvalidValue, "sortBy", "Users sort by userName, name.givenName, name.familyName, externalId, id, meta.created or meta.lastModified")
}

// listResponse is the body of a list (RFC 7644 section 3.4.2).
type listResponse struct {
	Schemas      []string         `json:"schemas"`
	TotalResults int              `json:"totalResults"`
	StartIndex   int              `json:"startIndex"`
	ItemsPerPage int              `json:"itemsPerPage"`
	Resources    []map[string]any `json:"Resources"`
}

func newList(total, start int, resources []map[string]any) listResponse {
	if resources == nil {
		resources = []map[string]any{}
	}
	return listResponse{Schemas: []string{urnList}, TotalResults: total, StartIndex: start, ItemsPerPage: len(resources), Resources: resources}
}
