package storage

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/embedid/identity/internal/errs"
)

// conflictOf returns the field at fault for a unique constraint, by its
// Postgres name, and what to tell about it; "" for a constraint it does
// not know.
func conflictOf(constraint string) (field, message string) {
	switch constraint {
	case "teams_pkey":
		return "team_id", "is already taken"
	case "users_pkey":
		return "user_id", "is already taken"
	case "users_email_norm_key":
		return "email", "is already used by another user"
	case "users_mobile_e164_key":
		return "mobile", "is already used by another user"
	case "memberships_pkey":
		return "user_id", "is already a member of the team"
	case "codes_pkey":
		return "code", "is already taken"
	case "sessions_pkey", "sessions_id_key":
		return "session", "is already taken"
	case "applications_pkey":
		return "app_id", "is already taken"
	case "applications_client_id_key":
		return "client_id", "is already taken"
	case "tokens_pkey":
		return "token", "is already taken"
	case "projects_pkey", "projects_team_id_id_key":
		return "project_id", "is already taken"
	}
	return "", ""
}

// failure turns the error of op into the contract's: NotFound with the message
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
	if field, message := conflictOf(v.constraint); message != "" {
		return errs.New(errs.Conflict, field, "%s", message)
	}
	return errs.New(errs.Conflict, "", "the record already exists")
}

// corrupt reports a stored value that cannot be read back.
func corrupt(what string, err error) error {
	return &errs.Error{Code: errs.Internal, Message: "read " + what + " failed", Err: fmt.Errorf("stored %s is invalid: %w", what, err)}
}
