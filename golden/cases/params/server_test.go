package params

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"reflect"
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
	return SearchQueryOKResponse{Body: QueryEcho{Q: &req.Q, PageSize: req.PageSize, Tags: req.Tags}}, nil
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
				PageSize: ptr(int32(50)),
				Since:    ptr(time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)),
				Day:      &types.Date{Year: 2024, Month: time.January, Day: 15},
				Ratio:    ptr(float32(0.5)),
				Verbose:  ptr(true),
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
			"absent optional query parameters stay nil",
			"/query?q=cats", nil,
			SearchQueryRequest{Q: "cats"},
		},
		{
			"a form-exploded object needs only one of its properties, and a single tag is a one-item array",
			"/query?q=dogs&minPrice=0&tags=solo&spaced=one+two", nil,
			SearchQueryRequest{Q: "dogs", Tags: []string{"solo"}, Filter: &PriceFilter{MinPrice: ptr(0.0)}, Spaced: []string{"one", "two"}},
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

// fieldError and problemDoc are the wire form of an RFC 9457 problem.
type fieldError struct {
	In      string `json:"in"`
	Name    string `json:"name,omitempty"`
	Pointer string `json:"pointer,omitempty"`
	Detail  string `json:"detail"`
}

type problemDoc struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail"`
	Errors []fieldError `json:"errors"`
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
			[]fieldError{{In: "path", Name: "item-id", Detail: "is not an integer"}}},
		{"an array item that is not an integer is a 400 naming the item",
			"/simple/42/1,x,3/role,admin", nil,
			[]fieldError{{In: "path", Name: "arr", Detail: "item 1 is not an integer"}}},
		{"an object property that is not a boolean is a 400 naming the property",
			"/simple/42/1/role,admin,active,yes", nil,
			[]fieldError{{In: "path", Name: "obj[active]", Detail: "is not a boolean"}}},
		{"an exploded object item without = is a 400",
			"/simple-explode/" + uuid + "/a/lat,52.37", nil,
			[]fieldError{{In: "path", Name: "obj", Detail: `has an object item without "="`}}},
		{"a missing required object property is a 400",
			"/matrix/;prim=1.5/;arr=x/;arrExploded=1/;x=3", nil,
			[]fieldError{{In: "path", Name: "obj[y]", Detail: "is required"}}},
		{"a label parameter without its leading dot is a 400",
			"/label/red/.x/.1", nil,
			[]fieldError{{In: "path", Name: "prim", Detail: `is not label style: it does not start with "."`}}},
		{"a matrix parameter under another name is a 400",
			"/matrix/;other=1.5/;arr=x/;arrExploded=1/;x=3;y=4", nil,
			[]fieldError{{In: "path", Name: "prim", Detail: `is not matrix style: it does not start with ";prim"`}}},
		{"a query integer that is not a number is a 400 naming page.size",
			"/query?q=cats&page.size=ten", nil,
			[]fieldError{{In: "query", Name: "page.size", Detail: "is not an integer"}}},
		{"a date-time without an offset is a 400",
			"/query?q=cats&since=2024-01-15T09:30:00", nil,
			[]fieldError{{In: "query", Name: "since", Detail: "is not an RFC 3339 date-time"}}},
		{"a missing required query parameter is a 400",
			"/query", nil,
			[]fieldError{{In: "query", Name: "q", Detail: "is required"}}},
		{"a repeated non-array query parameter is a 400",
			"/query?q=cats&q=dogs", nil,
			[]fieldError{{In: "query", Name: "q", Detail: "is repeated"}}},
		{"a repeated non-exploded array query parameter is a 400",
			"/query?q=cats&ids=1,2&ids=3", nil,
			[]fieldError{{In: "query", Name: "ids", Detail: "is repeated"}}},
		{"a repeated deepObject property is a 400",
			"/query?q=cats&sort[field]=name&sort[field]=createdAt", nil,
			[]fieldError{{In: "query", Name: "sort", Detail: `has repeated property "field"`}}},
		{"a raw semicolon in the query is a 400",
			"/query?q=cats&x=1;y=2", nil,
			[]fieldError{{In: "query", Detail: "the query string is malformed"}}},
		{"every bad query parameter is listed at once",
			"/query?page.size=ten&ratio=half&verbose=yes", nil,
			[]fieldError{
				{In: "query", Name: "q", Detail: "is required"},
				{In: "query", Name: "page.size", Detail: "is not an integer"},
				{In: "query", Name: "ratio", Detail: "is not a number"},
				{In: "query", Name: "verbose", Detail: "is not a boolean"},
			}},
		{"a header integer that is not a number is a 400 naming X-Page-Limit",
			"/headers", http.Header{"X-Page-Limit": {"ten"}},
			[]fieldError{{In: "header", Name: "X-Page-Limit", Detail: "is not an integer"}}},
		{"a missing required header is a 400",
			"/headers", nil,
			[]fieldError{{In: "header", Name: "X-Page-Limit", Detail: "is required"}}},
		{"a repeated primitive header is a 400",
			"/headers", limit("X-Page-Limit", "20"),
			[]fieldError{{In: "header", Name: "X-Page-Limit", Detail: "is repeated"}}},
		{"a header object with an odd number of items is a 400",
			"/headers", limit("X-Filter", "role,admin,active"),
			[]fieldError{{In: "header", Name: "X-Filter", Detail: "has an odd number of items for an object"}}},
		{"a header boolean that is not true or false is a 400",
			"/headers", limit("X-Dry-Run", "1"),
			[]fieldError{{In: "header", Name: "X-Dry-Run", Detail: "is not a boolean"}}},
		{"a cookie integer that is not a number is a 400",
			"/cookies", cookie("session=abc; visits=many"),
			[]fieldError{{In: "cookie", Name: "visits", Detail: "is not an integer"}}},
		{"a missing required cookie is a 400",
			"/cookies", cookie("visits=7"),
			[]fieldError{{In: "cookie", Name: "session", Detail: "is required"}}},
		{"a repeated cookie is a 400",
			"/cookies", cookie("session=a; session=b"),
			[]fieldError{{In: "cookie", Name: "session", Detail: "is repeated"}}},
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
			var p problemDoc
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if p.Type != "about:blank" || p.Title != "Bad Request" || p.Status != 400 || p.Detail != "the request is not valid" {
				t.Errorf("problem = %+v, want about:blank, Bad Request, 400, the request is not valid", p)
			}
			if !reflect.DeepEqual(p.Errors, tc.want) {
				t.Errorf("errors = %+v, want %+v", p.Errors, tc.want)
			}
			if calls, _ := h.got(); calls != 0 {
				t.Errorf("handler called %d times, want 0", calls)
			}
		})
	}
}
