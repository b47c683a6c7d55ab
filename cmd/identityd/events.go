package main

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/embedid/identity"
	"github.com/embedid/identity/audit"
	"github.com/embedid/identity/storage"
)

// events prints the events after -after as JSON lines, oldest first, of one
// team with -team; with -follow it goes on printing them as they are
// committed until interrupted.
func events(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("events", "")
	db := fs.db()
	after := fs.Int64("after", 0, "print the events after the one with this `ID`")
	follow := fs.Bool("follow", false, "go on printing events as they are committed, until interrupted")
	teamID := fs.String("team", "", "print only the events of the team with this `ID`")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if *after < 0 {
		return usagef("-after must not be negative, got %d", *after)
	}
	return withService(ctx, e, *db, defaultConfig(), func(svc *identity.Service) error {
		enc := json.NewEncoder(e.stdout)
		emit := func(ev audit.Event) error {
			if *teamID != "" && ev.TeamID != *teamID {
				return nil
			}
			return enc.Encode(ev)
		}
		if *follow {
			err := svc.Follow(ctx, *after, emit)
			if errors.Is(err, context.Canceled) {
				return nil // interrupted
			}
			return err
		}
		return printEvents(ctx, svc.Store(), *after, emit)
	})
}

// printEvents hands emit every event after the ID after, in ID order.
func printEvents(ctx context.Context, store storage.Store, after int64, emit func(audit.Event) error) error {
	for {
		var page []audit.Event
		err := store.Query(ctx, func(r storage.Reads) (err error) {
			page, err = r.EventsAfter(ctx, after, 1000)
			return err
		})
		if err != nil || len(page) == 0 {
			return err
		}
		for _, ev := range page {
			if err := emit(ev); err != nil {
				return err
			}
			after = ev.ID
		}
	}
}

// pruneEvery is how often serve deletes the events older than the
// retention.
const pruneEvery = 5 * time.Minute

// pruneEvents deletes the events older than the retention every pruneEvery
// until ctx is done, logging what it deleted and any failure.
func pruneEvents(ctx context.Context, svc *identity.Service, e *env) {
	tick := time.NewTicker(pruneEvery)
	defer tick.Stop()
	for {
		n, err := svc.PruneEvents(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			e.log.Error("pruning events failed", "error", err)
		case n > 0:
			e.log.Info("events pruned", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
