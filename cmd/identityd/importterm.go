package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/embedid/identity"
)

// importView is what an import shows as it goes: its progress bars and its
// log lines, on a terminal with the notification lines set aside in a file,
// and an estimate of the time its passwords take to hash.
type importView struct {
	ctx   context.Context
	env   *env // the command's, with the log beneath the bars on a terminal
	bar   *progress
	cost  int // bcrypt's
	aside *aside
}

// newImportView shows the import of in, which draws progress bars if it is
// a *progress, for the command's environment e.
func newImportView(ctx context.Context, e *env, in io.Reader, cost int) *importView {
	v := &importView{ctx: ctx, env: e, cost: cost}
	if bar, ok := in.(*progress); ok {
		logged := *e
		v.aside = &aside{name: asideFile}
		logged.log = slog.New(hiding{slog.NewJSONHandler(bar.beneath(), nil), slog.NewJSONHandler(v.aside, nil)})
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

// report says where the notification lines the terminal was not shown
// went, if any did.
func (v *importView) report() error {
	if v.aside == nil {
		return nil
	}
	n, err := v.aside.close()
	if n > 0 {
		_, werr := fmt.Fprintf(v.env.stderr, "identityd: import: %s with codes went to %s (mode 0600), not to this terminal\n",
			plural(n, "notification line", "notification lines"), v.aside.name)
		err = errors.Join(err, werr)
	}
	return err
}

// asideFile is the file of the working directory to which an import shown
// on a terminal appends its notification lines.
const asideFile = "notifications.log"

// aside is a file made, mode 0600, at its first line: where the
// notification lines go while progress bars are shown.
type aside struct {
	name  string
	once  sync.Once
	f     *os.File
	err   error
	lines atomic.Int64
}

func (a *aside) Write(b []byte) (int, error) {
	a.once.Do(func() { a.f, a.err = os.OpenFile(a.name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600) })
	if a.err != nil {
		return 0, a.err
	}
	a.lines.Add(1)
	return a.f.Write(b)
}

// close closes the file, if one was made, and returns how many lines it
// was given.
func (a *aside) close() (int, error) {
	n := int(a.lines.Load())
	if a.f == nil {
		return n, a.err
	}
	return n, a.f.Close()
}

// hiding is a log handler that hands the notification lines to aside and
// the others to shown: the codes of an import would scroll its progress
// bars off the terminal.
type hiding struct{ shown, aside slog.Handler }

func (h hiding) Enabled(ctx context.Context, l slog.Level) bool { return h.shown.Enabled(ctx, l) }

func (h hiding) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "notification" {
		return h.aside.Handle(ctx, r)
	}
	return h.shown.Handle(ctx, r)
}

func (h hiding) WithAttrs(as []slog.Attr) slog.Handler {
	return hiding{h.shown.WithAttrs(as), h.aside.WithAttrs(as)}
}

func (h hiding) WithGroup(name string) slog.Handler {
	return hiding{h.shown.WithGroup(name), h.aside.WithGroup(name)}
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
