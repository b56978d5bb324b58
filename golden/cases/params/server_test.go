package params

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/types"
)

// recorder implements every operation: it records the decoded requests
// and echoes the values back.
type recorder struct{ httpcheck.Recorder }

func (h *recorder) GetSimple(_ context.Context, req GetSimpleRequest) (GetSimpleResponse, error) {
	h.Record(req)
	return GetSimpleOKResponse{Body: SimpleEcho{ItemID: &req.ItemID, Arr: req.Arr, Obj: &req.Obj}}, nil
}

func (h *recorder) GetSimpleExploded(_ context.Context, req GetSimpleExplodedRequest) (GetSimpleExplodedResponse, error) {
	h.Record(req)
	return GetSimpleExplodedOKResponse{Body: SimpleExplodedEcho{ID: &req.ID, Arr: req.Arr, Obj: &req.Obj}}, nil
}

func (h *recorder) GetLabel(_ context.Context, req GetLabelRequest) (GetLabelResponse, error) {
	h.Record(req)
	return GetLabelOKResponse{Body: LabelEcho{Prim: &req.Prim, Arr: req.Arr, ArrExploded: req.ArrExploded}}, nil
}

func (h *recorder) GetMatrix(_ context.Context, req GetMatrixRequest) (GetMatrixResponse, error) {
	h.Record(req)
	return GetMatrixOKResponse{Body: MatrixEcho{Prim: &req.Prim, Arr: req.Arr, ArrExploded: req.ArrExploded, Obj: &req.Obj}}, nil
}

func (h *recorder) SearchQuery(_ context.Context, req SearchQueryRequest) (SearchQueryResponse, error) {
	h.Record(req)
	return SearchQueryOKResponse{Body: QueryEcho{Q: &req.Q, PageSize: &req.PageSize, Tags: req.Tags}}, nil
}

func (h *recorder) GetHeaders(_ context.Context, req GetHeadersRequest) (GetHeadersResponse, error) {
	h.Record(req)
	return GetHeadersOKResponse{Body: HeaderEcho{PageLimit: &req.XPageLimit, Tags: req.XTags, Filter: req.XFilter}}, nil
}

func (h *recorder) GetCookies(_ context.Context, req GetCookiesRequest) (GetCookiesResponse, error) {
	h.Record(req)
	return GetCookiesOKResponse{Body: CookieEcho{Session: &req.Session, Prefs: req.Prefs, Visits: req.Visits}}, nil
}

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
			GetSimpleRequest{ItemID: 42, Arr: []int32{1, 2, 3}, Obj: RoleFilter{Role: httpcheck.Ptr(RoleFilterRoleAdmin), Active: httpcheck.Ptr(true)}},
		},
		{
			"a simple object path parameter may carry only some properties",
			"/simple/7/5/active,false", nil,
			GetSimpleRequest{ItemID: 7, Arr: []int32{5}, Obj: RoleFilter{Active: httpcheck.Ptr(false)}},
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
				Since:    httpcheck.Ptr(time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)),
				Day:      &types.Date{Year: 2024, Month: time.January, Day: 15},
				Ratio:    httpcheck.Ptr(float32(0.5)),
				Verbose:  true,
				TraceID:  httpcheck.Ptr(uuid),
				Mode:     httpcheck.Ptr(SearchQueryModeFast),
				Tags:     []string{"a", "b"},
				IDS:      []int64{1, 2, 3},
				Filter:   &PriceFilter{Color: httpcheck.Ptr(ColorRed), MinPrice: httpcheck.Ptr(9.99)},
				Spaced:   []string{"x", "y"},
				Piped:    []int32{1, 2, 3},
				Sort:     &SortSpec{Field: httpcheck.Ptr(SortSpecFieldName), Order: httpcheck.Ptr(SortSpecOrderDesc)},
			},
		},
		{
			"an absent property of a deepObject parameter takes its default",
			"/query?q=cats&sort[field]=createdAt", nil,
			SearchQueryRequest{Q: "cats", PageSize: 25,
				Sort: &SortSpec{Field: httpcheck.Ptr(SortSpecFieldCreatedAt), Order: httpcheck.Ptr(SortSpecOrderAsc)}},
		},
		{
			"absent optional query parameters stay nil and defaulted ones hold their default",
			"/query?q=cats", nil,
			SearchQueryRequest{Q: "cats", PageSize: 25, Verbose: false},
		},
		{
			"query values on their bounds are accepted",
			"/query?q=" + strings.Repeat("é", 100) + "&page.size=100&ratio=1&tags=a&tags=b&tags=c&tags=d&tags=e", nil,
			SearchQueryRequest{Q: strings.Repeat("é", 100), PageSize: 100, Ratio: httpcheck.Ptr(float32(1)), Tags: []string{"a", "b", "c", "d", "e"}},
		},
		{
			"a form-exploded object needs only one of its properties, and a single tag is a one-item array",
			"/query?q=dogs&minPrice=0&tags=solo&spaced=one+two", nil,
			SearchQueryRequest{Q: "dogs", PageSize: 25, Tags: []string{"solo"}, Filter: &PriceFilter{MinPrice: httpcheck.Ptr(0.0)}, Spaced: []string{"one", "two"}},
		},
		{
			"header parameters decode a primitive, an array and an object",
			"/headers", http.Header{
				"X-Page-Limit": {"10"}, "X-Tags": {"a,b"}, "X-Filter": {"role,admin,active,true"},
				"X-Request-Id": {uuid}, "X-Dry-Run": {"true"},
			},
			GetHeadersRequest{
				XPageLimit: 10, XTags: []string{"a", "b"},
				XFilter:    &RoleFilter{Role: httpcheck.Ptr(RoleFilterRoleAdmin), Active: httpcheck.Ptr(true)},
				XRequestID: httpcheck.Ptr(uuid), XDryRun: httpcheck.Ptr(true),
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
			GetCookiesRequest{Session: "abc123", Prefs: []string{"dark", "compact"}, Visits: httpcheck.Ptr(int32(7))},
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
			resp, body := httpcheck.Do(t, srv, http.MethodGet, tc.target, tc.header, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", resp.StatusCode, body)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", got)
			}
			if calls := h.Count(); calls != 1 {
				t.Fatalf("handler called %d times, want 1", calls)
			}
			if got := h.Last(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("handler got %T %s,\nwant %T %s", got, httpcheck.Show(got), tc.want, httpcheck.Show(tc.want))
			}
		})
	}
}

func TestEchoBodyCarriesTheDecodedValues(t *testing.T) {
	srv, _ := newServer(t)
	_, body := httpcheck.Do(t, srv, http.MethodGet, "/simple/42/1,2,3/role,admin,active,true", nil, nil)
	var got, want any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	_ = json.Unmarshal([]byte(`{"itemId":42,"arr":[1,2,3],"obj":{"role":"admin","active":true}}`), &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("body = %s, want %v", body, want)
	}
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
		want   []httpcheck.FieldError
	}{
		{"a path integer that is not a number is a 400 naming item-id",
			"/simple/abc/1,2,3/role,admin", nil,
			[]httpcheck.FieldError{{In: "path", Name: "item-id", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"an array item that is not an integer is a 400 naming the item",
			"/simple/42/1,x,3/role,admin", nil,
			[]httpcheck.FieldError{{In: "path", Name: "arr", Keyword: "type", Limit: `"integer"`, Message: "item 1 is not an integer"}}},
		{"an object property that is not a boolean is a 400 naming the property",
			"/simple/42/1/role,admin,active,yes", nil,
			[]httpcheck.FieldError{{In: "path", Name: "obj[active]", Keyword: "type", Limit: `"boolean"`, Message: "is not a boolean"}}},
		{"an exploded object item without = is a 400",
			"/simple-explode/" + uuid + "/a/lat,52.37", nil,
			[]httpcheck.FieldError{{In: "path", Name: "obj", Message: `has an object item without "="`}}},
		{"a missing required object property is a 400",
			"/matrix/;prim=1.5/;arr=x/;arrExploded=1/;x=3", nil,
			[]httpcheck.FieldError{{In: "path", Name: "obj[y]", Keyword: "required", Message: "is required"}}},
		{"a label parameter without its leading dot is a 400",
			"/label/red/.x/.1", nil,
			[]httpcheck.FieldError{{In: "path", Name: "prim", Message: `is not label style: it does not start with "."`}}},
		{"a matrix parameter under another name is a 400",
			"/matrix/;other=1.5/;arr=x/;arrExploded=1/;x=3;y=4", nil,
			[]httpcheck.FieldError{{In: "path", Name: "prim", Message: `is not matrix style: it does not start with ";prim"`}}},
		{"a query integer that is not a number is a 400 naming page.size",
			"/query?q=cats&page.size=ten", nil,
			[]httpcheck.FieldError{{In: "query", Name: "page.size", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a date-time without an offset is a 400",
			"/query?q=cats&since=2024-01-15T09:30:00", nil,
			[]httpcheck.FieldError{{In: "query", Name: "since", Keyword: "format", Limit: `"date-time"`, Message: "is not an RFC 3339 date-time"}}},
		{"a missing required query parameter is a 400",
			"/query", nil,
			[]httpcheck.FieldError{{In: "query", Name: "q", Keyword: "required", Message: "is required"}}},
		{"a repeated non-array query parameter is a 400",
			"/query?q=cats&q=dogs", nil,
			[]httpcheck.FieldError{{In: "query", Name: "q", Message: "is repeated"}}},
		{"a repeated non-exploded array query parameter is a 400",
			"/query?q=cats&ids=1,2&ids=3", nil,
			[]httpcheck.FieldError{{In: "query", Name: "ids", Message: "is repeated"}}},
		{"a repeated deepObject property is a 400",
			"/query?q=cats&sort[field]=name&sort[field]=createdAt", nil,
			[]httpcheck.FieldError{{In: "query", Name: "sort", Message: `has repeated property "field"`}}},
		{"a raw semicolon in the query is a 400",
			"/query?q=cats&x=1;y=2", nil,
			[]httpcheck.FieldError{{In: "query", Message: "a raw ';' is not a query separator; encode it as %3B"}}},
		{"every bad query parameter is listed at once",
			"/query?page.size=ten&ratio=half&verbose=yes", nil,
			[]httpcheck.FieldError{
				{In: "query", Name: "q", Keyword: "required", Message: "is required"},
				{In: "query", Name: "page.size", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"},
				{In: "query", Name: "ratio", Keyword: "type", Limit: `"number"`, Message: "is not a number"},
				{In: "query", Name: "verbose", Keyword: "type", Limit: `"boolean"`, Message: "is not a boolean"},
			}},
		{"a header integer that is not a number is a 400 naming X-Page-Limit",
			"/headers", http.Header{"X-Page-Limit": {"ten"}},
			[]httpcheck.FieldError{{In: "header", Name: "X-Page-Limit", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a missing required header is a 400",
			"/headers", nil,
			[]httpcheck.FieldError{{In: "header", Name: "X-Page-Limit", Keyword: "required", Message: "is required"}}},
		{"a repeated primitive header is a 400",
			"/headers", limit("X-Page-Limit", "20"),
			[]httpcheck.FieldError{{In: "header", Name: "X-Page-Limit", Message: "is repeated"}}},
		{"a header object with an odd number of items is a 400",
			"/headers", limit("X-Filter", "role,admin,active"),
			[]httpcheck.FieldError{{In: "header", Name: "X-Filter", Message: "has an odd number of items for an object"}}},
		{"a header boolean that is not true or false is a 400",
			"/headers", limit("X-Dry-Run", "1"),
			[]httpcheck.FieldError{{In: "header", Name: "X-Dry-Run", Keyword: "type", Limit: `"boolean"`, Message: "is not a boolean"}}},
		{"a path integer below its minimum is a 400 naming the keyword and limit",
			"/simple/0/1/role,admin", nil,
			[]httpcheck.FieldError{{In: "path", Name: "item-id", Keyword: "minimum", Limit: "1", Message: "must be at least 1"}}},
		{"a path array beyond maxItems is a 400",
			"/simple/1/1,2,3,4,5,6,7,8,9,10,11/role,admin", nil,
			[]httpcheck.FieldError{{In: "path", Name: "arr", Keyword: "maxItems", Limit: "10", Message: "must have at most 10 items"}}},
		{"a label enum outside its values is a 400",
			"/label/.secret/.x/.1", nil,
			[]httpcheck.FieldError{{In: "path", Name: "prim", Keyword: "enum", Limit: `["red","green","blue"]`, Message: "must be one of the allowed values"}}},
		{"a label array item failing its pattern is a 400 naming the pattern",
			"/label/.red/.x,secret9/.1", nil,
			[]httpcheck.FieldError{{In: "path", Name: "arr", Keyword: "pattern", Limit: `"^[a-z]+$"`, Message: "must match the pattern"}}},
		{"a path uuid that is not one is a 400",
			"/simple-explode/secret/a/lat=1,lon=2", nil,
			[]httpcheck.FieldError{{In: "path", Name: "id", Keyword: "format", Limit: `"uuid"`, Message: "must be a UUID"}}},
		{"an empty item of a path array with minLength is a 400",
			"/simple-explode/" + uuid + "/a,/lat=1,lon=2", nil,
			[]httpcheck.FieldError{{In: "path", Name: "arr", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"}}},
		{"an empty required q is a 400 for minLength",
			"/query?q=", nil,
			[]httpcheck.FieldError{{In: "query", Name: "q", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"}}},
		{"a q of 101 code points is a 400 for maxLength",
			"/query?q=" + strings.Repeat("é", 101), nil,
			[]httpcheck.FieldError{{In: "query", Name: "q", Keyword: "maxLength", Limit: "100", Message: "must be at most 100 characters long"}}},
		{"every failing query check is listed at once",
			"/query?q=secret&page.size=0&ratio=1.5&traceId=secret&mode=secret&tags=1&tags=2&tags=3&tags=4&tags=5&tags=6", nil,
			[]httpcheck.FieldError{
				{In: "query", Name: "page.size", Keyword: "minimum", Limit: "1", Message: "must be at least 1"},
				{In: "query", Name: "ratio", Keyword: "maximum", Limit: "1", Message: "must be at most 1"},
				{In: "query", Name: "traceId", Keyword: "format", Limit: `"uuid"`, Message: "must be a UUID"},
				{In: "query", Name: "mode", Keyword: "enum", Limit: `["fast","thorough"]`, Message: "must be one of the allowed values"},
				{In: "query", Name: "tags", Keyword: "maxItems", Limit: "5", Message: "must have at most 5 items"},
			}},
		{"a form-exploded object property outside its enum is a 400 naming the property",
			"/query?q=cats&color=secret", nil,
			[]httpcheck.FieldError{{In: "query", Name: "filter[color]", Keyword: "enum", Limit: `["red","green","blue"]`, Message: "must be one of the allowed values"}}},
		{"a form-exploded object property below its minimum is a 400",
			"/query?q=cats&minPrice=-5", nil,
			[]httpcheck.FieldError{{In: "query", Name: "filter[minPrice]", Keyword: "minimum", Limit: "0", Message: "must be at least 0"}}},
		{"a deepObject property outside its enum is a 400",
			"/query?q=cats&sort[field]=secret", nil,
			[]httpcheck.FieldError{{In: "query", Name: "sort[field]", Keyword: "enum", Limit: `["name","createdAt"]`, Message: "must be one of the allowed values"}}},
		{"a path object property above its maximum is a 400",
			"/simple-explode/" + uuid + "/a/lat=100,lon=4", nil,
			[]httpcheck.FieldError{{In: "path", Name: "obj[lat]", Keyword: "maximum", Limit: "90", Message: "must be at most 90"}}},
		{"a header object property outside its enum is a 400",
			"/headers", limit("X-Filter", "role,secret"),
			[]httpcheck.FieldError{{In: "header", Name: "X-Filter[role]", Keyword: "enum", Limit: `["admin","member","guest"]`, Message: "must be one of the allowed values"}}},
		{"a parameter that does not decode does not hide the checks of the others",
			"/query?q=&mode=secret&page.size=ten", nil,
			[]httpcheck.FieldError{
				{In: "query", Name: "page.size", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"},
				{In: "query", Name: "q", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"},
				{In: "query", Name: "mode", Keyword: "enum", Limit: `["fast","thorough"]`, Message: "must be one of the allowed values"},
			}},
		{"a page.size above its maximum is a 400",
			"/query?q=a&page.size=101", nil,
			[]httpcheck.FieldError{{In: "query", Name: "page.size", Keyword: "maximum", Limit: "100", Message: "must be at most 100"}}},
		{"a header integer above its maximum is a 400",
			"/headers", http.Header{"X-Page-Limit": {"1001"}},
			[]httpcheck.FieldError{{In: "header", Name: "X-Page-Limit", Keyword: "maximum", Limit: "1000", Message: "must be at most 1000"}}},
		{"a header uuid that is not one is a 400",
			"/headers", limit("X-Request-Id", "secret"),
			[]httpcheck.FieldError{{In: "header", Name: "X-Request-Id", Keyword: "format", Limit: `"uuid"`, Message: "must be a UUID"}}},
		{"a negative cookie integer is a 400 for minimum",
			"/cookies", cookie("session=abc; visits=-1"),
			[]httpcheck.FieldError{{In: "cookie", Name: "visits", Keyword: "minimum", Limit: "0", Message: "must be at least 0"}}},
		{"an empty required cookie is a 400 for minLength",
			"/cookies", cookie("session="),
			[]httpcheck.FieldError{{In: "cookie", Name: "session", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"}}},
		{"a cookie integer that is not a number is a 400",
			"/cookies", cookie("session=abc; visits=many"),
			[]httpcheck.FieldError{{In: "cookie", Name: "visits", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a missing required cookie is a 400",
			"/cookies", cookie("visits=7"),
			[]httpcheck.FieldError{{In: "cookie", Name: "session", Keyword: "required", Message: "is required"}}},
		{"a repeated cookie is a 400",
			"/cookies", cookie("session=a; session=b"),
			[]httpcheck.FieldError{{In: "cookie", Name: "session", Message: "is repeated"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, h := newServer(t)
			resp, body := httpcheck.Do(t, srv, http.MethodGet, tc.target, tc.header, nil)
			httpcheck.CheckProblem(t, resp, body, httpcheck.Problem{Status: http.StatusBadRequest, Detail: "the request is not valid", Errors: tc.want})
			if strings.Contains(string(body), "secret") {
				t.Errorf("problem %s echoes the value", body)
			}
			if calls := h.Count(); calls != 0 {
				t.Errorf("handler called %d times, want 0", calls)
			}
		})
	}
}
