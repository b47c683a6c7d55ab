package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// The ceiling and the floor answer every request with a fixed JSON body of
// the endpoint's mean size; the floor first reads the member the request
// asks for (floor.go). Each runs, for one phase, in a process of its own,
// as the server under test does: the load generator started again with
// the serve command. A handler inside the load generator's own process
// shares the client's scheduler and network poller, which no server can:
// it answered about a tenth more requests a second than the same handler
// in a process of its own (BENCHMARKS.md), and so made every share smaller
// than it is.

// fixedBody returns a JSON object of n bytes, or of 10 if n is smaller.
func fixedBody(n int) []byte {
	const frame = `{"pad":""}`
	b := append([]byte(frame[:8]), bytes.Repeat([]byte{'x'}, max(0, n-len(frame)))...)
	return append(b, frame[8:]...)
}

// maxFloorBody bounds the request body the floor reads for its key.
const maxFloorBody = 1 << 20

// fixedHandler reads the request and answers body; read, if not nil, runs
// first with the request and its body, and its error is a 500 answer.
func fixedHandler(body []byte, read func(*http.Request, []byte) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var err error
		if read == nil {
			_, err = io.Copy(io.Discard, r.Body)
		} else if in, rerr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFloorBody)); rerr != nil {
			err = rerr
		} else {
			err = read(r, in)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}

// serveFixed is the serve command: it serves the ceiling, or with -db and
// -team the floor, on a free loopback port, prints the server's URL on a
// line of stdout, and serves until stdin ends.
func serveFixed(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	size := fs.Int("size", 64, "the size of the answer in bytes")
	dsn := fs.String("db", "", "the store to read members from: the floor")
	team := fs.String("team", "", "the team whose members the floor reads")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var read func(*http.Request, []byte) error
	if *dsn != "" {
		r, closeStore, err := openFloor(ctx, *dsn, *team)
		if err != nil {
			return err
		}
		defer closeStore()
		read = r
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: fixedHandler(fixedBody(*size), read)}
	go srv.Serve(ln)
	defer srv.Close()
	if _, err := fmt.Fprintf(stdout, "http://%s\n", ln.Addr()); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, stdin)
	return err
}

// A fixedServer is a ceiling or floor process, serving for one phase.
type fixedServer struct {
	name  string
	base  string
	want  int // bytes in an answer
	cmd   *exec.Cmd
	stdin io.Closer
}

// startFixed starts the load generator's executable again as the ceiling,
// answering size bytes, or, given dsn and team, as the floor.
func startFixed(ctx context.Context, size int, dsn, team string) (*fixedServer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	s := &fixedServer{name: "ceiling", want: len(fixedBody(size))}
	args := []string{"serve", "-size", strconv.Itoa(size)}
	if dsn != "" {
		s.name, args = "floor", append(args, "-db", dsn, "-team", team)
	}
	s.cmd = exec.CommandContext(ctx, exe, args...)
	s.cmd.Stderr = os.Stderr
	stdin, err := s.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the %s: %w", s.name, err)
	}
	s.stdin = stdin
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if s.base = strings.TrimSpace(line); err != nil || !strings.HasPrefix(s.base, "http://127.0.0.1:") {
		return nil, errors.Join(fmt.Errorf("the %s did not start: %q, %v", s.name, line, err), s.stop())
	}
	return s, nil
}

// check accepts any 200 answer of the handler's size.
func (s *fixedServer) check(call) func(int, []byte) error {
	return func(status int, body []byte) error {
		if status != http.StatusOK || len(body) != s.want {
			return fmt.Errorf("%s answered %d with %d bytes, want 200 with %d: %.80s", s.name, status, len(body), s.want, body)
		}
		return nil
	}
}

// stop ends the process: it closes stdin, and kills it if it has not
// exited a few seconds later.
func (s *fixedServer) stop() error {
	s.stdin.Close()
	done := time.AfterFunc(5*time.Second, func() { s.cmd.Process.Kill() })
	defer done.Stop()
	if err := s.cmd.Wait(); err != nil {
		return fmt.Errorf("the %s: %w", s.name, err)
	}
	return nil
}
