package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/embedid/identity"
)

func importMembers(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("import", "FILE.csv")
	db := fs.db()
	teamID := fs.String("team", "", "`ID` of the team to import into (required)")
	as := fs.String("as", "", "user `ID` of the admin or manager the import acts as (default: an operator with an admin's rights)")
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
		return err
	}
	defer in.Close()
	if p, ok := in.(*progress); ok {
		logged := *e
		logged.log = slog.New(slog.NewJSONHandler(p.beneath(), nil))
		e = &logged
	}
	return withService(ctx, e, *db, c, func(svc *identity.Service) error {
		a, err := importer(ctx, svc, *teamID, *as)
		if err != nil {
			return err
		}
		var opts []identity.ImportOption
		if *weak {
			opts = append(opts, identity.AllowWeakHashes())
		}
		res, err := svc.ImportCSV(ctx, a, in, opts...)
		return printImport(e.stdout, res, err)
	})
}

// printImport prints what an import did: counts, or every bad row.
func printImport(w io.Writer, res identity.ImportResult, err error) error {
	var bad *identity.ImportError
	switch {
	case errors.As(err, &bad):
		return errors.Join(printJSON(w, rejected(bad)), err)
	case err != nil:
		return err
	}
	return printJSON(w, struct {
		Imported int `json:"imported"`
		Invited  int `json:"invited"`
	}{res.Imported, res.Invited})
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

// rowError is one bad row in the JSON answer of a failed import.
type rowError struct {
	Line   int    `json:"line"`
	Column string `json:"column"`
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
