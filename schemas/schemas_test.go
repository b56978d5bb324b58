package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"math/big"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"
)

// decodeYAML decodes a test value the way the generator meets it.
func decodeYAML(t testing.TB, src string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatalf("test value %q is not YAML: %v", src, err)
	}
	return v
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		ext   string
		value string // YAML
		want  []Violation
	}{
		// x-secgen
		{"an empty x-secgen takes every default", "x-secgen", `{}`, nil},
		{"an x-secgen that sets every member is accepted", "x-secgen", `
profile: compat
maxDepth: 32
trustedProxies: [10.0.0.0/8, 192.0.2.7, "2001:db8::/32"]
maxBodyBytes: 65536
maxHeaderBytes: 16384
headers: {Content-Security-Policy: "default-src 'none'", X-Frame-Options: null, X-Note: "tab\tand ünïcode 🙂"}
hsts: {maxAge: 0, includeSubDomains: false, preload: false}
cors: {allowedOrigins: [https://app.example.com], allowedMethods: [GET, POST], allowedHeaders: [Authorization], exposedHeaders: [X-Request-Id], allowCredentials: true, maxAge: 1h}
rateLimit: {requests: 1000, window: 1m, key: ip}
timeouts: {readHeader: 2s, read: 1.5m, write: 1h30m, idle: 250ms}
`, nil},
		{"a rate limit of false turns the global limit off", "x-secgen", `rateLimit: false`, nil},
		{"a misspelt member is refused with the known ones", "x-secgen", `maxbodybytes: 10`, []Violation{
			{"/maxbodybytes", `unknown member "maxbodybytes" (did you mean "maxBodyBytes"?); known: banSuspicious, cors, headers, hsts, maxBodyBytes, maxDepth, maxHeaderBytes, profile, rateLimit, rateLimitHeaders, suspicious, timeouts, trustedProxies`},
		}},
		{"a member nothing resembles gets no suggestion", "x-secgen", `logging: true`, []Violation{
			{"/logging", `unknown member "logging"; known: banSuspicious, cors, headers, hsts, maxBodyBytes, maxDepth, maxHeaderBytes, profile, rateLimit, rateLimitHeaders, suspicious, timeouts, trustedProxies`},
		}},
		{"a value that is not an object is refused", "x-secgen", `strict`, []Violation{
			{"", `must be an object, got "strict"`},
		}},
		{"an unknown profile lists the two profiles", "x-secgen", `profile: strick`, []Violation{
			{"/profile", `must be "strict" or "compat", got "strick"`},
		}},
		{"a depth of zero and a depth over 10000 are refused", "x-secgen", `{maxDepth: 0, maxHeaderBytes: 20000000}`, []Violation{
			{"/maxDepth", "must be >= 1, got 0"},
			{"/maxHeaderBytes", "must be <= 16777216, got 20000000"},
		}},
		{"a header limit under 1024 bytes is refused", "x-secgen", `maxHeaderBytes: 512`, []Violation{
			{"/maxHeaderBytes", "must be >= 1024, got 512"},
		}},
		{"an empty and a repeated trusted proxy are refused", "x-secgen", `trustedProxies: [10.0.0.1, "", 10.0.0.1]`, []Violation{
			{"/trustedProxies/1", "must not be empty"},
			{"/trustedProxies/2", "repeats item 0; items must be unique"},
		}},
		{"a header name with a space is refused", "x-secgen", `headers: {"X Bad": v}`, []Violation{
			{"/headers/X Bad", "invalid member name: must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~), got \"X Bad\""},
		}},
		{"a header value with a line break is refused, so no header can be injected", "x-secgen", `headers: {X-A: "a\r\nSet-Cookie: s=1"}`, []Violation{
			{"/headers/X-A", `must be a header value without control characters other than tab, got "a\r\nSet-Cookie: s=1"`},
		}},
		{"a header value that is a number is refused", "x-secgen", `headers: {X-A: 5}`, []Violation{
			{"/headers/X-A", "must be null or a string, got 5"},
		}},
		{"a header map with a number for a name is refused", "x-secgen", `headers: {1: x}`, []Violation{
			{"/headers", "must have only string member names"},
		}},
		{"hsts members are checked one by one", "x-secgen", `hsts: {maxAge: -1, preload: "yes", maxage: 5}`, []Violation{
			{"/hsts/maxAge", "must be >= 0, got -1"},
			{"/hsts/maxage", `unknown member "maxage" (did you mean "maxAge"?); known: includeSubDomains, maxAge, preload`},
			{"/hsts/preload", `must be a boolean, got "yes"`},
		}},
		{"a global cors without origins is refused", "x-secgen", `cors: {allowCredentials: true}`, []Violation{
			{"/cors", `missing required member "allowedOrigins"`},
		}},
		{"the global cors cannot be false", "x-secgen", `cors: false`, []Violation{
			{"/cors", "must be an object, got false"},
		}},
		{"a rate limit of true is neither an object nor false", "x-secgen", `rateLimit: true`, []Violation{
			{"/rateLimit", "must be an object or false, got true"},
		}},
		{"an object rate limit reports its own errors, not a failed alternative", "x-secgen", `rateLimit: {requests: 0, window: 1m, burst: 5}`, []Violation{
			{"/rateLimit/burst", `unknown member "burst"; known: key, requests, window`},
			{"/rateLimit/requests", "must be >= 1, got 0"},
		}},
		{"timeouts must be positive Go durations", "x-secgen", `timeouts: {read: 0s, write: 10 minutes, idle: -1s, readHeader: 0.0ms0h}`, []Violation{
			{"/timeouts/idle", `must be a duration such as "30s", "15m" or "1h30m" (numbers with units ns, us, ms, s, m or h), got "-1s"`},
			{"/timeouts/read", `must be a duration longer than zero, got "0s"`},
			{"/timeouts/readHeader", `must be a duration longer than zero, got "0.0ms0h"`},
			{"/timeouts/write", `must be a duration such as "30s", "15m" or "1h30m" (numbers with units ns, us, ms, s, m or h), got "10 minutes"`},
		}},
		{"every unit of time.ParseDuration is a duration", "x-secgen", `timeouts: {read: 1ns, write: 1us, idle: 1µs, readHeader: 1ms2s3m4h}`, nil},
		{"a YAML timestamp is not taken for a string", "x-secgen", `trustedProxies: [2024-01-01]`, []Violation{
			{"/trustedProxies/0", "must be a JSON value (null, boolean, number, string, array or object), got a Go time.Time; quote it if it is meant as a string"},
		}},
		{"NaN is not a number a limit can take", "x-secgen", `maxDepth: .nan`, []Violation{
			{"/maxDepth", "must be a finite number, got NaN"},
		}},

		// x-secgen-rate-limit
		{"a rate limit with requests and window is accepted", "x-secgen-rate-limit", `{requests: 10, window: 1m}`, nil},
		{"a rate limit may key on a request header", "x-secgen-rate-limit", `{requests: 3, window: 1h, key: "header:X-Tenant-Id"}`, nil},
		{"a rate limit may key on the subject or the API key", "x-secgen-rate-limit", `{requests: 3, window: 1h, key: apiKey}`, nil},
		{"a rate limit without requests or window names both", "x-secgen-rate-limit", `{key: ip}`, []Violation{
			{"", `missing required member "requests"`},
			{"", `missing required member "window"`},
		}},
		{"a header key without a name is refused", "x-secgen-rate-limit", `{requests: 1, window: 1s, key: "header:"}`, []Violation{
			{"/key", `must be "ip", "subject", "apiKey" or "header:" followed by a header name, got "header:"`},
		}},
		{"key names are case-sensitive", "x-secgen-rate-limit", `{requests: 1, window: 1s, key: IP}`, []Violation{
			{"/key", `must be "ip", "subject", "apiKey" or "header:" followed by a header name, got "IP"`},
		}},
		{"a fractional request count is refused", "x-secgen-rate-limit", `{requests: 1.5, window: 1s}`, []Violation{
			{"/requests", "must be an integer, got 1.5"},
		}},
		{"an operation rate limit cannot be false", "x-secgen-rate-limit", `false`, []Violation{
			{"", "must be an object, got false"},
		}},

		// x-secgen-max-body-bytes
		{"a body limit in bytes is accepted", "x-secgen-max-body-bytes", `4096`, nil},
		{"a whole number written with a decimal point is an integer", "x-secgen-max-body-bytes", `4096.0`, nil},
		{"the largest body limit is one tebibyte", "x-secgen-max-body-bytes", `1099511627776`, nil},
		{"a body limit over one tebibyte is refused", "x-secgen-max-body-bytes", `1099511627777`, []Violation{
			{"", "must be <= 1099511627776, got 1099511627777"},
		}},
		{"a body limit of zero is refused", "x-secgen-max-body-bytes", `0`, []Violation{
			{"", "must be >= 1, got 0"},
		}},
		{"a body limit with a unit is refused", "x-secgen-max-body-bytes", `1MB`, []Violation{
			{"", `must be an integer, got "1MB"`},
		}},

		// x-secgen-cors
		{"false turns CORS off for an operation", "x-secgen-cors", `false`, nil},
		{"an operation's CORS object is accepted", "x-secgen-cors", `{allowedOrigins: [https://partner.example.org], allowedMethods: [GET], maxAge: 1h}`, nil},
		{"true is neither a CORS object nor false", "x-secgen-cors", `true`, []Violation{
			{"", "must be an object or false, got true"},
		}},
		{"an empty object reports the missing origins, not a failed alternative", "x-secgen-cors", `{}`, []Violation{
			{"", `missing required member "allowedOrigins"`},
		}},
		{"a misspelt CORS member suggests the right one", "x-secgen-cors", `{allowedOrigin: [https://a.example]}`, []Violation{
			{"", `missing required member "allowedOrigins"`},
			{"/allowedOrigin", `unknown member "allowedOrigin" (did you mean "allowedOrigins"?); known: allowCredentials, allowedHeaders, allowedMethods, allowedOrigins, exposedHeaders, maxAge`},
		}},
		{"CORS members are checked one by one", "x-secgen-cors", `
allowedOrigins: [https://a.example, https://a.example]
allowedMethods: [TRACE]
allowedHeaders: [Bad Header]
allowCredentials: "true"
maxAge: 0s
`, []Violation{
			{"/allowCredentials", `must be a boolean, got "true"`},
			{"/allowedHeaders/0", "must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~), got \"Bad Header\""},
			{"/allowedMethods/0", `must be one of "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE" or "OPTIONS", got "TRACE"`},
			{"/allowedOrigins/1", "repeats item 0; items must be unique"},
			{"/maxAge", `must be a duration longer than zero, got "0s"`},
		}},
		{"a CORS rule without origins is refused", "x-secgen-cors", `{allowedOrigins: []}`, []Violation{
			{"/allowedOrigins", "must list at least one item"},
		}},

		// x-secgen-cache-control
		{"a cache-control value is accepted", "x-secgen-cache-control", `"public, max-age=60"`, nil},
		{"an empty cache-control is refused", "x-secgen-cache-control", `""`, []Violation{
			{"", `must be a non-empty header value without control characters or leading or trailing spaces, got ""`},
		}},
		{"a cache-control with a line break is refused, so no header can be injected", "x-secgen-cache-control", `"public\r\nSet-Cookie: s=1"`, []Violation{
			{"", `must be a non-empty header value without control characters or leading or trailing spaces, got "public\r\nSet-Cookie: s=1"`},
		}},
		{"a cache-control with a leading space is refused", "x-secgen-cache-control", `" public"`, []Violation{
			{"", `must be a non-empty header value without control characters or leading or trailing spaces, got " public"`},
		}},
		{"a cache-control that is a number is refused", "x-secgen-cache-control", `60`, []Violation{
			{"", "must be a string, got 60"},
		}},

		// x-secgen-brute-force
		{"a brute-force guard needs only the account", "x-secgen-brute-force", `{account: /username}`, nil},
		{"an account pointer may escape ~ and /", "x-secgen-brute-force", `{account: "/a~1b/~0c", maxFailures: 10, window: 1h, lockout: 5m, backoff: constant, maxLockout: 12h, failureStatus: [401, 403]}`, nil},
		{"an account that is not a JSON pointer is refused", "x-secgen-brute-force", `{account: username}`, []Violation{
			{"/account", `must be a JSON pointer such as "/username" (each token starts with "/"; "~" is written "~0" and "/" inside a token "~1"), got "username"`},
		}},
		{"an account pointer with a bad escape is refused", "x-secgen-brute-force", `{account: "/a~2b"}`, []Violation{
			{"/account", `must be a JSON pointer such as "/username" (each token starts with "/"; "~" is written "~0" and "/" inside a token "~1"), got "/a~2b"`},
		}},
		{"a brute-force guard without an account is refused", "x-secgen-brute-force", `{maxFailures: 3}`, []Violation{
			{"", `missing required member "account"`},
		}},
		{"brute-force members are checked one by one", "x-secgen-brute-force", `{account: /u, maxFailures: 0, lockout: 0s, backoff: linear, failureStatus: [200, 401, 401]}`, []Violation{
			{"/backoff", `must be "exponential" or "constant", got "linear"`},
			{"/failureStatus/0", "must be >= 400, got 200"},
			{"/failureStatus/2", "repeats item 1; items must be unique"},
			{"/lockout", `must be a duration longer than zero, got "0s"`},
			{"/maxFailures", "must be >= 1, got 0"},
		}},
		{"an empty list of failure statuses is refused", "x-secgen-brute-force", `{account: /u, failureStatus: []}`, []Violation{
			{"/failureStatus", "must list at least one item"},
		}},

		// x-secgen-jwt
		{"a JWT configuration is accepted", "x-secgen-jwt", `
issuer: https://auth.example.com/
audience: [api, admin]
algorithms: [RS256, EdDSA]
leeway: 1m
scopesClaim: permissions
subjectClaim: uid
maxTokenBytes: 4096
jwksRefresh: 1h
`, nil},
		{"the algorithm none cannot be listed", "x-secgen-jwt", `{algorithms: [none]}`, []Violation{
			{"/algorithms/0", `must be one of "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512" or "EdDSA", got "none"`},
		}},
		{"algorithm names are case-sensitive", "x-secgen-jwt", `{algorithms: [rs256]}`, []Violation{
			{"/algorithms/0", `must be one of "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512" or "EdDSA", got "rs256"`},
		}},
		{"an empty algorithm list is refused", "x-secgen-jwt", `{algorithms: []}`, []Violation{
			{"/algorithms", "must list at least one item"},
		}},
		{"an audience that is a number names both accepted forms", "x-secgen-jwt", `{audience: 5}`, []Violation{
			{"/audience", "must be a string or an array, got 5"},
		}},
		{"an empty audience list reports the list's error", "x-secgen-jwt", `{audience: []}`, []Violation{
			{"/audience", "must list at least one item"},
		}},
		{"an empty audience in a list is refused", "x-secgen-jwt", `{audience: [""]}`, []Violation{
			{"/audience/0", "must not be empty"},
		}},
		{"JWT members are checked one by one", "x-secgen-jwt", `{issuer: "", maxTokenBytes: 100, leeway: 1 minute, jwksUrl: https://x}`, []Violation{
			{"/issuer", "must not be empty"},
			{"/jwksUrl", `unknown member "jwksUrl"; known: algorithms, audience, issuer, jwksRefresh, leeway, maxTokenBytes, scopesClaim, subjectClaim`},
			{"/leeway", `must be a duration such as "30s", "15m" or "1h30m" (numbers with units ns, us, ms, s, m or h), got "1 minute"`},
			{"/maxTokenBytes", "must be >= 256, got 100"},
		}},

		// x-secgen-sensitive and x-secgen-encrypt
		{"sensitive true is accepted", "x-secgen-sensitive", `true`, nil},
		{"sensitive false is accepted", "x-secgen-sensitive", `false`, nil},
		{"sensitive as a string is refused", "x-secgen-sensitive", `"yes"`, []Violation{
			{"", `must be a boolean, got "yes"`},
		}},
		{"sensitive as null is refused", "x-secgen-sensitive", `null`, []Violation{
			{"", "must be a boolean, got null"},
		}},
		{"encrypt true is accepted", "x-secgen-encrypt", `true`, nil},
		{"encrypt as a number is refused", "x-secgen-encrypt", `1`, []Violation{
			{"", "must be a boolean, got 1"},
		}},
		{"encrypt as an object is refused", "x-secgen-encrypt", `{key: k1}`, []Violation{
			{"", "must be a boolean, got an object"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(tt.ext, decodeYAML(t, tt.value))
			if err != nil {
				t.Fatalf("Validate(%s): unexpected error %v", tt.ext, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Validate(%s, %s):\ngot  %s\nwant %s", tt.ext, tt.value, show(got), show(tt.want))
			}
		})
	}
}

func show(vs []Violation) string {
	if len(vs) == 0 {
		return "no violations"
	}
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  %q: %s", v.Pointer, v.Message)
	}
	return b.String()
}

func TestValidateGoValues(t *testing.T) {
	tests := []struct {
		name  string
		ext   string
		value any
		want  []Violation
	}{
		{"an int64 limit is a number", "x-secgen-max-body-bytes", int64(10), nil},
		{"a uint64 above the limit is compared exactly", "x-secgen-max-body-bytes", uint64(math.MaxUint64), []Violation{
			{"", "must be <= 1099511627776, got 18446744073709551615"},
		}},
		{"a float64 from encoding/json is a number", "x-secgen-max-body-bytes", float64(1 << 20), nil},
		{"a json.Number is a number", "x-secgen-max-body-bytes", json.Number("0"), []Violation{
			{"", "must be >= 1, got 0"},
		}},
		{"an infinity is not a number", "x-secgen-max-body-bytes", math.Inf(1), []Violation{
			{"", "must be a finite number, got +Inf"},
		}},
		{"a YAML mapping with string keys decoded as map[any]any is an object", "x-secgen", map[any]any{"maxDepth": 0}, []Violation{
			{"/maxDepth", "must be >= 1, got 0"},
		}},
		{"a []string is not a JSON array", "x-secgen", map[string]any{"trustedProxies": []string{"10.0.0.1"}}, []Violation{
			{"/trustedProxies", "must be a JSON value (null, boolean, number, string, array or object), got a Go []string; quote it if it is meant as a string"},
		}},
		{"a member name with / and ~ is escaped in the pointer", "x-secgen", map[string]any{"a/b~c": 1}, []Violation{
			{"/a~1b~0c", `unknown member "a/b~c"; known: banSuspicious, cors, headers, hsts, maxBodyBytes, maxDepth, maxHeaderBytes, profile, rateLimit, rateLimitHeaders, suspicious, timeouts, trustedProxies`},
		}},
		{"a long string is cut when quoted back", "x-secgen-cache-control", " " + strings.Repeat("a", 100), []Violation{
			{"", `must be a non-empty header value without control characters or leading or trailing spaces, got " ` + strings.Repeat("a", 63) + `"…`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Validate(tt.ext, tt.value)
			if err != nil {
				t.Fatalf("Validate(%s): unexpected error %v", tt.ext, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Validate(%s, %#v):\ngot  %s\nwant %s", tt.ext, tt.value, show(got), show(tt.want))
			}
		})
	}
}

func TestValidateLeavesTheValueAlone(t *testing.T) {
	inner := map[any]any{"requests": 0, "window": "1m"}
	value := map[string]any{"rateLimit": inner}
	if _, err := Validate("x-secgen", value); err != nil {
		t.Fatal(err)
	}
	if _, still := value["rateLimit"].(map[any]any); !still {
		t.Errorf("Validate replaced the caller's map[any]any: got %T, want map[interface {}]interface {}", value["rateLimit"])
	}
}

func TestValidateUnknownName(t *testing.T) {
	tests := []struct {
		name string
		ext  string
		want string
	}{
		{"a misspelt name is an error that suggests the right one", "x-secgen-cros", `unknown extension "x-secgen-cros" (did you mean "x-secgen-cors"?)`},
		{"a name like no extension is an error without a suggestion", "x-amazon-apigateway", `unknown extension "x-amazon-apigateway"`},
		{"names are case-sensitive", "X-Secgen", `unknown extension "X-Secgen" (did you mean "x-secgen"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := Validate(tt.ext, true)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Validate(%q): got error %v, want %q", tt.ext, err, tt.want)
			}
			if vs != nil {
				t.Errorf("Validate(%q): got violations %v, want none beside the error", tt.ext, vs)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name   string
		ext    string
		want   Extension
		wantOK bool
	}{
		{"the root extension is found", "x-secgen", Extension{"x-secgen", "root", "x-secgen.schema.json"}, true},
		{"an operation extension is found", "x-secgen-cors", Extension{"x-secgen-cors", "operation", "x-secgen-cors.schema.json"}, true},
		{"the JWT extension goes on security schemes", "x-secgen-jwt", Extension{"x-secgen-jwt", "securityScheme", "x-secgen-jwt.schema.json"}, true},
		{"the sensitive marker goes on schemas", "x-secgen-sensitive", Extension{"x-secgen-sensitive", "schema", "x-secgen-sensitive.schema.json"}, true},
		{"a name in other letter case is not found", "X-SECGEN-CORS", Extension{}, false},
		{"the shared definitions are not an extension", "defs", Extension{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Lookup(tt.ext)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Lookup(%q): got %+v, %v; want %+v, %v", tt.ext, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"a known name suggests itself", "x-secgen-cors", "x-secgen-cors"},
		{"a missing hyphen is one edit", "x-secgen-ratelimit", "x-secgen-rate-limit"},
		{"an underscore for a hyphen is one edit", "x-secgen-max_body_bytes", "x-secgen-max-body-bytes"},
		{"two swapped letters are one edit", "x-secgen-cros", "x-secgen-cors"},
		{"letter case is ignored", "X-SecGen-JWT", "x-secgen-jwt"},
		{"three edits are still a misspelling", "x-secgen-sensitiv", "x-secgen-sensitive"},
		{"the singular of cache control is found", "x-secgen-cache-controls", "x-secgen-cache-control"},
		{"a prefix of the root name is a misspelling of it", "x-secge", "x-secgen"},
		{"four edits are too many", "x-secgen-max-body-size", ""},
		{"an unrelated extension gets no suggestion", "x-amazon-apigateway-integration", ""},
		{"the empty name gets no suggestion", "", ""},
		{"a tie goes to the first extension in order", "x-secgen-cx", "x-secgen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Suggest(tt.in); got != tt.want {
				t.Errorf("Suggest(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"equal strings are zero apart", "abc", "abc", 0},
		{"letter case does not count", "ABC", "abc", 0},
		{"an insertion is one edit", "abc", "abxc", 1},
		{"a deletion is one edit", "abc", "ac", 1},
		{"a substitution is one edit", "abc", "axc", 1},
		{"a swap of neighbours is one edit", "abcd", "acbd", 1},
		{"the empty string is as far as the other is long", "", "abc", 3},
		{"a difference in length over the limit stops at the limit", "a", "abcdefgh", 4},
		{"runes count as one character each", "µs", "us", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := distance(tt.a, tt.b, 4); got != tt.want {
				t.Errorf("distance(%q, %q): got %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := distance(tt.b, tt.a, 4); got != tt.want {
				t.Errorf("distance(%q, %q): got %d, want %d", tt.b, tt.a, got, tt.want)
			}
		})
	}
}

// schemaFiles returns the embedded files and their decoded documents.
func schemaFiles(t testing.TB) map[string]map[string]any {
	t.Helper()
	files, err := fs.Glob(FS, "*.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	docs := make(map[string]map[string]any, len(files))
	for _, f := range files {
		data, err := FS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		docs[f] = doc
	}
	return docs
}

// newCompiler returns a compiler that holds every embedded file.
func newCompiler(t testing.TB) *jsonschema.Compiler {
	t.Helper()
	c := jsonschema.NewCompiler()
	files, _ := fs.Glob(FS, "*.schema.json")
	for _, f := range files {
		data, _ := FS.ReadFile(f)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := c.AddResource(baseURL+f, doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return c
}

func TestSchemaFiles(t *testing.T) {
	docs := schemaFiles(t)
	for f, doc := range docs {
		t.Run(f, func(t *testing.T) {
			if _, err := newCompiler(t).Compile(baseURL + f); err != nil {
				t.Fatalf("compile: %v", err)
			}
			if got, want := doc["$id"], baseURL+f; got != want {
				t.Errorf("$id: got %v, want %q", got, want)
			}
			if got, want := doc["$schema"], "https://json-schema.org/draft/2020-12/schema"; got != want {
				t.Errorf("$schema: got %v, want %q", got, want)
			}
			for _, k := range []string{"title", "description"} {
				if s, _ := doc[k].(string); s == "" {
					t.Errorf("%s: got %v, want a non-empty string", k, doc[k])
				}
			}
			if f == "secgen.schema.json" {
				return // the CLI's file, kept as it is
			}
			if f == "defs.schema.json" {
				defs, _ := doc["$defs"].(map[string]any)
				for name, d := range defs {
					d, _ := d.(map[string]any)
					for _, k := range []string{"title", "description", "examples"} {
						if d[k] == nil {
							t.Errorf("$defs/%s: got no %s, want one", name, k)
						}
					}
				}
			} else if ex, _ := doc["examples"].([]any); len(ex) == 0 {
				t.Errorf("examples: got %v, want at least one", doc["examples"])
			}
			checkSubschemas(t, f, "", doc)
		})
	}
}

// checkSubschemas enforces the house rules on every schema object in a file:
// objects with properties close with additionalProperties false, every
// property is described, no propertyNames (see x-secgen.schema.json's
// $comment), every pattern outside a "not" has words in patternWords (a "not"
// has its words in notWords), and every default and
// example validates against the schema it sits in.
func checkSubschemas(t *testing.T, file, ptr string, v any) {
	t.Helper()
	switch v := v.(type) {
	case []any:
		for i, x := range v {
			checkSubschemas(t, file, fmt.Sprintf("%s/%d", ptr, i), x)
		}
		return
	case map[string]any:
		if _, ok := v["properties"]; ok && v["additionalProperties"] != false {
			t.Errorf("%s#%s: got additionalProperties %v, want false", file, ptr, v["additionalProperties"])
		}
		if props, ok := v["properties"].(map[string]any); ok {
			for name, p := range props {
				if d, _ := p.(map[string]any)["description"].(string); d == "" {
					t.Errorf("%s#%s/properties/%s: got no description, want one", file, ptr, name)
				}
			}
		}
		if _, ok := v["propertyNames"]; ok {
			t.Errorf("%s#%s: uses propertyNames, whose errors jsonschema v6.0.3 can misplace; want patternProperties", file, ptr)
		}
		if p, ok := v["pattern"].(string); ok && !strings.HasSuffix(ptr, "/not") {
			if _, ok := patternWords[p]; !ok {
				t.Errorf("%s#%s: pattern %q has no words in patternWords", file, ptr, p)
			}
		}
		if _, ok := v["not"]; ok {
			if _, ok := notWords[baseURL+file+"#"+ptr]; !ok {
				t.Errorf("%s#%s: its not has no words in notWords", file, ptr)
			}
		}
		var samples []any
		if d, ok := v["default"]; ok {
			samples = append(samples, d)
		}
		if ex, ok := v["examples"].([]any); ok {
			samples = append(samples, ex...)
		}
		if len(samples) > 0 {
			s, err := newCompiler(t).Compile(baseURL + file + "#" + ptr)
			if err != nil {
				t.Fatalf("%s#%s: compile: %v", file, ptr, err)
			}
			for _, x := range samples {
				if err := s.Validate(x); err != nil {
					t.Errorf("%s#%s: default or example %v does not validate: %v", file, ptr, x, err)
				}
			}
		}
		for k, x := range v {
			switch k {
			case "default", "examples", "enum", "const":
				continue // values, not schemas
			}
			checkSubschemas(t, file, ptr+"/"+tokenEscaper.Replace(k), x)
		}
	}
}

func TestHeaderNamePatternIsShared(t *testing.T) {
	docs := schemaFiles(t)
	name := docs["defs.schema.json"]["$defs"].(map[string]any)["headerName"].(map[string]any)["pattern"].(string)
	headers := docs["x-secgen.schema.json"]["properties"].(map[string]any)["headers"].(map[string]any)
	var got []string
	for p := range headers["patternProperties"].(map[string]any) {
		got = append(got, p)
	}
	if len(got) != 1 || got[0] != name {
		t.Errorf("x-secgen headers patternProperties: got %q, want [%q] (defs headerName)", got, name)
	}
	key := docs["defs.schema.json"]["$defs"].(map[string]any)["rateLimit"].(map[string]any)["properties"].(map[string]any)["key"].(map[string]any)["pattern"].(string)
	if tok := strings.Trim(name, "^$"); !strings.Contains(key, "header:"+tok) {
		t.Errorf("rate-limit key pattern: got %q, want it to accept header:%s", key, tok)
	}
}

func TestExtensionsMatchFiles(t *testing.T) {
	if !slices.IsSortedFunc(Extensions, func(a, b Extension) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("Extensions: got %v, want them sorted by Name", Extensions)
	}
	docs := schemaFiles(t)
	want := map[string]bool{"defs.schema.json": true, "secgen.schema.json": true}
	for _, e := range Extensions {
		want[e.File] = true
		if e.File != e.Name+".schema.json" {
			t.Errorf("%s: got file %q, want %q", e.Name, e.File, e.Name+".schema.json")
		}
		if !slices.Contains([]string{"root", "operation", "securityScheme", "schema"}, e.Where) {
			t.Errorf("%s: got Where %q, want root, operation, securityScheme or schema", e.Name, e.Where)
		}
		doc, ok := docs[e.File]
		if !ok {
			t.Errorf("%s: got no file %s, want one", e.Name, e.File)
			continue
		}
		if doc["title"] != e.Name {
			t.Errorf("%s: got title %v, want the extension name", e.File, doc["title"])
		}
	}
	for f := range docs {
		if !want[f] {
			t.Errorf("%s: got a schema file no Extension names, want every file listed", f)
		}
	}
	for f := range want {
		if _, ok := docs[f]; !ok {
			t.Errorf("%s: got no embedded file, want one", f)
		}
	}
}

func TestPatternWordsAreUsed(t *testing.T) {
	all := ""
	for _, doc := range schemaFiles(t) {
		data, _ := json.Marshal(doc)
		all += string(data)
	}
	for p := range patternWords {
		q, _ := json.Marshal(p)
		if !strings.Contains(all, string(q)) {
			t.Errorf("patternWords holds %q, which no schema uses", p)
		}
	}
}

// docMembers lists the members an extension's section must name: the
// top-level members (through $ref and alternatives), and the members of
// objects written inline under them as "parent.member".
func docMembers(s *jsonschema.Schema) []string {
	var names []string
	var top func(s *jsonschema.Schema)
	seen := map[*jsonschema.Schema]bool{}
	top = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		for n, p := range s.Properties {
			names = append(names, n)
			for sub := range p.Properties {
				names = append(names, n+"."+sub)
			}
		}
		top(s.Ref)
		for _, alt := range slices.Concat(s.AnyOf, s.OneOf, s.AllOf) {
			top(alt)
		}
	}
	top(s)
	slices.Sort(names)
	return slices.Compact(names)
}

var (
	headingRE = regexp.MustCompile(`(?m)^## (.+)$`)
	rowRE     = regexp.MustCompile("(?m)^\\| (`[^`]+`|\\(value\\)) \\|")
	yamlRE    = regexp.MustCompile("(?s)```yaml\n(.*?)```")
)

// checkDocs returns what docs/extensions.md (given as text) gets wrong.
func checkDocs(doc string, set *schemaSet) []string {
	var problems []string
	sections := map[string]string{}
	locs := headingRE.FindAllStringSubmatchIndex(doc, -1)
	for i, l := range locs {
		end := len(doc)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		sections[doc[l[2]:l[3]]] = doc[l[1]:end]
	}
	for _, e := range Extensions {
		sec, ok := sections[e.Name]
		if !ok {
			problems = append(problems, fmt.Sprintf("no section ## %s", e.Name))
			continue
		}
		var rows []string
		for _, m := range rowRE.FindAllStringSubmatch(sec, -1) {
			rows = append(rows, strings.Trim(m[1], "`"))
		}
		members := docMembers(set.schemas[e.Name])
		if len(members) == 0 {
			members = []string{"(value)"}
		}
		for _, m := range members {
			if !slices.Contains(rows, m) {
				problems = append(problems, fmt.Sprintf("## %s: member %s is not in the table", e.Name, m))
			}
		}
		for _, r := range rows {
			if !slices.Contains(members, r) {
				problems = append(problems, fmt.Sprintf("## %s: the table names %s, which the schema does not have", e.Name, r))
			}
		}
		blocks := yamlRE.FindAllStringSubmatch(sec, -1)
		if len(blocks) == 0 {
			problems = append(problems, fmt.Sprintf("## %s: no ```yaml example", e.Name))
		}
		for _, b := range blocks {
			if !strings.Contains(b[1], e.Name+":") {
				problems = append(problems, fmt.Sprintf("## %s: a ```yaml example does not use %s", e.Name, e.Name))
			}
		}
	}
	for i, b := range yamlRE.FindAllStringSubmatch(doc, -1) {
		var v any
		if err := yaml.Unmarshal([]byte(b[1]), &v); err != nil {
			problems = append(problems, fmt.Sprintf("```yaml example %d: %v", i+1, err))
			continue
		}
		problems = append(problems, checkExample(fmt.Sprintf("```yaml example %d", i+1), "", v)...)
	}
	return problems
}

// checkExample validates every x-secgen* member inside an example.
func checkExample(where, ptr string, v any) []string {
	var problems []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if strings.HasPrefix(k, "x-secgen") {
				vs, err := Validate(k, x)
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s: %s/%s: %v", where, ptr, k, err))
				}
				for _, viol := range vs {
					problems = append(problems, fmt.Sprintf("%s: %s/%s%s: %s", where, ptr, k, viol.Pointer, viol.Message))
				}
				continue
			}
			problems = append(problems, checkExample(where, ptr+"/"+k, x)...)
		}
	case []any:
		for i, x := range v {
			problems = append(problems, checkExample(where, fmt.Sprintf("%s/%d", ptr, i), x)...)
		}
	}
	return problems
}

// TestDocs holds docs/extensions.md to the schemas: every extension has a
// section whose table names exactly the schema's members (so a member added
// to a schema fails here until it is documented), and every ```yaml block is
// an OpenAPI fragment in which every x-secgen* key is a known extension whose
// value validates. A section's examples show its extension where it goes.
func TestDocs(t *testing.T) {
	data, err := os.ReadFile("../docs/extensions.md")
	if err != nil {
		t.Fatal(err)
	}
	set, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range checkDocs(string(data), set) {
		t.Error(p)
	}
}

func TestDocsCheckCatchesMistakes(t *testing.T) {
	data, err := os.ReadFile("../docs/extensions.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	set, err := compiled()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		edit    func(string) string
		problem string
	}{
		{"a member missing from a table is reported", func(d string) string {
			return strings.Replace(d, "| `jwksRefresh` |", "| jwks refresh |", 1)
		}, "## x-secgen-jwt: member jwksRefresh is not in the table"},
		{"a nested member missing from a table is reported", func(d string) string {
			return strings.Replace(d, "| `hsts.preload` |", "| preload |", 1)
		}, "## x-secgen: member hsts.preload is not in the table"},
		{"a table row for a member the schema lacks is reported", func(d string) string {
			return strings.Replace(d, "| `leeway` |", "| `leeway` | x |\n| `clockSkew` |", 1)
		}, "## x-secgen-jwt: the table names clockSkew, which the schema does not have"},
		{"a missing section is reported", func(d string) string {
			return strings.Replace(d, "## x-secgen-encrypt\n", "## Encryption\n", 1)
		}, "no section ## x-secgen-encrypt"},
		{"an example that breaks its schema is reported", func(d string) string {
			return strings.Replace(d, "x-secgen-max-body-bytes: 104857600", "x-secgen-max-body-bytes: 0", 1)
		}, "must be >= 1, got 0"},
		{"a misspelt extension in an example is reported", func(d string) string {
			return strings.Replace(d, "x-secgen-cache-control: \"public", "x-secgen-cache-contrl: \"public", 1)
		}, `unknown extension "x-secgen-cache-contrl"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := tt.edit(doc)
			if edited == doc {
				t.Fatal("the edit did not apply; the test needs updating")
			}
			problems := checkDocs(edited, set)
			found := slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tt.problem) })
			if !found {
				t.Errorf("checkDocs: got %q, want a problem containing %q", problems, tt.problem)
			}
		})
	}
}

// FuzzValidate feeds YAML documents to every extension's schema and holds the
// violations to their contract.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		`{}`, `true`, `null`, `5`, `"x"`, `[1, 2]`,
		`{profile: strick, maxDepth: 0, headers: {"X Bad": 1, X-A: "a\nb"}}`,
		`{cors: {allowedOrigins: [a, a], maxage: 1m}, rateLimit: true}`,
		`{requests: 0, window: 0s, key: "header:"}`,
		`{allowedOrigins: [], allowedMethods: [TRACE]}`,
		`{account: x, failureStatus: [200, 200]}`,
		`{audience: 5, algorithms: [none]}`,
		`{trustedProxies: [2024-01-01], maxDepth: .nan, headers: {1: x}}`,
		`{"a/b~c": {"~": [{}]}}`,
		`{timeouts: {read: 1h, write: 0.0s}, hsts: {maxAge: -1}}`,
	} {
		f.Add([]byte(s))
	}
	set, err := compiled()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			return
		}
		norm, _ := normalize(v)
		for _, e := range Extensions {
			vs, err := Validate(e.Name, v)
			if err != nil {
				t.Fatalf("Validate(%s): %v", e.Name, err)
			}
			valid := set.schemas[e.Name].Validate(norm) == nil
			if valid != (len(vs) == 0) {
				t.Fatalf("Validate(%s): got %d violations %s, but the schema says valid=%v", e.Name, len(vs), show(vs), valid)
			}
			for i, x := range vs {
				if i > 0 {
					prev := vs[i-1]
					if prev.Pointer > x.Pointer || (prev.Pointer == x.Pointer && prev.Message >= x.Message) {
						t.Fatalf("Validate(%s): got %s, want sorted by pointer then message, without repeats", e.Name, show(vs))
					}
				}
				if _, ok := resolve(norm, x.Pointer); !ok {
					t.Fatalf("Validate(%s): got pointer %q, which names nothing in the value", e.Name, x.Pointer)
				}
				r, _ := utf8.DecodeRuneInString(x.Message)
				if x.Message == "" || !unicode.IsLower(r) || strings.HasSuffix(x.Message, ".") || strings.ContainsAny(x.Message, "\r\n") {
					t.Fatalf("Validate(%s): got message %q, want one lowercase line without a trailing period", e.Name, x.Message)
				}
			}
		}
	})
}

// resolve follows an RFC 6901 pointer through decoded JSON.
func resolve(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	var tokens []string
	for _, t := range strings.Split(ptr[1:], "/") {
		tokens = append(tokens, strings.NewReplacer("~1", "/", "~0", "~").Replace(t))
	}
	return lookup(v, tokens)
}

// FuzzSuggest makes one edit to a known name and requires Suggest to find a
// name that close: the name itself, or another the edit happens to reach.
func FuzzSuggest(f *testing.F) {
	f.Add(uint8(3), uint8(0), uint8(10), 'x')
	f.Add(uint8(0), uint8(1), uint8(2), 'a')
	f.Add(uint8(7), uint8(2), uint8(9), 'R')
	f.Add(uint8(1), uint8(3), uint8(12), 'é')
	f.Fuzz(func(t *testing.T, which, op, pos uint8, r rune) {
		name := []rune(Extensions[int(which)%len(Extensions)].Name)
		p := int(pos) % (len(name) + 1)
		var edited []rune
		switch op % 4 {
		case 0: // insert
			edited = slices.Concat(name[:p], []rune{r}, name[p:])
		case 1: // delete
			if p == len(name) {
				p--
			}
			edited = slices.Concat(name[:p], name[p+1:])
		case 2: // substitute
			if p == len(name) {
				p--
			}
			edited = slices.Clone(name)
			edited[p] = r
		case 3: // swap neighbours
			if p >= len(name)-1 {
				p = len(name) - 2
			}
			edited = slices.Clone(name)
			edited[p], edited[p+1] = edited[p+1], edited[p]
		}
		got := Suggest(string(edited))
		if got == "" {
			t.Fatalf("Suggest(%q): got no suggestion, want one (it is one edit from %q)", string(edited), string(name))
		}
		if _, ok := Lookup(got); !ok {
			t.Fatalf("Suggest(%q): got %q, want a known extension", string(edited), got)
		}
		if strings.EqualFold(string(edited), got) {
			return
		}
		for _, e := range Extensions {
			if strings.EqualFold(string(edited), e.Name) {
				t.Fatalf("Suggest(%q): got %q, want %q, which it spells", string(edited), got, e.Name)
			}
		}
	})
}

// FuzzDuration holds the duration schema to time.ParseDuration: every value
// the schema accepts is above zero and parses unless it overflows, and every
// positive time.Duration's String form is accepted and parses back to itself.
func FuzzDuration(f *testing.F) {
	for _, s := range []string{"30s", "0s", "1h30m", "0.5ns", "1.5µs", "9999999999h", "1e3s", "1..5s", "-1s", "0.000h0s"} {
		f.Add(s, int64(1500))
	}
	f.Add("1us", int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		vs, err := Validate("x-secgen", map[string]any{"timeouts": map[string]any{"read": s}})
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) == 0 {
			exact, ok := exactNanoseconds(s)
			if !ok {
				t.Fatalf("the schema accepts %q, which is not a sum of numbers with units", s)
			}
			if exact.Sign() <= 0 {
				t.Fatalf("the schema accepts %q, which is %s ns, want only durations above zero", s, exact.RatString())
			}
			d, err := time.ParseDuration(s)
			small := exact.Cmp(new(big.Rat).SetInt64(1<<62)) < 0
			if small && err != nil {
				t.Fatalf("the schema accepts %q but time.ParseDuration refuses it: %v", s, err)
			}
			if err == nil && d < 0 {
				t.Fatalf("the schema accepts %q but time.ParseDuration makes it %v", s, d)
			}
		}
		if n <= 0 {
			return
		}
		str := time.Duration(n).String()
		vs, err = Validate("x-secgen", map[string]any{"timeouts": map[string]any{"read": str}})
		if err != nil || len(vs) != 0 {
			t.Fatalf("Validate(%q): got %s, %v; want a time.Duration's String form accepted", str, show(vs), err)
		}
		if back, err := time.ParseDuration(str); err != nil || back != time.Duration(n) {
			t.Fatalf("time.ParseDuration(%q): got %v, %v; want %d", str, back, err, n)
		}
	})
}

var durationPart = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)`)

// exactNanoseconds adds up a duration string's parts exactly.
func exactNanoseconds(s string) (*big.Rat, bool) {
	units := map[string]int64{"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9}
	sum := new(big.Rat)
	rest := s
	for rest != "" {
		m := durationPart.FindStringSubmatchIndex(rest)
		if m == nil || m[0] != 0 {
			return nil, false
		}
		num, ok := new(big.Rat).SetString(rest[m[2]:m[3]])
		if !ok {
			return nil, false
		}
		sum.Add(sum, num.Mul(num, new(big.Rat).SetInt64(units[rest[m[4]:m[5]]])))
		rest = rest[m[1]:]
	}
	return sum, s != ""
}

func BenchmarkValidate(b *testing.B) {
	valid := decodeYAML(b, `
profile: strict
trustedProxies: [10.0.0.0/8]
maxBodyBytes: 65536
headers: {Content-Security-Policy: "default-src 'none'"}
cors: {allowedOrigins: [https://app.example.com], allowCredentials: true, maxAge: 1h}
rateLimit: {requests: 600, window: 1m}
timeouts: {write: 1m}
`)
	invalid := decodeYAML(b, `{profile: strick, cors: {allowedOrigins: [], maxage: 1m}, rateLimit: {requests: 0, window: 0s}}`)
	for _, bc := range []struct {
		name  string
		value any
	}{{"valid x-secgen", valid}, {"x-secgen with five violations", invalid}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Validate("x-secgen", bc.value); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
