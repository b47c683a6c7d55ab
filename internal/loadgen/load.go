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
	f, err := seed(ctx, cfg.db, cfg.seed, cfg.bcryptCost, tokenTTL)
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
	var ceil *ceiling
	if cfg.ceiling {
		if ceil, err = startCeiling(); err != nil {
			return nil, fmt.Errorf("start the ceiling handler: %w", err)
		}
		defer ceil.close()
	}
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
		rep.Endpoints = append(rep.Endpoints, drive(ctx, load, ceil, e, log))
		if r := &rep.Endpoints[len(rep.Endpoints)-1]; e.name == "689.login" && rep.BcryptCeiling > 0 {
			r.BcryptShare = r.RPS / rep.BcryptCeiling
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

// drive checks the endpoint's first answer, then drives it and, if ceil is
// not nil, the ceiling with answers of the endpoint's mean size.
func drive(ctx context.Context, load phase, ceil *ceiling, e endpoint, log io.Writer) endpointReport {
	r := endpointReport{Name: e.name}
	first := e.call(0)
	if _, err := load.do(ctx, first, first.check); err != nil {
		r.Skipped = "the first answer was wrong: " + err.Error()
		fmt.Fprintf(log, "skipping %s: %v\n", e.name, err)
		return r
	}
	fmt.Fprintf(log, "driving %s ...\n", e.name)
	r.measured(load.run(ctx, e, ownCheck))
	if ceil != nil && r.Requests > 0 {
		ceil.setSize(r.AnswerBytes)
		c := load
		c.base = ceil.base
		r.ceilingMeasured(c.run(ctx, e, ceil.check))
	}
	return r
}
