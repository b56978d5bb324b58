package param

import (
	"net/http/httptest"
	"net/url"
	"testing"
)

// FuzzRawQueryAgreesWithParseQuery holds the allocation-free reading of
// primitive query values to url.ParseQuery's: wherever the raw query is
// plain, both give the same value, presence and repetition.
func FuzzRawQueryAgreesWithParseQuery(f *testing.F) {
	for _, s := range []string{"a=1", "a=1&a=2", "a=%41&b", "a=x+y", "a", "&&a=&", "b=1&a=2", "a=%zz", "a;b=1", "a%20b=1", "a+b=1", "a==1", "a=1&b=%"} {
		f.Add(s, "a")
	}
	f.Fuzz(func(t *testing.T, raw, name string) {
		if !plainRawQuery(raw) {
			return
		}
		q, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatalf("%q is plain but url.ParseQuery refuses it: %v", raw, err)
		}
		wantV, wantPresent, wantErr := QueryPrimitive(q, name)
		v, present, err := rawQueryPrimitive(raw, name)
		if v != wantV || present != wantPresent || (err == nil) != (wantErr == nil) {
			t.Fatalf("%q name %q: got %q %v %v, want %q %v %v", raw, name, v, present, err, wantV, wantPresent, wantErr)
		}
	})
}

func TestPrimitiveQueryValuesNeedNoParsedQuery(t *testing.T) {
	tests := []struct {
		name, target string
		wantPlain    bool
	}{
		{"plain pairs are read where they stand", "/?limit=50&q=ann", true},
		{"escaped values are plain too", "/?q=a%20b+c", true},
		{"an escaped key needs the parser", "/?a%20b=1", false},
		{"a semicolon needs the parser, which refuses it", "/?a=1;b=2", false},
		{"a broken escape needs the parser, which refuses it", "/?a=%zz", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDecoder(httptest.NewRequest("GET", tt.target, nil))
			if got := d.plainQuery(); got != tt.wantPlain {
				t.Fatalf("plain = %v, want %v", got, tt.wantPlain)
			}
		})
	}
	r := httptest.NewRequest("GET", "/?limit=50&offset=10&role=editor&q=ann", nil)
	allocs := testing.AllocsPerRun(100, func() {
		d := Decoder{r: r}
		d.QueryValue("limit", false)
		d.QueryValue("q", false)
	})
	if allocs != 0 {
		t.Errorf("reading two plain values allocates %v times, want 0", allocs)
	}
}
