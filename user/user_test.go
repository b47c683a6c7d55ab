package user_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/embedid/identity/internal/errs"
	"github.com/embedid/identity/user"
)

func TestCheckPassword(t *testing.T) {
	cases := []struct {
		pw   string
		want string // substring of the message, "" for valid
	}{
		{"", "required"},
		{"1234567", "at least 8"},
		{"12345678", ""},
		{strings.Repeat("x", 72), ""},
		{strings.Repeat("x", 73), "73 bytes long in UTF-8 (NFC); the limit is 72"},
		{strings.Repeat("é", 37), "74 bytes long"},   // 37 characters, 74 bytes
		{strings.Repeat("e\u0301", 8), ""},           // 16 runes, 8 characters once in NFC
		{strings.Repeat("e\u0301", 7), "at least 8"}, // 14 runes, but 7 characters
		{strings.Repeat("e\u0301", 36), ""},          // 108 bytes, 72 once in NFC
		{strings.Repeat("名", 8), ""},                 // 8 characters, 24 bytes
		{"password\xff", "not valid UTF-8"},
	}
	for _, c := range cases {
		err := user.CheckPassword("password", c.pw)
		if (c.want == "") != (err == nil) || err != nil && (!strings.Contains(err.Error(), c.want) || errs.FieldOf(err) != "password") {
			t.Errorf("%d bytes: %v, want %q", len(c.pw), err, c.want)
		}
	}
}

func TestHasher(t *testing.T) {
	ctx := context.Background()
	h, err := user.NewHasher(4)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := h.Hash(ctx, "password", "correct horse")
	if err != nil || strings.Contains(string(hash), "correct") {
		t.Fatalf("hash %q, %v", hash, err)
	}
	for pw, want := range map[string]user.Verdict{"correct horse": user.Match, "correct hors": user.Mismatch, "": user.Mismatch} {
		if v, err := h.Verify(ctx, hash, pw); v != want || err != nil {
			t.Errorf("Verify(%q) = %v, %v", pw, v, err)
		}
	}
	if v, _ := h.Verify(ctx, nil, "anything"); v != user.Mismatch {
		t.Error("a missing hash matched")
	}
	if higher, _ := user.NewHasher(5); must(higher.Verify(ctx, hash, "correct horse")) != user.MatchStale {
		t.Error("a hash of a lower cost is not stale")
	}
	if _, err := h.Hash(ctx, "new_password", strings.Repeat("x", 73)); errs.FieldOf(err) != "new_password" {
		t.Errorf("73-byte password: %v", err)
	}
	for _, cost := range []int{3, 32} {
		if _, err := user.NewHasher(cost); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("cost %d: %v", cost, err)
		}
	}
	if d, _ := user.NewHasher(0); d.Cost() != 10 {
		t.Errorf("default cost %d", d.Cost())
	}
}

// TestPasswordsAreNormalized checks that a password typed in NFD (as macOS
// keyboards may send it) and in NFC is one password, and that a hash made
// from the NFD bytes before passwords were normalized still matches, as
// stale.
func TestPasswordsAreNormalized(t *testing.T) {
	ctx := context.Background()
	h, _ := user.NewHasher(4)
	nfc, nfd := "caf\u00e9 cr\u00e8me", "cafe\u0301 cre\u0300me"
	for _, set := range []string{nfc, nfd} {
		hash, err := h.Hash(ctx, "password", set)
		if err != nil {
			t.Fatal(err)
		}
		for _, typed := range []string{nfc, nfd} {
			if v := must(h.Verify(ctx, hash, typed)); v != user.Match {
				t.Errorf("set %+q, typed %+q: %v, want Match", set, typed, v)
			}
		}
	}
	legacy, _ := bcrypt.GenerateFromPassword([]byte(nfd), 4)
	if v := must(h.Verify(ctx, legacy, nfd)); v != user.MatchStale {
		t.Errorf("a hash of the unnormalized bytes: %v, want MatchStale", v)
	}
	if v := must(h.Verify(ctx, legacy, "cafe cre\u0300me")); v != user.Mismatch {
		t.Errorf("a wrong password against the legacy hash: %v", v)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestHasherHonoursContext(t *testing.T) {
	h, _ := user.NewHasher(4)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// Fill every slot so the next call must wait, then see it give up.
	for range cap(user.SlotsOf(h)) {
		user.SlotsOf(h) <- struct{}{}
	}
	if _, err := h.Hash(ctx, "password", "12345678"); err == nil {
		t.Fatal("Hash ran with every slot taken and a cancelled context")
	}
}

func TestCodeExpiresExactlyAtTTL(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := user.Code{CreatedAt: t0, ExpiresAt: t0.Add(30 * time.Minute)}
	for at, want := range map[time.Duration]bool{
		0: false, 30*time.Minute - time.Microsecond: false, 30 * time.Minute: true, time.Hour: true,
	} {
		if got := c.Expired(t0.Add(at)); got != want {
			t.Errorf("at %v: expired %v, want %v", at, got, want)
		}
	}
}

func TestSessionIdleExpiry(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := user.Session{CreatedAt: t0, LastSeenAt: t0.Add(time.Hour), IdleLimit: 30 * time.Minute, MaxAge: 12 * time.Hour}
	for at, want := range map[time.Duration]bool{
		time.Hour + 29*time.Minute: false, time.Hour + 30*time.Minute - time.Microsecond: false,
		time.Hour + 30*time.Minute: true,
	} {
		if got := s.Expired(t0.Add(at)); got != want {
			t.Errorf("at %v: expired %v, want %v", at, got, want)
		}
	}
}

func TestNamesValidate(t *testing.T) {
	n := user.Names{First: " Le ", Middle: " ", Last: "Tran\t"}
	if err := n.Validate(); err != nil || n != (user.Names{First: "Le", Last: "Tran"}) {
		t.Fatalf("got %+v, %v", n, err)
	}
	for field, bad := range map[string]user.Names{
		"first_name":  {Last: "x"},
		"last_name":   {First: "x"},
		"middle_name": {First: "x", Middle: "a\x00b", Last: "y"},
	} {
		if err := bad.Validate(); errs.FieldOf(err) != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	long := user.Names{First: strings.Repeat("名", 101), Last: "x"}
	if err := long.Validate(); errs.FieldOf(err) != "first_name" {
		t.Errorf("101-rune name: %v", err)
	}
}

func TestSettingsValidate(t *testing.T) {
	ok := user.DefaultSettings()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for field, edit := range map[string]func(*user.Settings){
		"time_zone":         func(s *user.Settings) { s.TimeZone = 15 },
		"notification_flag": func(s *user.Settings) { s.NotificationFlag = "12" },
		"lang":              func(s *user.Settings) { s.Lang = "" },
		"session_time_out":  func(s *user.Settings) { s.SessionTimeout = 0 },
	} {
		s := ok
		edit(&s)
		if err := s.Validate(); errs.FieldOf(err) != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}

// TestSessionMaxAge: a session used a moment ago still ends at its maximum
// age from creation.
func TestSessionMaxAge(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := user.Session{CreatedAt: t0, IdleLimit: 30 * time.Minute, MaxAge: 12 * time.Hour}
	for at, want := range map[time.Duration]bool{
		12*time.Hour - time.Microsecond: false, 12 * time.Hour: true, 13 * time.Hour: true,
	} {
		s.LastSeenAt = t0.Add(at - time.Second)
		if got := s.Expired(t0.Add(at)); got != want {
			t.Errorf("at %v, last seen a second before: expired %v, want %v", at, got, want)
		}
	}
	if got := s.ExpiresAt(); !got.Equal(t0.Add(12 * time.Hour)) {
		t.Errorf("ExpiresAt = %v, want %v", got, t0.Add(12*time.Hour))
	}
}
