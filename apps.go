package identity

import (
	"context"
	"time"

	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/internal/secret"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
)

// The lifecycle of applications and their access tokens: client
// authentication, revocation and introspection of a client's own tokens
// (RFC 7009, RFC 7662), and the operator's management of applications.

var errDisabledClient = errs.New(errs.Unauthorized, "client_id", "the application is disabled")

// AuthenticateClient checks an application's credentials, as the token
// endpoint does (see IssueToken), and returns it as a client; a disabled
// application is refused.
func (s *Service) AuthenticateClient(ctx context.Context, clientID, clientSecret, address string) (Client, error) {
	a, err := s.authenticateClient(ctx, clientID, clientSecret, address)
	if err != nil {
		return Client{}, err
	}
	return Client{AppID: a.ID, ClientID: a.ClientID, TeamID: a.TeamID, Permissions: a.Permissions}, nil
}

// authenticateClient returns the application whose credentials these are.
// A wrong secret counts against the client ID's lockout and the budget of
// address; a right one clears the client ID's count.
func (s *Service) authenticateClient(ctx context.Context, clientID, clientSecret, address string) (team.Application, error) {
	if clientID == "" || clientSecret == "" || len(clientID) > 64 || len(clientSecret) > 128 {
		return team.Application{}, errBadClient
	}
	g := guard{failureKey("client", clientID), address}
	if err := s.spentBudget(address, s.clock()); err != nil {
		s.event(ctx, audit.TokenRefused, subject{s.pseudonym(clientID), "", address})
		return team.Application{}, err
	}
	var t tally
	var a team.Application
	err := s.store.Read(ctx, func(tx storage.Tx) (err error) {
		if t, err = g.read(ctx, tx); err != nil {
			return err
		}
		a, err = tx.Application(ctx, clientID)
		return err
	})
	if err != nil && errs.CodeOf(err) != errs.NotFound {
		return team.Application{}, err
	}
	who := subject{a.ID, a.TeamID, address}
	if a.ID == "" {
		who.account = s.pseudonym(clientID)
	}
	if err := s.refuse(t, address, s.clock()); err != nil {
		s.event(ctx, audit.TokenRefused, who)
		return team.Application{}, err
	}
	if !secret.Equal(clientSecret, a.SecretHash) || err != nil {
		e := audit.Event{TeamID: a.TeamID, Actor: audit.Actor{Kind: audit.Anonymous}, Action: audit.TokenFailed}
		if a.ID != "" {
			e.Actor = audit.Actor{Kind: audit.Application, ID: a.ClientID}
		}
		err := s.write(ctx, func(tx storage.Tx, now time.Time) (err error) {
			t, err = s.fail(ctx, tx, g, now, e)
			return err
		})
		if err != nil {
			return team.Application{}, err
		}
		s.failure(ctx, who, t, audit.TokenFailed)
		return team.Application{}, errBadClient
	}
	if a.Disabled() {
		s.event(ctx, audit.TokenDisabled, who)
		return team.Application{}, errDisabledClient
	}
	if t.own.Count > 0 {
		err = s.write(ctx, func(tx storage.Tx, _ time.Time) error { return tx.ClearFailures(ctx, g.key, address) })
	}
	return a, err
}

// RevokeToken ends an access token of the client (RFC 7009): this Service
// refuses it at once, others within their token cache's time to live (see
// WithTokenCache). A token that is unknown, expired or another client's is
// left alone, without an error.
func (s *Service) RevokeToken(ctx context.Context, c Client, token string) error {
	if err := checkTokenParam(token); err != nil || len(token) > 128 {
		return err // too long to be a token: unknown
	}
	hash := secret.Hash(token)
	err := s.write(ctx, func(tx storage.Tx, _ time.Time) error {
		deleted, err := tx.DeleteToken(ctx, c.AppID, hash)
		if deleted {
			record(tx, c.event(audit.TokenRevoked, ""))
		}
		return err
	})
	s.tokens.forget(string(hash)) // after the commit: no read under way caches it again
	return err
}

// TokenInfo is what introspection tells a client about a token (RFC 7662).
// Active is false, and the rest zero, unless the token is the client's own
// and live.
type TokenInfo struct {
	Active    bool
	Client    Client // the client and its application's current permissions
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// IntrospectToken tells the client whether an access token of its own is
// live, reading the store rather than the token cache.
func (s *Service) IntrospectToken(ctx context.Context, c Client, token string) (TokenInfo, error) {
	if err := checkTokenParam(token); err != nil || len(token) > 128 {
		return TokenInfo{}, err
	}
	var t team.Token
	err := s.store.Query(ctx, func(tx storage.Reads) (err error) {
		t, err = tx.Token(ctx, secret.Hash(token))
		return err
	})
	switch {
	case errs.CodeOf(err) == errs.NotFound:
		return TokenInfo{}, nil
	case err != nil:
		return TokenInfo{}, err
	case t.AppID != c.AppID || t.Expired(s.clock()):
		return TokenInfo{}, nil
	}
	return TokenInfo{Active: true, Client: clientOf(t), IssuedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt}, nil
}

func checkTokenParam(token string) error {
	if token == "" {
		return errs.New(errs.Invalid, "token", "is required")
	}
	return nil
}

// Applications lists the applications of a team, oldest first, without
// their secret hashes.
func (s *Service) Applications(ctx context.Context, teamID string) ([]team.Application, error) {
	if teamID == "" {
		return nil, errs.New(errs.Invalid, "team_id", "is required")
	}
	var apps []team.Application
	err := s.store.Read(ctx, func(tx storage.Tx) (err error) {
		if _, err = tx.Team(ctx, teamID); err != nil {
			return blame(err, "team_id", "no such team")
		}
		apps, err = tx.Applications(ctx, teamID)
		return err
	})
	for i := range apps {
		apps[i].SecretHash = nil
	}
	return apps, err
}

// RotateSecret gives an application a new secret, shown only once, and ends
// its access tokens; the old secret is refused from then on.
func (s *Service) RotateSecret(ctx context.Context, clientID string) (NewApplication, error) {
	plain, hash := secret.Token()
	a, err := s.changeApplication(ctx, clientID, true, audit.SecretRotated, "client_secret", func(a *team.Application, _ time.Time) { a.SecretHash = hash })
	if err != nil {
		return NewApplication{}, err
	}
	return NewApplication{Application: a, Secret: plain}, nil
}

// DisableApplication refuses an application's secret and ends its access
// tokens until EnableApplication; disabling a disabled one changes nothing.
func (s *Service) DisableApplication(ctx context.Context, clientID string) (team.Application, error) {
	return s.changeApplication(ctx, clientID, true, audit.ApplicationDisabled, "disabled_at", func(a *team.Application, now time.Time) { keep(&a.DisabledAt, now) })
}

// EnableApplication lets a disabled application get access tokens again.
func (s *Service) EnableApplication(ctx context.Context, clientID string) (team.Application, error) {
	return s.changeApplication(ctx, clientID, false, audit.ApplicationEnabled, "disabled_at", func(a *team.Application, _ time.Time) { a.DisabledAt = time.Time{} })
}

// SetApplicationPermissions replaces an application's permissions, which
// its live access tokens carry from then on.
func (s *Service) SetApplicationPermissions(ctx context.Context, clientID string, perms team.Permissions) (team.Application, error) {
	if len(perms) == 0 {
		return team.Application{}, errs.New(errs.Invalid, "permissions", "at least one permission is required")
	}
	return s.changeApplication(ctx, clientID, false, audit.PermissionsChanged, "permissions", func(a *team.Application, _ time.Time) { a.Permissions = perms })
}

// changeApplication applies change to the application with the client ID,
// records it as action on field, ends its access tokens if endTokens, and
// drops the cached tokens, so
// that this Service sees the change at once. The application it returns
// has no secret hash.
func (s *Service) changeApplication(ctx context.Context, clientID string, endTokens bool, action, field string, change func(*team.Application, time.Time)) (team.Application, error) {
	switch {
	case clientID == "":
		return team.Application{}, errs.New(errs.Invalid, "client_id", "is required")
	case len(clientID) > 64:
		return team.Application{}, errs.New(errs.Invalid, "client_id", "is longer than 64 characters")
	}
	var a team.Application
	err := s.write(ctx, func(tx storage.Tx, now time.Time) (err error) {
		if a, err = tx.Application(ctx, clientID); err != nil {
			return blame(err, "client_id", "no such application")
		}
		change(&a, now)
		record(tx, Operator(a.TeamID).event(action, "", field))
		if err = tx.UpdateApplication(ctx, a); err != nil || !endTokens {
			return err
		}
		return tx.DeleteTokens(ctx, a.ID)
	})
	s.tokens.clear() // after the commit: no read under way caches a token again
	a.SecretHash = nil
	return a, err
}
