// Command loadgen measures a running identityd server: it seeds a new team
// into the server's store through the identity library, then drives the
// server's hot endpoints over loopback one after another, each at a fixed
// concurrency for a bounded time and number of requests, checks every
// answer, and reports per endpoint the requests a second, the median and
// 99th-percentile latencies and the errors. Beside each endpoint it drives a
// trivial handler that serves a fixed JSON body of the same size as the
// endpoint's answers, with the same client at the same concurrency, and
// reports the endpoint's share of that ceiling and the ceiling's own 99th
// percentile, the least tail the machine allows. Beside each lookup it also
// drives the floor: the same handler, which first reads the member the
// request asks for with one prepared statement of plain database/sql on
// the server's store, as the least an HTTP lookup can cost there; its
// share of the ceiling is the floor share. The ceiling and the floor run,
// phase by phase, in processes of their own, as the server does: the load
// generator started again with the internal command "serve".
//
// Usage:
//
//	go run ./cmd/loadgen -target http://127.0.0.1:8080 -db sqlite:identity.db \
//		-c 8 -d 10s -n 200000 [-seed 2000] [-endpoints LIST] [-pid PID] [-attack N] [-json]
//
// With -attack N, after 689.login it drives login again beside N
// connections from 127.0.0.2 that each time log in as a new unknown account
// of the team with a wrong password, and reports the real user's median
// login beside the attack against its median alone (run it with
// -endpoints 689.login -c 1 for one real user).
//
// -db is the store the server runs on, as identityd's -db takes it; the
// target must be a loopback address or localhost; -pid reports the
// server's peak resident memory. -h lists every flag with its default.
//
// The endpoints, driven in this order (reads first, so that the lists see
// exactly the seeded members):
//
//	tenant.user-by-mobile   POST /api/v2/tenant/users/user-by-mobile
//	v5.profile-fetch        GET  /api/v5/entity/profile/fetch
//	portal.base-info        POST /app-portal-service/v2.2/user/getUserBaseInfo (by email)
//	689.list-page1          POST /api/user/list (page_number 0, sort_key 6)
//	689.list-page150        POST /api/user/list (page_number 150, sort_key 6)
//	689.login               POST /api/user/login
//	v5.user-create          POST /api/v5/entity/user/create (new mobile numbers)
//
// Every run seeds a new team named after the run, its admin (with a
// password, for login and list), an application allowed "all" and its
// access token, and -seed members with CN mobiles and unique emails
// (imported as a CSV without passwords), all through the library's use
// cases. Each run keeps a block of mobile numbers, for its members and its
// creates, which the store records through the library (the admin's email
// and the team's name), so runs on one store never collide. The
// bcrypt ceiling of login is this machine's rate of one bcrypt comparison at
// the admin's cost, times its cores. An endpoint that does not answer its
// first request correctly is reported as skipped rather than driven.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the load generator and returns its exit status: 0 when every
// answer was right, 1 on a failure or a wrong answer, 2 on a bad flag.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "serve" {
		if err := serveFixed(ctx, args[1:], os.Stdin, stdout, stderr); err != nil {
			fmt.Fprintln(stderr, "loadgen serve:", err)
			return 1
		}
		return 0
	}
	cfg, err := parseConfig(args, stderr)
	if err != nil {
		if err == errHelp {
			return 0
		}
		fmt.Fprintln(stderr, "loadgen:", err)
		return 2
	}
	rep, err := generate(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 1
	}
	if cfg.json {
		err = rep.writeJSON(stdout)
	} else {
		err = rep.writeTable(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 1
	}
	if rep.failed() {
		return 1
	}
	return 0
}
