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
// bar on a terminal, at most every redrawEvery, and in full at the end.
type progress struct {
	r     io.ReadCloser
	out   io.Writer
	total int64
	done  int64
	now   func() time.Time
	last  time.Time // of the latest drawing
	ended bool
}

func newProgress(r io.ReadCloser, total int64, out io.Writer) *progress {
	return &progress{r: r, out: out, total: total, now: time.Now}
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.done += int64(n)
	if err == io.EOF {
		p.end()
	} else if t := p.now(); t.Sub(p.last) >= redrawEvery {
		p.last = t
		io.WriteString(p.out, bar(p.done, p.total))
	}
	return n, err
}

// Close ends the bar's line and closes the file.
func (p *progress) Close() error {
	p.end()
	return p.r.Close()
}

// end draws the bar a last time and ends its line, once.
func (p *progress) end() {
	if !p.ended {
		p.ended = true
		io.WriteString(p.out, bar(p.done, p.total)+"\n")
	}
}

// bar draws done of total as "\r[=====>    ]  42%   1.2 MiB/2.9 MiB".
func bar(done, total int64) string {
	frac := 1.0
	if total > 0 {
		frac = min(max(float64(done)/float64(total), 0), 1)
	}
	fill := int(frac * barWidth)
	head := ""
	if fill < barWidth {
		head = ">" + strings.Repeat(" ", barWidth-fill-1)
	}
	return fmt.Sprintf("\r[%s%s] %3d%% %10s/%s", strings.Repeat("=", fill), head, int(frac*100), humanBytes(done), humanBytes(total))
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
