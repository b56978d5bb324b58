package cors_test

import (
	"strings"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/cors"
)

func TestCheck(t *testing.T) {
	origins := func(o ...string) *cors.Policy { return &cors.Policy{AllowedOrigins: o} }
	withCredentials := func(o ...string) *cors.Policy {
		return &cors.Policy{AllowedOrigins: o, AllowCredentials: true}
	}
	tests := []struct {
		name          string
		policy        *cors.Policy
		allowInsecure bool
		wantErr       string // "" wants no error
	}{
		{"an exact https origin with credentials is accepted", withCredentials("https://app.example.com"), false, ""},
		{"an origin with a port is accepted", origins("https://app.example.com:8443"), false, ""},
		{"a wildcard first label is accepted", withCredentials("https://*.example.com"), false, ""},
		{"a wildcard first label with a port is accepted", origins("https://*.example.com:8443"), false, ""},
		{"any origin without credentials is accepted", origins("*"), false, ""},
		{"an http origin without credentials is accepted", origins("http://localhost:3000"), false, ""},
		{"an http origin with credentials is accepted under the compat profile", withCredentials("http://localhost:3000"), true, ""},
		{"an IPv4 origin is accepted", origins("http://127.0.0.1:8080"), false, ""},
		{"a canonical IPv6 origin is accepted", origins("http://[::1]:8080"), false, ""},
		{"a non-http scheme is accepted", origins("capacitor://localhost"), false, ""},
		{"methods, headers and whole-second max age are accepted",
			&cors.Policy{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET", "PATCH"},
				AllowedHeaders: []string{"Content-Type", "*"}, ExposedHeaders: []string{"ETag"}, MaxAge: 2 * time.Hour}, false, ""},

		{"a nil policy is refused", nil, false, "nil policy"},
		{"a policy without origins is refused", origins(), false, "allowedOrigins is empty"},
		{"any origin with credentials is refused", withCredentials("*"), true, "any web site could send requests with the user's cookies"},
		{"any origin beside other origins is refused", origins("https://a.example", "*"), false, "must be the only entry"},
		{"the null origin is refused", origins("null"), true, "sandboxed iframes"},
		{"an origin without a scheme is refused", origins("app.example.com"), false, "want scheme://host[:port]"},
		{"an upper-case scheme is refused", origins("HTTPS://app.example.com"), false, "the scheme must be lower-case"},
		{"an upper-case host is refused", origins("https://App.example.com"), false, "upper-case host"},
		{"a trailing slash is refused", origins("https://app.example.com/"), false, "trailing slash"},
		{"a path is refused", origins("https://app.example.com/app"), false, "has no path"},
		{"a query is refused", origins("https://app.example.com?x=1"), false, "no path, query or fragment"},
		{"a fragment is refused", origins("https://app.example.com#x"), false, "no path, query or fragment"},
		{"userinfo is refused", origins("https://user@app.example.com"), false, "no userinfo"},
		{"an empty host is refused", origins("https://"), false, "empty host"},
		{"an empty port is refused", origins("https://app.example.com:"), false, "empty port"},
		{"a port out of range is refused", origins("https://app.example.com:65536"), false, "1 to 65535"},
		{"a port with a leading zero is refused", origins("https://app.example.com:0443"), false, "leading zeros"},
		{"a signed port is refused", origins("https://app.example.com:+8443"), false, "1 to 65535"},
		{"the default https port is refused as it never matches", origins("https://app.example.com:443"), false, "default port"},
		{"the default http port is refused as it never matches", origins("http://app.example.com:80"), false, "default port"},
		{"a space in the host is refused", origins("https://app .example.com"), false, "host label holds only"},
		{"an empty label is refused", origins("https://app..example.com"), false, "1 to 63 bytes"},
		{"a wildcard in a later label is refused", origins("https://app.*.example.com"), false, "whole first host label"},
		{"a wildcard inside the first label is refused", origins("https://app*.example.com"), false, "whole first host label"},
		{"a wildcard in the scheme is refused", origins("*://app.example.com"), false, "the scheme must be lower-case"},
		{"a second wildcard is refused", origins("https://*.*.example.com"), false, "whole first host label"},
		{"a bare wildcard host is refused", origins("https://*"), false, "whole first host label"},
		{"a wildcard over a top-level domain is refused", origins("https://*.com"), false, "top-level domain"},
		{"a wildcard over an IP address is refused", origins("https://*.0.0.1"), false, "not IP addresses"},
		{"an http origin with credentials is refused by default", withCredentials("https://a.example", "http://b.example"), false, "allowedOrigins[1] \"http://b.example\": http origin with allowCredentials"},
		{"an http wildcard origin with credentials is refused by default", withCredentials("http://*.example.com"), false, "http origin with allowCredentials"},
		{"a malformed IPv4 address is refused", origins("http://1.2.3.999"), false, "not an IPv4 address"},
		{"a non-canonical IPv6 address is refused as it never matches", origins("http://[0:0::1]"), false, "as [::1]"},
		{"an unclosed IPv6 address is refused", origins("http://[::1"), false, "unclosed"},
		{"a method that is not a token is refused", &cors.Policy{AllowedOrigins: []string{"https://a.example"}, AllowedMethods: []string{"GET "}}, false, "allowedMethods[0]"},
		{"a header that is not a token is refused", &cors.Policy{AllowedOrigins: []string{"https://a.example"}, AllowedHeaders: []string{"X:Y"}}, false, "allowedHeaders[0]"},
		{"an exposed header that is not a token is refused", &cors.Policy{AllowedOrigins: []string{"https://a.example"}, ExposedHeaders: []string{""}}, false, "exposedHeaders[0]"},
		{"a negative max age is refused", &cors.Policy{AllowedOrigins: []string{"https://a.example"}, MaxAge: -time.Second}, false, "negative"},
		{"a max age with a fraction of a second is refused", &cors.Policy{AllowedOrigins: []string{"https://a.example"}, MaxAge: 1500 * time.Millisecond}, false, "whole seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := cors.Check(tt.policy, tt.allowInsecure)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("got %v, want no error", err)
			case tt.wantErr != "" && err == nil:
				t.Errorf("got no error, want one containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("got %q, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
