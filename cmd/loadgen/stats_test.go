package main

import (
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, tc := range []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 50, 7 * time.Millisecond},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2), 50, 1 * time.Millisecond},
		{ms(1, 2, 3), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 99, 4 * time.Millisecond},
		{ms(hundred...), 50, 50 * time.Millisecond},
		{ms(hundred...), 99, 99 * time.Millisecond},
		{ms(hundred...), 100, 100 * time.Millisecond},
		{ms(hundred...), 0.5, 1 * time.Millisecond},
	} {
		if got := percentile(tc.sorted, tc.p); got != tc.want {
			t.Errorf("percentile(%d values, %v) = %v, want %v", len(tc.sorted), tc.p, got, tc.want)
		}
	}
}

func TestLatenciesSorts(t *testing.T) {
	p50, p99 := latencies([]time.Duration{5, 1, 4, 2, 3})
	if p50 != 3 || p99 != 5 {
		t.Errorf("got p50 %v, p99 %v; want 3, 5", p50, p99)
	}
}

func TestStatusKB(t *testing.T) {
	status := "Name:\tidentityd\nVmPeak:\t  812340 kB\nVmHWM:\t   41236 kB\nVmRSS:\t   40000 kB\n"
	if kb, err := statusKB(strings.NewReader(status), "VmHWM"); err != nil || kb != 41236 {
		t.Errorf("VmHWM = %d, %v; want 41236", kb, err)
	}
	if _, err := statusKB(strings.NewReader("Name:\tx\n"), "VmHWM"); err == nil {
		t.Error("a missing line was not an error")
	}
	if _, err := statusKB(strings.NewReader("VmHWM:\t12 MB\n"), "VmHWM"); err == nil {
		t.Error("a line in another unit was not an error")
	}
}
