package responses

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/problem"
)

// stub answers each operation with the response (or error) set in its
// fields and records the requests it receives.
type stub struct {
	importResp  ImportWidgetsResponse
	refreshResp RefreshCatalogResponse
	versionResp GetVersionResponse
	widgetResp  GetWidgetResponse
	deleteResp  DeleteWidgetResponse
	err         error

	httpcheck.Recorder
}

func (h *stub) ImportWidgets(_ context.Context, req ImportWidgetsRequest) (ImportWidgetsResponse, error) {
	h.Record(req)
	return h.importResp, h.err
}

func (h *stub) RefreshCatalog(_ context.Context, req RefreshCatalogRequest) (RefreshCatalogResponse, error) {
	h.Record(req)
	return h.refreshResp, h.err
}

func (h *stub) GetVersion(_ context.Context, req GetVersionRequest) (GetVersionResponse, error) {
	h.Record(req)
	return h.versionResp, h.err
}

func (h *stub) GetWidget(_ context.Context, req GetWidgetRequest) (GetWidgetResponse, error) {
	h.Record(req)
	return h.widgetResp, h.err
}

func (h *stub) DeleteWidget(_ context.Context, req DeleteWidgetRequest) (DeleteWidgetResponse, error) {
	h.Record(req)
	return h.deleteResp, h.err
}

// lockedBuffer collects the server's log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newServer serves h, logging to the returned buffer. The router logs a
// handler error before returning, and a small response reaches the client
// only once the handler has returned, so the log is complete when a
// response has been read.
func newServer(t *testing.T, h Handler) (*httptest.Server, *lockedBuffer) {
	t.Helper()
	logs := &lockedBuffer{}
	srv := httptest.NewServer(NewRouter(h, WithLogger(slog.New(slog.NewTextHandler(logs, nil)))))
	t.Cleanup(srv.Close)
	return srv, logs
}

// jsonEqual reports whether the JSON documents got and want are equal.
func jsonEqual(t *testing.T, got []byte, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("body %q is not JSON: %v", got, err)
		return false
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	return reflect.DeepEqual(g, w)
}

const widgetsIn = `[{"sku":"AB-12","name":"Hammer","priceCents":1299},{"sku":"CD-34","name":"Saw"}]`

var updated = time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)

func TestDeclaredResponsesOnTheWire(t *testing.T) {
	apiErr := Error{Code: 42, Message: "sku AB-12 is malformed"}
	tests := []struct {
		name           string
		h              *stub
		method, target string
		body           string
		wantStatus     int
		wantHeader     map[string]string // "" means the header is absent
		wantBody       string            // JSON; "" means an empty body
	}{
		{"a 200 import sends X-Total-Count, X-Next and the widgets",
			&stub{importResp: ImportWidgetsOKResponse{
				XTotalCount: 2, XNext: httpcheck.Ptr("/catalogs/tools/imports?page=2"),
				Body: []Widget{{ID: 1, Sku: "AB-12", Name: "Hammer", PriceCents: httpcheck.Ptr(int64(1299)), UpdatedAt: &updated}},
			}},
			"POST", "/catalogs/tools/imports", widgetsIn, 200,
			map[string]string{"Content-Type": "application/json", "X-Total-Count": "2", "X-Next": "/catalogs/tools/imports?page=2"},
			`[{"id":1,"sku":"AB-12","name":"Hammer","priceCents":1299,"updatedAt":"2024-01-15T09:30:00Z"}]`},
		{"a 200 import on the last page sends a zero X-Total-Count and no X-Next",
			&stub{importResp: ImportWidgetsOKResponse{Body: []Widget{}}},
			"POST", "/catalogs/tools/imports", widgetsIn, 200,
			map[string]string{"X-Total-Count": "0", "X-Next": ""}, `[]`},
		{"a 201 import sends the job's Location and the job",
			&stub{importResp: ImportWidgetsCreatedResponse{
				Location: "/jobs/3fa85f64-5717-4562-b3fc-2c963f66afa6",
				Body:     ImportJob{JobID: "3fa85f64-5717-4562-b3fc-2c963f66afa6", State: ImportJobStateQueued, Submitted: httpcheck.Ptr(int32(2))},
			}},
			"POST", "/catalogs/tools/imports", widgetsIn, 201,
			map[string]string{"Content-Type": "application/json", "Location": "/jobs/3fa85f64-5717-4562-b3fc-2c963f66afa6"},
			`{"jobId":"3fa85f64-5717-4562-b3fc-2c963f66afa6","state":"queued","submitted":2}`},
		{"a 204 import sends X-Catalog-Revision and no body",
			&stub{importResp: ImportWidgetsNoContentResponse{XCatalogRevision: 9007199254740993}},
			"POST", "/catalogs/tools/imports", widgetsIn, 204,
			map[string]string{"X-Catalog-Revision": "9007199254740993", "Content-Type": ""}, ""},
		{"a declared 400 sends the API's own error body, not a problem",
			&stub{importResp: ImportWidgetsBadRequestResponse{Body: apiErr}},
			"POST", "/catalogs/tools/imports", widgetsIn, 400,
			map[string]string{"Content-Type": "application/json"}, `{"code":42,"message":"sku AB-12 is malformed"}`},
		{"a declared 404 from a shared component sends its error body",
			&stub{importResp: ImportWidgetsNotFoundResponse{Body: Error{Code: 404, Message: "no catalog tools"}}},
			"POST", "/catalogs/tools/imports", widgetsIn, 404,
			map[string]string{"Content-Type": "application/json"}, `{"code":404,"message":"no catalog tools"}`},
		{"a default response is sent with its StatusCode",
			&stub{importResp: ImportWidgetsDefaultResponse{StatusCode: 503, Body: apiErr}},
			"POST", "/catalogs/tools/imports", widgetsIn, 503,
			map[string]string{"Content-Type": "application/json"}, `{"code":42,"message":"sku AB-12 is malformed"}`},
		{"a default response without a StatusCode is a 500",
			&stub{importResp: ImportWidgetsDefaultResponse{Body: apiErr}},
			"POST", "/catalogs/tools/imports", widgetsIn, 500,
			map[string]string{"Content-Type": "application/json"}, `{"code":42,"message":"sku AB-12 is malformed"}`},
		{"an operation whose only response is default can answer 200",
			&stub{versionResp: GetVersionDefaultResponse{StatusCode: 200, Body: VersionInfo{Version: "1.2.3", Commit: httpcheck.Ptr("abc1234"), BuiltAt: &updated}}},
			"GET", "/version", "", 200,
			map[string]string{"Content-Type": "application/json"},
			`{"version":"1.2.3","commit":"abc1234","builtAt":"2024-01-15T09:30:00Z"}`},
		{"a 202 without content sends no body and no Content-Type",
			&stub{refreshResp: RefreshCatalogAcceptedResponse{}},
			"POST", "/catalogs/tools/refresh", "", 202,
			map[string]string{"Content-Type": "", "Content-Length": "0"}, ""},
		{"a 404 without content sends no body",
			&stub{refreshResp: RefreshCatalogNotFoundResponse{}},
			"POST", "/catalogs/tools/refresh", "", 404,
			map[string]string{"Content-Type": "", "Content-Length": "0"}, ""},
		{"an optional ETag is sent when set",
			&stub{widgetResp: GetWidgetOKResponse{ETag: httpcheck.Ptr(`"v7"`), Body: Widget{ID: 7, Sku: "AB-12", Name: "Hammer"}}},
			"GET", "/widgets/7", "", 200,
			map[string]string{"ETag": `"v7"`, "Content-Type": "application/json"}, `{"id":7,"sku":"AB-12","name":"Hammer"}`},
		{"an optional ETag is left out when nil",
			&stub{widgetResp: GetWidgetOKResponse{Body: Widget{ID: 7, Sku: "AB-12", Name: "Hammer"}}},
			"GET", "/widgets/7", "", 200,
			map[string]string{"ETag": ""}, `{"id":7,"sku":"AB-12","name":"Hammer"}`},
		{"a delete answers 204 with no body",
			&stub{deleteResp: DeleteWidgetNoContentResponse{}},
			"DELETE", "/widgets/7", "", 204,
			map[string]string{"Content-Type": ""}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := newServer(t, tc.h)
			resp, body := httpcheck.SendJSON(t, srv, tc.method, tc.target, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d; body %s", resp.StatusCode, tc.wantStatus, body)
			}
			for k, want := range tc.wantHeader {
				if got := resp.Header.Values(k); want == "" && len(got) != 0 {
					t.Errorf("header %s = %q, want it absent", k, got)
				} else if want != "" && (len(got) != 1 || got[0] != want) {
					t.Errorf("header %s = %q, want [%q]", k, got, want)
				}
			}
			if tc.wantBody == "" {
				if len(body) != 0 {
					t.Errorf("body = %q, want empty", body)
				}
			} else if !jsonEqual(t, body, tc.wantBody) {
				t.Errorf("body = %s, want %s", body, tc.wantBody)
			}
		})
	}
}

func TestHandlersReceiveDecodedRequests(t *testing.T) {
	h := &stub{importResp: ImportWidgetsNoContentResponse{}, deleteResp: DeleteWidgetNoContentResponse{}}
	srv, _ := newServer(t, h)
	httpcheck.SendJSON(t, srv, "POST", "/catalogs/tools-2/imports", widgetsIn)
	httpcheck.SendJSON(t, srv, "DELETE", "/widgets/9223372036854775807", "")
	want := []any{
		ImportWidgetsRequest{CatalogID: "tools-2", Body: []NewWidget{
			{Sku: "AB-12", Name: "Hammer", PriceCents: httpcheck.Ptr(int64(1299))},
			{Sku: "CD-34", Name: "Saw"},
		}},
		DeleteWidgetRequest{WidgetID: 9223372036854775807},
	}
	if got := h.Requests(); !reflect.DeepEqual(got, want) {
		t.Errorf("handler got %+v, want %+v", got, want)
	}
}

// checkProblem asserts that resp is the problem document for status.
func checkProblem(t *testing.T, resp *http.Response, body []byte, status int) httpcheck.Problem {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status = %d, want %d; body %s", resp.StatusCode, status, body)
	}
	if got := resp.Header.Get("Content-Type"); got != problem.ContentType {
		t.Errorf("Content-Type = %q, want %q", got, problem.ContentType)
	}
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
	}
	var p httpcheck.Problem
	if resp.Request.Method == http.MethodHead {
		return p
	}
	p = httpcheck.ParseProblem(t, body)
	if p.Type != "about:blank" || p.Title != http.StatusText(status) || p.Status != status {
		t.Errorf("problem = %+v, want about:blank, %q, %d", p, http.StatusText(status), status)
	}
	return p
}

func TestRoutingRefusals(t *testing.T) {
	tests := []struct {
		name           string
		method, target string
		wantStatus     int
		wantAllow      string
	}{
		{"an unknown path is a 404", "GET", "/gadgets", 404, ""},
		{"a path below a known route is a 404", "GET", "/widgets/7/parts", 404, ""},
		{"PUT on a widget is a 405 allowing DELETE and GET", "PUT", "/widgets/7", 405, "DELETE, GET"},
		{"HEAD on a widget is a 405 since no HEAD is declared", "HEAD", "/widgets/7", 405, "DELETE, GET"},
		{"GET on the imports path is a 405 allowing POST", "GET", "/catalogs/tools/imports", 405, "POST"},
		{"POST on the version path is a 405 allowing GET", "POST", "/version", 405, "GET"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &stub{}
			srv, _ := newServer(t, h)
			resp, body := httpcheck.SendJSON(t, srv, tc.method, tc.target, "")
			if p := checkProblem(t, resp, body, tc.wantStatus); p.Detail != "" || p.Errors != nil {
				t.Errorf("problem = %+v, want no detail and no errors", p)
			}
			if got := resp.Header.Values("Allow"); tc.wantAllow == "" && len(got) != 0 {
				t.Errorf("Allow = %q, want none", got)
			} else if tc.wantAllow != "" && (len(got) != 1 || got[0] != tc.wantAllow) {
				t.Errorf("Allow = %q, want [%q]", got, tc.wantAllow)
			}
			if n := len(h.Requests()); n != 0 {
				t.Errorf("handler called %d times, want 0", n)
			}
		})
	}
}

func TestHandlerFailures(t *testing.T) {
	const secret = "db: password hunter2 rejected"
	tests := []struct {
		name       string
		h          Handler
		target     string
		wantStatus int
		wantDetail string
		wantLog    []string // nil: nothing is logged
	}{
		{"a handler error is a 500 whose text goes to the log, not the body",
			&stub{err: errors.New(secret)}, "/widgets/7", 500, "",
			[]string{`level=ERROR`, `msg="handler failed"`, `operation=GetWidget`, secret}},
		{"a nil response without an error is a logged 500",
			&stub{}, "/widgets/7", 500, "",
			[]string{`msg="handler failed"`, "handler returned a nil response and a nil error"}},
		{"an Unimplemented operation is a 501 that is not logged as an error",
			Unimplemented{}, "/widgets/7", 501, "", nil},
		{"a handler's problem error is sent as it is and not logged as an error",
			&stub{err: problem.Errorf(409, "the widget is locked", errors.New(secret))}, "/widgets/7", 409, "the widget is locked", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, logs := newServer(t, tc.h)
			resp, body := httpcheck.SendJSON(t, srv, "GET", tc.target, "")
			p := checkProblem(t, resp, body, tc.wantStatus)
			if p.Detail != tc.wantDetail {
				t.Errorf("detail = %q, want %q", p.Detail, tc.wantDetail)
			}
			if strings.Contains(string(body), "hunter2") {
				t.Errorf("body %s leaks the error text", body)
			}
			log := logs.String()
			if tc.wantLog == nil && strings.Contains(log, "level=ERROR") {
				t.Errorf("log = %q, want no error in it (only the access line)", log)
			}
			for _, want := range tc.wantLog {
				if !strings.Contains(log, want) {
					t.Errorf("log = %q, want it to contain %q", log, want)
				}
			}
		})
	}
}

func TestBadWidgetIDIsA400NamingIt(t *testing.T) {
	tests := []struct {
		name, target string
		want         httpcheck.FieldError
	}{
		{"an id that is not an integer is a 400 naming widgetId", "/widgets/seven",
			httpcheck.FieldError{In: "path", Name: "widgetId", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}},
		{"an id below its minimum is a 400 naming the keyword", "/widgets/0",
			httpcheck.FieldError{In: "path", Name: "widgetId", Keyword: "minimum", Limit: "1", Message: "must be at least 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &stub{}
			srv, _ := newServer(t, h)
			resp, body := httpcheck.SendJSON(t, srv, "GET", tc.target, "")
			p := checkProblem(t, resp, body, 400)
			want := httpcheck.Problem{Type: "about:blank", Title: "Bad Request", Status: 400, Detail: "the request is not valid", Errors: []httpcheck.FieldError{tc.want}}
			if !reflect.DeepEqual(p, want) {
				t.Errorf("problem = %+v, want %+v", p, want)
			}
			if n := len(h.Requests()); n != 0 {
				t.Errorf("handler called %d times, want 0", n)
			}
		})
	}
}
