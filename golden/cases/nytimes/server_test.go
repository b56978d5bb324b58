package nytimes

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/secgen/secgen/golden/internal/httpcheck"
)

// handler answers the one operation through its Stub.
type handler struct{ httpcheck.Stub }

func (h *handler) GetArticlesearchJSON(_ context.Context, req GetArticlesearchJSONRequest) (GetArticlesearchJSONResponse, error) {
	return httpcheck.Answer[GetArticlesearchJSONResponse](&h.Stub, req, GetArticlesearchJSONOKResponse{})
}

func TestArticleSearchDecodesEveryQueryParameter(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, secured(t, h))
	tests := []struct {
		name, query string
		want        GetArticlesearchJSONRequest
	}{
		{"no parameters leave every field nil", "", GetArticlesearchJSONRequest{}},
		{"every parameter is decoded into its field",
			"?begin_date=20120101&end_date=20121231&facet=true&facet_fields=day_of_week&facet_filter=false" +
				"&fl=web_url&fq=news_desk%3A%28%22Sports%22+%22Foreign%22%29&page=2&q=new+york+times&sort=oldest",
			GetArticlesearchJSONRequest{
				BeginDate: httpcheck.Ptr("20120101"), EndDate: httpcheck.Ptr("20121231"), Facet: httpcheck.Ptr("true"),
				FacetFields: httpcheck.Ptr(GetArticlesearchJSONFacetFieldsDayOfWeek), FacetFilter: httpcheck.Ptr("false"),
				Fl: httpcheck.Ptr("web_url"), Fq: httpcheck.Ptr(`news_desk:("Sports" "Foreign")`), Page: httpcheck.Ptr(int64(2)),
				Q: httpcheck.Ptr("new york times"), Sort: httpcheck.Ptr(GetArticlesearchJSONSortOldest),
			}},
		{"an empty q is present and empty", "?q=", GetArticlesearchJSONRequest{Q: httpcheck.Ptr("")}},
		{"page zero is kept, not dropped", "?page=0&sort=relevance",
			GetArticlesearchJSONRequest{Page: httpcheck.Ptr(int64(0)), Sort: httpcheck.Ptr(GetArticlesearchJSONSortRelevance)}},
		{"the api-key credential of the security scheme is accepted, not decoded", "?api-key=" + apiKey + "&q=obama", GetArticlesearchJSONRequest{Q: httpcheck.Ptr("obama")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.Reset(nil)
			resp, data := httpcheck.Send(t, srv, "GET", "/articlesearch.json"+tc.query, "", "")
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d, want 200 (body %s)", resp.StatusCode, data)
			}
			if got := h.Last(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("request = %s, want %s", httpcheck.Show(got), httpcheck.Show(tc.want))
			}
		})
	}
}

func TestArticleSearchResponses(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, secured(t, h))
	ok := GetArticlesearchJSONOKResponse{Body: GetArticlesearchJSONOKResponseBody{
		Status: httpcheck.Ptr("OK"),
		Response: &GetArticlesearchJSONOKResponseBodyResponse{
			Docs: []Article{{
				ID:        httpcheck.Ptr("nyt://article/1"),
				WebURL:    httpcheck.Ptr("https://www.nytimes.com/a.html"),
				Headline:  &Headline{Main: httpcheck.Ptr("Title")},
				Byline:    &Byline{Person: []Person{{Firstname: httpcheck.Ptr("Ada"), Rank: httpcheck.Ptr(int64(1))}}},
				Keywords:  []Keyword{{Name: httpcheck.Ptr("subject"), Value: httpcheck.Ptr("Chess")}},
				WordCount: httpcheck.Ptr(int64(812)),
			}},
			Meta: &GetArticlesearchJSONOKResponseBodyResponseMeta{Hits: httpcheck.Ptr(int64(25)), Offset: httpcheck.Ptr(int64(0)), Time: httpcheck.Ptr(int64(332))},
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
			h.Reset(tc.reply)
			resp, data := httpcheck.Send(t, srv, "GET", "/articlesearch.json?q=x", "", "")
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
	srv := httpcheck.Serve(t, secured(t, h))
	tests := []struct {
		name, method, path string
		wantStatus         int
		wantAllow          string
		wantErrors         []httpcheck.FieldError
	}{
		{"another extension is a 404", "GET", "/articlesearch.xml", 404, "", nil},
		{"POST is a 405 allowing GET", "POST", "/articlesearch.json", 405, "GET", nil},
		{"DELETE is a 405 allowing GET", "DELETE", "/articlesearch.json?q=x", 405, "GET", nil},
		{"a page that is not an integer is a 400", "GET", "/articlesearch.json?page=two", 400, "",
			[]httpcheck.FieldError{{In: "query", Name: "page", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a page beyond int64 is a 400", "GET", "/articlesearch.json?page=9223372036854775808", 400, "",
			[]httpcheck.FieldError{{In: "query", Name: "page", Keyword: "format", Limit: `"int64"`, Message: "is out of range for int64"}}},
		{"a repeated q is a 400", "GET", "/articlesearch.json?q=a&q=b", 400, "",
			[]httpcheck.FieldError{{In: "query", Name: "q", Message: "is repeated"}}},
		{"a repeated sort and a bad page are both listed", "GET", "/articlesearch.json?page=1.5&sort=newest&sort=oldest", 400, "",
			[]httpcheck.FieldError{{In: "query", Name: "page", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}, {In: "query", Name: "sort", Message: "is repeated"}}},
		{"a sort outside its enum is a 400 naming the keyword", "GET", "/articlesearch.json?sort=sideways", 400, "",
			[]httpcheck.FieldError{{In: "query", Name: "sort", Keyword: "enum", Limit: `["newest","oldest","relevance"]`, Message: "must be one of the allowed values"}}},
		{"a facet_fields outside its enum is a 400 without echoing the value", "GET", "/articlesearch.json?facet_fields=secret-token", 400, "",
			[]httpcheck.FieldError{{In: "query", Name: "facet_fields", Keyword: "enum",
				Limit: `["day_of_week","document_type","ingredients","news_desk","pub_month","pub_year","section_name","source","subsection_name","type_of_material"]`, Message: "must be one of the allowed values"}}},
		{"a malformed percent-escape in the query is a 400", "GET", "/articlesearch.json?q=%zz", 400, "",
			[]httpcheck.FieldError{{In: "query", Message: "the query string is malformed"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.Reset(nil)
			resp, data := httpcheck.Send(t, srv, tc.method, tc.path, "", "")
			want := httpcheck.Problem{Status: tc.wantStatus, Errors: tc.wantErrors}
			if tc.wantErrors != nil {
				want.Detail = "the request is not valid"
			}
			httpcheck.CheckProblem(t, resp, data, want)
			if got := resp.Header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
			if got := h.Last(); got != nil {
				t.Errorf("handler called with %s, want no call", httpcheck.Show(got))
			}
		})
	}
}

func TestHandlerErrorIsA500WithoutItsText(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{Stub: httpcheck.Stub{Err: errors.New("elasticsearch cluster es-prod-3 unreachable")}}
	srv := httptest.NewServer(secured(t, h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := httpcheck.Send(t, srv, "GET", "/articlesearch.json?q=election", "", "")
	srv.Close() // waits for the handler, and so for its log line
	httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 500})
	if bytes.Contains(data, []byte("es-prod-3")) {
		t.Errorf("body %s leaks the error text", data)
	}
	if !strings.Contains(logs.String(), "es-prod-3 unreachable") || !strings.Contains(logs.String(), "GetArticlesearchJSON") {
		t.Errorf("log = %q, want the error and the operation", logs.String())
	}
}
