package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// attackFrom is the loopback address the attack's connections come from, so
// that the server tells them from the real user's (127.0.0.1).
const attackFrom = "127.0.0.2"

// attackLead is how long the attack runs before the real user's logins are
// measured beside it: long enough, on a 2-core machine, for the attack to
// spend a budget of 100 failures, so that the logins are measured beside
// the attack as it goes on rather than its first burst.
const attackLead = 5 * time.Second

// attackReport is how one address trying new accounts slowed the real
// user's logins from another.
type attackReport struct {
	Connections int    `json:"connections"`
	From        string `json:"from"`
	Requests    int    `json:"requests"`
	Failed      int    `json:"failed_401"`  // refused after a password comparison
	Refused     int    `json:"refused_429"` // refused before one
	Errors      int    `json:"errors"`      // any other answer
	// The real user's logins beside the attack that failed.
	UnderAttackErrors int `json:"under_attack_errors"`
	// AloneP50MS is the real user's median login of the 689.login phase,
	// UnderAttackP50MS that of the same logins driven again beside the
	// attack, and Ratio the second over the first.
	AloneP50MS       float64 `json:"alone_p50_ms"`
	UnderAttackP50MS float64 `json:"under_attack_p50_ms"`
	UnderAttackP99MS float64 `json:"under_attack_p99_ms"`
	UnderAttackN     int     `json:"under_attack_requests"`
	Ratio            float64 `json:"ratio"`
}

// attacker logs in from attackFrom, each time as a new unknown account of
// the seeded team with a wrong password, and counts the answers.
type attacker struct {
	f                      *fixture
	failed, refused, other atomic.Int64
}

// endpoint is the attack as an endpoint: a 401 (the password was compared)
// or a 429 (the address's budget is spent) is a right answer.
func (a *attacker) endpoint() endpoint {
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	return endpoint{name: "attack", call: func(i int) call {
		q := url.Values{"email_address": {fmt.Sprintf("attack-%d-%s@loadgen.example", i, a.f.run)}, "password": {"wrong-password"}, "team_id": {a.f.teamID}}
		return call{http.MethodPost, "/api/user/login", form, []byte(q.Encode()), a.check}
	}}
}

func (a *attacker) check(status int, body []byte) error {
	switch status {
	case http.StatusUnauthorized:
		a.failed.Add(1)
	case http.StatusTooManyRequests:
		a.refused.Add(1)
	default:
		a.other.Add(1)
		return fmt.Errorf("status %d: %s", status, body)
	}
	return nil
}

// driveAttack drives login again on load, from one client address, while
// cfg.attack connections from attackFrom attack, and reports the real
// user's median against alone, its median of the phase without the attack.
func driveAttack(ctx context.Context, load phase, cfg config, f *fixture, login endpoint, alone float64, log io.Writer) attackReport {
	fmt.Fprintf(log, "driving %s beside %d attacking connections from %s ...\n", login.name, cfg.attack, attackFrom)
	a := &attacker{f: f}
	attack := phase{client: newClientFrom(cfg.attack, cfg.timeout, attackFrom), base: load.base, clients: cfg.attack,
		duration: maxDuration, requests: math.MaxInt32}
	defer attack.client.CloseIdleConnections()
	attackCtx, stop := context.WithCancel(ctx)
	var o outcome
	var wg sync.WaitGroup
	wg.Go(func() { o = attack.run(attackCtx, a.endpoint(), ownCheck) })
	select { // the attack under way, and past the budget where there is one
	case <-time.After(attackLead):
	case <-ctx.Done():
	}
	real := load.run(ctx, login, ownCheck)
	stop() // requests cut short by it are not counted as answers
	wg.Wait()
	r := attackReport{Connections: cfg.attack, From: attackFrom, Requests: o.requests,
		Failed: int(a.failed.Load()), Refused: int(a.refused.Load()), Errors: int(a.other.Load()),
		AloneP50MS: alone, UnderAttackN: real.requests, UnderAttackErrors: real.errors}
	_, r.UnderAttackP50MS, r.UnderAttackP99MS = figures(real)
	r.Ratio = share(r.UnderAttackP50MS, alone)
	return r
}
