package httpapi_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/embedid/identity/httpapi"
)

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc, err := openapiDoc()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// patterns records what Mount registers.
type patterns []string

func (p *patterns) Handle(pattern string, _ http.Handler) { *p = append(*p, pattern) }

// TestOpenAPIDescribesEveryRoute checks that the document describes exactly
// the mounted endpoints.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var mounted patterns
	httpapi.Mount(&mounted, nil, httpapi.Options{})
	doc, err := openapiDoc()
	if err != nil {
		t.Fatal(err)
	}
	var cloud689 []string
	for _, p := range mounted {
		switch {
		case p == "/api/user/":
		case strings.HasPrefix(p, "/api/user/"):
			cloud689 = append(cloud689, p)
			if item := doc.Paths.Find(p); item == nil || item.Post == nil || len(item.Operations()) != 1 {
				t.Errorf("the document does not describe POST %s alone", p)
			}
		case p == "GET /openapi.json":
		default:
			t.Errorf("unexpected pattern %q", p)
		}
	}
	if len(cloud689) != 18 {
		t.Errorf("mounted %d 689Cloud endpoints, want 18: %q", len(cloud689), cloud689)
	}
	for path := range doc.Paths.Map() {
		if path != "/openapi.json" && !slices.Contains(cloud689, path) {
			t.Errorf("the document describes %s, which is not mounted", path)
		}
	}
}

// TestOpenAPIHasNoSecrets checks that no schema of the document has a field
// for a hash or a code.
func TestOpenAPIHasNoSecrets(t *testing.T) {
	doc, err := openapiDoc()
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range doc.Components.Schemas {
		for prop := range s.Value.Properties {
			if strings.HasSuffix(prop, "_hash") || prop == "activation_code" && !strings.HasSuffix(name, "Request") {
				t.Errorf("%s has the field %s", name, prop)
			}
		}
	}
	user := doc.Components.Schemas["Cloud689User"].Value
	if user.AdditionalProperties.Has == nil || *user.AdditionalProperties.Has {
		t.Errorf("Cloud689User allows additional properties")
	}
}
