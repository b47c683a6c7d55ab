package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage/storagetest"
)

// FuzzRequestBody checks that no body, whatever its content type, makes the
// server fail or answer outside the envelope.
func FuzzRequestBody(f *testing.F) {
	for _, seed := range []struct{ contentType, body string }{
		{"application/x-www-form-urlencoded", "search_key=a&sort_key=3&page_size=2"},
		{"application/x-www-form-urlencoded", "sort_key=%zz"},
		{"application/json", `{"search_key":"a","sort_key":"3","page_number":0}`},
		{"application/json", `{"search_key":{"a":[1]}}`},
		{"application/json", `[1,2`},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"sort_key\"\r\n\r\n3\r\n--x--\r\n"},
		{"multipart/form-data", "--x\r\n"},
		{"text/csv", "a,b"},
		{"", ""},
	} {
		f.Add(seed.contentType, seed.body)
	}
	s := newServer(f, storagetest.SQLite(f), httpapi.Options{MaxBodyBytes: 4096})
	_, token := s.activeTeam("fuzz@example.com")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		for _, path := range []string{"/api/user/list", "/api/user/importusercsv", "/api/user/login"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("Content-Type", contentType)
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			s.handler.ServeHTTP(rec, req)
			var env struct {
				StatusCode int `json:"status_code"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.StatusCode != rec.Code {
				t.Fatalf("%s: not an envelope of %d: %v: %s", path, rec.Code, err, rec.Body)
			}
			if rec.Code == http.StatusInternalServerError {
				t.Fatalf("%s: %s", path, rec.Body)
			}
		}
	})
}
