package params

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/types"
)

// recorder implements every operation: it keeps the last decoded request
// and echoes the values back.
type recorder struct {
	mu    sync.Mutex
	calls int
	last  any
}

func (h *recorder) record(req any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls++
	h.last = req
}

func (h *recorder) got() (calls int, last any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls, h.last
}

func (h *recorder) GetSimple(_ context.Context, req GetSimpleRequest) (GetSimpleResponse, error) {
	h.record(req)
	return GetSimpleOKResponse{Body: SimpleEcho{ItemID: &req.ItemID, Arr: req.Arr, Obj: &req.Obj}}, nil
}

func (h *recorder) GetSimpleExploded(_ context.Context, req GetSimpleExplodedRequest) (GetSimpleExplodedResponse, error) {
	h.record(req)
	return GetSimpleExplodedOKResponse{Body: SimpleExplodedEcho{ID: &req.ID, Arr: req.Arr, Obj: &req.Obj}}, nil
}

func (h *recorder) GetLabel(_ context.Context, req GetLabelRequest) (GetLabelResponse, error) {
	h.record(req)
	return GetLabelOKResponse{Body: LabelEcho{Prim: &req.Prim, Arr: req.Arr, ArrExploded: req.ArrExploded}}, nil
}

func (h *recorder) GetMatrix(_ context.Context, req GetMatrixRequest) (GetMatrixResponse, error) {
	h.record(req)
	return GetMatrixOKResponse{Body: MatrixEcho{Prim: &req.Prim, Arr: req.Arr, ArrExploded: req.ArrExploded, Obj: &req.Obj}}, nil
}

func (h *recorder) SearchQuery(_ context.Context, req SearchQueryRequest) (SearchQueryResponse, error) {
	h.record(req)
	return SearchQueryOKResponse{Body: QueryEcho{Q: &req.Q, PageSize: &req.PageSize, Tags: req.Tags}}, nil
}

func (h *recorder) GetHeaders(_ context.Context, req GetHeadersRequest) (GetHeadersResponse, error) {
	h.record(req)
	return GetHeadersOKResponse{Body: HeaderEcho{PageLimit: &req.XPageLimit, Tags: req.XTags, Filter: req.XFilter}}, nil
}

func (h *recorder) GetCookies(_ context.Context, req GetCookiesRequest) (GetCookiesResponse, error) {
	h.record(req)
	return GetCookiesOKResponse{Body: CookieEcho{Session: &req.Session, Prefs: req.Prefs, Visits: req.Visits}}, nil
}

func ptr[T any](v T) *T { return &v }

// newServer serves a fresh recorder. net/http logs a warning for every
// query holding a ';'; that warning is discarded.
func newServer(t *testing.T) (*httptest.Server, *recorder) {
	t.Helper()
	h := &recorder{}
	srv := httptest.NewUnstartedServer(NewRouter(h))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, h
}

// get sends GET target (a raw path and query) with header.
func get(t *testing.T, srv *httptest.Server, target string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+target, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// show renders a decoded request readably (pointers followed).
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

const uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

func TestParametersDecode(t *testing.T) {
	tests := []struct {
		name   string
		target string
		header http.Header
		want   any
	}{
		{
			"simple path parameters decode a primitive, an array and an object",
			"/simple/42/1,2,3/role,admin,active,true", nil,
			GetSimpleRequest{ItemID: 42, Arr: []int32{1, 2, 3}, Obj: RoleFilter{Role: ptr(RoleFilterRoleAdmin), Active: ptr(true)}},
		},
		{
			"a simple object path parameter may carry only some properties",
			"/simple/7/5/active,false", nil,
			GetSimpleRequest{ItemID: 7, Arr: []int32{5}, Obj: RoleFilter{Active: ptr(false)}},
		},
		{
			"exploded simple path parameters decode a uuid, an array and an object",
			"/simple-explode/" + uuid + "/a,b/lat=52.37,lon=4.89", nil,
			GetSimpleExplodedRequest{ID: uuid, Arr: []string{"a", "b"}, Obj: Coordinates{Lat: 52.37, Lon: 4.89}},
		},
		{
			"a percent-encoded slash in a path item is decoded after routing",
			"/simple-explode/" + uuid + "/a%2Fb,c/lat=-1.5,lon=0", nil,
			GetSimpleExplodedRequest{ID: uuid, Arr: []string{"a/b", "c"}, Obj: Coordinates{Lat: -1.5, Lon: 0}},
		},
		{
			"label path parameters decode an enum, an array and an exploded array",
			"/label/.red/.x,y/.1.2.3", nil,
			GetLabelRequest{Prim: ColorRed, Arr: []string{"x", "y"}, ArrExploded: []int32{1, 2, 3}},
		},
		{
			"matrix path parameters decode a float, an array, an exploded array and an exploded object",
			"/matrix/;prim=1.5/;arr=x,y/;arrExploded=10;arrExploded=20/;x=3;y=4", nil,
			GetMatrixRequest{Prim: 1.5, Arr: []string{"x", "y"}, ArrExploded: []int64{10, 20}, Obj: Point{X: 3, Y: 4}},
		},
		{
			"query parameters decode in every style",
			"/query?q=cats&page.size=50&since=2024-01-15T09:30:00Z&day=2024-01-15&ratio=0.5&verbose=true" +
				"&traceId=" + uuid + "&mode=fast&tags=a&tags=b&ids=1,2,3&color=red&minPrice=9.99" +
				"&spaced=x%20y&piped=1|2|3&sort[field]=name&sort[order]=desc", nil,
			SearchQueryRequest{
				Q:        "cats",
				PageSize: 50,
				Since:    ptr(time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)),
				Day:      &types.Date{Year: 2024, Month: time.January, Day: 15},
				Ratio:    ptr(float32(0.5)),
				Verbose:  true,
				TraceID:  ptr(uuid),
				Mode:     ptr(SearchQueryModeFast),
				Tags:     []string{"a", "b"},
				IDS:      []int64{1, 2, 3},
				Filter:   &PriceFilter{Color: ptr(ColorRed), MinPrice: ptr(9.99)},
				Spaced:   []string{"x", "y"},
				Piped:    []int32{1, 2, 3},
				Sort:     &SortSpec{Field: ptr(SortSpecFieldName), Order: ptr(SortSpecOrderDesc)},
			},
		},
		{
			"absent optional query parameters stay nil and defaulted ones hold their default",
			"/query?q=cats", nil,
			SearchQueryRequest{Q: "cats", PageSize: 25, Verbose: false},
		},
		{
			"query values on their bounds are accepted",
			"/query?q=" + strings.Repeat("é", 100) + "&page.size=100&ratio=1&tags=a&tags=b&tags=c&tags=d&tags=e", nil,
			SearchQueryRequest{Q: strings.Repeat("é", 100), PageSize: 100, Ratio: ptr(float32(1)), Tags: []string{"a", "b", "c", "d", "e"}},
		},
		{
			"a form-exploded object needs only one of its properties, and a single tag is a one-item array",
			"/query?q=dogs&minPrice=0&tags=solo&spaced=one+two", nil,
			SearchQueryRequest{Q: "dogs", PageSize: 25, Tags: []string{"solo"}, Filter: &PriceFilter{MinPrice: ptr(0.0)}, Spaced: []string{"one", "two"}},
		},
		{
			"header parameters decode a primitive, an array and an object",
			"/headers", http.Header{
				"X-Page-Limit": {"10"}, "X-Tags": {"a,b"}, "X-Filter": {"role,admin,active,true"},
				"X-Request-Id": {uuid}, "X-Dry-Run": {"true"},
			},
			GetHeadersRequest{
				XPageLimit: 10, XTags: []string{"a", "b"},
				XFilter:    &RoleFilter{Role: ptr(RoleFilterRoleAdmin), Active: ptr(true)},
				XRequestID: ptr(uuid), XDryRun: ptr(true),
			},
		},
		{
			"a header array is read from every line, trimmed of spaces",
			"/headers", http.Header{"X-Page-Limit": {"1"}, "X-Tags": {"a, b", "c"}},
			GetHeadersRequest{XPageLimit: 1, XTags: []string{"a", "b", "c"}},
		},
		{
			"cookie parameters decode a primitive and an array",
			"/cookies", http.Header{"Cookie": {"session=abc123; prefs=dark,compact; visits=7"}},
			GetCookiesRequest{Session: "abc123", Prefs: []string{"dark", "compact"}, Visits: ptr(int32(7))},
		},
		{
			"absent optional cookies stay nil",
			"/cookies", http.Header{"Cookie": {"session=abc123"}},
			GetCookiesRequest{Session: "abc123"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, h := newServer(t)
			resp, body := get(t, srv, tc.target, tc.header)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", resp.StatusCode, body)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", got)
			}
			calls, got := h.got()
			if calls != 1 {
				t.Fatalf("handler called %d times, want 1", calls)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("handler got %T %s,\nwant %T %s", got, show(got), tc.want, show(tc.want))
			}
		})
	}
}

func TestEchoBodyCarriesTheDecodedValues(t *testing.T) {
	srv, _ := newServer(t)
	_, body := get(t, srv, "/simple/42/1,2,3/role,admin,active,true", nil)
	var got, want any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	_ = json.Unmarshal([]byte(`{"itemId":42,"arr":[1,2,3],"obj":{"role":"admin","active":true}}`), &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body = %s, want %v", body, want)
	}
}

// fieldError is one entry of a problem's errors; Limit keeps its JSON text.
type fieldError struct {
	In      string  `json:"in"`
	Name    string  `json:"name"`
	Pointer string  `json:"pointer"`
	Keyword string  `json:"keyword"`
	Limit   rawJSON `json:"limit"`
	Message string  `json:"message"`
}

// rawJSON is a member's JSON text as the server wrote it.
type rawJSON string

func (r *rawJSON) UnmarshalJSON(b []byte) error {
	*r = rawJSON(b)
	return nil
}

// problemDoc is an RFC 9457 problem document as generated servers write it.
type problemDoc struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail"`
	Errors []fieldError `json:"errors"`
}

// parseProblem decodes a problem document, failing on members it does not
// know, so that the whole document is asserted. As an absent pointer
// decodes like an empty one, it also fails when an empty pointer member is
// missing from a body error without a name ("" points at the whole body)
// or is present anywhere else (parameters and form fields have none).
func parseProblem(t *testing.T, data []byte) problemDoc {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p problemDoc
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem %s: %v", data, err)
	}
	var raw struct{ Errors []map[string]json.RawMessage }
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("problem %s: %v", data, err)
	}
	for i, e := range p.Errors {
		_, got := raw.Errors[i]["pointer"]
		if want := e.Pointer != "" || e.In == "body" && e.Name == ""; got != want {
			t.Errorf("problem %s: errors[%d] has a pointer member = %t, want %t", data, i, got, want)
		}
	}
	return p
}

func TestBadParametersAreRefused(t *testing.T) {
	limit := func(kv ...string) http.Header {
		h := http.Header{"X-Page-Limit": {"10"}}
		for i := 0; i < len(kv); i += 2 {
			h[kv[i]] = append(h[kv[i]], kv[i+1])
		}
		return h
	}
	cookie := func(s string) http.Header { return http.Header{"Cookie": {s}} }
	tests := []struct {
		name   string
		target string
		header http.Header
		want   []fieldError
	}{
		{"a path integer that is not a number is a 400 naming item-id",
			"/simple/abc/1,2,3/role,admin", nil,
			[]fieldError{{In: "path", Name: "item-id", Message: "is not an integer"}}},
		{"an array item that is not an integer is a 400 naming the item",
			"/simple/42/1,x,3/role,admin", nil,
			[]fieldError{{In: "path", Name: "arr", Message: "item 1 is not an integer"}}},
		{"an object property that is not a boolean is a 400 naming the property",
			"/simple/42/1/role,admin,active,yes", nil,
			[]fieldError{{In: "path", Name: "obj[active]", Message: "is not a boolean"}}},
		{"an exploded object item without = is a 400",
			"/simple-explode/" + uuid + "/a/lat,52.37", nil,
			[]fieldError{{In: "path", Name: "obj", Message: `has an object item without "="`}}},
		{"a missing required object property is a 400",
			"/matrix/;prim=1.5/;arr=x/;arrExploded=1/;x=3", nil,
			[]fieldError{{In: "path", Name: "obj[y]", Message: "is required"}}},
		{"a label parameter without its leading dot is a 400",
			"/label/red/.x/.1", nil,
			[]fieldError{{In: "path", Name: "prim", Message: `is not label style: it does not start with "."`}}},
		{"a matrix parameter under another name is a 400",
			"/matrix/;other=1.5/;arr=x/;arrExploded=1/;x=3;y=4", nil,
			[]fieldError{{In: "path", Name: "prim", Message: `is not matrix style: it does not start with ";prim"`}}},
		{"a query integer that is not a number is a 400 naming page.size",
			"/query?q=cats&page.size=ten", nil,
			[]fieldError{{In: "query", Name: "page.size", Message: "is not an integer"}}},
		{"a date-time without an offset is a 400",
			"/query?q=cats&since=2024-01-15T09:30:00", nil,
			[]fieldError{{In: "query", Name: "since", Message: "is not an RFC 3339 date-time"}}},
		{"a missing required query parameter is a 400",
			"/query", nil,
			[]fieldError{{In: "query", Name: "q", Message: "is required"}}},
		{"a repeated non-array query parameter is a 400",
			"/query?q=cats&q=dogs", nil,
			[]fieldError{{In: "query", Name: "q", Message: "is repeated"}}},
		{"a repeated non-exploded array query parameter is a 400",
			"/query?q=cats&ids=1,2&ids=3", nil,
			[]fieldError{{In: "query", Name: "ids", Message: "is repeated"}}},
		{"a repeated deepObject property is a 400",
			"/query?q=cats&sort[field]=name&sort[field]=createdAt", nil,
			[]fieldError{{In: "query", Name: "sort", Message: `has repeated property "field"`}}},
		{"a raw semicolon in the query is a 400",
			"/query?q=cats&x=1;y=2", nil,
			[]fieldError{{In: "query", Message: "the query string is malformed"}}},
		{"every bad query parameter is listed at once",
			"/query?page.size=ten&ratio=half&verbose=yes", nil,
			[]fieldError{
				{In: "query", Name: "q", Message: "is required"},
				{In: "query", Name: "page.size", Message: "is not an integer"},
				{In: "query", Name: "ratio", Message: "is not a number"},
				{In: "query", Name: "verbose", Message: "is not a boolean"},
			}},
		{"a header integer that is not a number is a 400 naming X-Page-Limit",
			"/headers", http.Header{"X-Page-Limit": {"ten"}},
			[]fieldError{{In: "header", Name: "X-Page-Limit", Message: "is not an integer"}}},
		{"a missing required header is a 400",
			"/headers", nil,
			[]fieldError{{In: "header", Name: "X-Page-Limit", Message: "is required"}}},
		{"a repeated primitive header is a 400",
			"/headers", limit("X-Page-Limit", "20"),
			[]fieldError{{In: "header", Name: "X-Page-Limit", Message: "is repeated"}}},
		{"a header object with an odd number of items is a 400",
			"/headers", limit("X-Filter", "role,admin,active"),
			[]fieldError{{In: "header", Name: "X-Filter", Message: "has an odd number of items for an object"}}},
		{"a header boolean that is not true or false is a 400",
			"/headers", limit("X-Dry-Run", "1"),
			[]fieldError{{In: "header", Name: "X-Dry-Run", Message: "is not a boolean"}}},
		{"a path integer below its minimum is a 400 naming the keyword and limit",
			"/simple/0/1/role,admin", nil,
			[]fieldError{{In: "path", Name: "item-id", Keyword: "minimum", Limit: "1", Message: "must be at least 1"}}},
		{"a path array beyond maxItems is a 400",
			"/simple/1/1,2,3,4,5,6,7,8,9,10,11/role,admin", nil,
			[]fieldError{{In: "path", Name: "arr", Keyword: "maxItems", Limit: "10", Message: "must have at most 10 items"}}},
		{"a label enum outside its values is a 400",
			"/label/.secret/.x/.1", nil,
			[]fieldError{{In: "path", Name: "prim", Keyword: "enum", Limit: `["red","green","blue"]`, Message: "must be one of the allowed values"}}},
		{"a label array item failing its pattern is a 400 naming the pattern",
			"/label/.red/.x,secret9/.1", nil,
			[]fieldError{{In: "path", Name: "arr", Keyword: "pattern", Limit: `"^[a-z]+$"`, Message: "must match the pattern"}}},
		{"a path uuid that is not one is a 400",
			"/simple-explode/secret/a/lat=1,lon=2", nil,
			[]fieldError{{In: "path", Name: "id", Keyword: "format", Limit: `"uuid"`, Message: "must be a UUID"}}},
		{"an empty item of a path array with minLength is a 400",
			"/simple-explode/" + uuid + "/a,/lat=1,lon=2", nil,
			[]fieldError{{In: "path", Name: "arr", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"}}},
		{"an empty required q is a 400 for minLength",
			"/query?q=", nil,
			[]fieldError{{In: "query", Name: "q", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"}}},
		{"a q of 101 code points is a 400 for maxLength",
			"/query?q=" + strings.Repeat("é", 101), nil,
			[]fieldError{{In: "query", Name: "q", Keyword: "maxLength", Limit: "100", Message: "must be at most 100 characters long"}}},
		{"every failing query check is listed at once",
			"/query?q=secret&page.size=0&ratio=1.5&traceId=secret&mode=secret&tags=1&tags=2&tags=3&tags=4&tags=5&tags=6", nil,
			[]fieldError{
				{In: "query", Name: "page.size", Keyword: "minimum", Limit: "1", Message: "must be at least 1"},
				{In: "query", Name: "ratio", Keyword: "maximum", Limit: "1", Message: "must be at most 1"},
				{In: "query", Name: "traceId", Keyword: "format", Limit: `"uuid"`, Message: "must be a UUID"},
				{In: "query", Name: "mode", Keyword: "enum", Limit: `["fast","thorough"]`, Message: "must be one of the allowed values"},
				{In: "query", Name: "tags", Keyword: "maxItems", Limit: "5", Message: "must have at most 5 items"},
			}},
		{"a form-exploded object property outside its enum is a 400 naming the property",
			"/query?q=cats&color=secret", nil,
			[]fieldError{{In: "query", Name: "filter[color]", Keyword: "enum", Limit: `["red","green","blue"]`, Message: "must be one of the allowed values"}}},
		{"a form-exploded object property below its minimum is a 400",
			"/query?q=cats&minPrice=-5", nil,
			[]fieldError{{In: "query", Name: "filter[minPrice]", Keyword: "minimum", Limit: "0", Message: "must be at least 0"}}},
		{"a deepObject property outside its enum is a 400",
			"/query?q=cats&sort[field]=secret", nil,
			[]fieldError{{In: "query", Name: "sort[field]", Keyword: "enum", Limit: `["name","createdAt"]`, Message: "must be one of the allowed values"}}},
		{"a path object property above its maximum is a 400",
			"/simple-explode/" + uuid + "/a/lat=100,lon=4", nil,
			[]fieldError{{In: "path", Name: "obj[lat]", Keyword: "maximum", Limit: "90", Message: "must be at most 90"}}},
		{"a header object property outside its enum is a 400",
			"/headers", limit("X-Filter", "role,secret"),
			[]fieldError{{In: "header", Name: "X-Filter[role]", Keyword: "enum", Limit: `["admin","member","guest"]`, Message: "must be one of the allowed values"}}},
		{"a parameter that does not decode does not hide the checks of the others",
			"/query?q=&mode=secret&page.size=ten", nil,
			[]fieldError{
				{In: "query", Name: "page.size", Message: "is not an integer"},
				{In: "query", Name: "q", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"},
				{In: "query", Name: "mode", Keyword: "enum", Limit: `["fast","thorough"]`, Message: "must be one of the allowed values"},
			}},
		{"a page.size above its maximum is a 400",
			"/query?q=a&page.size=101", nil,
			[]fieldError{{In: "query", Name: "page.size", Keyword: "maximum", Limit: "100", Message: "must be at most 100"}}},
		{"a header integer above its maximum is a 400",
			"/headers", http.Header{"X-Page-Limit": {"1001"}},
			[]fieldError{{In: "header", Name: "X-Page-Limit", Keyword: "maximum", Limit: "1000", Message: "must be at most 1000"}}},
		{"a header uuid that is not one is a 400",
			"/headers", limit("X-Request-Id", "secret"),
			[]fieldError{{In: "header", Name: "X-Request-Id", Keyword: "format", Limit: `"uuid"`, Message: "must be a UUID"}}},
		{"a negative cookie integer is a 400 for minimum",
			"/cookies", cookie("session=abc; visits=-1"),
			[]fieldError{{In: "cookie", Name: "visits", Keyword: "minimum", Limit: "0", Message: "must be at least 0"}}},
		{"an empty required cookie is a 400 for minLength",
			"/cookies", cookie("session="),
			[]fieldError{{In: "cookie", Name: "session", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"}}},
		{"a cookie integer that is not a number is a 400",
			"/cookies", cookie("session=abc; visits=many"),
			[]fieldError{{In: "cookie", Name: "visits", Message: "is not an integer"}}},
		{"a missing required cookie is a 400",
			"/cookies", cookie("visits=7"),
			[]fieldError{{In: "cookie", Name: "session", Message: "is required"}}},
		{"a repeated cookie is a 400",
			"/cookies", cookie("session=a; session=b"),
			[]fieldError{{In: "cookie", Name: "session", Message: "is repeated"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, h := newServer(t)
			resp, body := get(t, srv, tc.target, tc.header)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status = %d, want 400; body %s", resp.StatusCode, body)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", got)
			}
			want := problemDoc{Type: "about:blank", Title: "Bad Request", Status: 400, Detail: "the request is not valid", Errors: tc.want}
			if p := parseProblem(t, body); !reflect.DeepEqual(p, want) {
				t.Errorf("problem = %+v, want %+v", p, want)
			}
			if strings.Contains(string(body), "secret") {
				t.Errorf("problem %s echoes the value", body)
			}
			if calls, _ := h.got(); calls != 0 {
				t.Errorf("handler called %d times, want 0", calls)
			}
		})
	}
}
