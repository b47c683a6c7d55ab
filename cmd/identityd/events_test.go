package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/embedid/identity/audit"
)

// eventLines decodes the JSON lines of identityd events.
func eventLines(t *testing.T, out string) []audit.Event {
	t.Helper()
	var events []audit.Event
	for line := range strings.Lines(out) {
		var ev audit.Event
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		events = append(events, ev)
	}
	return events
}

func TestEventsCommand(t *testing.T) {
	dsn := tempDSN(t)
	a := wantID(t, mustRun(t, nil, []string{"team_id"}, "team", "create", "-db", dsn, "-name", "Acme"), "team_id")
	b := wantID(t, mustRun(t, nil, []string{"team_id"}, "team", "create", "-db", dsn, "-name", "Bravo"), "team_id")

	all := eventLines(t, runCLI(t, nil, "events", "-db", dsn).stdout)
	if len(all) != 2 || all[0].TeamID != a || all[1].TeamID != b || all[0].Action != audit.TeamCreated || all[0].Actor.Kind != audit.Operator {
		t.Fatalf("events printed %+v", all)
	}
	if got := eventLines(t, runCLI(t, nil, "events", "-db", dsn, "-team", b).stdout); len(got) != 1 || got[0].TeamID != b {
		t.Errorf("-team %s printed %+v", b, got)
	}
	if got := eventLines(t, runCLI(t, nil, "events", "-db", dsn, "-after", "1").stdout); len(got) != 1 || got[0].ID != all[1].ID {
		t.Errorf("-after 1 printed %+v", got)
	}

	// -follow prints the events after -after, then each new one as it is
	// committed (here by another process), until interrupted.
	ctx, cancel := context.WithCancel(t.Context())
	r, w := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"events", "-db", dsn, "-follow", "-after", "1"}, strings.NewReader(""), w, io.Discard, func(string) string { return "" })
		w.Close()
	}()
	lines := bufio.NewScanner(r)
	next := func() audit.Event {
		t.Helper()
		if !lines.Scan() {
			t.Fatalf("-follow stopped: %v", lines.Err())
		}
		return eventLines(t, lines.Text()+"\n")[0]
	}
	if ev := next(); ev.ID != all[1].ID {
		t.Fatalf("-follow printed %+v first, want event %d", ev, all[1].ID)
	}
	c := wantID(t, mustRun(t, nil, []string{"team_id"}, "team", "create", "-db", dsn, "-name", "Charlie"), "team_id")
	if ev := next(); ev.TeamID != c { // within FollowPoll, a second: no timing is asserted
		t.Fatalf("-follow printed %+v, want Charlie's creation", ev)
	}
	cancel()
	go io.Copy(io.Discard, r)
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("-follow exited %d when interrupted", code)
		}
	case <-time.After(time.Minute): // a generous bound
		t.Fatal("-follow did not stop within a minute of the interrupt")
	}
}
