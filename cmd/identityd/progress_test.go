package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity"
)

func TestBar(t *testing.T) {
	for _, tc := range []struct {
		done, total int64
		want        string
	}{
		{0, 3 << 20, "\rwriting 2/3             [>                             ]   0%        0 B/3.0 MiB"},
		{1288490, 3040870, "\rwriting 2/3             [============>                 ]  42%    1.2 MiB/2.9 MiB"},
		{3 << 20, 3 << 20, "\rwriting 2/3             [==============================] 100%    3.0 MiB/3.0 MiB"},
		{0, 0, "\rwriting 2/3             [==============================] 100%        0 B/0 B"},
		{1023, 1 << 40, "\rwriting 2/3             [>                             ]   0%     1023 B/1.0 TiB"},
	} {
		if got := bar("writing 2/3", tc.done, tc.total); got != tc.want {
			t.Errorf("bar(writing 2/3, %d, %d) = %q, want %q", tc.done, tc.total, got, tc.want)
		}
	}
}

func TestPassLabel(t *testing.T) {
	for _, tc := range []struct {
		pass identity.ImportPass
		want string
	}{
		{identity.ImportPass{Name: identity.PassChecking, N: 1}, "checking"},
		{identity.ImportPass{Name: identity.PassChecking, N: 1, Of: 3}, "checking 1/3"},
		{identity.ImportPass{Name: identity.PassSending, N: 4, Of: 4}, "sending invitations 4/4"},
		{identity.ImportPass{}, "reading"},
	} {
		if got := passLabel(tc.pass); got != tc.want {
			t.Errorf("passLabel(%+v) = %q, want %q", tc.pass, got, tc.want)
		}
	}
	if n := len(passLabel(identity.ImportPass{Name: identity.PassSending, N: 4, Of: 4})); n > labelWidth {
		t.Errorf("the longest label has %d bytes, the labels' width is %d", n, labelWidth)
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
// an import does: one full bar a reading, each on its own line, labelled
// with the count of readings known once the second begins.
func TestProgressDrawsEachReading(t *testing.T) {
	p, _, out := hundredBytes()
	for _, pass := range []identity.ImportPass{{Name: identity.PassChecking, N: 1}, {Name: identity.PassWriting, N: 2, Of: 2}} {
		p.begin(pass)
		if _, err := p.Seek(0, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(p); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "\rchecking 1/2    ") || !strings.HasPrefix(lines[1], "\rwriting 2/2 ") ||
		!strings.HasSuffix(lines[1], "100%      100 B/100 B") {
		t.Errorf("drawn %q, want a full bar for readings 1 and 2", out.String())
	}
}

// TestProgressLogLinesClearTheBar logs a line while a bar is drawn: the
// line replaces the bar, which is drawn again under it.
func TestProgressLogLinesClearTheBar(t *testing.T) {
	p, _, out := hundredBytes()
	p.begin(identity.ImportPass{Name: identity.PassWriting, N: 2, Of: 3})
	buf := make([]byte, 10)
	p.Read(buf)
	io.WriteString(p.beneath(), "{\"msg\":\"members imported\"}\n")
	p.end()
	io.WriteString(p.beneath(), "{\"msg\":\"after\"}\n")
	const at10 = "\rwriting 2/3             [===>                          ]  10%       10 B/100 B"
	want := at10 + "\r\033[K{\"msg\":\"members imported\"}\n" + at10 + "\n" + "\r\033[K{\"msg\":\"after\"}\n"
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
