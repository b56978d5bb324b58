package body_test

import (
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/body"
)

func FuzzMatch(f *testing.F) {
	seeds := []struct {
		contentType string
		declared    string // one media type a line
		hasBody     bool
	}{
		{"application/json", "application/json", true},
		{"application/json; charset=utf-8", "application/xml\napplication/json", true},
		{"Application/JSON", "APPLICATION/JSON", true},
		{"application/merge-patch+json", "application/json\napplication/merge-patch+json", true},
		{"image/png", "image/*", true},
		{"text/plain", "image/*\n*/*", true},
		{"imagery/png", "image/*", true},
		{"", "application/json", false},
		{"", "application/json", true},
		{"", "", false},
		{"application/", "application/json", true},
		{"/json", "/*", true},
		{"application/json; charset", "application/json", true},
		{`text/plain; charset="utf-8`, "text/plain", true},
		{";", "*/*", true},
		{"*/*", "*/*", true},
		{"foo", "foo\n*", true},
		{"text/plain", "\n;\n/\n*/\ntext/plain; q", true},
		{"multipart/form-data; boundary=x", "multipart/*", true},
		{"text/plain;\x00", "text/plain", true},
		{"téxt/plain", "téxt/plain", true},
	}
	for _, s := range seeds {
		f.Add(s.contentType, s.declared, s.hasBody)
	}
	f.Fuzz(func(t *testing.T, contentType, declared string, hasBody bool) {
		var list []string
		if declared != "" {
			list = strings.Split(declared, "\n")
		}
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		if hasBody {
			r = httptest.NewRequest(http.MethodPost, "/", strings.NewReader("x"))
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		got := body.Match(r, list)
		// A part's media type is matched as a request's is.
		if contentType != "" {
			if part := body.MatchType(contentType, list); part != got {
				t.Fatalf("MatchType(%q, %q) = %d, but Match gives %d", contentType, list, part, got)
			}
		}
		switch {
		case got == body.Absent:
			if contentType != "" || hasBody {
				t.Fatalf("Match(%q, %q, body %v) = Absent, want a body to be seen", contentType, list, hasBody)
			}
		case got == body.Unsupported:
			if contentType == "" && !hasBody {
				t.Fatalf("Match(%q, %q, no body) = Unsupported, want Absent", contentType, list)
			}
		case got >= 0 && got < len(list):
			if _, _, err := mime.ParseMediaType(contentType); err != nil {
				t.Fatalf("Match(%q, %q) = %d for a Content-Type that does not parse: %v", contentType, list, got, err)
			}
		default:
			t.Fatalf("Match(%q, %q) = %d, want Absent, Unsupported or an index below %d", contentType, list, got, len(list))
		}
		// A full range matches any well-formed media type, so nothing
		// declared after it can be chosen.
		if _, _, err := mime.ParseMediaType(contentType); err == nil {
			for i, d := range list {
				if d == "*/*" {
					if got < 0 || got > i {
						t.Fatalf("Match(%q, %q) = %d, want at most %d where */* is declared", contentType, list, got, i)
					}
					break
				}
			}
		}
	})
}
