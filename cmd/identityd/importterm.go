package main

import (
	"context"
	"log/slog"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// hiding is a log handler that drops the notification lines, counting them,
// and hands on the others: the codes of an import would scroll its progress
// bars off the terminal.
type hiding struct {
	slog.Handler
	hidden *atomic.Int64
}

func (h hiding) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "notification" {
		h.hidden.Add(1)
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h hiding) WithAttrs(as []slog.Attr) slog.Handler {
	return hiding{h.Handler.WithAttrs(as), h.hidden}
}

func (h hiding) WithGroup(name string) slog.Handler {
	return hiding{h.Handler.WithGroup(name), h.hidden}
}

// worthSaying is how long hashing must be expected to take for an import to
// say so before it begins.
const worthSaying = 3 * time.Second

// estimateHashing times one bcrypt hash at cost and logs how long hashing
// passwords of them will take on every core, if it is worth saying.
func estimateHashing(ctx context.Context, log *slog.Logger, cost, passwords int) {
	start := time.Now()
	if _, err := bcrypt.GenerateFromPassword([]byte("a password to time bcrypt with"), cost); err != nil {
		return // the import refuses the cost itself
	}
	one, cores := time.Since(start), runtime.GOMAXPROCS(0)
	rounds := (passwords + cores - 1) / cores
	if d := one * time.Duration(rounds); d >= worthSaying {
		log.InfoContext(ctx, "hashing passwords", "passwords", passwords, "bcrypt_cost", cost, "cores", cores,
			"one_hash", one.Round(time.Millisecond).String(), "estimate", d.Round(time.Second).String())
	}
}
