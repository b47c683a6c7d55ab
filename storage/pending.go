package storage

import (
	"context"
	"errors"

	"github.com/embedid/identity/team"
)

var errPending = errors.New("not written yet")

func (t *tx) SearchMembers(ctx context.Context, teamID string, q team.MemberQuery) ([]team.Member, int, error) {
	return nil, 0, errPending
}
func (t *tx) Projects(ctx context.Context, teamID string, q team.ProjectQuery) ([]team.Project, int, error) {
	return nil, 0, errPending
}
func (t *tx) ProjectMemberIDs(ctx context.Context, teamID, projectID string) ([]string, error) {
	return nil, errPending
}
func (t *tx) RemoveProjectMember(ctx context.Context, teamID, projectID, userID string) error {
	return errPending
}
func (t *tx) UpdateProject(ctx context.Context, p team.Project) error        { return errPending }
func (t *tx) DeleteProject(ctx context.Context, teamID, projectID string) error { return errPending }
