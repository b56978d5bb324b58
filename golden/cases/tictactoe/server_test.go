package tictactoe

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

// handler answers every operation through its Stub.
type handler struct{ httpcheck.Stub }

func (h *handler) GetBoard(_ context.Context, req GetBoardRequest) (GetBoardResponse, error) {
	return httpcheck.Answer[GetBoardResponse](&h.Stub, req, GetBoardOKResponse{})
}

func (h *handler) GetSquare(_ context.Context, req GetSquareRequest) (GetSquareResponse, error) {
	return httpcheck.Answer[GetSquareResponse](&h.Stub, req, GetSquareOKResponse{Body: MarkEmpty})
}

func (h *handler) PutSquare(_ context.Context, req PutSquareRequest) (PutSquareResponse, error) {
	return httpcheck.Answer[PutSquareResponse](&h.Stub, req, PutSquareOKResponse{})
}

func TestEveryOperationReachesItsHandler(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, secured(t, h))
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
			PutSquareRequest{Row: 3, Column: 1, ProgressURL: httpcheck.Ptr("https://client.example/progress?id=7"), Body: MarkEmpty}},
		{"put-square reads the header name case-insensitively", "PUT", "/board/2/2", `"O"`,
			[]string{"PROGRESSURL", "cb"}, PutSquareRequest{Row: 2, Column: 2, ProgressURL: httpcheck.Ptr("cb"), Body: MarkO}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.Reset(nil)
			resp, data := httpcheck.SendJSON(t, srv, tc.method, tc.path, tc.body, tc.header...)
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d, want 200 (body %s)", resp.StatusCode, data)
			}
			if got := h.Last(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("request = %T %s, want %T %s", got, httpcheck.Show(got), tc.want, httpcheck.Show(tc.want))
			}
		})
	}
}

func TestResponsesAreWrittenAsDeclared(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, secured(t, h))
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
			GetBoardOKResponse{Body: Status{Board: board, Winner: httpcheck.Ptr(WinnerX)}},
			200, "application/json", "", `{"board":` + boardJSON + `,"winner":"X"}`},
		{"get-board 200 omits an absent board and winner", "GET", "/board", "",
			GetBoardOKResponse{}, 200, "application/json", "", `{}`},
		{"get-square 200 sends the mark as a JSON string", "GET", "/board/1/1", "",
			GetSquareOKResponse{Body: MarkO}, 200, "application/json", "", `"O"`},
		{"get-square 400 streams the text/html message", "GET", "/board/1/1", "",
			GetSquareBadRequestResponse{Body: strings.NewReader("Illegal coordinates")},
			400, "text/html", "", `Illegal coordinates`},
		{"put-square 200 sends the status", "PUT", "/board/1/1", `"X"`,
			PutSquareOKResponse{Body: Status{Board: board, Winner: httpcheck.Ptr(WinnerEmpty)}},
			200, "application/json", "", `{"board":` + boardJSON + `,"winner":"."}`},
		{"put-square 202 sends the Location header and no body", "PUT", "/board/1/1", `"X"`,
			PutSquareAcceptedResponse{Location: httpcheck.Ptr("https://api.example/ops/42")},
			202, "", "https://api.example/ops/42", ``},
		{"put-square 202 without Location sends no Location", "PUT", "/board/1/1", `"X"`,
			PutSquareAcceptedResponse{}, 202, "", "", ``},
		{"put-square 400 streams the text/html message", "PUT", "/board/1/1", `"X"`,
			PutSquareBadRequestResponse{Body: strings.NewReader("Square is not empty.")},
			400, "text/html", "", `Square is not empty.`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.Reset(tc.reply)
			resp, data := httpcheck.SendJSON(t, srv, tc.method, tc.path, tc.body)
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
	srv := httpcheck.Serve(t, secured(t, h))
	const invalid = "the request is not valid"
	tests := []struct {
		name, method, path, contentType, body string
		header                                []string
		wantStatus                            int
		wantAllow, wantDetail                 string
		wantErrors                            []httpcheck.FieldError
	}{
		{"a row without a column is a 404", "GET", "/board/1", "", "", nil, 404, "", "", nil},
		{"a square below a square is a 404", "GET", "/board/1/2/3", "", "", nil, 404, "", "", nil},
		{"POST on the board is a 405 allowing GET", "POST", "/board", "", "", nil, 405, "GET", "", nil},
		{"DELETE on a square is a 405 allowing GET and PUT", "DELETE", "/board/1/1", "", "", nil, 405, "GET, PUT", "", nil},
		{"a row that is not an integer is a 400", "GET", "/board/a/1", "", "", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "path", Name: "row", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a bad row and a bad column are both listed", "PUT", "/board/x/y", "application/json", `"X"`, nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "path", Name: "row", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}, {In: "path", Name: "column", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a repeated progressUrl header is a 400", "PUT", "/board/1/1", "application/json", `"X"`,
			[]string{"progressUrl", "a", "progressUrl", "b"}, 400, "", invalid,
			[]httpcheck.FieldError{{In: "header", Name: "progressUrl", Message: "is repeated"}}},
		{"put-square without a body is a 400", "PUT", "/board/1/1", "", "", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}}},
		{"put-square with a number for the mark is a 400", "PUT", "/board/1/1", "application/json", `1`, nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Keyword: "type", Limit: `"string"`, Message: "must be a string"}}},
		{"put-square with a mark outside its enum is a 400", "PUT", "/board/1/1", "application/json", `"Z"`, nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Keyword: "enum", Limit: `[".","X","O"]`, Message: "must be one of the allowed values"}}},
		{"a row above the board is a 400 naming the maximum", "GET", "/board/4/1", "", "", nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "path", Name: "row", Keyword: "maximum", Limit: "3", Message: "must be at most 3"}}},
		{"a row and a column off the board are both listed", "PUT", "/board/0/9", "application/json", `"X"`, nil, 400, "", invalid,
			[]httpcheck.FieldError{{In: "path", Name: "row", Keyword: "minimum", Limit: "1", Message: "must be at least 1"},
				{In: "path", Name: "column", Keyword: "maximum", Limit: "3", Message: "must be at most 3"}}},
		{"put-square with a text/plain mark is a 415", "PUT", "/board/1/1", "text/plain", `X`, nil, 415, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.Reset(nil)
			resp, data := httpcheck.Send(t, srv, tc.method, tc.path, tc.contentType, tc.body, tc.header...)
			httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: tc.wantStatus, Detail: tc.wantDetail, Errors: tc.wantErrors})
			if got := resp.Header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
			if got := h.Last(); got != nil {
				t.Errorf("handler called with %T %s, want no call", got, httpcheck.Show(got))
			}
		})
	}
}

func TestHandlerErrorIsA500WithoutItsText(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{Stub: httpcheck.Stub{Err: errors.New("board store: lock timeout on game 77")}}
	srv := httptest.NewServer(secured(t, h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := httpcheck.Send(t, srv, "PUT", "/board/1/1", "application/json", `"X"`)
	srv.Close() // waits for the handler, and so for its log line
	httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 500})
	if bytes.Contains(data, []byte("lock timeout")) {
		t.Errorf("body %s leaks the error text", data)
	}
	if !strings.Contains(logs.String(), "lock timeout on game 77") || !strings.Contains(logs.String(), "PutSquare") {
		t.Errorf("log = %q, want the error and the operation", logs.String())
	}
}
