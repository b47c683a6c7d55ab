package team

import (
	"strings"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/user"
)

// SortKey orders a member list (689Cloud sort keys 1 to 10).
type SortKey int

// The sort keys.
const (
	SortFirstNameAsc SortKey = iota + 1
	SortFirstNameDesc
	SortLastNameAsc
	SortLastNameDesc
	SortEmailAsc
	SortEmailDesc
	SortRoleAsc
	SortRoleDesc
	SortSignupAsc
	SortSignupDesc
)

// Paging limits and defaults.
const (
	DefaultPageSize = 10
	MaxPageSize     = 1000
	MaxSearchLen    = 100
)

// ListQuery selects a page of a team's members. Removed members are never
// listed. Ties are broken by user ID, in the sort key's direction, so pages
// never overlap.
type ListQuery struct {
	Search string // matched case-insensitively in names, full name and email
	Sort   SortKey
	Page   int // 0-based page index
	Size   int
}

// Validate trims the search and checks the sort key and paging.
func (q *ListQuery) Validate() error {
	q.Search = strings.TrimSpace(q.Search)
	if err := user.CheckText("search_key", q.Search, MaxSearchLen); err != nil {
		return err
	}
	if q.Sort < SortFirstNameAsc || q.Sort > SortSignupDesc {
		return errs.New(errs.Invalid, "sort_key", "must be from 1 to 10, got %d", q.Sort)
	}
	if q.Size < 1 || q.Size > MaxPageSize {
		return errs.New(errs.Invalid, "page_size", "must be from 1 to %d, got %d", MaxPageSize, q.Size)
	}
	if q.Page < 0 {
		return errs.New(errs.Invalid, "page_number", "must be 0 or more, got %d", q.Page)
	}
	if q.Page > (1<<31-1)/q.Size {
		return errs.New(errs.Invalid, "page_number", "is too large")
	}
	return nil
}

// Criteria select members of one team by contact or name; every criterion
// given must match. At least one of Email, Name or Mobile is required.
type Criteria struct {
	Email  string // normalized
	Name   string // user name, or full name when the user has none
	Domain string // the team's domain; only with Name
	Mobile string // E.164
}
