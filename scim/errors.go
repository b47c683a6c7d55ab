package scim

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/embedid/identity"
)

// refusal is a refusal this package raises itself, with the status and
// scimType of RFC 7644 section 3.12 it answers with.
type refusal struct {
	status   int
	scimType string // "" for none
	field    string // the SCIM attribute or parameter at fault; "" for none
	message  string
}

func (e *refusal) Error() string {
	if e.field == "" {
		return e.message
	}
	return e.field + ": " + e.message
}

func refuse(status int, scimType, field, format string, args ...any) *refusal {
	return &refusal{status: status, scimType: scimType, field: field, message: fmt.Sprintf(format, args...)}
}

// badRequest is a 400 refusal of the scimType.
func badRequest(scimType, field, format string, args ...any) *refusal {
	return refuse(http.StatusBadRequest, scimType, field, format, args...)
}

// The scimType values of RFC 7644 section 3.12 this server answers with.
const (
	typeInvalidFilter = "invalidFilter"
	typeTooMany       = "tooMany"
	typeUniqueness    = "uniqueness"
	typeMutability    = "mutability"
	typeInvalidSyntax = "invalidSyntax"
	typeInvalidPath   = "invalidPath"
	typeNoTarget      = "noTarget"
	typeInvalidValue  = "invalidValue"
)

// errorBody is the body of every SCIM error (RFC 7644 section 3.12).
type errorBody struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	ScimType string   `json:"scimType,omitempty"`
	Detail   string   `json:"detail"`
}

// statusOf is the status of each identity error code, and the scimType it
// carries, if any.
var statusOf = map[identity.Code]struct {
	status   int
	scimType string
}{
	identity.CodeInvalid:         {http.StatusBadRequest, typeInvalidValue},
	identity.CodeUnauthorized:    {http.StatusUnauthorized, ""},
	identity.CodeForbidden:       {http.StatusForbidden, ""},
	identity.CodeNotFound:        {http.StatusNotFound, ""},
	identity.CodeConflict:        {http.StatusConflict, typeUniqueness},
	identity.CodeExpired:         {http.StatusBadRequest, typeInvalidValue},
	identity.CodeTooManyRequests: {http.StatusTooManyRequests, ""},
	identity.CodeStale:           {http.StatusPreconditionFailed, ""},
	identity.CodeUnavailable:     {http.StatusServiceUnavailable, ""},
}

// attrNames maps the identity library's field names to the SCIM attributes
// that carry them, for one kind of resource.
type attrNames map[string]string

// userAttrs names the fields of a Provision as a User does.
var userAttrs = attrNames{
	"email": "emails", "user_name": "userName", "first_name": "name.givenName", "middle_name": "name.middleName",
	"last_name": "name.familyName", "display_name": "displayName", "external_id": "externalId",
	"job_title": "title", "title": "title", "department": urnEnterprise + ":department",
	"employee_id": urnEnterprise + ":employeeNumber", "manager_id": urnEnterprise + ":manager.value",
	"manager": urnEnterprise + ":manager.value", "phone": "phoneNumbers", "mobile": "phoneNumbers",
	"user_id": "id", "password": "password", "filter": "filter", "version": "If-Match",
}

// groupAttrs names the fields of a group as a Group does.
var groupAttrs = attrNames{"name": "displayName", "external_id": "externalId", "project_id": "id",
	"user_id": "members", "members": "members", "filter": "filter", "version": "If-Match"}

// failure is an error as answered: its status, scimType and detail, which
// starts with the attribute at fault.
type failure struct {
	status   int
	scimType string
	detail   string
}

// failureOf returns how to answer err, naming the fields of identity errors
// as names says. A filter the identity layer refuses is an invalidFilter.
func failureOf(err error, names attrNames) failure {
	if r, ok := errors.AsType[*refusal](err); ok {
		return failure{r.status, r.scimType, r.Error()}
	}
	code := identity.ErrorCode(err)
	s, ok := statusOf[code]
	if !ok {
		return failure{http.StatusInternalServerError, "", "internal error"}
	}
	f := failure{s.status, s.scimType, identity.ErrorMessage(err)}
	if field := identity.ErrorField(err); field != "" {
		if f.scimType == typeInvalidValue && field == "filter" {
			f.scimType = typeInvalidFilter
		}
		if rest, ok := strings.CutPrefix(f.detail, field); ok && names[field] != "" {
			f.detail = names[field] + rest
		}
	}
	return f
}

// setRetryAfter tells a refused client to wait d before trying again, in
// whole seconds rounded up, and at least one.
func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(d.Seconds())))))
}
