package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/embedid/identity"
	"github.com/embedid/identity/storage"
)

// withService opens the store at dsn, builds a service on it with c, applies
// the migrations, delivers the codes due in the outbox (those a process
// committed but died before delivering, and retries), runs fn on the
// service, and closes the store.
func withService(ctx context.Context, e *env, dsn string, c config, fn func(*identity.Service) error) (err error) {
	store, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	svc, err := newService(store, c, e.log)
	if err != nil {
		return err
	}
	if err := store.Migrate(ctx); err != nil {
		return err
	}
	if _, err := svc.Deliver(ctx); err != nil {
		return err
	}
	return fn(svc)
}

// openStore opens the store at dsn; a DSN it cannot read is a mistake in the
// command line.
func openStore(ctx context.Context, dsn string) (*storage.DB, error) {
	store, err := storage.Open(ctx, dsn)
	if identity.ErrorCode(err) == identity.CodeInvalid {
		return nil, usagef("%s", identity.ErrorMessage(err))
	}
	return store, err
}

// newService builds the service with the logging notifier; a bad option is a
// mistake in the command line.
func newService(store storage.Store, c config, log *slog.Logger) (*identity.Service, error) {
	opts := []identity.Option{
		identity.WithNotifier(logNotifier(log)),
		identity.WithLogger(log),
		identity.WithBcryptCost(c.bcryptCost),
		identity.WithActivationTTL(c.activationTTL),
		identity.WithTokenTTL(c.tokenTTL),
		identity.WithSessionIdle(c.sessionIdle.Normal, c.sessionIdle.KeepMeLogin),
		identity.WithSessionMaxAge(c.sessionMaxAge.Normal, c.sessionMaxAge.KeepMeLogin),
		identity.WithDatabaseTimeout(c.dbTimeout),
		identity.WithDatabaseConcurrency(c.dbConcurrency),
		identity.WithAddressBudget(c.budget, c.budgetWindow),
		identity.WithEventRetention(c.eventRetention),
		identity.WithObserver(c.observer),
	}
	if c.region != "" {
		opts = append(opts, identity.WithDefaultRegion(c.region))
	}
	svc, err := identity.New(store, opts...)
	if err != nil {
		return nil, usagef("%s", identity.ErrorMessage(err))
	}
	return svc, nil
}
