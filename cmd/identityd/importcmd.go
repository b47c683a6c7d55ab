package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/embedid/identity"
)

func importMembers(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("import", "FILE.csv")
	db := fs.db()
	teamID := fs.String("team", "", "`ID` of the team to import into (required)")
	as := fs.String("as", "", "user `ID` of the admin or manager the import acts as (default: an operator with an admin's rights)")
	ids := fs.Bool("ids", false, "also print the user ID and email address of each member imported")
	weak := fs.Bool("allow-weak-hashes", false, "accept fast digests (MD5, SHA-*) in the column password_hash; unsafe at rest, replaced by bcrypt at each member's first login")
	c := defaultConfig()
	fs.configFlags(&c)
	fs.databaseFlags(&c)
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := fs.require("team"); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("want one FILE.csv argument (- for standard input), got %d", fs.NArg())
	}
	in, err := openInput(e, fs.Arg(0))
	if err != nil {
		return printImport(e.stdout, identity.ImportResult{}, err)
	}
	defer in.Close()
	v := newImportView(ctx, e, in, c.bcryptCost)
	opts := []identity.ImportOption{identity.ImportPasses(v.begin)}
	if *ids {
		opts = append(opts, identity.ImportMembers())
	}
	if *weak {
		opts = append(opts, identity.AllowWeakHashes())
	}
	err = withService(ctx, v.env, *db, c, func(svc *identity.Service) error {
		a, err := importer(ctx, svc, *teamID, *as)
		if err != nil {
			return err
		}
		res, err := svc.ImportCSV(ctx, a, in, opts...)
		v.end()
		return printImport(e.stdout, res, err)
	})
	return errors.Join(err, v.report())
}

// printImport prints what an import did: counts, and the members with
// -ids; or, if the file is refused, every bad row, or what is wrong with
// the file as a whole.
func printImport(w io.Writer, res identity.ImportResult, err error) error {
	var bad *identity.ImportError
	switch {
	case errors.As(err, &bad):
		return errors.Join(printJSON(w, rejected(bad)), err)
	case fileError(err):
		return errors.Join(printJSON(w, rejectedFile(err)), err)
	case err != nil:
		return err
	}
	out := imported{Imported: res.Imported, Invited: res.Invited}
	if res.Members != nil {
		out.Members = make([]importedMember, len(res.Members))
		for i, m := range res.Members {
			out.Members[i] = importedMember{m.UserID, m.Email}
		}
	}
	return printJSON(w, out)
}

// imported is the JSON answer of an import that succeeded.
type imported struct {
	Imported int              `json:"imported"`
	Invited  int              `json:"invited"`
	Members  []importedMember `json:"members,omitempty"`
}

// importedMember is a member an import added, in its JSON answer with -ids.
type importedMember struct {
	UserID      string `json:"user_id"`
	MailAddress string `json:"mail_address"`
}

// fileError reports whether err is about the import file as a whole: it
// cannot be opened or read, or it is not a CSV file of members.
func fileError(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) || identity.ErrorField(err) == "file"
}

// openInput opens the named CSV file, or standard input for "-", with a
// progress bar on stderr when stderr is a terminal and the size is known.
func openInput(e *env, name string) (io.ReadCloser, error) {
	if name == "-" {
		return io.NopCloser(e.stdin), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !isTerminal(e.stderr) || !st.Mode().IsRegular() {
		return f, nil
	}
	return newProgress(f, st.Size(), e.stderr), nil
}

// importer returns who an import acts as: the member userID, whose role
// rules apply, or an operator with an admin's rights when userID is empty.
func importer(ctx context.Context, svc *identity.Service, teamID, userID string) (identity.Actor, error) {
	a := identity.Operator(teamID)
	if _, err := svc.Team(ctx, a, teamID); err != nil {
		return a, fmt.Errorf("-team %s: %w", teamID, err)
	}
	if userID == "" {
		return a, nil
	}
	m, err := svc.Member(ctx, a, userID)
	if err != nil {
		return a, fmt.Errorf("-as %s: %w", userID, err)
	}
	return identity.Actor{TeamID: teamID, UserID: userID, Role: m.Membership.Role}, nil
}

// rowError is one bad row in the JSON answer of a failed import (without a
// column if the line is not valid CSV), or what is wrong with the file as a
// whole, without a line, in the column "file".
type rowError struct {
	Line   int    `json:"line,omitempty"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

// rejected is the JSON answer of an import that wrote nothing.
func rejected(bad *identity.ImportError) any {
	rows := make([]rowError, len(bad.Rows))
	for i, r := range bad.Rows {
		rows[i] = rowError{r.Line, r.Column, r.Reason}
	}
	return struct {
		Imported int        `json:"imported"`
		Errors   []rowError `json:"errors"`
		More     int        `json:"more,omitempty"`
	}{0, rows, bad.More}
}

// rejectedFile is the JSON answer of an import refused for its file.
func rejectedFile(err error) any {
	reason := err.Error()
	if identity.ErrorField(err) == "file" {
		reason = strings.TrimPrefix(identity.ErrorMessage(err), "file: ")
	}
	return rejected(&identity.ImportError{Rows: []identity.RowError{{Column: "file", Reason: reason}}})
}
