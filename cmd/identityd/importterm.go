package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/embedid/identity"
)

// importView is what an import shows as it goes: its progress bars and its
// log lines, on a terminal without the notification lines, and an estimate
// of the time its passwords take to hash.
type importView struct {
	ctx    context.Context
	env    *env // the command's, with the log beneath the bars on a terminal
	bar    *progress
	cost   int // bcrypt's
	hidden atomic.Int64
}

// newImportView shows the import of in, which draws progress bars if it is
// a *progress, for the command's environment e.
func newImportView(ctx context.Context, e *env, in io.Reader, cost int) *importView {
	v := &importView{ctx: ctx, env: e, cost: cost}
	if bar, ok := in.(*progress); ok {
		logged := *e
		logged.log = slog.New(hiding{slog.NewJSONHandler(bar.beneath(), nil), &v.hidden})
		v.env, v.bar = &logged, bar
	}
	return v
}

// begin shows that a reading of the file begins.
func (v *importView) begin(p identity.ImportPass) {
	if v.bar != nil {
		v.bar.begin(p)
	}
	if p.Name == identity.PassHashing {
		estimateHashing(v.ctx, v.env.log, v.cost, p.Passwords)
	}
}

// end ends the last bar's line, so that the answer is printed under it.
func (v *importView) end() {
	if v.bar != nil {
		v.bar.end()
	}
}

// report says how many notification lines the terminal was not shown.
func (v *importView) report() error {
	n := int(v.hidden.Load())
	if n == 0 {
		return nil
	}
	_, err := fmt.Fprintf(v.env.stderr, "identityd: import: %s with codes were not shown on this terminal, nor kept: import with 2>FILE to log them\n",
		plural(n, "notification line", "notification lines"))
	return err
}

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
