package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/team"
)

// memberPageSize is how many members member list prints at a time.
const memberPageSize = 100

func memberList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("member list", "")
	db := fs.db()
	teamID := fs.String("team", "", "`ID` of the team (required)")
	search := fs.String("search", "", "list only members whose names or email contain `text`")
	page := fs.Int("page", 1, "`number` of the page to print, from 1")
	size := fs.Int("size", memberPageSize, fmt.Sprintf("members a page, 1 to %d", team.MaxPageSize))
	asJSON := fs.Bool("json", false, "print one JSON line instead of a table")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := fs.require("team"); err != nil {
		return err
	}
	if *page < 1 {
		return usagef("-page must be 1 or more, got %d", *page)
	}
	if *size < 1 || *size > team.MaxPageSize {
		return usagef("-size must be from 1 to %d, got %d", team.MaxPageSize, *size)
	}
	return withService(ctx, e, *db, defaultConfig(), func(svc *identity.Service) error {
		a, err := importer(ctx, svc, *teamID, "")
		if err != nil {
			return err
		}
		q := team.ListQuery{Search: *search, Sort: team.SortEmailAsc, Page: *page - 1, Size: *size}
		ms, total, err := svc.ListMembers(ctx, a, q)
		if err != nil {
			return err
		}
		l := memberPage{Members: make([]memberJSON, len(ms)), Total: total, Page: *page, Size: *size}
		for i, m := range ms {
			l.Members[i] = newMemberJSON(m)
		}
		if *asJSON {
			return printJSON(e.stdout, l)
		}
		return l.table(e.stdout)
	})
}

func memberShow(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("member show", "")
	db := fs.db()
	teamID := fs.String("team", "", "`ID` of the team (required)")
	userID := fs.String("user", "", "user `ID` of the member (required)")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := fs.require("team", "user"); err != nil {
		return err
	}
	return withService(ctx, e, *db, defaultConfig(), func(svc *identity.Service) error {
		a, err := importer(ctx, svc, *teamID, "")
		if err != nil {
			return err
		}
		m, err := svc.Member(ctx, a, *userID)
		if err != nil {
			return err
		}
		return printJSON(e.stdout, newMemberJSON(m))
	})
}

// memberJSON is a member as the member commands print it: never a password
// hash.
type memberJSON struct {
	UserID      string    `json:"user_id"`
	MailAddress string    `json:"mail_address"`
	FirstName   string    `json:"first_name"`
	LastName    string    `json:"last_name"`
	Mobile      string    `json:"mobile,omitempty"`
	Role        int       `json:"role"`
	Status      string    `json:"status"`
	Claimed     bool      `json:"claimed"`
	CreatedAt   time.Time `json:"created_at"`
}

func newMemberJSON(m team.Member) memberJSON {
	var mobile string
	if !m.User.Mobile.IsZero() {
		mobile = m.User.Mobile.E164()
	}
	return memberJSON{
		UserID:      m.User.ID,
		MailAddress: m.User.Email.Display,
		FirstName:   m.Membership.FirstName,
		LastName:    m.Membership.LastName,
		Mobile:      mobile,
		Role:        int(m.Membership.Role),
		Status:      memberStatus(m.Membership.Status),
		Claimed:     m.User.Claimed(),
		CreatedAt:   m.Membership.CreatedAt,
	}
}

// memberStatus names a member's status in one team.
func memberStatus(s team.MemberStatus) string {
	switch s {
	case team.MemberPending:
		return "pending"
	case team.MemberActive:
		return "active"
	case team.MemberRemoved:
		return "removed"
	}
	return fmt.Sprintf("status %d", s)
}

// memberPage is one page of member list.
type memberPage struct {
	Members []memberJSON `json:"members"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	Size    int          `json:"size"`
}

// table prints the page as an aligned table, and how to get the next one.
func (l memberPage) table(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USER_ID\tMAIL_ADDRESS\tNAME\tROLE\tSTATUS")
	for _, m := range l.Members {
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%d (%s)\t%s\n", m.UserID, m.MailAddress, m.FirstName, m.LastName, m.Role, team.Role(m.Role), m.Status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	first := (l.Page - 1) * l.Size
	switch {
	case len(l.Members) == 0:
		_, err := fmt.Fprintf(w, "no members on page %d; %s in all\n", l.Page, plural(l.Total, "member", "members"))
		return err
	case first+len(l.Members) < l.Total:
		_, err := fmt.Fprintf(w, "members %d-%d of %d; the next page: -page %d\n", first+1, first+len(l.Members), l.Total, l.Page+1)
		return err
	}
	_, err := fmt.Fprintf(w, "members %d-%d of %d\n", first+1, first+len(l.Members), l.Total)
	return err
}

// plural writes n with the singular or the plural noun: "1 member", "2 members".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
