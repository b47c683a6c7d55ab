package storage

import (
	"context"
	"reflect"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/team"
)

// projectsShape is the shape of a read of a team's projects: the criteria
// it has.
type projectsShape struct{ name, externalID bool }

// where is the condition on a team's projects with the criteria of the
// shape, whose arguments follow the team's: the name lower-cased for ASCII
// only (as the index on lower(name) holds it), then the external ID.
func (s projectsShape) where(db *DB) string {
	text := "FROM projects AS p WHERE p.team_id = ?"
	if s.name {
		text += " AND lower(p.name" + db.d.collate() + ") = ?"
	}
	if s.externalID {
		text += " AND p.external_id = ?"
	}
	return text
}

// page declares the read of a page of the matching projects, oldest first,
// then by ID in byte order; its last arguments are the limit and offset.
func (s projectsShape) page() *stmt {
	return &stmt{op: "list projects", row: reflect.TypeFor[projectRow](), shape: s, text: func(db *DB) string {
		return s.where(db) + " ORDER BY p.created_at ASC, p.id" + db.d.collate() + " ASC LIMIT ? OFFSET ?"
	}}
}

// projectsCount is the shape of the count of a read of projects.
type projectsCount projectsShape

// count declares the count of the matching projects.
func (s projectsShape) count() *stmt {
	return &stmt{op: "count projects", shape: projectsCount(s), text: func(db *DB) string { return "SELECT count(*) " + s.where(db) }}
}

func (t *tx) Projects(ctx context.Context, teamID string, q team.ProjectQuery) ([]team.Project, int, error) {
	if err := q.Validate(); err != nil {
		return nil, 0, err
	}
	shape, args := projectsShape{name: q.Name != "", externalID: q.ExternalID != ""}, []any{teamID}
	if shape.name {
		args = append(args, lowerASCII(q.Name))
	}
	if shape.externalID {
		args = append(args, q.ExternalID)
	}
	ps := []team.Project{}
	if q.Limit > 0 {
		var err error
		ps, err = all(ctx, t, shape.page(), infallible(projectOf), append(args[:len(args):len(args)], q.Limit, q.Offset)...)
		if err != nil {
			return nil, 0, err
		}
		if len(ps) > 0 && len(ps) < q.Limit { // the last page: no need to count
			return ps, q.Offset + len(ps), nil
		}
	}
	total, err := one(ctx, t, shape.count(), value[int], args...)
	if errs.CodeOf(err) == errs.NotFound { // a criterion no column holds
		return ps, 0, nil
	}
	return ps, total, err
}
