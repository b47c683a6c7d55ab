package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseConfigDefaults(t *testing.T) {
	c, err := parseConfig([]string{"-db", "sqlite:identity.db"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.target.String() != "http://127.0.0.1:8080" || c.clients != 8 || c.duration != 10*time.Second ||
		c.requests != 200_000 || c.seed != 2000 || !c.ceiling || c.json || c.pid != 0 {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if len(c.endpoints) != len(endpointNames) {
		t.Errorf("endpoints = %q, want all", c.endpoints)
	}
}

func TestParseConfigFlags(t *testing.T) {
	c, err := parseConfig([]string{"-target", "http://localhost:9000/", "-db", "sqlite:x.db", "-c", "4", "-d", "2s",
		"-n", "50", "-seed", "1600", "-pid", "42", "-json", "-endpoints", "v5.user-create, 689.login", "-attack", "16"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.target.String() != "http://localhost:9000" || c.clients != 4 || c.duration != 2*time.Second ||
		c.requests != 50 || c.seed != 1600 || c.pid != 42 || !c.json || c.attack != 16 {
		t.Errorf("flags not taken: %+v", c)
	}
	if strings.Join(c.endpoints, ",") != "689.login,v5.user-create" {
		t.Errorf("endpoints = %q, want the canonical order", c.endpoints)
	}
}

func TestParseConfigRefuses(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "-db is required"},
		{[]string{"-db", "x", "-c", "0"}, "-c must be"},
		{[]string{"-db", "x", "-c", "100000"}, "-c must be"},
		{[]string{"-db", "x", "-d", "0s"}, "-d must be"},
		{[]string{"-db", "x", "-d", "2h"}, "-d must be"},
		{[]string{"-db", "x", "-n", "0"}, "-n must be"},
		{[]string{"-db", "x", "-seed", "0"}, "-seed must be"},
		{[]string{"-db", "x", "-pid", "-1"}, "-pid must be"},
		{[]string{"-db", "x", "-timeout", "0s"}, "-timeout must be"},
		{[]string{"-db", "x", "-bcrypt-cost", "3"}, "-bcrypt-cost must be"},
		{[]string{"-db", "x", "-endpoints", "689.list,nope"}, "unknown endpoint"},
		{[]string{"-db", "x", "extra"}, "unexpected arguments"},
		{[]string{"-db", "x", "-target", "http://10.0.0.1:8080"}, "not loopback"},
		{[]string{"-db", "x", "-c", "many"}, "invalid value"},
		{[]string{"-db", "x", "-attack", "-1"}, "-attack must be"},
		{[]string{"-db", "x", "-attack", "16", "-endpoints", "v5.user-create"}, "-attack needs the 689.login endpoint"},
	} {
		_, err := parseConfig(tc.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseConfig(%q) = %v, want an error with %q", tc.args, err, tc.want)
		}
	}
}

func TestParseConfigHelp(t *testing.T) {
	var out strings.Builder
	if _, err := parseConfig([]string{"-h"}, &out); err != errHelp {
		t.Fatalf("got %v, want errHelp", err)
	}
	if !strings.Contains(out.String(), "-target") {
		t.Errorf("usage does not list the flags: %s", out.String())
	}
}

func TestLoopbackTarget(t *testing.T) {
	for _, ok := range []string{
		"http://127.0.0.1:8080", "http://127.1.2.3:80", "http://localhost:8080", "http://LOCALHOST",
		"https://[::1]:8443", "http://127.0.0.1:8080/",
	} {
		if _, err := loopbackTarget(ok); err != nil {
			t.Errorf("loopbackTarget(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{
		"http://10.0.0.1:8080", "http://example.com", "http://localhost.example.com:8080", "http://[::2]:80",
		"http://0.0.0.0:8080", "http://128.0.0.1", "ftp://127.0.0.1", "127.0.0.1:8080", "http://127.0.0.1:8080/api",
		"http://user@127.0.0.1", "http://127.0.0.1?x=1", "http://[::ffff:10.0.0.1]:80", "://",
	} {
		if _, err := loopbackTarget(bad); err == nil {
			t.Errorf("loopbackTarget(%q) accepted it", bad)
		}
	}
}
