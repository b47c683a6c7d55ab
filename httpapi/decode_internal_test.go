package httpapi

import (
	"mime"
	"testing"
)

// FuzzMediaType checks that mediaType reads every Content-Type as
// mime.ParseMediaType does, its fast path included.
func FuzzMediaType(f *testing.F) {
	for _, ct := range []string{
		"application/json",
		"application/json; charset=utf-8",
		"application/json;charset=UTF-8",
		"application/json; charset=latin1",
		"application/json; charset=utf-8; x=1",
		"application/json;",
		"application/json; charset",
		"Application/JSON",
		"application/x-www-form-urlencoded; charset=utf-8",
		"multipart/form-data; boundary=x",
		"text/csv",
		"application/json; charset=\"utf-8\"",
		"/json",
		"",
	} {
		f.Add(ct)
	}
	f.Fuzz(func(t *testing.T, ct string) {
		want, _, wantErr := mime.ParseMediaType(ct)
		got, err := mediaType(ct)
		if got != want || (err != nil) != (wantErr != nil) {
			t.Errorf("mediaType(%q) = %q, %v; mime.ParseMediaType gives %q, %v", ct, got, err, want, wantErr)
		}
	})
}
