package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// report is the outcome of a run.
type report struct {
	Target      string           `json:"target"`
	Run         string           `json:"run"` // names the seeded team
	TeamID      string           `json:"team_id"`
	Clients     int              `json:"clients"`
	Duration    string           `json:"duration"` // of each phase, at most
	MaxRequests int              `json:"max_requests"`
	Seeded      int              `json:"seeded"`
	CPUs        int              `json:"cpus"`
	Endpoints   []endpointReport `json:"endpoints"`
	// BcryptCeiling is the logins a second this machine can check: one
	// core's bcrypt comparisons a second times the cores.
	BcryptCeiling float64       `json:"bcrypt_ceiling_per_s,omitempty"`
	Memory        *memoryReport `json:"server_memory,omitempty"`
	Attack        *attackReport `json:"attack,omitempty"` // with -attack
}

// endpointReport is what one endpoint measured, beside its ceiling.
type endpointReport struct {
	Name         string   `json:"name"`
	Skipped      string   `json:"skipped,omitempty"` // why it was not driven
	Requests     int      `json:"requests"`
	Errors       int      `json:"errors"`
	ErrorSamples []string `json:"error_samples,omitempty"`
	RPS          float64  `json:"requests_per_s"`
	P50MS        float64  `json:"p50_ms"`
	P99MS        float64  `json:"p99_ms"`
	AnswerBytes  int      `json:"answer_bytes"` // mean size of an answer
	CeilingRPS   float64  `json:"ceiling_requests_per_s,omitempty"`
	CeilingP50MS float64  `json:"ceiling_p50_ms,omitempty"`
	CeilingP99MS float64  `json:"ceiling_p99_ms,omitempty"`
	CeilingErrs  int      `json:"ceiling_errors,omitempty"`
	Share        float64  `json:"share_of_ceiling,omitempty"` // RPS / CeilingRPS
	FloorRPS     float64  `json:"floor_requests_per_s,omitempty"`
	FloorP99MS   float64  `json:"floor_p99_ms,omitempty"`
	FloorErrs    int      `json:"floor_errors,omitempty"`
	FloorShare   float64  `json:"floor_share_of_ceiling,omitempty"` // FloorRPS / CeilingRPS
	BcryptShare  float64  `json:"share_of_bcrypt_ceiling,omitempty"`
}

// memoryReport is the server's peak resident memory.
type memoryReport struct {
	PID          int   `json:"pid"`
	AfterReadsKB int64 `json:"vmhwm_after_reads_kb,omitempty"`
	EndKB        int64 `json:"vmhwm_end_kb"`
}

// measured fills the figures of an endpoint's phase.
func (r *endpointReport) measured(o outcome) {
	r.Requests, r.Errors, r.ErrorSamples = o.requests, o.errors, o.samples
	r.RPS, r.P50MS, r.P99MS = figures(o)
	if o.requests > 0 {
		r.AnswerBytes = int(o.bytes / int64(o.requests))
	}
}

// ceilingMeasured fills the figures of the ceiling's phase.
func (r *endpointReport) ceilingMeasured(o outcome) {
	r.CeilingRPS, r.CeilingP50MS, r.CeilingP99MS = figures(o)
	r.CeilingErrs, r.Share = o.errors, share(r.RPS, r.CeilingRPS)
	r.ErrorSamples = append(r.ErrorSamples, o.samples...)
}

// floorMeasured fills the figures of the floor's phase.
func (r *endpointReport) floorMeasured(o outcome) {
	r.FloorRPS, _, r.FloorP99MS = figures(o)
	r.FloorErrs, r.FloorShare = o.errors, share(r.FloorRPS, r.CeilingRPS)
	r.ErrorSamples = append(r.ErrorSamples, o.samples...)
}

// figures are a phase's requests a second and its median and 99th
// percentile latencies in milliseconds.
func figures(o outcome) (rps, p50, p99 float64) {
	a, b := latencies(o.latencies)
	if o.elapsed > 0 {
		rps = float64(o.requests) / o.elapsed.Seconds()
	}
	return rps, ms(a), ms(b)
}

// share is part's share of whole, or 0 for no whole.
func share(part, whole float64) float64 {
	if whole <= 0 {
		return 0
	}
	return part / whole
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// failed reports whether an endpoint was skipped or answered wrongly.
func (r *report) failed() bool {
	for _, e := range r.Endpoints {
		if e.Skipped != "" || e.Errors > 0 || e.CeilingErrs > 0 || e.FloorErrs > 0 {
			return true
		}
	}
	return r.Attack != nil && (r.Attack.Errors > 0 || r.Attack.UnderAttackErrors > 0)
}

// orDash formats v, or writes "-" for none.
func orDash(format string, v float64) string {
	if v == 0 {
		return "-"
	}
	return fmt.Sprintf(format, v)
}

func (r *report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *report) writeTable(w io.Writer) error {
	fmt.Fprintf(w, "target %s, team %s (%s): %d seeded members, %d clients, at most %s and %d requests per phase, %d CPUs\n\n",
		r.Target, r.TeamID, r.Run, r.Seeded, r.Clients, r.Duration, r.MaxRequests, r.CPUs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "endpoint\trequests\terrors\treq/s\tp50 ms\tp99 ms\tbytes\tceiling req/s\tshare\tceiling p99\tfloor req/s\tfloor share\tfloor p99\t")
	for _, e := range r.Endpoints {
		if e.Skipped != "" {
			fmt.Fprintf(tw, "%s%s\t\n", e.Name, strings.Repeat("\t-", 12))
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
			e.Name, e.Requests, e.Errors, e.RPS, e.P50MS, e.P99MS, e.AnswerBytes,
			orDash("%.0f", e.CeilingRPS), orDash("%.0f%%", 100*e.Share), orDash("%.2f", e.CeilingP99MS),
			orDash("%.0f", e.FloorRPS), orDash("%.0f%%", 100*e.FloorShare), orDash("%.2f", e.FloorP99MS))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.BcryptCeiling > 0 {
		fmt.Fprintf(w, "\nbcrypt ceiling: %.1f logins/s (one core's comparisons a second x %d CPUs)\n", r.BcryptCeiling, r.CPUs)
		for _, e := range r.Endpoints {
			if e.BcryptShare > 0 {
				fmt.Fprintf(w, "%s: %.0f%% of the bcrypt ceiling\n", e.Name, 100*e.BcryptShare)
			}
		}
	}
	if a := r.Attack; a != nil {
		fmt.Fprintf(w, "\nattack: %d connections from %s sent %d logins of new accounts (%d answered 401, %d answered 429, %d wrong);\n",
			a.Connections, a.From, a.Requests, a.Failed, a.Refused, a.Errors)
		fmt.Fprintf(w, "the real user's median login %.2f ms alone, %.2f ms beside it (p99 %.2f ms, %d logins, %d errors): %.2fx\n",
			a.AloneP50MS, a.UnderAttackP50MS, a.UnderAttackP99MS, a.UnderAttackN, a.UnderAttackErrors, a.Ratio)
	}
	if m := r.Memory; m != nil {
		fmt.Fprintf(w, "\nserver (pid %d) peak resident memory (VmHWM): ", m.PID)
		if m.AfterReadsKB > 0 {
			fmt.Fprintf(w, "%.1f MB after the reads, ", float64(m.AfterReadsKB)/1024)
		}
		fmt.Fprintf(w, "%.1f MB at the end\n", float64(m.EndKB)/1024)
	}
	for _, e := range r.Endpoints {
		if e.Skipped != "" {
			fmt.Fprintf(w, "\n%s skipped: %s", e.Name, e.Skipped)
		}
		for _, s := range e.ErrorSamples {
			fmt.Fprintf(w, "\n%s error: %s", e.Name, s)
		}
	}
	fmt.Fprintln(w)
	return nil
}
