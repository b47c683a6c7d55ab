package storage

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/embedid/identity/internal/errs"
)

// conflicts maps each unique constraint, by its Postgres name, to the field
// at fault and what to tell about it.
var conflicts = map[string]struct{ field, message string }{
	"teams_pkey":                 {"team_id", "is already taken"},
	"users_pkey":                 {"user_id", "is already taken"},
	"users_email_norm_key":       {"email", "is already used by another user"},
	"users_mobile_e164_key":      {"mobile", "is already used by another user"},
	"memberships_pkey":           {"user_id", "is already a member of the team"},
	"codes_pkey":                 {"code", "is already taken"},
	"sessions_pkey":              {"session", "is already taken"},
	"applications_pkey":          {"app_id", "is already taken"},
	"applications_client_id_key": {"client_id", "is already taken"},
	"tokens_pkey":                {"token", "is already taken"},
	"projects_pkey":              {"project_id", "is already taken"},
	"projects_team_id_id_key":    {"project_id", "is already taken"},
}

// fail turns the error of op into the contract's: NotFound with the message
// missing for a missing row or a broken foreign key, Conflict for a broken
// unique constraint, and an internal error for anything else. missing is ""
// where neither can happen.
func failure(d dialect, op string, err error, missing string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return errs.New(errs.NotFound, "", "%s", missing)
	}
	v, ok := d.violation(err)
	switch {
	case !ok:
		return errs.Wrap(op, err)
	case v.foreignKey:
		return errs.New(errs.NotFound, "", "%s", missing)
	}
	if c, ok := conflicts[v.constraint]; ok {
		return errs.New(errs.Conflict, c.field, "%s", c.message)
	}
	return errs.New(errs.Conflict, "", "the record already exists")
}

// corrupt reports a stored value that cannot be read back.
func corrupt(what string, err error) error {
	return &errs.Error{Code: errs.Internal, Message: "read " + what + " failed", Err: fmt.Errorf("stored %s is invalid: %w", what, err)}
}
