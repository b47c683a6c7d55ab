package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBar(t *testing.T) {
	for _, tc := range []struct {
		done, total int64
		want        string
	}{
		{0, 3 << 20, "\rread 1 [>                             ]   0%        0 B/3.0 MiB"},
		{1288490, 3040870, "\rread 1 [============>                 ]  42%    1.2 MiB/2.9 MiB"},
		{3 << 20, 3 << 20, "\rread 1 [==============================] 100%    3.0 MiB/3.0 MiB"},
		{0, 0, "\rread 1 [==============================] 100%        0 B/0 B"},
		{1023, 1 << 40, "\rread 1 [>                             ]   0%     1023 B/1.0 TiB"},
	} {
		if got := bar(1, tc.done, tc.total); got != tc.want {
			t.Errorf("bar(1, %d, %d) = %q, want %q", tc.done, tc.total, got, tc.want)
		}
	}
}

// clockAt is a clock the test moves.
type clockAt struct{ now time.Time }

func (c *clockAt) Now() time.Time { return c.now }

// hundredBytes is a progress bar over a 100-byte file, drawing into out on
// the clock c.
func hundredBytes() (p *progress, c *clockAt, out *bytes.Buffer) {
	out, c = &bytes.Buffer{}, &clockAt{now: time.Unix(0, 0)}
	p = newProgress(fileOf(strings.Repeat("x", 100)), 100, out)
	p.now = c.Now
	return p, c, out
}

func TestProgressRedrawsAtMostEvery100ms(t *testing.T) {
	p, c, out := hundredBytes()
	buf := make([]byte, 10)
	read := func(d time.Duration) {
		c.now = c.now.Add(d)
		if _, err := p.Read(buf); err != nil {
			t.Fatal(err)
		}
	}
	read(time.Second) // drawn
	read(50 * time.Millisecond)
	read(49 * time.Millisecond)
	read(time.Millisecond) // drawn
	if n := strings.Count(out.String(), "\r"); n != 2 {
		t.Fatalf("drawn %d times, want 2: %q", n, out.String())
	}
	if _, err := io.ReadAll(p); err != nil {
		t.Fatal(err)
	}
	p.Close()
	if !strings.HasSuffix(out.String(), "100%      100 B/100 B\n") || strings.Count(out.String(), "\n") != 1 {
		t.Errorf("drawn %q, want one final line at 100%%", out.String())
	}
}

// TestProgressDrawsEachReading reads a file twice, rewinding it between, as
// an import does: one full bar a reading, each on its own line.
func TestProgressDrawsEachReading(t *testing.T) {
	p, _, out := hundredBytes()
	for range 2 {
		if _, err := p.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(p); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "\rread 1 [===") || !strings.HasPrefix(lines[1], "\rread 2 [===") ||
		!strings.HasSuffix(lines[1], "100%      100 B/100 B") {
		t.Errorf("drawn %q, want a full bar for readings 1 and 2", out.String())
	}
}

// TestProgressLogLinesClearTheBar logs a line while a bar is drawn: the
// line replaces the bar, and the next drawing puts the bar under it.
func TestProgressLogLinesClearTheBar(t *testing.T) {
	p, c, out := hundredBytes()
	buf := make([]byte, 10)
	p.Read(buf)
	io.WriteString(p.beneath(), "{\"msg\":\"notification\"}\n")
	c.now = c.now.Add(time.Second)
	p.Read(buf)
	want := "\rread 1 [===>                          ]  10%       10 B/100 B" +
		"\r\033[K{\"msg\":\"notification\"}\n" +
		"\rread 1 [======>                       ]  20%       20 B/100 B"
	if out.String() != want {
		t.Errorf("drawn %q, want %q", out.String(), want)
	}
}

// fileOf is an open file holding text.
func fileOf(text string) io.ReadSeekCloser {
	return struct {
		io.ReadSeeker
		io.Closer
	}{strings.NewReader(text), io.NopCloser(nil)}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) || isTerminal(&bytes.Buffer{}) {
		t.Error("a file or a buffer is taken for a terminal")
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		if !isTerminal(tty) {
			t.Error("/dev/tty is not taken for a terminal")
		}
	}
}
