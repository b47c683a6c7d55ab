package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"
)

// generate seeds the fixture, drives every selected endpoint and its
// ceiling, and returns the report. Progress goes to log.
func generate(ctx context.Context, cfg config, log io.Writer) (*report, error) {
	// The token must outlive the run: every phase and its ceiling, and slack.
	tokenTTL := 30*time.Minute + time.Duration(2*len(cfg.endpoints))*cfg.duration
	fmt.Fprintf(log, "seeding %d members into %s ...\n", cfg.seed, cfg.db)
	start := time.Now()
	s := seeding{members: cfg.seed, bcryptCost: cfg.bcryptCost, tokenTTL: tokenTTL}
	if slices.Contains(cfg.endpoints, "v5.user-create") {
		s.creates = cfg.requests + 1 // the first, checked, and the driven
	}
	f, err := seed(ctx, cfg.db, s)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(log, "seeded team %s in %v\n", f.teamID, time.Since(start).Round(time.Millisecond))
	rep := &report{
		Target: cfg.target.String(), Run: f.run, TeamID: f.teamID, Clients: cfg.clients,
		Duration: cfg.duration.String(), MaxRequests: cfg.requests, Seeded: cfg.seed, CPUs: runtime.NumCPU(),
	}
	if slices.Contains(cfg.endpoints, "689.login") {
		if rep.BcryptCeiling, err = bcryptCeiling(cfg.bcryptCost); err != nil {
			return nil, err
		}
	}
	client := newClient(cfg.clients, cfg.timeout)
	defer client.CloseIdleConnections()
	load := phase{client: client, base: rep.Target, clients: cfg.clients, duration: cfg.duration, requests: cfg.requests}
	for _, e := range endpoints(f, cfg.endpoints) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !e.read && cfg.pid > 0 && rep.Memory == nil {
			rep.Memory = &memoryReport{PID: cfg.pid}
			if rep.Memory.AfterReadsKB, err = peakMemoryKB(cfg.pid); err != nil {
				return nil, err
			}
		}
		r, err := drive(ctx, load, cfg, f.teamID, e, log)
		if err != nil {
			return nil, err
		}
		rep.Endpoints = append(rep.Endpoints, r)
		if r := &rep.Endpoints[len(rep.Endpoints)-1]; e.name == "689.login" && rep.BcryptCeiling > 0 {
			r.BcryptShare = share(r.RPS, rep.BcryptCeiling)
		}
		if r := rep.Endpoints[len(rep.Endpoints)-1]; e.name == "689.login" && cfg.attack > 0 && r.Requests > 0 {
			a := driveAttack(ctx, load, cfg, f, e, r.P50MS, log)
			rep.Attack = &a
		}
	}
	if cfg.pid > 0 {
		if rep.Memory == nil {
			rep.Memory = &memoryReport{PID: cfg.pid}
		}
		if rep.Memory.EndKB, err = peakMemoryKB(cfg.pid); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// drive checks the endpoint's first answer, then drives it and, as cfg
// asks, the ceiling and, for a lookup, the floor, with answers of the
// endpoint's mean size.
func drive(ctx context.Context, load phase, cfg config, teamID string, e endpoint, log io.Writer) (endpointReport, error) {
	r := endpointReport{Name: e.name}
	first := e.call(0)
	if _, err := load.do(ctx, first, first.check); err != nil {
		r.Skipped = "the first answer was wrong: " + err.Error()
		fmt.Fprintf(log, "skipping %s: %v\n", e.name, err)
		return r, nil
	}
	fmt.Fprintf(log, "driving %s ...\n", e.name)
	r.measured(load.run(ctx, e, ownCheck))
	if r.Requests == 0 {
		return r, nil
	}
	if cfg.ceiling {
		o, err := driveFixed(ctx, load, e, r.AnswerBytes, "", "")
		if err != nil {
			return r, err
		}
		r.ceilingMeasured(o)
	}
	if cfg.floor && e.floor {
		o, err := driveFixed(ctx, load, e, r.AnswerBytes, cfg.db, teamID)
		if err != nil {
			return r, err
		}
		r.floorMeasured(o)
	}
	return r, nil
}

// driveFixed drives the endpoint's requests at the ceiling answering size
// bytes or, given dsn and team, at the floor.
func driveFixed(ctx context.Context, load phase, e endpoint, size int, dsn, team string) (outcome, error) {
	s, err := startFixed(ctx, size, dsn, team)
	if err != nil {
		return outcome{}, err
	}
	load.base = s.base
	o := load.run(ctx, e, s.check)
	return o, s.stop()
}
