package nytimes

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// handler records the last request it decoded and answers with reply, or
// with err when set.
type handler struct {
	mu    sync.Mutex
	got   any
	reply GetArticlesearchJSONResponse
	err   error
}

func (h *handler) GetArticlesearchJSON(_ context.Context, req GetArticlesearchJSONRequest) (GetArticlesearchJSONResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = req
	if h.reply == nil {
		return GetArticlesearchJSONOKResponse{}, h.err
	}
	return h.reply, h.err
}

// set clears the recorded request and sets the reply.
func (h *handler) set(reply GetArticlesearchJSONResponse) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got, h.reply = nil, reply
}

func (h *handler) last() any {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.got
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

func send(t *testing.T, srv *httptest.Server, method, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func ptr[T any](v T) *T { return &v }

func TestArticleSearchDecodesEveryQueryParameter(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	tests := []struct {
		name, query string
		want        GetArticlesearchJSONRequest
	}{
		{"no parameters leave every field nil", "", GetArticlesearchJSONRequest{}},
		{"every parameter is decoded into its field",
			"?begin_date=20120101&end_date=20121231&facet=true&facet_fields=day_of_week&facet_filter=false" +
				"&fl=web_url&fq=news_desk%3A%28%22Sports%22+%22Foreign%22%29&page=2&q=new+york+times&sort=oldest",
			GetArticlesearchJSONRequest{
				BeginDate: ptr("20120101"), EndDate: ptr("20121231"), Facet: ptr("true"),
				FacetFields: ptr(GetArticlesearchJSONFacetFieldsDayOfWeek), FacetFilter: ptr("false"),
				Fl: ptr("web_url"), Fq: ptr(`news_desk:("Sports" "Foreign")`), Page: ptr(int64(2)),
				Q: ptr("new york times"), Sort: ptr(GetArticlesearchJSONSortOldest),
			}},
		{"an empty q is present and empty", "?q=", GetArticlesearchJSONRequest{Q: ptr("")}},
		{"page zero is kept, not dropped", "?page=0&sort=relevance",
			GetArticlesearchJSONRequest{Page: ptr(int64(0)), Sort: ptr(GetArticlesearchJSONSortRelevance)}},
		{"an unknown parameter such as api-key is ignored", "?api-key=secret&q=obama", GetArticlesearchJSONRequest{Q: ptr("obama")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(nil)
			resp, data := send(t, srv, "GET", "/articlesearch.json"+tc.query)
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d, want 200 (body %s)", resp.StatusCode, data)
			}
			if got := h.last(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("request = %s, want %s", show(got), show(tc.want))
			}
		})
	}
}

func TestArticleSearchResponses(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	ok := GetArticlesearchJSONOKResponse{Body: GetArticlesearchJSONOKResponseBody{
		Status: ptr("OK"),
		Response: &GetArticlesearchJSONOKResponseBodyResponse{
			Docs: []Article{{
				ID:        ptr("nyt://article/1"),
				WebURL:    ptr("https://www.nytimes.com/a.html"),
				Headline:  &Headline{Main: ptr("Title")},
				Byline:    &Byline{Person: []Person{{Firstname: ptr("Ada"), Rank: ptr(int64(1))}}},
				Keywords:  []Keyword{{Name: ptr("subject"), Value: ptr("Chess")}},
				WordCount: ptr(int64(812)),
			}},
			Meta: &GetArticlesearchJSONOKResponseBodyResponseMeta{Hits: ptr(int64(25)), Offset: ptr(int64(0)), Time: ptr(int64(332))},
		},
	}}
	tests := []struct {
		name               string
		reply              GetArticlesearchJSONResponse
		wantStatus         int
		wantType, wantBody string
	}{
		{"200 sends the nested search result", ok, 200, "application/json",
			`{"response":{"docs":[{"_id":"nyt://article/1","byline":{"person":[{"firstname":"Ada","rank":1}]},` +
				`"headline":{"main":"Title"},"keywords":[{"name":"subject","value":"Chess"}],` +
				`"web_url":"https://www.nytimes.com/a.html","word_count":812}],"meta":{"hits":25,"offset":0,"time":332}},"status":"OK"}`},
		{"200 with an empty body sends an empty object", GetArticlesearchJSONOKResponse{}, 200, "application/json", `{}`},
		{"401 is sent without a body", GetArticlesearchJSONUnauthorizedResponse{}, 401, "", ``},
		{"429 is sent without a body", GetArticlesearchJSONTooManyRequestsResponse{}, 429, "", ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(tc.reply)
			resp, data := send(t, srv, "GET", "/articlesearch.json?q=x")
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Get("Content-Type"); got != tc.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tc.wantType)
			}
			if got := strings.TrimSpace(string(data)); got != tc.wantBody {
				t.Errorf("body = %s, want %s", got, tc.wantBody)
			}
		})
	}
}

func TestRefusalsAreProblems(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantAllow          string
		wantErrors         []fieldError
	}{
		{"another extension is a 404", "GET", "/articlesearch.xml", 404, "", nil},
		{"POST is a 405 allowing GET", "POST", "/articlesearch.json", 405, "GET", nil},
		{"DELETE is a 405 allowing GET", "DELETE", "/articlesearch.json?q=x", 405, "GET", nil},
		{"a page that is not an integer is a 400", "GET", "/articlesearch.json?page=two", 400, "",
			[]fieldError{{In: "query", Name: "page", Message: "is not an integer"}}},
		{"a page beyond int64 is a 400", "GET", "/articlesearch.json?page=9223372036854775808", 400, "",
			[]fieldError{{In: "query", Name: "page", Message: "is out of range for int64"}}},
		{"a repeated q is a 400", "GET", "/articlesearch.json?q=a&q=b", 400, "",
			[]fieldError{{In: "query", Name: "q", Message: "is repeated"}}},
		{"a repeated sort and a bad page are both listed", "GET", "/articlesearch.json?page=1.5&sort=newest&sort=oldest", 400, "",
			[]fieldError{{In: "query", Name: "page", Message: "is not an integer"}, {In: "query", Name: "sort", Message: "is repeated"}}},
		{"a sort outside its enum is a 400 naming the keyword", "GET", "/articlesearch.json?sort=sideways", 400, "",
			[]fieldError{{In: "query", Name: "sort", Keyword: "enum", Limit: `["newest","oldest","relevance"]`, Message: "must be one of the allowed values"}}},
		{"a facet_fields outside its enum is a 400 without echoing the value", "GET", "/articlesearch.json?facet_fields=secret-token", 400, "",
			[]fieldError{{In: "query", Name: "facet_fields", Keyword: "enum",
				Limit: `["day_of_week","document_type","ingredients","news_desk","pub_month","pub_year","section_name","source","subsection_name","type_of_material"]`, Message: "must be one of the allowed values"}}},
		{"a malformed percent-escape in the query is a 400", "GET", "/articlesearch.json?q=%zz", 400, "",
			[]fieldError{{In: "query", Message: "the query string is malformed"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(nil)
			resp, data := send(t, srv, tc.method, tc.path)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", got)
			}
			if got := resp.Header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
			want := problemDoc{Type: "about:blank", Title: http.StatusText(tc.wantStatus), Status: tc.wantStatus, Errors: tc.wantErrors}
			if tc.wantErrors != nil {
				want.Detail = "the request is not valid"
			}
			if p := parseProblem(t, data); !reflect.DeepEqual(p, want) {
				t.Errorf("problem = %+v, want %+v", p, want)
			}
			if got := h.last(); got != nil {
				t.Errorf("handler called with %s, want no call", show(got))
			}
		})
	}
}

func TestHandlerErrorIsA500WithoutItsText(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{err: errors.New("elasticsearch cluster es-prod-3 unreachable")}
	srv := httptest.NewServer(NewRouter(h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := send(t, srv, "GET", "/articlesearch.json?q=election")
	srv.Close() // waits for the handler, and so for its log line
	if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("status = %d %q, want 500 application/problem+json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if p, want := parseProblem(t, data), (problemDoc{Type: "about:blank", Title: "Internal Server Error", Status: 500}); !reflect.DeepEqual(p, want) {
		t.Errorf("problem = %+v, want %+v", p, want)
	}
	if bytes.Contains(data, []byte("es-prod-3")) {
		t.Errorf("body %s leaks the error text", data)
	}
	if !strings.Contains(logs.String(), "es-prod-3 unreachable") || !strings.Contains(logs.String(), "GetArticlesearchJSON") {
		t.Errorf("log = %q, want the error and the operation", logs.String())
	}
}
