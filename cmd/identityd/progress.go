package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/embedid/identity"
)

// Drawing of the progress bar.
const (
	barWidth    = 30
	redrawEvery = 100 * time.Millisecond
	labelWidth  = len(identity.PassSending + " 4/4")
)

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progress reads a file of known size and draws how much of it was read as a
// bar on a terminal, at most every redrawEvery, and in full at the end of the
// file. An import reads its file more than once: each reading gets a bar of
// its own, on its own line, labelled with what it does, from begin.
type progress struct {
	mu    sync.Mutex
	f     io.ReadSeekCloser
	out   io.Writer
	total int64
	done  int64
	pass  identity.ImportPass // the reading under way
	now   func() time.Time
	last  time.Time // of the latest drawing
	drawn bool      // the bar is on the cursor's line, which is not ended yet
}

func newProgress(f io.ReadSeekCloser, total int64, out io.Writer) *progress {
	return &progress{f: f, out: out, total: total, now: time.Now}
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.f.Read(b)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += int64(n)
	if t := p.now(); err == io.EOF || t.Sub(p.last) >= redrawEvery {
		p.last = t
		p.draw()
	}
	return n, err
}

// Seek moves in the file.
func (p *progress) Seek(offset int64, whence int) (int64, error) {
	at, err := p.f.Seek(offset, whence)
	if err == nil {
		p.mu.Lock()
		p.done = at
		p.mu.Unlock()
	}
	return at, err
}

// begin labels the bar of the reading that begins. The bar of the reading
// before it, if any, is drawn a last time with the count of readings now
// known, and its line ended.
func (p *progress) begin(next identity.ImportPass) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		p.pass.Of = next.Of
		p.draw()
		p.endLine()
	}
	p.pass, p.last = next, time.Time{}
}

// end ends the bar's line, if one is drawn, so that what follows is not
// written after the bar.
func (p *progress) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endLine()
}

// Close ends the bar's line and closes the file.
func (p *progress) Close() error {
	p.end()
	return p.f.Close()
}

// beneath returns a writer for log lines on the bar's terminal: it clears
// the bar's line before each one and draws the bar again under it.
func (p *progress) beneath() io.Writer { return beneath{p} }

type beneath struct{ p *progress }

func (w beneath) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	if _, err := io.WriteString(w.p.out, "\r\033[K"); err != nil {
		return 0, err
	}
	n, err := w.p.out.Write(b)
	if err == nil && w.p.drawn {
		w.p.draw()
	}
	return n, err
}

// draw draws the bar on the cursor's line.
func (p *progress) draw() {
	io.WriteString(p.out, bar(passLabel(p.pass), p.done, p.total))
	p.drawn = true
}

// endLine ends the bar's line, if one is drawn.
func (p *progress) endLine() {
	if p.drawn {
		io.WriteString(p.out, "\n")
		p.drawn = false
	}
}

// passLabel says what a reading does and which of how many it is: "writing
// 2/3", or "checking" while the count is unknown.
func passLabel(r identity.ImportPass) string {
	switch {
	case r.Name == "":
		return "reading"
	case r.Of == 0:
		return r.Name
	}
	return fmt.Sprintf("%s %d/%d", r.Name, r.N, r.Of)
}

// bar draws done of total after label, as
// "\rwriting 2/3 [=====>    ]  42%   1.2 MiB/2.9 MiB".
func bar(label string, done, total int64) string {
	frac := 1.0
	if total > 0 {
		frac = min(max(float64(done)/float64(total), 0), 1)
	}
	fill := int(frac * barWidth)
	head := ""
	if fill < barWidth {
		head = ">" + strings.Repeat(" ", barWidth-fill-1)
	}
	return fmt.Sprintf("\r%-*s [%s%s] %3d%% %10s/%s", labelWidth, label, strings.Repeat("=", fill), head, int(frac*100), humanBytes(done), humanBytes(total))
}

// humanBytes formats n in binary units: 512 B, 1.2 MiB.
func humanBytes(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v, unit := float64(n)/1024, 0
	for v >= 1024 && unit < 3 {
		v /= 1024
		unit++
	}
	return fmt.Sprintf("%.1f %s", v, [...]string{"KiB", "MiB", "GiB", "TiB"}[unit])
}
