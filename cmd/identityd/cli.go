package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"text/tabwriter"
)

// env is what a command reads and writes besides its arguments.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	log    *slog.Logger // JSON lines on stderr
}

// command is one subcommand.
type command struct {
	name    string // as typed, e.g. "project add-member"
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve the HTTP API", serve},
		{"migrate", "apply the database migrations", migrate},
		{"team create", "create an active team", teamCreate},
		{"app create", "register an application and print its secret, once", appCreate},
		{"app list", "list a team's applications, without their secrets", appList},
		{"app rotate-secret", "give an application a new secret, print it once, end its tokens", appRotateSecret},
		{"app disable", "refuse an application's secret and end its tokens", appDisable},
		{"app enable", "let a disabled application get tokens again", appEnable},
		{"app permissions", "replace an application's permissions", appPermissions},
		{"project create", "create a project in a team", projectCreate},
		{"project add-member", "put a member of a team in one of its projects", projectAddMember},
		{"member list", "list a team's members with their user IDs", memberList},
		{"member show", "print one member of a team", memberShow},
		{"import", "import members into a team from a CSV file", importMembers},
		{"events", "print the audit trail as JSON lines, -follow to go on", events},
	}
}

// run runs the command named by args and returns the exit status: 0 on
// success, 1 on a failure, 2 on a mistake in the command line.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, log: slog.New(slog.NewJSONHandler(stderr, nil))}
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "identityd: flags come after the command: %s\n", reordered(args))
		return 2
	}
	cmd, rest, ok := lookup(args)
	if !ok {
		fmt.Fprintf(stderr, "identityd: unknown command %q\n", strings.Join(args[:min(2, len(args))], " "))
		usage(stderr)
		return 2
	}
	return exitStatus(stderr, cmd.name, cmd.run(ctx, e, rest))
}

// lookup finds the command that args start with and returns the rest.
func lookup(args []string) (command, []string, bool) {
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c, args[len(words):], true
		}
	}
	return command{}, nil, false
}

// reordered returns the command line args meant, flags given before the
// command moved after it: "-db X migrate" is "identityd migrate -db X".
func reordered(args []string) string {
	for i := range args {
		if c, rest, ok := lookup(args[i:]); ok {
			return strings.Join(slices.Concat([]string{"identityd", c.name}, args[:i], rest), " ")
		}
	}
	return strings.Join(slices.Concat([]string{"identityd", "<command>"}, args), " ")
}

func usage(w io.Writer) {
	fmt.Fprint(w, "usage: identityd <command> [flags]\n\ncommands:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprint(w, "\nRun 'identityd <command> -h' for the flags of a command.\n")
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// exitStatus reports err, if any, as one line on stderr and returns the exit
// status it calls for.
func exitStatus(stderr io.Writer, name string, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	msg := strings.Join(strings.Fields(err.Error()), " ")
	fmt.Fprintf(stderr, "identityd: %s: %s\n", name, msg)
	var u *usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// printJSON writes v as one line of JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
