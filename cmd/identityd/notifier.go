package main

import (
	"context"
	"log/slog"

	"github.com/embedid/identity"
)

// logNotifier delivers codes by logging each one as a line whose message is
// "notification". It is the only place identityd writes a code.
func logNotifier(log *slog.Logger) identity.Notifier {
	return identity.NotifierFunc(func(ctx context.Context, n identity.Notification) error {
		log.LogAttrs(ctx, slog.LevelInfo, "notification",
			slog.String("kind", string(n.Kind)),
			slog.String("to", n.To),
			slog.String("code", n.Code),
			slog.String("team_id", n.TeamID),
			slog.String("user_id", n.UserID),
			slog.Time("expires_at", n.ExpiresAt),
		)
		return nil
	})
}
