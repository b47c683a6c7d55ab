package scim

import "testing"

func TestVersionOf(t *testing.T) {
	for in, want := range map[string]string{"": "", "*": "", `W/"v1"`: "v1", `"v1"`: "v1", ` W/"a", W/"b"`: "a", "v2": "v2"} {
		if got := versionOf(in); got != want {
			t.Errorf("versionOf(%q) = %q, want %q", in, got, want)
		}
	}
	if got := etag("v1"); versionOf(got) != "v1" || got != `W/"v1"` {
		t.Errorf("etag: %s", got)
	}
}
