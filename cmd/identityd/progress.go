package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Drawing of the progress bar.
const (
	barWidth    = 30
	redrawEvery = 100 * time.Millisecond
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
// bar on a terminal, at most every redrawEvery, and in full at the end. An
// import reads its file more than once, rewinding it between: each reading
// gets a bar of its own, on its own line.
type progress struct {
	f     io.ReadSeekCloser
	out   io.Writer
	total int64
	done  int64
	pass  int // which reading of the file this is, from 1
	now   func() time.Time
	last  time.Time // of the latest drawing
	ended bool      // the bar of this reading was drawn in full
}

func newProgress(f io.ReadSeekCloser, total int64, out io.Writer) *progress {
	return &progress{f: f, out: out, total: total, pass: 1, now: time.Now}
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.f.Read(b)
	p.done += int64(n)
	if err == io.EOF {
		p.end()
	} else if t := p.now(); t.Sub(p.last) >= redrawEvery {
		p.last = t
		io.WriteString(p.out, bar(p.pass, p.done, p.total))
	}
	return n, err
}

// Seek moves in the file. Going back to the start after reading begins the
// next reading's bar.
func (p *progress) Seek(offset int64, whence int) (int64, error) {
	at, err := p.f.Seek(offset, whence)
	if err == nil && whence == io.SeekStart && p.done > 0 {
		p.end()
		p.pass, p.ended = p.pass+1, false
	}
	if err == nil {
		p.done = at
	}
	return at, err
}

// Close ends the bar's line and closes the file.
func (p *progress) Close() error {
	p.end()
	return p.f.Close()
}

// beneath returns a writer for log lines on the bar's terminal: it clears
// the bar's line before each one, and the next drawing puts the bar back,
// under it. Lines are logged by the goroutine that reads the file.
func (p *progress) beneath() io.Writer { return clearing{p.out} }

// clearing writes to a terminal after clearing the line the cursor is on.
type clearing struct{ out io.Writer }

func (c clearing) Write(b []byte) (int, error) {
	if _, err := io.WriteString(c.out, "\r\033[K"); err != nil {
		return 0, err
	}
	return c.out.Write(b)
}

// end draws the bar a last time and ends its line, once a reading.
func (p *progress) end() {
	if !p.ended {
		p.ended = true
		io.WriteString(p.out, bar(p.pass, p.done, p.total)+"\n")
	}
}

// bar draws done of total, in the given reading of the file, as
// "\rread 1 [=====>    ]  42%   1.2 MiB/2.9 MiB".
func bar(pass int, done, total int64) string {
	frac := 1.0
	if total > 0 {
		frac = min(max(float64(done)/float64(total), 0), 1)
	}
	fill := int(frac * barWidth)
	head := ""
	if fill < barWidth {
		head = ">" + strings.Repeat(" ", barWidth-fill-1)
	}
	return fmt.Sprintf("\rread %d [%s%s] %3d%% %10s/%s", pass, strings.Repeat("=", fill), head, int(frac*100), humanBytes(done), humanBytes(total))
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
