package storage

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/team"
)

type appRow struct {
	bun.BaseModel `bun:"table:applications,alias:a"`

	ID          string    `bun:"id,pk"`
	TeamID      string    `bun:"team_id"`
	Name        string    `bun:"name"`
	ClientID    string    `bun:"client_id"`
	SecretHash  []byte    `bun:"secret_hash"`
	Permissions string    `bun:"permissions"` // comma-separated codes
	CreatedAt   time.Time `bun:"created_at,nullzero"`
}

// tokenRow is a row of tokens, with its application (relation "App", alias
// app) when a query joins it.
type tokenRow struct {
	bun.BaseModel `bun:"table:tokens,alias:tk"`

	Hash      []byte    `bun:"hash,pk"`
	AppID     string    `bun:"app_id"`
	CreatedAt time.Time `bun:"created_at,nullzero"`
	ExpiresAt time.Time `bun:"expires_at,nullzero"`

	App *appRow `bun:"rel:belongs-to,join:app_id=id"`
}

func appOf(r *appRow) team.Application {
	return team.Application{
		ID:          r.ID,
		TeamID:      r.TeamID,
		Name:        r.Name,
		ClientID:    r.ClientID,
		SecretHash:  r.SecretHash,
		Permissions: permissions(r.Permissions),
		CreatedAt:   r.CreatedAt.UTC(),
	}
}

func tokenOf(r *appTokenRow) team.Token {
	return team.Token{
		Hash:        r.Hash,
		AppID:       r.AppID,
		ClientID:    r.App.ClientID,
		TeamID:      r.App.TeamID,
		Permissions: permissions(r.App.Permissions),
		CreatedAt:   r.CreatedAt.UTC(),
		ExpiresAt:   r.ExpiresAt.UTC(),
	}
}

// permissions reads back the comma-separated codes of an application.
func permissions(list string) team.Permissions {
	var ps team.Permissions
	for code := range strings.SplitSeq(list, ",") {
		if code != "" {
			ps = append(ps, team.Permission(code))
		}
	}
	return ps
}

func (t *tx) InsertApplication(ctx context.Context, a team.Application) error {
	codes := make([]string, len(a.Permissions))
	for i, p := range a.Permissions {
		codes[i] = string(p)
	}
	r := &appRow{
		ID:          a.ID,
		TeamID:      a.TeamID,
		Name:        a.Name,
		ClientID:    a.ClientID,
		SecretHash:  a.SecretHash,
		Permissions: strings.Join(codes, ","),
		CreatedAt:   dbTime(a.CreatedAt),
	}
	_, err := insertApplication.exec(ctx, t, r)
	return err
}

var insertApplication = insertOf[appRow]("insert application", "team not found", 1, "")

var getApplication = register(&prepared[appRow]{op: "get application", missing: "application not found", byKey: true, build: from[appRow]("a.client_id = $1")})

func (t *tx) Application(ctx context.Context, clientID string) (team.Application, error) {
	return one(ctx, t, getApplication, infallible(appOf), clientID)
}

func (t *tx) InsertToken(ctx context.Context, tk team.Token) error {
	r := &tokenRow{Hash: tk.Hash, AppID: tk.AppID, CreatedAt: dbTime(tk.CreatedAt), ExpiresAt: dbTime(tk.ExpiresAt)}
	_, err := insertToken.exec(ctx, t, r)
	return err
}

var insertToken = insertOf[tokenRow]("insert token", "application not found", 1, "")

// appTokenRow is a token joined with its application, as getToken reads it.
type appTokenRow struct {
	tokenRow
	App appRow `bun:"embed:app__"`
}

var getToken = register(&prepared[appTokenRow]{
	op: "get token", missing: "token not found", byKey: true,
	build: func(_ *dialect, db bun.IDB) *bun.SelectQuery {
		return db.NewSelect().Model((*tokenRow)(nil)).Relation("App").Where("tk.hash = $1")
	},
})

func (t *tx) Token(ctx context.Context, hash []byte) (team.Token, error) {
	return one(ctx, t, getToken, infallible(tokenOf), hash)
}
