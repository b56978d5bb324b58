package tictactoe

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

// handler records the last request it decoded and answers with reply when
// it is a response of the operation called, or with err when set.
type handler struct {
	mu    sync.Mutex
	got   any
	reply any
	err   error
}

func answer[R any](h *handler, req any, def R) (R, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got = req
	if r, ok := h.reply.(R); ok {
		return r, h.err
	}
	return def, h.err
}

// set clears the recorded request and sets the reply.
func (h *handler) set(reply any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.got, h.reply = nil, reply
}

func (h *handler) last() any {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.got
}

func (h *handler) GetBoard(_ context.Context, req GetBoardRequest) (GetBoardResponse, error) {
	return answer[GetBoardResponse](h, req, GetBoardOKResponse{})
}

func (h *handler) GetSquare(_ context.Context, req GetSquareRequest) (GetSquareResponse, error) {
	return answer[GetSquareResponse](h, req, GetSquareOKResponse{Body: MarkEmpty})
}

func (h *handler) PutSquare(_ context.Context, req PutSquareRequest) (PutSquareResponse, error) {
	return answer[PutSquareResponse](h, req, PutSquareOKResponse{})
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

// send makes one request; header holds name, value pairs, each added as a
// header line of its own.
func send(t *testing.T, srv *httptest.Server, method, path, contentType, body string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Add(header[i], header[i+1])
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

func TestEveryOperationReachesItsHandler(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	tests := []struct {
		name, method, path, body string
		header                   []string
		want                     any
	}{
		{"get-board takes no parameters", "GET", "/board", "", nil, GetBoardRequest{}},
		{"get-square decodes row and column in order", "GET", "/board/2/3", "", nil, GetSquareRequest{Row: 2, Column: 3}},
		{"put-square decodes the path, the mark body and no progressUrl", "PUT", "/board/1/3", `"X"`, nil,
			PutSquareRequest{Row: 1, Column: 3, Body: MarkX}},
		{"put-square decodes the progressUrl header", "PUT", "/board/3/1", `"."`,
			[]string{"progressUrl", "https://client.example/progress?id=7"},
			PutSquareRequest{Row: 3, Column: 1, ProgressURL: ptr("https://client.example/progress?id=7"), Body: MarkEmpty}},
		{"put-square reads the header name case-insensitively", "PUT", "/board/2/2", `"O"`,
			[]string{"PROGRESSURL", "cb"}, PutSquareRequest{Row: 2, Column: 2, ProgressURL: ptr("cb"), Body: MarkO}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(nil)
			ct := ""
			if tc.body != "" {
				ct = "application/json"
			}
			resp, data := send(t, srv, tc.method, tc.path, ct, tc.body, tc.header...)
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d, want 200 (body %s)", resp.StatusCode, data)
			}
			if got := h.last(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("request = %T %s, want %T %s", got, show(got), tc.want, show(tc.want))
			}
		})
	}
}

func TestResponsesAreWrittenAsDeclared(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	board := Board{{MarkX, MarkO, MarkEmpty}, {MarkEmpty, MarkX, MarkO}, {MarkEmpty, MarkEmpty, MarkX}}
	const boardJSON = `[["X","O","."],[".","X","O"],[".",".","X"]]`
	tests := []struct {
		name, method, path, body string
		reply                    any
		wantStatus               int
		wantType, wantLocation   string
		wantBody                 string
	}{
		{"get-board 200 sends the board and the winner", "GET", "/board", "",
			GetBoardOKResponse{Body: Status{Board: board, Winner: ptr(WinnerX)}},
			200, "application/json", "", `{"board":` + boardJSON + `,"winner":"X"}`},
		{"get-board 200 omits an absent board and winner", "GET", "/board", "",
			GetBoardOKResponse{}, 200, "application/json", "", `{}`},
		{"get-square 200 sends the mark as a JSON string", "GET", "/board/1/1", "",
			GetSquareOKResponse{Body: MarkO}, 200, "application/json", "", `"O"`},
		{"get-square 400 streams the text/html message", "GET", "/board/1/1", "",
			GetSquareBadRequestResponse{Body: strings.NewReader("Illegal coordinates")},
			400, "text/html", "", `Illegal coordinates`},
		{"put-square 200 sends the status", "PUT", "/board/1/1", `"X"`,
			PutSquareOKResponse{Body: Status{Board: board, Winner: ptr(WinnerEmpty)}},
			200, "application/json", "", `{"board":` + boardJSON + `,"winner":"."}`},
		{"put-square 202 sends the Location header and no body", "PUT", "/board/1/1", `"X"`,
			PutSquareAcceptedResponse{Location: ptr("https://api.example/ops/42")},
			202, "", "https://api.example/ops/42", ``},
		{"put-square 202 without Location sends no Location", "PUT", "/board/1/1", `"X"`,
			PutSquareAcceptedResponse{}, 202, "", "", ``},
		{"put-square 400 streams the text/html message", "PUT", "/board/1/1", `"X"`,
			PutSquareBadRequestResponse{Body: strings.NewReader("Square is not empty.")},
			400, "text/html", "", `Square is not empty.`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(tc.reply)
			ct := ""
			if tc.body != "" {
				ct = "application/json"
			}
			resp, data := send(t, srv, tc.method, tc.path, ct, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Get("Content-Type"); got != tc.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tc.wantType)
			}
			if got := resp.Header.Values("Location"); tc.wantLocation == "" && len(got) > 0 ||
				tc.wantLocation != "" && (len(got) != 1 || got[0] != tc.wantLocation) {
				t.Errorf("Location = %q, want %q", got, tc.wantLocation)
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
	const invalid = "the request is not valid"
	tests := []struct {
		name, method, path, contentType, body string
		header                                []string
		wantStatus                            int
		wantAllow, wantDetail                 string
		wantErrors                            []fieldError
	}{
		{"a row without a column is a 404", "GET", "/board/1", "", "", nil, 404, "", "", nil},
		{"a square below a square is a 404", "GET", "/board/1/2/3", "", "", nil, 404, "", "", nil},
		{"POST on the board is a 405 allowing GET", "POST", "/board", "", "", nil, 405, "GET", "", nil},
		{"DELETE on a square is a 405 allowing GET and PUT", "DELETE", "/board/1/1", "", "", nil, 405, "GET, PUT", "", nil},
		{"a row that is not an integer is a 400", "GET", "/board/a/1", "", "", nil, 400, "", invalid,
			[]fieldError{{In: "path", Name: "row", Message: "is not an integer"}}},
		{"a bad row and a bad column are both listed", "PUT", "/board/x/y", "application/json", `"X"`, nil, 400, "", invalid,
			[]fieldError{{In: "path", Name: "row", Message: "is not an integer"}, {In: "path", Name: "column", Message: "is not an integer"}}},
		{"a repeated progressUrl header is a 400", "PUT", "/board/1/1", "application/json", `"X"`,
			[]string{"progressUrl", "a", "progressUrl", "b"}, 400, "", invalid,
			[]fieldError{{In: "header", Name: "progressUrl", Message: "is repeated"}}},
		{"put-square without a body is a 400", "PUT", "/board/1/1", "", "", nil, 400, "", invalid,
			[]fieldError{{In: "body", Message: "a request body is required"}}},
		{"put-square with a number for the mark is a 400", "PUT", "/board/1/1", "application/json", `1`, nil, 400, "", invalid,
			[]fieldError{{In: "body", Keyword: "type", Limit: `"string"`, Message: "must be a string"}}},
		{"put-square with a mark outside its enum is a 400", "PUT", "/board/1/1", "application/json", `"Z"`, nil, 400, "", invalid,
			[]fieldError{{In: "body", Keyword: "enum", Limit: `[".","X","O"]`, Message: "must be one of the allowed values"}}},
		{"a row above the board is a 400 naming the maximum", "GET", "/board/4/1", "", "", nil, 400, "", invalid,
			[]fieldError{{In: "path", Name: "row", Keyword: "maximum", Limit: "3", Message: "must be at most 3"}}},
		{"a row and a column off the board are both listed", "PUT", "/board/0/9", "application/json", `"X"`, nil, 400, "", invalid,
			[]fieldError{{In: "path", Name: "row", Keyword: "minimum", Limit: "1", Message: "must be at least 1"},
				{In: "path", Name: "column", Keyword: "maximum", Limit: "3", Message: "must be at most 3"}}},
		{"put-square with a text/plain mark is a 415", "PUT", "/board/1/1", "text/plain", `X`, nil, 415, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(nil)
			resp, data := send(t, srv, tc.method, tc.path, tc.contentType, tc.body, tc.header...)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", got)
			}
			if got := resp.Header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
			want := problemDoc{Type: "about:blank", Title: http.StatusText(tc.wantStatus), Status: tc.wantStatus, Detail: tc.wantDetail, Errors: tc.wantErrors}
			if p := parseProblem(t, data); !reflect.DeepEqual(p, want) {
				t.Errorf("problem = %+v, want %+v", p, want)
			}
			if got := h.last(); got != nil {
				t.Errorf("handler called with %T %s, want no call", got, show(got))
			}
		})
	}
}

func TestHandlerErrorIsA500WithoutItsText(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{err: errors.New("board store: lock timeout on game 77")}
	srv := httptest.NewServer(NewRouter(h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := send(t, srv, "PUT", "/board/1/1", "application/json", `"X"`)
	srv.Close() // waits for the handler, and so for its log line
	if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("status = %d %q, want 500 application/problem+json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if p, want := parseProblem(t, data), (problemDoc{Type: "about:blank", Title: "Internal Server Error", Status: 500}); !reflect.DeepEqual(p, want) {
		t.Errorf("problem = %+v, want %+v", p, want)
	}
	if bytes.Contains(data, []byte("lock timeout")) {
		t.Errorf("body %s leaks the error text", data)
	}
	if !strings.Contains(logs.String(), "lock timeout on game 77") || !strings.Contains(logs.String(), "PutSquare") {
		t.Errorf("log = %q, want the error and the operation", logs.String())
	}
}
