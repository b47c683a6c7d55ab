package main

import (
	"testing"
	"time"

	"github.com/embedid/identity"
)

// TestLimitsFlag: NORMAL sets the ordinary sessions' limit and keeps the
// keep_me_login one; NORMAL,KEEP sets both.
func TestLimitsFlag(t *testing.T) {
	for _, c := range []struct {
		value string
		want  identity.SessionLimits
	}{
		{"1h", identity.SessionLimits{Normal: time.Hour, KeepMeLogin: 720 * time.Hour}},
		{"90m, 48h", identity.SessionLimits{Normal: 90 * time.Minute, KeepMeLogin: 48 * time.Hour}},
		{"0s,1h", identity.SessionLimits{KeepMeLogin: time.Hour}},
	} {
		l := identity.SessionLimits{Normal: 12 * time.Hour, KeepMeLogin: 720 * time.Hour}
		f := limitsFlag{&l}
		if err := f.Set(c.value); err != nil || l != c.want {
			t.Errorf("Set(%q) = %v, limits %+v; want %+v", c.value, err, l, c.want)
		}
		var again identity.SessionLimits
		if err := (limitsFlag{&again}).Set(f.String()); err != nil || again != l {
			t.Errorf("Set(String()) of %+v = %v, %+v", l, err, again)
		}
	}
	for _, bad := range []string{"", "soon", "1h,", "1h,soon"} {
		l := identity.SessionLimits{}
		if err := (limitsFlag{&l}).Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
}
