package bodies

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/golden/internal/httpcheck"
)

// fileSeen is a multipart file as the handler read it through its
// *multipart.FileHeader.
type fileSeen struct {
	Filename, ContentType, Content string
	Size                           int64
}

// recorder implements the operations under test, remembering the
// requests it was given.
type recorder struct {
	Unimplemented
	httpcheck.Recorder
	mu    sync.Mutex
	files map[string][]fileSeen // UploadDocument: the files, read in the handler
	blob  []byte                // PutBlob: the bytes read from req.Body
	chunk chan []byte           // PutBlob: when set, receives the first five bytes read
}

// seen returns the number of calls, the uploaded files and the blob bytes.
func (h *recorder) seen() (int, map[string][]fileSeen, []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.Count(), h.files, h.blob
}

var noteTime = time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)

func (h *recorder) CreateNote(_ context.Context, req CreateNoteRequest) (CreateNoteResponse, error) {
	h.Record(req)
	n := req.Body
	return CreateNoteCreatedResponse{Body: Note{ID: 7, Title: n.Title, Body: n.Body,
		Pinned: n.Pinned != nil && *n.Pinned, Labels: n.Labels, CreatedAt: noteTime}}, nil
}

func (h *recorder) PublishEvent(_ context.Context, req PublishEventRequest) (PublishEventResponse, error) {
	h.Record(req)
	return PublishEventAcceptedResponse{Body: EventReceipt{EventID: "8f14e45f-ceea-467f-a0f6-9b1a3b6c2d11"}}, nil
}

func (h *recorder) SignUp(_ context.Context, req SignUpRequest) (SignUpResponse, error) {
	h.Record(req)
	return SignUpCreatedResponse{Body: req.Body}, nil
}

func (h *recorder) CreateOrder(_ context.Context, req CreateOrderRequest) (CreateOrderResponse, error) {
	h.Record(req)
	return CreateOrderCreatedResponse{Body: req.Body}, nil
}

func (h *recorder) UploadDocument(_ context.Context, req UploadDocumentRequest) (UploadDocumentResponse, error) {
	files := map[string][]fileSeen{}
	parts := append([]*multipart.FileHeader{req.Body.File}, req.Body.Attachments...)
	if req.Body.Cover != nil {
		parts = append(parts, req.Body.Cover)
	}
	for _, fh := range parts {
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		files[fh.Filename] = append(files[fh.Filename], fileSeen{fh.Filename, fh.Header.Get("Content-Type"), string(data), fh.Size})
	}
	h.mu.Lock()
	h.files = files
	h.mu.Unlock()
	h.Record(req)
	count := int32(len(req.Body.Attachments))
	return UploadDocumentCreatedResponse{Body: DocumentInfo{ID: "doc-1", Title: req.Body.Title,
		Copies: req.Body.Copies, SizeBytes: req.Body.File.Size, AttachmentCount: &count}}, nil
}

func (h *recorder) EchoText(_ context.Context, req EchoTextRequest) (EchoTextResponse, error) {
	h.Record(req)
	return EchoTextOKResponse{Body: strings.ToUpper(req.Body)}, nil
}

func (h *recorder) PutBlob(_ context.Context, req PutBlobRequest) (PutBlobResponse, error) {
	var data []byte
	if h.chunk != nil {
		data = make([]byte, len("first"))
		if _, err := io.ReadFull(req.Body, data); err != nil {
			return nil, err
		}
		h.chunk <- data
	}
	rest, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.blob = append(data, rest...)
	h.mu.Unlock()
	h.Record(req)
	return PutBlobNoContentResponse{}, nil
}

var blobBytes = []byte{0x00, 0xff, 0x10, 'P', 'K', 0x03, 0x04, 0x80}

func (h *recorder) GetBlob(_ context.Context, req GetBlobRequest) (GetBlobResponse, error) {
	h.Record(req)
	cd := `attachment; filename="` + req.Name + `"`
	return GetBlobOKResponse{ContentDisposition: &cd, Body: bytes.NewReader(blobBytes)}, nil
}

func (h *recorder) CreateContact(_ context.Context, req CreateContactRequest) (CreateContactResponse, error) {
	h.Record(req)
	c := req.JSONBody
	if c == nil {
		c = req.FormBody
	}
	return CreateContactCreatedResponse{Body: *c}, nil
}

func (h *recorder) GenerateReport(_ context.Context, req GenerateReportRequest) (GenerateReportResponse, error) {
	h.Record(req)
	rep := Report{Format: ReportFormatSummary, Days: 30, Lines: []string{}}
	if o := req.Body; o != nil {
		if o.Format != nil {
			rep.Format = ReportFormat(*o.Format)
		}
		if o.Days != nil {
			rep.Days = *o.Days
		}
	}
	return GenerateReportOKResponse{Body: rep}, nil
}

func newServer(t *testing.T) (*recorder, *httptest.Server) {
	t.Helper()
	h := &recorder{}
	return h, httpcheck.Serve(t, NewRouter(h))
}

// wantResponse checks the status and Content-Type of a response.
func wantResponse(t *testing.T, resp *http.Response, data []byte, status int, contentType string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body: %s", resp.StatusCode, status, data)
	}
	if got := resp.Header.Get("Content-Type"); got != contentType {
		t.Errorf("Content-Type = %q, want %q", got, contentType)
	}
}

func TestJSONBody(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		want                    NewNote
		wantJSON                string
	}{
		{
			name:        "a full note reaches the handler field by field",
			contentType: "application/json",
			body:        `{"title":"Groceries","body":"Milk, eggs","pinned":false,"labels":["home","weekly"]}`,
			want:        NewNote{Title: "Groceries", Body: httpcheck.Ptr("Milk, eggs"), Pinned: httpcheck.Ptr(false), Labels: []string{"home", "weekly"}},
			wantJSON:    `{"body":"Milk, eggs","createdAt":"2024-05-01T09:30:00Z","id":7,"labels":["home","weekly"],"pinned":false,"title":"Groceries"}`,
		},
		{
			name:        "absent optional members stay nil and pinned takes its default",
			contentType: "application/json; charset=utf-8",
			body:        `{"title":"Only a title"}`,
			want:        NewNote{Title: "Only a title", Pinned: httpcheck.Ptr(false)},
			wantJSON:    `{"createdAt":"2024-05-01T09:30:00Z","id":7,"pinned":false,"title":"Only a title"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := httpcheck.Do(t, srv, "POST", "/notes", httpcheck.ContentType(tt.contentType), strings.NewReader(tt.body))
			wantResponse(t, resp, data, http.StatusCreated, "application/json")
			if got := httpcheck.LastRequest[CreateNoteRequest](t, h).Body; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handler got %+v, want %+v", got, tt.want)
			}
			if got := strings.TrimSpace(string(data)); got != tt.wantJSON {
				t.Errorf("body = %s, want %s", got, tt.wantJSON)
			}
		})
	}
}

func TestVendorJSONBody(t *testing.T) {
	h, srv := newServer(t)
	body := `{"type":"user.created","occurredAt":"2024-05-01T10:00:00+02:00","payload":{"id":42,"tags":["a","b"]}}`
	resp, data := httpcheck.Do(t, srv, "POST", "/events", httpcheck.ContentType("application/vnd.example+json"), strings.NewReader(body))
	wantResponse(t, resp, data, http.StatusAccepted, "application/vnd.example+json")
	if got, want := httpcheck.Decode[EventReceipt](t, data).EventID, "8f14e45f-ceea-467f-a0f6-9b1a3b6c2d11"; got != want {
		t.Errorf("eventId = %q, want %q", got, want)
	}
	ev := httpcheck.LastRequest[PublishEventRequest](t, h).Body
	if ev.Type != EventTypeUserCreated {
		t.Errorf("type = %q, want %q", ev.Type, EventTypeUserCreated)
	}
	if want := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC); ev.OccurredAt == nil || !ev.OccurredAt.Equal(want) {
		t.Errorf("occurredAt = %v, want %v", ev.OccurredAt, want)
	}
	if got, want := len(ev.Payload), 2; got != want {
		t.Errorf("payload has %d members, want %d", got, want)
	}
	if got, want := string(ev.Payload["id"]), `42`; got != want {
		t.Errorf("payload.id = %s, want %s", got, want)
	}
	if got, want := string(ev.Payload["tags"]), `["a","b"]`; got != want {
		t.Errorf("payload.tags = %s, want %s", got, want)
	}
}

func TestFormBody(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want SignupForm
	}{
		{
			name: "string, integer, boolean, repeated array and deepObject object fields decode",
			form: url.Values{"name": {"Ada"}, "age": {"36"}, "newsletter": {"true"}, "interests": {"math", "engines"},
				"address[street]": {"12 St James Sq"}, "address[city]": {"London"}, "address[postcode]": {"SW1Y 4JH"}},
			want: SignupForm{Name: "Ada", Age: 36, Newsletter: httpcheck.Ptr(true), Interests: []string{"math", "engines"},
				Address: &Address{Street: "12 St James Sq", City: "London", Postcode: httpcheck.Ptr("SW1Y 4JH")}},
		},
		{
			name: "a deepObject address without its optional postcode leaves it nil",
			form: url.Values{"name": {"Ada"}, "age": {"36"}, "address[street]": {"1 Main St"}, "address[city]": {"Leeds"}},
			want: SignupForm{Name: "Ada", Age: 36, Newsletter: httpcheck.Ptr(false), Address: &Address{Street: "1 Main St", City: "Leeds"}},
		},
		{
			name: "an absent optional field takes its default and one without a default stays nil",
			form: url.Values{"name": {"Grace"}, "age": {"85"}},
			want: SignupForm{Name: "Grace", Age: 85, Newsletter: httpcheck.Ptr(false)},
		},
		{
			name: "a false boolean and a single array item are kept",
			form: url.Values{"name": {"Al"}, "age": {"13"}, "newsletter": {"false"}, "interests": {"chess"}},
			want: SignupForm{Name: "Al", Age: 13, Newsletter: httpcheck.Ptr(false), Interests: []string{"chess"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := httpcheck.Do(t, srv, "POST", "/signup", httpcheck.ContentType("application/x-www-form-urlencoded"), strings.NewReader(tt.form.Encode()))
			wantResponse(t, resp, data, http.StatusCreated, "application/json")
			if got := httpcheck.LastRequest[SignUpRequest](t, h).Body; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handler got %+v, want %+v", got, tt.want)
			}
			if got := httpcheck.Decode[SignupForm](t, data); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("response = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFormEncodingStyles(t *testing.T) {
	ship := `{"street":"1 Tea Row","city":"Leeds"}`
	bill := `{"street":"2 Bill St","city":"York"}`
	tests := []struct {
		name string
		body string // as sent, escaped only where the test says
		want OrderForm
	}{
		{
			name: "every field decodes in the style its encoding gives",
			body: "item=tea&tags=green|loose&sizes=1,2&words=fast%20cheap&window=from,9,to,17&page=2&per=10" +
				"&gift[wrap]=yes&gift[card]=Happy%20birthday&shipTo=" + url.QueryEscape(ship) + "&billTo=" + url.QueryEscape(bill),
			want: OrderForm{Item: "tea", Tags: []OrderFormTagsItem{OrderFormTagsItemGreen, OrderFormTagsItemLoose}, Sizes: []int32{1, 2},
				Words: []string{"fast", "cheap"}, Window: &Window{From: 9, To: httpcheck.Ptr[int32](17)},
				Paging: &Paging{Page: httpcheck.Ptr[int32](2), Per: httpcheck.Ptr[int32](10)},
				Gift:   map[string]string{"wrap": "yes", "card": "Happy birthday"},
				ShipTo: &ShipAddress{Street: "1 Tea Row", City: "Leeds"}, BillTo: &ShipAddress{Street: "2 Bill St", City: "York"}},
		},
		{
			name: "escaped brackets and delimiters decode like raw ones",
			body: "item=tea&tags=green%7Cbagged&sizes=3%2C4&gift%5Bwrap%5D=no&window=from%2C0",
			want: OrderForm{Item: "tea", Tags: []OrderFormTagsItem{OrderFormTagsItemGreen, OrderFormTagsItemBagged}, Sizes: []int32{3, 4},
				Gift: map[string]string{"wrap": "no"}, Window: &Window{From: 0, To: httpcheck.Ptr[int32](23)}},
		},
		{
			name: "an exploded object is present when one of its properties is",
			body: "item=tea&per=5",
			want: OrderForm{Item: "tea", Paging: &Paging{Per: httpcheck.Ptr[int32](5)}},
		},
		{
			name: "a single pipeDelimited item and an empty explode-false array decode",
			body: "item=tea&tags=black&sizes=",
			want: OrderForm{Item: "tea", Tags: []OrderFormTagsItem{OrderFormTagsItemBlack}, Sizes: []int32{}},
		},
		{
			name: "a reserved character sent raw under allowReserved decodes as if escaped",
			body: "item=tea&note=a/b?c:d@e[f]",
			want: OrderForm{Item: "tea", Note: httpcheck.Ptr("a/b?c:d@e[f]")},
		},
		{
			name: "the same reserved characters sent escaped decode the same",
			body: "item=tea&note=" + url.QueryEscape("a/b?c:d@e[f]"),
			want: OrderForm{Item: "tea", Note: httpcheck.Ptr("a/b?c:d@e[f]")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := httpcheck.Do(t, srv, "POST", "/orders", httpcheck.ContentType("application/x-www-form-urlencoded"), strings.NewReader(tt.body))
			wantResponse(t, resp, data, http.StatusCreated, "application/json")
			if got := httpcheck.LastRequest[CreateOrderRequest](t, h).Body; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handler got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// jsonPart encodes a multipart body of parts plus one text part named
// name, sent without a filename and with the Content-Type contentType.
func jsonPart(t *testing.T, name, contentType, content string, parts ...httpcheck.Part) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		hdr := textproto.MIMEHeader{}
		if p.Filename == "" {
			hdr.Set("Content-Disposition", `form-data; name="`+p.Field+`"`)
		} else {
			hdr.Set("Content-Disposition", `form-data; name="`+p.Field+`"; filename="`+p.Filename+`"`)
			hdr.Set("Content-Type", p.ContentType)
		}
		pw, err := mw.CreatePart(hdr)
		if err == nil {
			_, err = io.WriteString(pw, p.Content)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Disposition", `form-data; name="`+name+`"`)
	hdr.Set("Content-Type", contentType)
	pw, err := mw.CreatePart(hdr)
	if err == nil {
		_, err = io.WriteString(pw, content)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), &buf
}

func TestMultipartEncoding(t *testing.T) {
	pdf := httpcheck.Part{Field: "file", Filename: "r.pdf", ContentType: "application/pdf", Content: "%PDF"}
	title := httpcheck.Part{Field: "title", Content: "T"}
	t.Run("a JSON part, a cover of an accepted type and repeated keyword parts reach the handler", func(t *testing.T) {
		h, srv := newServer(t)
		ct, body := jsonPart(t, "meta", "application/json; charset=utf-8", `{"author":"Ada","pages":3}`, title, pdf,
			httpcheck.Part{Field: "cover", Filename: "c.jpg", ContentType: "image/jpeg", Content: "jpeg"},
			httpcheck.Part{Field: "keywords", Content: "a|b"}, httpcheck.Part{Field: "keywords", Content: "c"})
		resp, data := httpcheck.Do(t, srv, "POST", "/documents", httpcheck.ContentType(ct), body)
		wantResponse(t, resp, data, http.StatusCreated, "application/json")
		req := httpcheck.LastRequest[UploadDocumentRequest](t, h).Body
		if want := (&DocumentMeta{Author: "Ada", Pages: httpcheck.Ptr[int32](3)}); !reflect.DeepEqual(req.Meta, want) {
			t.Errorf("meta = %+v, want %+v", req.Meta, want)
		}
		// OpenAPI 3.0 applies an encoding's style to URL-encoded forms
		// only: the pipe is part of the first keyword.
		if want := []string{"a|b", "c"}; !reflect.DeepEqual(req.Keywords, want) {
			t.Errorf("keywords = %q, want %q", req.Keywords, want)
		}
		if req.Cover == nil || req.Cover.Filename != "c.jpg" {
			t.Errorf("cover = %v, want c.jpg", req.Cover)
		}
	})
	t.Run("a JSON part sent without a Content-Type is read as JSON text too", func(t *testing.T) {
		h, srv := newServer(t)
		ct, body := httpcheck.Multipart(t, title, pdf, httpcheck.Part{Field: "meta", Content: `{"author":"Bo"}`})
		resp, data := httpcheck.Do(t, srv, "POST", "/documents", httpcheck.ContentType(ct), body)
		wantResponse(t, resp, data, http.StatusCreated, "application/json")
		if got, want := httpcheck.LastRequest[UploadDocumentRequest](t, h).Body.Meta, (&DocumentMeta{Author: "Bo"}); !reflect.DeepEqual(got, want) {
			t.Errorf("meta = %+v, want %+v", got, want)
		}
	})
}

func TestMultipartBody(t *testing.T) {
	t.Run("text, integer, a file and an array of files reach the handler", func(t *testing.T) {
		h, srv := newServer(t)
		ct, body := httpcheck.Multipart(t,
			httpcheck.Part{Field: "title", Content: "Annual report"},
			httpcheck.Part{Field: "copies", Content: "3"},
			httpcheck.Part{Field: "file", Filename: "report.pdf", ContentType: "application/pdf", Content: "%PDF-1.7 report"},
			httpcheck.Part{Field: "attachments", Filename: "a.txt", ContentType: "text/plain", Content: "first"},
			httpcheck.Part{Field: "attachments", Filename: "b.bin", ContentType: "application/octet-stream", Content: "\x00\x01second"},
		)
		resp, data := httpcheck.Do(t, srv, "POST", "/documents", httpcheck.ContentType(ct), body)
		wantResponse(t, resp, data, http.StatusCreated, "application/json")
		req := httpcheck.LastRequest[UploadDocumentRequest](t, h).Body
		if req.Title != "Annual report" {
			t.Errorf("title = %q, want %q", req.Title, "Annual report")
		}
		if req.Copies == nil || *req.Copies != 3 {
			t.Errorf("copies = %v, want 3", req.Copies)
		}
		if got := len(req.Attachments); got != 2 {
			t.Fatalf("%d attachments, want 2", got)
		}
		want := map[string][]fileSeen{
			"report.pdf": {{"report.pdf", "application/pdf", "%PDF-1.7 report", 15}},
			"a.txt":      {{"a.txt", "text/plain", "first", 5}},
			"b.bin":      {{"b.bin", "application/octet-stream", "\x00\x01second", 8}},
		}
		if _, files, _ := h.seen(); !reflect.DeepEqual(files, want) {
			t.Errorf("files = %+v, want %+v", files, want)
		}
		wantInfo := DocumentInfo{ID: "doc-1", Title: "Annual report", Copies: httpcheck.Ptr[int32](3), SizeBytes: 15, AttachmentCount: httpcheck.Ptr[int32](2)}
		if got := httpcheck.Decode[DocumentInfo](t, data); !reflect.DeepEqual(got, wantInfo) {
			t.Errorf("response = %+v, want %+v", got, wantInfo)
		}
	})
	t.Run("an absent optional field takes its default and one without a default stays nil", func(t *testing.T) {
		h, srv := newServer(t)
		ct, body := httpcheck.Multipart(t,
			httpcheck.Part{Field: "file", Filename: "x.pdf", ContentType: "application/pdf", Content: "x"},
			httpcheck.Part{Field: "title", Content: "Bare"},
		)
		resp, data := httpcheck.Do(t, srv, "POST", "/documents", httpcheck.ContentType(ct), body)
		wantResponse(t, resp, data, http.StatusCreated, "application/json")
		req := httpcheck.LastRequest[UploadDocumentRequest](t, h).Body
		if req.Copies == nil || *req.Copies != 1 {
			t.Errorf("copies = %v, want its default 1", req.Copies)
		}
		if req.Attachments != nil || req.Title != "Bare" || req.File == nil || req.File.Filename != "x.pdf" {
			t.Errorf("handler got attachments=%v title=%q file=%v, want nil, %q, x.pdf", req.Attachments, req.Title, req.File, "Bare")
		}
	})
}

func TestTextBodyAndResponse(t *testing.T) {
	h, srv := newServer(t)
	resp, data := httpcheck.Do(t, srv, "POST", "/echo/text", httpcheck.ContentType("text/plain; charset=utf-8"), strings.NewReader("hello, world\n"))
	wantResponse(t, resp, data, http.StatusOK, "text/plain")
	if got, want := httpcheck.LastRequest[EchoTextRequest](t, h).Body, "hello, world\n"; got != want {
		t.Errorf("handler got %q, want %q", got, want)
	}
	if got, want := string(data), "HELLO, WORLD\n"; got != want {
		t.Errorf("body = %q, want %q", got, want)
	}
}

func TestOctetStreamBody(t *testing.T) {
	t.Run("the handler reads the raw bytes and the Content-Type", func(t *testing.T) {
		h, srv := newServer(t)
		resp, data := httpcheck.Do(t, srv, "PUT", "/blobs/archive.zip", httpcheck.ContentType("application/octet-stream"), bytes.NewReader(blobBytes))
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("status = %d, want %d; body: %s", resp.StatusCode, http.StatusNoContent, data)
		}
		req := httpcheck.LastRequest[PutBlobRequest](t, h)
		if req.Name != "archive.zip" || req.ContentType != "application/octet-stream" {
			t.Errorf("handler got name %q, content type %q; want %q, %q", req.Name, req.ContentType, "archive.zip", "application/octet-stream")
		}
		if _, _, blob := h.seen(); !bytes.Equal(blob, blobBytes) {
			t.Errorf("handler read % x, want % x", blob, blobBytes)
		}
	})
	t.Run("the body is streamed: the handler reads the first chunk before the client sends the rest", func(t *testing.T) {
		h, srv := newServer(t)
		h.chunk = make(chan []byte, 1)
		pr, pw := io.Pipe()
		done := make(chan *http.Response, 1)
		go func() {
			req, _ := http.NewRequest("PUT", srv.URL+"/blobs/stream.bin", pr)
			req.Header.Set("Content-Type", "application/octet-stream")
			resp, err := srv.Client().Do(req)
			if err != nil {
				pr.CloseWithError(err)
				done <- nil
				return
			}
			resp.Body.Close()
			done <- resp
		}()
		if _, err := pw.Write([]byte("first")); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-h.chunk:
			if string(got) != "first" {
				t.Errorf("first read = %q, want %q", got, "first")
			}
		case <-time.After(10 * time.Second):
			pw.Close()
			t.Fatal("the handler was not called before the body ended")
		}
		pw.Write([]byte("-second"))
		pw.Close()
		resp := <-done
		if resp == nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("response = %v, want 204", resp)
		}
		if _, _, blob := h.seen(); string(blob) != "first-second" {
			t.Errorf("handler read %q, want %q", blob, "first-second")
		}
	})
}

func TestOctetStreamResponse(t *testing.T) {
	_, srv := newServer(t)
	resp, data := httpcheck.Do(t, srv, "GET", "/blobs/archive.zip", httpcheck.ContentType(""), nil)
	wantResponse(t, resp, data, http.StatusOK, "application/octet-stream")
	if got, want := resp.Header.Get("Content-Disposition"), `attachment; filename="archive.zip"`; got != want {
		t.Errorf("Content-Disposition = %q, want %q", got, want)
	}
	if !bytes.Equal(data, blobBytes) {
		t.Errorf("body = % x, want % x", data, blobBytes)
	}
}

func TestJSONOrFormBody(t *testing.T) {
	want := Contact{Name: "Ada", Email: "ada@example.com", Phone: httpcheck.Ptr("+44 20 7946 0000"), Vip: httpcheck.Ptr(true)}
	tests := []struct {
		name, contentType, body string
		json                    bool
	}{
		{"a JSON contact fills JSONBody", "application/json",
			`{"name":"Ada","email":"ada@example.com","phone":"+44 20 7946 0000","vip":true}`, true},
		{"a form contact fills FormBody", "application/x-www-form-urlencoded",
			"name=Ada&email=ada%40example.com&phone=%2B44+20+7946+0000&vip=true", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := httpcheck.Do(t, srv, "POST", "/contacts", httpcheck.ContentType(tt.contentType), strings.NewReader(tt.body))
			wantResponse(t, resp, data, http.StatusCreated, "application/json")
			req := httpcheck.LastRequest[CreateContactRequest](t, h)
			filled, empty := req.JSONBody, req.FormBody
			if !tt.json {
				filled, empty = empty, filled
			}
			if filled == nil || !reflect.DeepEqual(*filled, want) {
				t.Errorf("decoded contact = %+v, want %+v", filled, want)
			}
			if empty != nil {
				t.Errorf("the other body = %+v, want nil", empty)
			}
			if req.ContentType != tt.contentType {
				t.Errorf("ContentType = %q, want %q", req.ContentType, tt.contentType)
			}
			if got := httpcheck.Decode[Contact](t, data); !reflect.DeepEqual(got, want) {
				t.Errorf("response = %+v, want %+v", got, want)
			}
		})
	}
}

func TestOptionalBody(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		want                    *ReportOptions
		wantJSON                string
	}{
		{"an absent body reaches the handler as nil", "", "", nil, `{"days":30,"format":"summary","lines":[]}`},
		{"a present body is decoded", "application/json", `{"format":"detailed","days":7}`,
			&ReportOptions{Format: httpcheck.Ptr(ReportOptionsFormatDetailed), Days: httpcheck.Ptr[int32](7)}, `{"days":7,"format":"detailed","lines":[]}`},
		{"an empty object is a present body whose members take their defaults", "application/json", `{}`,
			&ReportOptions{Format: httpcheck.Ptr(ReportOptionsFormatSummary), Days: httpcheck.Ptr[int32](30)}, `{"days":30,"format":"summary","lines":[]}`},
		{"a body giving one member takes the default of the other", "application/json", `{"days":365}`,
			&ReportOptions{Format: httpcheck.Ptr(ReportOptionsFormatSummary), Days: httpcheck.Ptr[int32](365)}, `{"days":365,"format":"summary","lines":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			resp, data := httpcheck.Do(t, srv, "POST", "/reports", httpcheck.ContentType(tt.contentType), body)
			wantResponse(t, resp, data, http.StatusOK, "application/json")
			if got := httpcheck.LastRequest[GenerateReportRequest](t, h).Body; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handler got %+v, want %+v", got, tt.want)
			}
			if got := strings.TrimSpace(string(data)); got != tt.wantJSON {
				t.Errorf("body = %s, want %s", got, tt.wantJSON)
			}
		})
	}
}

func TestRefusedBodies(t *testing.T) {
	const form = "application/x-www-form-urlencoded"
	badMultipartType, badMultipart := "multipart/form-data; boundary=XYZ", "--XYZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nno closing boundary"
	noFileType, noFile := httpcheck.Multipart(t, httpcheck.Part{Field: "title", Content: "No file"})
	twoFilesType, twoFiles := httpcheck.Multipart(t, httpcheck.Part{Field: "title", Content: "T"},
		httpcheck.Part{Field: "file", Filename: "a.pdf", ContentType: "application/pdf", Content: "a"},
		httpcheck.Part{Field: "file", Filename: "b.pdf", ContentType: "application/pdf", Content: "b"})
	badCopiesType, badCopies := httpcheck.Multipart(t, httpcheck.Part{Field: "title", Content: "T"}, httpcheck.Part{Field: "copies", Content: "three"},
		httpcheck.Part{Field: "file", Filename: "a.pdf", ContentType: "application/pdf", Content: "a"})
	pdf := httpcheck.Part{Field: "file", Filename: "a.pdf", ContentType: "application/pdf", Content: "a"}
	gifCoverType, gifCover := httpcheck.Multipart(t, httpcheck.Part{Field: "title", Content: "T"}, pdf,
		httpcheck.Part{Field: "cover", Filename: "c.gif", ContentType: "image/secret", Content: "GIF89a"})
	secondCoverType, secondCover := httpcheck.Multipart(t, httpcheck.Part{Field: "title", Content: "T"}, pdf,
		httpcheck.Part{Field: "cover", Filename: "c.png", ContentType: "image/png", Content: "png"},
		httpcheck.Part{Field: "cover", Filename: "d.txt", ContentType: "text/plain", Content: "secret"})
	untypedFileType, untypedFile := httpcheck.Multipart(t, httpcheck.Part{Field: "title", Content: "T"},
		httpcheck.Part{Field: "file", Filename: "a.pdf", Content: "a"})
	textForPDFType, textForPDF := httpcheck.Multipart(t, httpcheck.Part{Field: "title", Content: "T"},
		httpcheck.Part{Field: "file", Filename: "a.pdf", ContentType: "text/plain; charset=utf-8", Content: "a"})
	badMetaType, badMeta := jsonPart(t, "meta", "application/json", `{"author":`, httpcheck.Part{Field: "title", Content: "T"}, pdf)
	thinMetaType, thinMeta := jsonPart(t, "meta", "application/json", `{"pages":0}`, httpcheck.Part{Field: "title", Content: "T"}, pdf)
	const partDetail, partMessage = "a part of the body has a media type this operation does not accept", "has a media type this operation does not accept"
	orders := func(body string) (string, string, string, io.Reader) {
		return "POST", "/orders", form, strings.NewReader(body)
	}
	type refusal struct {
		name, method, path, contentType string
		body                            io.Reader
		status                          int
		detail                          string
		errors                          []httpcheck.FieldError
	}
	tests := []refusal{
		{"a note sent as text/plain is a 415", "POST", "/notes", "text/plain", strings.NewReader(`{"title":"a"}`), 415, "", nil},
		{"a note without a Content-Type is a 415", "POST", "/notes", "", strings.NewReader(`{"title":"a"}`), 415, "", nil},
		{"an event sent as plain application/json is a 415", "POST", "/events", "application/json", strings.NewReader(`{"type":"user.created","payload":{}}`), 415, "", nil},
		{"a signup sent as JSON is a 415", "POST", "/signup", "application/json", strings.NewReader(`{"name":"Ada","age":36}`), 415, "", nil},
		{"a document sent as a URL-encoded form is a 415", "POST", "/documents", form, strings.NewReader("title=x"), 415, "", nil},
		{"text sent as JSON is a 415", "POST", "/echo/text", "application/json", strings.NewReader(`"hi"`), 415, "", nil},
		{"a blob sent as text/plain is a 415", "PUT", "/blobs/a", "text/plain", strings.NewReader("abc"), 415, "", nil},
		{"a contact sent as text/plain is a 415", "POST", "/contacts", "text/plain", strings.NewReader("Ada"), 415, "", nil},
		{"an optional body of the wrong type is a 415", "POST", "/reports", "text/plain", strings.NewReader("detailed"), 415, "", nil},
		{"a missing required body is a 400", "POST", "/notes", "", nil, 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}}},
		{"malformed JSON is a 400 saying where", "POST", "/notes", "application/json", strings.NewReader(`{"title": "a"`), 400,
			"the body is not valid JSON: unexpected end of input at offset 13", nil},
		{"an empty JSON body is a 400", "POST", "/notes", "application/json", strings.NewReader(""), 400,
			"the body is not valid JSON: unexpected end of input at offset 0", nil},
		{"a second JSON value after the first is a 400", "POST", "/notes", "application/json", strings.NewReader(`{"title":"a"} {"title":"b"}`), 400,
			"the body is not valid JSON: data after the JSON value at offset 14", nil},
		{"garbage after the JSON value is a 400", "POST", "/notes", "application/json", strings.NewReader(`{"title":"a"}x`), 400,
			"the body is not valid JSON: data after the JSON value at offset 13", nil},
		{"invalid UTF-8 in a string is a 400", "POST", "/notes", "application/json", strings.NewReader("{\"title\":\"a\xff\"}"), 400,
			"the body is not valid JSON: invalid UTF-8 at offset 11", nil},
		{"a JSON member of the wrong type is a 400 naming it", "POST", "/notes", "application/json", strings.NewReader(`{"title":5}`), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Pointer: "/title", Keyword: "type", Limit: `"string"`, Message: "must be a string"}}},
		{"a member named twice is a 400", "POST", "/notes", "application/json", strings.NewReader(`{"title":"a","title":"b"}`), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Pointer: "/title", Keyword: "duplicate", Message: "names a member more than once"}}},
		{"a note breaking every constraint lists each failure", "POST", "/notes", "application/json",
			strings.NewReader(`{"title":"","body":5,"pinned":"no","labels":["a","a","b","c","d","e","f","g","h","i","j"],"colour":"red"}`), 400, "the request is not valid",
			[]httpcheck.FieldError{
				{In: "body", Pointer: "/title", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"},
				{In: "body", Pointer: "/body", Keyword: "type", Limit: `"string"`, Message: "must be a string"},
				{In: "body", Pointer: "/pinned", Keyword: "type", Limit: `"boolean"`, Message: "must be a boolean"},
				{In: "body", Pointer: "/labels", Keyword: "maxItems", Limit: "10", Message: "must have at most 10 items"},
				{In: "body", Pointer: "/labels", Keyword: "uniqueItems", Limit: "true", Message: "must not contain duplicate items"},
				{In: "body", Pointer: "/colour", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"},
			}},
		{"a label longer than 32 code points is a 400 pointing at the item", "POST", "/notes", "application/json",
			strings.NewReader(`{"title":"t","labels":["ok","` + strings.Repeat("ß", 33) + `"]}`), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Pointer: "/labels/1", Keyword: "maxLength", Limit: "32", Message: "must be at most 32 characters long"}}},
		{"malformed vendor JSON is a 400", "POST", "/events", "application/vnd.example+json", strings.NewReader(`{"type":`), 400,
			"the body is not valid JSON: unexpected end of input at offset 8", nil},
		{"an event type outside its enum is a 400", "POST", "/events", "application/vnd.example+json", strings.NewReader(`{"type":"user.secret","payload":{}}`), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Pointer: "/type", Keyword: "enum", Limit: `["user.created","user.deleted"]`, Message: "must be one of the allowed values"}}},
		{"a contact with a malformed email is a 400", "POST", "/contacts", "application/json", strings.NewReader(`{"name":"Ada","email":"secret"}`), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Pointer: "/email", Keyword: "format", Limit: `"email"`, Message: "must be an email address"}}},
		{"report options beyond their maximum are a 400", "POST", "/reports", "application/json", strings.NewReader(`{"days":366}`), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Pointer: "/days", Keyword: "maximum", Limit: "365", Message: "must be at most 365"}}},
		{"report options of the wrong JSON type are a 400 at the root", "POST", "/reports", "application/json", strings.NewReader(`[]`), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Keyword: "type", Limit: `"object"`, Message: "must be an object"}}},
		{"a non-integer form field is a 400", "POST", "/signup", form, strings.NewReader("name=Ada&age=old"), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "age", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a form field below its minimum is a 400 naming the keyword", "POST", "/signup", form, strings.NewReader("name=Ada&age=12"), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "age", Keyword: "minimum", Limit: "13", Message: "must be at least 13"}}},
		{"every failing form field is listed", "POST", "/signup", form,
			strings.NewReader("name=&age=151&interests=a&interests=b&interests=c&interests=d&interests=e&interests=f&interests=g&interests=h&interests=i&interests=j&interests=k"),
			400, "the request is not valid", []httpcheck.FieldError{
				{In: "body", Name: "age", Keyword: "maximum", Limit: "150", Message: "must be at most 150"},
				{In: "body", Name: "interests", Keyword: "maxItems", Limit: "10", Message: "must have at most 10 items"},
				{In: "body", Name: "name", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"},
			}},
		{"a form field failing its format is a 400", "POST", "/contacts", form, strings.NewReader("name=Ada&email=secret"), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "email", Keyword: "format", Limit: `"email"`, Message: "must be an email address"}}},
		{"a missing required form field is a 400", "POST", "/signup", form, strings.NewReader("age=36"), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "name", Keyword: "required", Message: "is required"}}},
		{"a non-boolean form field is a 400", "POST", "/contacts", form, strings.NewReader("name=A&email=a%40b.c&vip=yes"), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "vip", Keyword: "type", Limit: `"boolean"`, Message: "is not a boolean"}}},
		{"a repeated scalar form field is a 400", "POST", "/signup", form, strings.NewReader("name=A&name=B&age=36"), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "name", Message: "is repeated"}}},
		{"a multipart body without its required file is a 400", "POST", "/documents", noFileType, noFile, 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "file", Keyword: "required", Message: "is required"}}},
		{"a repeated single file is a 400", "POST", "/documents", twoFilesType, twoFiles, 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "file", Message: "is repeated"}}},
		{"a non-integer multipart field is a 400", "POST", "/documents", badCopiesType, badCopies, 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "copies", Keyword: "type", Limit: `"integer"`, Message: "is not an integer"}}},
		{"a truncated multipart body is a 400", "POST", "/documents", badMultipartType, strings.NewReader(badMultipart), 400, "the body is not a valid multipart form", nil},
		{"a cover that is neither PNG nor JPEG is a 415 naming the part, not its type", "POST", "/documents", gifCoverType, gifCover, 415, partDetail,
			[]httpcheck.FieldError{{In: "body", Name: "cover", Keyword: "contentType", Limit: `"image/png, image/jpeg"`, Message: partMessage}}},
		{"a second cover of another type is a 415 too", "POST", "/documents", secondCoverType, secondCover, 415, partDetail,
			[]httpcheck.FieldError{{In: "body", Name: "cover", Keyword: "contentType", Limit: `"image/png, image/jpeg"`, Message: partMessage}}},
		{"a file part without a Content-Type is text/plain, which a PDF part refuses", "POST", "/documents", untypedFileType, untypedFile, 415, partDetail,
			[]httpcheck.FieldError{{In: "body", Name: "file", Keyword: "contentType", Limit: `"application/pdf"`, Message: partMessage}}},
		{"text where a PDF part is declared is a 415", "POST", "/documents", textForPDFType, textForPDF, 415, partDetail,
			[]httpcheck.FieldError{{In: "body", Name: "file", Keyword: "contentType", Limit: `"application/pdf"`, Message: partMessage}}},
		{"a JSON part that is not JSON is a 400 naming it", "POST", "/documents", badMetaType, badMeta, 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "meta", Message: "is not valid JSON"}}},
		{"a JSON part is checked against its schema, pointing inside it", "POST", "/documents", thinMetaType, thinMeta, 400, "the request is not valid",
			[]httpcheck.FieldError{
				{In: "body", Name: "meta", Pointer: "/pages", Keyword: "minimum", Limit: "1", Message: "must be at least 1"},
				{In: "body", Name: "meta", Pointer: "/author", Keyword: "required", Message: "is required"},
			}},
		{"a deepObject address missing its city is a 400 naming the member", "POST", "/signup", form,
			strings.NewReader("name=Ada&age=36&address[street]=x"), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "address[city]", Keyword: "required", Message: "is required"}}},
		{"a deepObject member over its maxLength is a 400 naming the member", "POST", "/signup", form,
			strings.NewReader("name=Ada&age=36&address[street]=x&address[city]=" + strings.Repeat("c", 101)), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "address[city]", Keyword: "maxLength", Limit: "100", Message: "must be at most 100 characters long"}}},
		{"a repeated deepObject member is a 400", "POST", "/signup", form,
			strings.NewReader("name=Ada&age=36&address[street]=x&address[city]=y&address[city]=z"), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "address", Message: `has repeated property "city"`}}},
		{"a nested deepObject key is a 400", "POST", "/signup", form,
			strings.NewReader("name=Ada&age=36&address[street][no]=1"), 400, "the request is not valid",
			[]httpcheck.FieldError{{In: "body", Name: "address", Message: `has malformed key "address[street][no]"`}}},
	}
	orderRefusals := []struct {
		name, body string
		errors     []httpcheck.FieldError
	}{
		{"a repeated pipeDelimited field is a 400", "item=t&tags=green&tags=loose",
			[]httpcheck.FieldError{{In: "body", Name: "tags", Message: "is repeated"}}},
		{"a comma does not split a pipeDelimited field, so the item is outside the enum", "item=t&tags=green,loose",
			[]httpcheck.FieldError{{In: "body", Name: "tags", Keyword: "enum", Limit: `["green","black","loose","bagged"]`, Message: "must be one of the allowed values"}}},
		{"more pipeDelimited items than maxItems is a 400", "item=t&tags=green|black|loose|bagged",
			[]httpcheck.FieldError{{In: "body", Name: "tags", Keyword: "maxItems", Limit: "3", Message: "must have at most 3 items"}}},
		{"a non-integer item of an explode-false array is a 400", "item=t&sizes=1,x",
			[]httpcheck.FieldError{{In: "body", Name: "sizes", Keyword: "type", Limit: `"integer"`, Message: "item 1 is not an integer"}}},
		{"an explode-false array item below its minimum is a 400", "item=t&sizes=1,0",
			[]httpcheck.FieldError{{In: "body", Name: "sizes", Keyword: "minimum", Limit: "1", Message: "must be at least 1"}}},
		{"an explode-false array sent as repeated fields is a 400", "item=t&sizes=1&sizes=2",
			[]httpcheck.FieldError{{In: "body", Name: "sizes", Message: "is repeated"}}},
		{"an explode-false object with an odd number of items is a 400", "item=t&window=from,9,to",
			[]httpcheck.FieldError{{In: "body", Name: "window", Message: "has an odd number of items for an object"}}},
		{"an explode-false object without its required property is a 400 naming it", "item=t&window=to,5",
			[]httpcheck.FieldError{{In: "body", Name: "window[from]", Keyword: "required", Message: "is required"}}},
		{"an explode-false object property beyond its maximum is a 400 naming it", "item=t&window=from,24",
			[]httpcheck.FieldError{{In: "body", Name: "window[from]", Keyword: "maximum", Limit: "23", Message: "must be at most 23"}}},
		{"an exploded object property beyond its maximum is a 400 naming it", "item=t&per=101",
			[]httpcheck.FieldError{{In: "body", Name: "paging[per]", Keyword: "maximum", Limit: "100", Message: "must be at most 100"}}},
		{"a deepObject map member over its maxLength is a 400 naming the member", "item=t&gift[card]=" + strings.Repeat("x", 61),
			[]httpcheck.FieldError{{In: "body", Name: "gift[card]", Keyword: "maxLength", Limit: "60", Message: "must be at most 60 characters long"}}},
		{"an empty deepObject member name is a 400", "item=t&gift[]=x",
			[]httpcheck.FieldError{{In: "body", Name: "gift", Message: `has malformed key "gift[]"`}}},
		{"a JSON field (contentType application/json) refuses an undeclared member", "item=t&shipTo=" + url.QueryEscape(`{"street":"x","city":"y","zip":1}`),
			[]httpcheck.FieldError{{In: "body", Name: "shipTo", Pointer: "/zip", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"}}},
		{"an object field with no encoding is JSON text, checked pointing inside it", "item=t&billTo=" + url.QueryEscape(`{"street":"x"}`),
			[]httpcheck.FieldError{{In: "body", Name: "billTo", Pointer: "/city", Keyword: "required", Message: "is required"}}},
		{"an object field with no encoding that is not JSON is a 400", "item=t&billTo=London",
			[]httpcheck.FieldError{{In: "body", Name: "billTo", Message: "is not valid JSON"}}},
	}
	for _, o := range orderRefusals {
		method, path, ct, body := orders(o.body)
		tests = append(tests, refusal{o.name, method, path, ct, body, 400, "the request is not valid", o.errors})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			resp, data := httpcheck.Do(t, srv, tt.method, tt.path, httpcheck.ContentType(tt.contentType), tt.body)
			httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: tt.status, Detail: tt.detail, Errors: tt.errors})
			if strings.Contains(string(data), "secret") {
				t.Errorf("problem %s echoes the value", data)
			}
			if calls, _, _ := h.seen(); calls != 0 {
				t.Errorf("handler called %d times, want 0", calls)
			}
		})
	}
}
