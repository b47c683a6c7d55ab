package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// percentile returns the p-th percentile (0 < p <= 100) of sorted latencies
// by the nearest-rank method: the smallest latency that at least p percent
// of them do not exceed. It is 0 for no latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(float64(len(sorted))*p/100 + 0.999999999) // ceil, forgiving rounding error
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// latencies sorts ds and returns their median and 99th percentile.
func latencies(ds []time.Duration) (p50, p99 time.Duration) {
	slices.Sort(ds)
	return percentile(ds, 50), percentile(ds, 99)
}

// statusKB reads a "Name:   1234 kB" line of a /proc/PID/status file.
func statusKB(r io.Reader, name string) (int64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || key != name {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("unexpected %s line %q", name, sc.Text())
		}
		return strconv.ParseInt(fields[0], 10, 64)
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no %s line", name)
}

// peakMemoryKB returns the peak resident memory (VmHWM) of a process.
func peakMemoryKB(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return statusKB(f, "VmHWM")
}

// bcryptCeiling measures how many bcrypt comparisons at cost one goroutine
// makes a second, for about a second, and returns that times the CPUs: the
// most logins a second this machine can check.
func bcryptCeiling(cost int) (float64, error) {
	pw := []byte("load-password")
	hash, err := bcrypt.GenerateFromPassword(pw, cost)
	if err != nil {
		return 0, err
	}
	n, start := 0, time.Now()
	for ; n < 3 || time.Since(start) < time.Second; n++ {
		if err := bcrypt.CompareHashAndPassword(hash, pw); err != nil {
			return 0, err
		}
	}
	return float64(n) / time.Since(start).Seconds() * float64(runtime.NumCPU()), nil
}
