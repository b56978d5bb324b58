package museum

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
	"time"

	"github.com/secgen/secgen/runtime/types"
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

func (h *handler) GetMuseumHours(_ context.Context, req GetMuseumHoursRequest) (GetMuseumHoursResponse, error) {
	return answer[GetMuseumHoursResponse](h, req, GetMuseumHoursOKResponse{})
}

func (h *handler) ListSpecialEvents(_ context.Context, req ListSpecialEventsRequest) (ListSpecialEventsResponse, error) {
	return answer[ListSpecialEventsResponse](h, req, ListSpecialEventsOKResponse{})
}

func (h *handler) CreateSpecialEvent(_ context.Context, req CreateSpecialEventRequest) (CreateSpecialEventResponse, error) {
	return answer[CreateSpecialEventResponse](h, req, CreateSpecialEventCreatedResponse{})
}

func (h *handler) GetSpecialEvent(_ context.Context, req GetSpecialEventRequest) (GetSpecialEventResponse, error) {
	return answer[GetSpecialEventResponse](h, req, GetSpecialEventOKResponse{})
}

func (h *handler) UpdateSpecialEvent(_ context.Context, req UpdateSpecialEventRequest) (UpdateSpecialEventResponse, error) {
	return answer[UpdateSpecialEventResponse](h, req, UpdateSpecialEventOKResponse{})
}

func (h *handler) DeleteSpecialEvent(_ context.Context, req DeleteSpecialEventRequest) (DeleteSpecialEventResponse, error) {
	return answer[DeleteSpecialEventResponse](h, req, DeleteSpecialEventNoContentResponse{})
}

func (h *handler) BuyMuseumTickets(_ context.Context, req BuyMuseumTicketsRequest) (BuyMuseumTicketsResponse, error) {
	ok := BuyMuseumTicketsCreatedResponse{Body: MuseumTicketsConfirmation{TicketDate: date(2023, 9, 7)}}
	return answer[BuyMuseumTicketsResponse](h, req, ok)
}

func (h *handler) GetTicketCode(_ context.Context, req GetTicketCodeRequest) (GetTicketCodeResponse, error) {
	return answer[GetTicketCodeResponse](h, req, GetTicketCodeOKResponse{})
}

type fieldErr = struct{ In, Name, Pointer, Detail string }

type problemDoc struct {
	Type   string     `json:"type"`
	Title  string     `json:"title"`
	Status int        `json:"status"`
	Detail string     `json:"detail"`
	Errors []fieldErr `json:"errors"`
}

func send(t *testing.T, srv *httptest.Server, method, path, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
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

func date(y, m, d int) types.Date { return types.Date{Year: y, Month: time.Month(m), Day: d} }

const eventID = "3be6453c-03eb-4357-ae5a-984a0e574a54"

func TestEveryOperationReachesItsHandler(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		want                     any
	}{
		{"getMuseumHours without parameters leaves them nil", "GET", "/museum-hours", "", 200, GetMuseumHoursRequest{}},
		{"getMuseumHours decodes the date and the integers", "GET", "/museum-hours?startDate=2023-09-11&page=2&limit=15", "", 200,
			GetMuseumHoursRequest{StartDate: ptr(date(2023, 9, 11)), Page: ptr(int64(2)), Limit: ptr(int64(15))}},
		{"listSpecialEvents decodes both dates", "GET", "/special-events?startDate=2024-02-29&endDate=2024-03-07", "", 200,
			ListSpecialEventsRequest{StartDate: ptr(date(2024, 2, 29)), EndDate: ptr(date(2024, 3, 7))}},
		{"createSpecialEvent decodes the event with its dates and price", "POST", "/special-events",
			`{"name":"Pirate Coding Workshop","location":"Computer Room","eventDescription":"Arrr","dates":["2023-10-29","2023-10-30"],"price":25.5}`, 201,
			CreateSpecialEventRequest{Body: SpecialEvent{Name: "Pirate Coding Workshop", Location: "Computer Room", EventDescription: "Arrr",
				Dates: EventDates{date(2023, 10, 29), date(2023, 10, 30)}, Price: 25.5}}},
		{"getSpecialEvent receives the event id", "GET", "/special-events/" + eventID, "", 200, GetSpecialEventRequest{EventID: eventID}},
		{"updateSpecialEvent decodes a partial body", "PATCH", "/special-events/" + eventID, `{"location":"On the beach.","price":15}`, 200,
			UpdateSpecialEventRequest{EventID: eventID, Body: SpecialEventFields{Location: ptr("On the beach."), Price: ptr(float32(15))}}},
		{"deleteSpecialEvent receives the event id", "DELETE", "/special-events/" + eventID, "", 204, DeleteSpecialEventRequest{EventID: eventID}},
		{"buyMuseumTickets decodes the allOf body", "POST", "/tickets",
			`{"ticketType":"event","eventId":"dad4","ticketDate":"2023-09-05","email":"todd@example.com"}`, 201,
			BuyMuseumTicketsRequest{Body: BuyMuseumTickets{TicketType: TicketTypeEvent, EventID: ptr("dad4"),
				TicketDate: date(2023, 9, 5), Email: ptr("todd@example.com")}}},
		{"getTicketCode receives the ticket id", "GET", "/tickets/a54a57ca/qr", "", 200, GetTicketCodeRequest{TicketID: "a54a57ca"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(nil)
			ct := ""
			if tc.body != "" {
				ct = "application/json"
			}
			resp, data := send(t, srv, tc.method, tc.path, ct, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tc.wantStatus, data)
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
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	event := SpecialEvent{EventID: ptr(eventID), Name: "Tea", Location: "Tearoom", EventDescription: "Sip",
		Dates: EventDates{date(2023, 11, 18)}, Price: 60}
	const eventJSON = `{"dates":["2023-11-18"],"eventDescription":"Sip","eventId":"` + eventID + `","location":"Tearoom","name":"Tea","price":60}`
	tests := []struct {
		name, method, path, body string
		reply                    any
		wantStatus               int
		wantType, wantBody       string
	}{
		{"getMuseumHours 200 sends dates as full-date strings", "GET", "/museum-hours", "",
			GetMuseumHoursOKResponse{Body: MuseumHours{{Date: date(2023, 9, 11), TimeOpen: "09:00", TimeClose: "18:00"}}},
			200, "application/json", `[{"date":"2023-09-11","timeClose":"18:00","timeOpen":"09:00"}]`},
		{"getMuseumHours 400 is the handler's problem+json", "GET", "/museum-hours", "",
			GetMuseumHoursBadRequestResponse{Body: Error{Type: ptr("object"), Title: ptr("Validation failed")}},
			400, "application/problem+json", `{"title":"Validation failed","type":"object"}`},
		{"listSpecialEvents 404 is the handler's problem+json", "GET", "/special-events", "",
			ListSpecialEventsNotFoundResponse{Body: Error{Title: ptr("None")}}, 404, "application/problem+json", `{"title":"None"}`},
		{"createSpecialEvent 201 sends the event", "POST", "/special-events", eventJSON,
			CreateSpecialEventCreatedResponse{Body: event}, 201, "application/json", eventJSON},
		{"getSpecialEvent 200 sends the event", "GET", "/special-events/x", "",
			GetSpecialEventOKResponse{Body: event}, 200, "application/json", eventJSON},
		{"updateSpecialEvent 404 sends a problem+json", "PATCH", "/special-events/x", `{}`,
			UpdateSpecialEventNotFoundResponse{Body: Error{Title: ptr("Not found")}}, 404, "application/problem+json", `{"title":"Not found"}`},
		{"deleteSpecialEvent 204 has no body", "DELETE", "/special-events/x", "",
			DeleteSpecialEventNoContentResponse{}, 204, "", ``},
		{"deleteSpecialEvent 401 sends a problem+json", "DELETE", "/special-events/x", "",
			DeleteSpecialEventUnauthorizedResponse{Body: Error{Title: ptr("Unauthorized")}}, 401, "application/problem+json", `{"title":"Unauthorized"}`},
		{"buyMuseumTickets 201 sends the merged confirmation", "POST", "/tickets", `{"ticketType":"general","ticketDate":"2023-09-07"}`,
			BuyMuseumTicketsCreatedResponse{Body: MuseumTicketsConfirmation{ConfirmationCode: "ticket-general-e5e5c6", Message: "purchased",
				TicketDate: date(2023, 9, 7), TicketID: ptr("382c"), TicketType: TicketTypeGeneral}},
			201, "application/json", `{"confirmationCode":"ticket-general-e5e5c6","message":"purchased","ticketDate":"2023-09-07","ticketId":"382c","ticketType":"general"}`},
		{"getTicketCode 200 streams the png bytes", "GET", "/tickets/t1/qr", "",
			GetTicketCodeOKResponse{Body: strings.NewReader(png)}, 200, "image/png", png},
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
			if got := string(data); strings.TrimSuffix(got, "\n") != tc.wantBody {
				t.Errorf("body = %q, want %q", got, tc.wantBody)
			}
		})
	}
}

func TestRefusalsAreProblems(t *testing.T) {
	h := &handler{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	tests := []struct {
		name, method, path, contentType, body string
		wantStatus                            int
		wantAllow                             string
		wantErrors                            []fieldErr
	}{
		{"a ticket without /qr is a 404", "GET", "/tickets/t1", "", "", 404, "", nil},
		{"GET on /tickets is a 405 allowing POST", "GET", "/tickets", "", "", 405, "POST", nil},
		{"PUT on an event is a 405 allowing DELETE, GET and PATCH", "PUT", "/special-events/x", "", "", 405, "DELETE, GET, PATCH", nil},
		{"an impossible startDate is a 400", "GET", "/museum-hours?startDate=2023-02-30", "", "", 400, "",
			[]fieldErr{{In: "query", Name: "startDate", Detail: "is not a date"}}},
		{"a date-time for startDate is a 400", "GET", "/museum-hours?startDate=2023-02-03T10:00:00Z", "", "", 400, "",
			[]fieldErr{{In: "query", Name: "startDate", Detail: "is not a date"}}},
		{"a bad endDate and a bad limit are both listed", "GET", "/special-events?endDate=tomorrow&limit=ten", "", "", 400, "",
			[]fieldErr{{In: "query", Name: "endDate", Detail: "is not a date"}, {In: "query", Name: "limit", Detail: "is not an integer"}}},
		{"a repeated page is a 400", "GET", "/special-events?page=1&page=2", "", "", 400, "",
			[]fieldErr{{In: "query", Name: "page", Detail: "is repeated"}}},
		{"updateSpecialEvent without a body is a 400", "PATCH", "/special-events/x", "", "", 400, "",
			[]fieldErr{{In: "body", Detail: "a request body is required"}}},
		{"a string price is a 400 pointing at /price", "POST", "/special-events", "application/json", `{"price":"free"}`, 400, "",
			[]fieldErr{{In: "body", Pointer: "/price", Detail: "must be a number"}}},
		{"an impossible ticketDate is a 400", "POST", "/tickets", "application/json", `{"ticketType":"general","ticketDate":"2023-13-01"}`, 400, "", nil},
		{"a ticket purchase as a form is a 415", "POST", "/tickets", "application/x-www-form-urlencoded", "ticketType=general", 415, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.set(nil)
			resp, data := send(t, srv, tc.method, tc.path, tc.contentType, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", got)
			}
			if got := resp.Header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
			var p problemDoc
			if err := json.Unmarshal(data, &p); err != nil {
				t.Fatalf("body %s: %v", data, err)
			}
			if p.Status != tc.wantStatus || p.Title != http.StatusText(tc.wantStatus) {
				t.Errorf("problem = %s, want status %d titled %q", data, tc.wantStatus, http.StatusText(tc.wantStatus))
			}
			if tc.wantErrors != nil && !reflect.DeepEqual(p.Errors, tc.wantErrors) {
				t.Errorf("errors = %+v, want %+v", p.Errors, tc.wantErrors)
			}
			if got := h.last(); got != nil {
				t.Errorf("handler called with %T %s, want no call", got, show(got))
			}
		})
	}
}

func TestUnencodableResponseIsA500Problem(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{}
	h.set(GetMuseumHoursOKResponse{Body: MuseumHours{{Date: date(2023, 2, 30)}}})
	srv := httptest.NewServer(NewRouter(h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := send(t, srv, "GET", "/museum-hours", "", "")
	srv.Close() // waits for the handler, and so for its log line
	if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("status = %d %q, want 500 application/problem+json (body %q)", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
	if !strings.Contains(logs.String(), "GetMuseumHours") {
		t.Errorf("log = %q, want the failed operation", logs.String())
	}
}

func TestHandlerErrorIsA500WithoutItsText(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{err: errors.New("payment gateway said card 4242 declined")}
	srv := httptest.NewServer(NewRouter(h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := send(t, srv, "POST", "/tickets", "application/json", `{"ticketType":"general","ticketDate":"2023-09-07"}`)
	srv.Close() // waits for the handler, and so for its log line
	if resp.StatusCode != 500 || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("status = %d %q, want 500 application/problem+json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var p problemDoc
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("body %s: %v", data, err)
	}
	if p.Title != "Internal Server Error" || p.Status != 500 {
		t.Errorf("problem = %s, want title Internal Server Error and status 500", data)
	}
	if bytes.Contains(data, []byte("4242")) {
		t.Errorf("body %s leaks the error text", data)
	}
	if !strings.Contains(logs.String(), "card 4242 declined") || !strings.Contains(logs.String(), "BuyMuseumTickets") {
		t.Errorf("log = %q, want the error and the operation", logs.String())
	}
}
