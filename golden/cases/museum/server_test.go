package museum

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/types"
)

// handler answers every operation through its Stub.
type handler struct{ httpcheck.Stub }

func (h *handler) GetMuseumHours(_ context.Context, req GetMuseumHoursRequest) (GetMuseumHoursResponse, error) {
	return httpcheck.Answer[GetMuseumHoursResponse](&h.Stub, req, GetMuseumHoursOKResponse{})
}

func (h *handler) ListSpecialEvents(_ context.Context, req ListSpecialEventsRequest) (ListSpecialEventsResponse, error) {
	return httpcheck.Answer[ListSpecialEventsResponse](&h.Stub, req, ListSpecialEventsOKResponse{})
}

func (h *handler) CreateSpecialEvent(_ context.Context, req CreateSpecialEventRequest) (CreateSpecialEventResponse, error) {
	return httpcheck.Answer[CreateSpecialEventResponse](&h.Stub, req, CreateSpecialEventCreatedResponse{})
}

func (h *handler) GetSpecialEvent(_ context.Context, req GetSpecialEventRequest) (GetSpecialEventResponse, error) {
	return httpcheck.Answer[GetSpecialEventResponse](&h.Stub, req, GetSpecialEventOKResponse{})
}

func (h *handler) UpdateSpecialEvent(_ context.Context, req UpdateSpecialEventRequest) (UpdateSpecialEventResponse, error) {
	return httpcheck.Answer[UpdateSpecialEventResponse](&h.Stub, req, UpdateSpecialEventOKResponse{})
}

func (h *handler) DeleteSpecialEvent(_ context.Context, req DeleteSpecialEventRequest) (DeleteSpecialEventResponse, error) {
	return httpcheck.Answer[DeleteSpecialEventResponse](&h.Stub, req, DeleteSpecialEventNoContentResponse{})
}

func (h *handler) BuyMuseumTickets(_ context.Context, req BuyMuseumTicketsRequest) (BuyMuseumTicketsResponse, error) {
	ok := BuyMuseumTicketsCreatedResponse{Body: MuseumTicketsConfirmation{TicketDate: date(2023, 9, 7)}}
	return httpcheck.Answer[BuyMuseumTicketsResponse](&h.Stub, req, ok)
}

func (h *handler) GetTicketCode(_ context.Context, req GetTicketCodeRequest) (GetTicketCodeResponse, error) {
	return httpcheck.Answer[GetTicketCodeResponse](&h.Stub, req, GetTicketCodeOKResponse{})
}

func date(y, m, d int) types.Date { return types.Date{Year: y, Month: time.Month(m), Day: d} }

const (
	eventID  = "3be6453c-03eb-4357-ae5a-984a0e574a54"
	ticketID = "a54a57ca-36f8-421b-a6b4-2e8f26858a4c"
)

func TestEveryOperationReachesItsHandler(t *testing.T) {
	h := &handler{}
	srv := httpcheck.Serve(t, secured(t, h))
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		want                     any
	}{
		{"getMuseumHours without parameters has the page and limit defaults", "GET", "/museum-hours", "", 200, GetMuseumHoursRequest{Page: 1, Limit: 10}},
		{"getMuseumHours decodes the date and the integers", "GET", "/museum-hours?startDate=2023-09-11&page=2&limit=15", "", 200,
			GetMuseumHoursRequest{StartDate: httpcheck.Ptr(date(2023, 9, 11)), Page: 2, Limit: 15}},
		{"getMuseumHours takes the maximum limit", "GET", "/museum-hours?limit=30", "", 200, GetMuseumHoursRequest{Page: 1, Limit: 30}},
		{"listSpecialEvents decodes both dates", "GET", "/special-events?startDate=2024-02-29&endDate=2024-03-07", "", 200,
			ListSpecialEventsRequest{StartDate: httpcheck.Ptr(date(2024, 2, 29)), EndDate: httpcheck.Ptr(date(2024, 3, 7)), Page: 1, Limit: 10}},
		{"createSpecialEvent decodes the event with its dates and price", "POST", "/special-events",
			`{"name":"Pirate Coding Workshop","location":"Computer Room","eventDescription":"Arrr","dates":["2023-10-29","2023-10-30"],"price":25.5}`, 201,
			CreateSpecialEventRequest{Body: SpecialEvent{Name: "Pirate Coding Workshop", Location: "Computer Room", EventDescription: "Arrr",
				Dates: EventDates{date(2023, 10, 29), date(2023, 10, 30)}, Price: 25.5}}},
		{"getSpecialEvent receives the event id", "GET", "/special-events/" + eventID, "", 200, GetSpecialEventRequest{EventID: eventID}},
		{"updateSpecialEvent decodes a partial body", "PATCH", "/special-events/" + eventID, `{"location":"On the beach.","price":15}`, 200,
			UpdateSpecialEventRequest{EventID: eventID, Body: SpecialEventFields{Location: httpcheck.Ptr("On the beach."), Price: httpcheck.Ptr(float32(15))}}},
		{"deleteSpecialEvent receives the event id", "DELETE", "/special-events/" + eventID, "", 204, DeleteSpecialEventRequest{EventID: eventID}},
		{"buyMuseumTickets decodes the allOf body", "POST", "/tickets",
			`{"ticketType":"event","eventId":"dad4bce8-f5cb-4078-a211-995864315e39","ticketDate":"2023-09-05","email":"todd@example.com"}`, 201,
			BuyMuseumTicketsRequest{Body: BuyMuseumTickets{TicketType: TicketTypeEvent, EventID: httpcheck.Ptr("dad4bce8-f5cb-4078-a211-995864315e39"),
				TicketDate: date(2023, 9, 5), Email: httpcheck.Ptr("todd@example.com")}}},
		{"getTicketCode receives the ticket id", "GET", "/tickets/" + ticketID + "/qr", "", 200, GetTicketCodeRequest{TicketID: ticketID}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.Reset(nil)
			resp, data := httpcheck.SendJSON(t, srv, tc.method, tc.path, tc.body)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d, want %d (body %s)", resp.StatusCode, tc.wantStatus, data)
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
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	event := SpecialEvent{EventID: httpcheck.Ptr(eventID), Name: "Tea", Location: "Tearoom", EventDescription: "Sip",
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
			GetMuseumHoursBadRequestResponse{Body: Error{Type: httpcheck.Ptr("object"), Title: httpcheck.Ptr("Validation failed")}},
			400, "application/problem+json", `{"title":"Validation failed","type":"object"}`},
		{"listSpecialEvents 404 is the handler's problem+json", "GET", "/special-events", "",
			ListSpecialEventsNotFoundResponse{Body: Error{Title: httpcheck.Ptr("None")}}, 404, "application/problem+json", `{"title":"None"}`},
		{"createSpecialEvent 201 sends the event", "POST", "/special-events", eventJSON,
			CreateSpecialEventCreatedResponse{Body: event}, 201, "application/json", eventJSON},
		{"getSpecialEvent 200 sends the event", "GET", "/special-events/" + eventID, "",
			GetSpecialEventOKResponse{Body: event}, 200, "application/json", eventJSON},
		{"updateSpecialEvent 404 sends a problem+json", "PATCH", "/special-events/" + eventID, `{}`,
			UpdateSpecialEventNotFoundResponse{Body: Error{Title: httpcheck.Ptr("Not found")}}, 404, "application/problem+json", `{"title":"Not found"}`},
		{"deleteSpecialEvent 204 has no body", "DELETE", "/special-events/" + eventID, "",
			DeleteSpecialEventNoContentResponse{}, 204, "", ``},
		{"deleteSpecialEvent 401 sends a problem+json", "DELETE", "/special-events/" + eventID, "",
			DeleteSpecialEventUnauthorizedResponse{Body: Error{Title: httpcheck.Ptr("Unauthorized")}}, 401, "application/problem+json", `{"title":"Unauthorized"}`},
		{"buyMuseumTickets 201 sends the merged confirmation", "POST", "/tickets", `{"ticketType":"general","ticketDate":"2023-09-07"}`,
			BuyMuseumTicketsCreatedResponse{Body: MuseumTicketsConfirmation{ConfirmationCode: "ticket-general-e5e5c6", Message: "purchased",
				TicketDate: date(2023, 9, 7), TicketID: httpcheck.Ptr("382c"), TicketType: TicketTypeGeneral}},
			201, "application/json", `{"confirmationCode":"ticket-general-e5e5c6","message":"purchased","ticketDate":"2023-09-07","ticketId":"382c","ticketType":"general"}`},
		{"getTicketCode 200 streams the png bytes", "GET", "/tickets/" + ticketID + "/qr", "",
			GetTicketCodeOKResponse{Body: strings.NewReader(png)}, 200, "image/png", png},
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
			if got := string(data); strings.TrimSuffix(got, "\n") != tc.wantBody {
				t.Errorf("body = %q, want %q", got, tc.wantBody)
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
		wantStatus                            int
		wantAllow, wantDetail                 string
		wantErrors                            []httpcheck.FieldError
	}{
		{"a ticket without /qr is a 404", "GET", "/tickets/t1", "", "", 404, "", "", nil},
		{"GET on /tickets is a 405 allowing POST", "GET", "/tickets", "", "", 405, "POST", "", nil},
		{"PUT on an event is a 405 allowing DELETE, GET and PATCH", "PUT", "/special-events/" + eventID, "", "", 405, "DELETE, GET, PATCH", "", nil},
		{"an impossible startDate is a 400", "GET", "/museum-hours?startDate=2023-02-30", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "startDate", Keyword: "format", Limit: `"date"`, Message: "is not a date"}}},
		{"a date-time for startDate is a 400", "GET", "/museum-hours?startDate=2023-02-03T10:00:00Z", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "startDate", Keyword: "format", Limit: `"date"`, Message: "is not a date"}}},
		{"a bad endDate and a bad limit are both listed", "GET", "/special-events?endDate=tomorrow&limit=ten", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "endDate", Keyword: "format", Limit: `"date"`, Message: "is not a date"}, {In: "query", Name: "limit", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a repeated page is a 400", "GET", "/special-events?page=1&page=2", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "page", Message: "is repeated"}}},
		{"updateSpecialEvent without a body is a 400", "PATCH", "/special-events/" + eventID, "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}}},
		{"a string price is a 400 pointing at /price, listed with the missing members", "POST", "/special-events", "application/json", `{"price":"free"}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/price", Keyword: "type", Limit: `"number"`, Message: "must be a number"},
				{In: "body", Pointer: "/name", Keyword: "required", Message: "is required"},
				{In: "body", Pointer: "/location", Keyword: "required", Message: "is required"},
				{In: "body", Pointer: "/eventDescription", Keyword: "required", Message: "is required"},
				{In: "body", Pointer: "/dates", Keyword: "required", Message: "is required"}}},
		{"an impossible ticketDate is a 400", "POST", "/tickets", "application/json", `{"ticketType":"general","ticketDate":"2023-13-01"}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/ticketDate", Keyword: "format", Limit: `"date"`, Message: "must be an RFC 3339 date"}}},
		{"an event id that is not a uuid is a 400", "GET", "/special-events/x", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "path", Name: "eventId", Keyword: "format", Limit: `"uuid"`, Message: "must be a UUID"}}},
		{"a limit above its maximum of 30 is a 400", "GET", "/museum-hours?limit=31", "", "", 400, "", invalid,
			[]httpcheck.FieldError{{In: "query", Name: "limit", Keyword: "maximum", Limit: "30", Message: "must be at most 30"}}},
		{"a ticket type outside its enum is a 400", "POST", "/tickets", "application/json", `{"ticketType":"vip","ticketDate":"2023-09-07"}`, 400, "", invalid,
			[]httpcheck.FieldError{{In: "body", Pointer: "/ticketType", Keyword: "enum", Limit: `["event","general"]`, Message: "must be one of the allowed values"}}},
		{"a ticket purchase as a form is a 415", "POST", "/tickets", "application/x-www-form-urlencoded", "ticketType=general", 415, "", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.Reset(nil)
			resp, data := httpcheck.Send(t, srv, tc.method, tc.path, tc.contentType, tc.body)
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

func TestUnencodableResponseIsA500Problem(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{}
	h.Reset(GetMuseumHoursOKResponse{Body: MuseumHours{{Date: date(2023, 2, 30)}}})
	srv := httptest.NewServer(secured(t, h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := httpcheck.Send(t, srv, "GET", "/museum-hours", "", "")
	srv.Close() // waits for the handler, and so for its log line
	httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 500})
	if !strings.Contains(logs.String(), "GetMuseumHours") {
		t.Errorf("log = %q, want the failed operation", logs.String())
	}
}

func TestHandlerErrorIsA500WithoutItsText(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{Stub: httpcheck.Stub{Err: errors.New("payment gateway said card 4242 declined")}}
	srv := httptest.NewServer(secured(t, h, WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))))
	resp, data := httpcheck.Send(t, srv, "POST", "/tickets", "application/json", `{"ticketType":"general","ticketDate":"2023-09-07"}`)
	srv.Close() // waits for the handler, and so for its log line
	httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: 500})
	if bytes.Contains(data, []byte("4242")) {
		t.Errorf("body %s leaks the error text", data)
	}
	if !strings.Contains(logs.String(), "card 4242 declined") || !strings.Contains(logs.String(), "BuyMuseumTickets") {
		t.Errorf("log = %q, want the error and the operation", logs.String())
	}
}
