package storage

import (
	"context"
	"reflect"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/embedid/identity/team"
)

// appRow is a row of applications.
type appRow struct {
	bun.BaseModel `bun:"table:applications,alias:a"`

	ID          string    `bun:"id,pk"`
	TeamID      string    `bun:"team_id"`
	Name        string    `bun:"name"`
	ClientID    string    `bun:"client_id"`
	SecretHash  []byte    `bun:"secret_hash"`
	Permissions string    `bun:"permissions"` // comma-separated codes
	CreatedAt   time.Time `bun:"created_at,nullzero"`
	DisabledAt  time.Time `bun:"disabled_at,nullzero"`
}

// tokenRow is a row of tokens.
type tokenRow struct {
	bun.BaseModel `bun:"table:tokens,alias:tk"`

	Hash      []byte    `bun:"hash,pk"`
	AppID     string    `bun:"app_id"`
	CreatedAt time.Time `bun:"created_at,nullzero"`
	ExpiresAt time.Time `bun:"expires_at,nullzero"`
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
		DisabledAt:  r.DisabledAt.UTC(),
	}
}

// rowOfApp is the row of a.
func rowOfApp(a team.Application) *appRow {
	codes := make([]string, len(a.Permissions))
	for i, p := range a.Permissions {
		codes[i] = string(p)
	}
	return &appRow{
		ID:          a.ID,
		TeamID:      a.TeamID,
		Name:        a.Name,
		ClientID:    a.ClientID,
		SecretHash:  a.SecretHash,
		Permissions: strings.Join(codes, ","),
		CreatedAt:   dbTime(a.CreatedAt),
		DisabledAt:  dbTime(a.DisabledAt),
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

// ApplicationReads read applications and their access tokens.
type ApplicationReads interface {
	// Application finds an application by its client ID.
	Application(ctx context.Context, clientID string) (team.Application, error)
	// Applications lists the applications of a team, oldest first.
	Applications(ctx context.Context, teamID string) ([]team.Application, error)
	// Token finds an access token by its hash with its application's team,
	// client ID and current permissions; NotFound also if its application
	// is disabled.
	Token(ctx context.Context, hash []byte) (team.Token, error)
}

// Applications read and write applications and their access tokens.
type Applications interface {
	ApplicationReads
	// InsertApplication adds a; Conflict (field "client_id") on a taken
	// client ID.
	InsertApplication(ctx context.Context, a team.Application) error
	// UpdateApplication writes the secret hash, permissions and disabled
	// time of the application with a's ID; NotFound if there is none.
	UpdateApplication(ctx context.Context, a team.Application) error
	// InsertToken adds an access token; NotFound if its application is
	// missing.
	InsertToken(ctx context.Context, t team.Token) error
	// DeleteToken deletes the access token with the hash if the application
	// appID holds it, and reports whether it did.
	DeleteToken(ctx context.Context, appID string, hash []byte) (bool, error)
	// DeleteTokens deletes every access token of the application appID.
	DeleteTokens(ctx context.Context, appID string) error
}

// appTokenRow is a token joined with its application, as getToken reads it.
type appTokenRow struct {
	bun.BaseModel `bun:"table:tokens,alias:tk"`

	tokenRow
	App appRow `bun:"embed:app__"`
}

var (
	insertApplication = insertOf[appRow]("insert application", "team not found", 1, "")
	insertToken       = insertOf[tokenRow]("insert token", "application not found", 1, "")
	updateApplication = updateOf[appRow]("update application", "application not found", []string{"id"}, func(c string) bool {
		return c == "secret_hash" || c == "permissions" || c == "disabled_at"
	})
	getApplication = &stmt{
		op: "get application", missing: "application not found", byKey: true, locks: true, row: reflect.TypeFor[appRow](),
		text: fixed("FROM applications AS a WHERE a.client_id = ?"),
	}
	listApplications = &stmt{op: "list applications", row: reflect.TypeFor[appRow](), text: func(db *DB) string {
		return "FROM applications AS a WHERE a.team_id = ? ORDER BY a.created_at ASC, a.client_id" + db.d.collate() + " ASC"
	}}
	getToken = &stmt{
		op: "get token", missing: "token not found", byKey: true, row: reflect.TypeFor[appTokenRow](),
		text: fixed("FROM tokens AS tk JOIN applications AS app ON app.id = tk.app_id WHERE tk.hash = ? AND app.disabled_at IS NULL"),
	}
	deleteToken  = &stmt{op: "delete token", text: fixed("DELETE FROM tokens WHERE hash = ? AND app_id = ?")}
	deleteTokens = &stmt{op: "delete tokens", text: fixed("DELETE FROM tokens WHERE app_id = ?")}
)

func (t *tx) InsertApplication(ctx context.Context, a team.Application) error {
	_, err := insertApplication.exec(ctx, t, rowOfApp(a))
	return err
}

func (t *tx) UpdateApplication(ctx context.Context, a team.Application) error {
	return updateApplication.exec(ctx, t, rowOfApp(a))
}

func (t *tx) Applications(ctx context.Context, teamID string) ([]team.Application, error) {
	return all(ctx, t, listApplications, infallible(appOf), teamID)
}

func (t *tx) Application(ctx context.Context, clientID string) (team.Application, error) {
	return one(ctx, t, getApplication, infallible(appOf), clientID)
}

func (t *tx) InsertToken(ctx context.Context, tk team.Token) error {
	r := &tokenRow{Hash: tk.Hash, AppID: tk.AppID, CreatedAt: dbTime(tk.CreatedAt), ExpiresAt: dbTime(tk.ExpiresAt)}
	_, err := insertToken.exec(ctx, t, r)
	return err
}

func (t *tx) Token(ctx context.Context, hash []byte) (team.Token, error) {
	return one(ctx, t, getToken, infallible(tokenOf), hash)
}

func (t *tx) DeleteToken(ctx context.Context, appID string, hash []byte) (bool, error) {
	n, err := t.exec(ctx, deleteToken, hash, appID)
	return n > 0, err
}

func (t *tx) DeleteTokens(ctx context.Context, appID string) error {
	_, err := t.exec(ctx, deleteTokens, appID)
	return err
}
