package validation31

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secgen/secgen/runtime/types"
)

// recorder implements every operation: it keeps the last request and
// answers 204.
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

func (h *recorder) got() (int, any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls, h.last
}

func (h *recorder) PostStrings(_ context.Context, req PostStringsRequest) (PostStringsResponse, error) {
	h.record(req)
	return PostStringsNoContentResponse{}, nil
}

func (h *recorder) PostNumbers(_ context.Context, req PostNumbersRequest) (PostNumbersResponse, error) {
	h.record(req)
	return PostNumbersNoContentResponse{}, nil
}

func (h *recorder) PostFormats(_ context.Context, req PostFormatsRequest) (PostFormatsResponse, error) {
	h.record(req)
	return PostFormatsNoContentResponse{}, nil
}

func (h *recorder) PostObjects(_ context.Context, req PostObjectsRequest) (PostObjectsResponse, error) {
	h.record(req)
	return PostObjectsNoContentResponse{}, nil
}

func (h *recorder) PostArrays(_ context.Context, req PostArraysRequest) (PostArraysResponse, error) {
	h.record(req)
	return PostArraysNoContentResponse{}, nil
}

func (h *recorder) PostComposition(_ context.Context, req PostCompositionRequest) (PostCompositionResponse, error) {
	h.record(req)
	return PostCompositionNoContentResponse{}, nil
}

func (h *recorder) PostShape(_ context.Context, req PostShapeRequest) (PostShapeResponse, error) {
	h.record(req)
	return PostShapeNoContentResponse{}, nil
}

func (h *recorder) PostAnimal(_ context.Context, req PostAnimalRequest) (PostAnimalResponse, error) {
	h.record(req)
	return PostAnimalNoContentResponse{}, nil
}

func (h *recorder) PostDefaults(_ context.Context, req PostDefaultsRequest) (PostDefaultsResponse, error) {
	h.record(req)
	return PostDefaultsNoContentResponse{}, nil
}

func (h *recorder) Search(_ context.Context, req SearchRequest) (SearchResponse, error) {
	h.record(req)
	return SearchNoContentResponse{}, nil
}

func ptr[T any](v T) *T { return &v }

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

// bodyErr is one field error in the request body.
func bodyErr(pointer, keyword, limit, message string) fieldError {
	return fieldError{In: "body", Pointer: pointer, Keyword: keyword, Limit: rawJSON(limit), Message: message}
}

// paramErr is one field error of a parameter.
func paramErr(in, name, keyword, limit, message string) fieldError {
	return fieldError{In: in, Name: name, Keyword: keyword, Limit: rawJSON(limit), Message: message}
}

const (
	jsonType = "application/json"
	invalid  = "the request is not valid"
)

// exchange sends one request to a fresh server and returns the handler,
// the response and its body.
func exchange(t *testing.T, method, target, contentType string, header http.Header, payload string) (*recorder, *http.Response, []byte) {
	t.Helper()
	h := &recorder{}
	srv := httptest.NewServer(NewRouter(h))
	defer srv.Close()
	var r io.Reader
	if method != http.MethodGet {
		r = strings.NewReader(payload)
	}
	req, err := http.NewRequest(method, srv.URL+target, r)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, vs := range header {
		req.Header[k] = vs
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
	return h, resp, data
}

// wantAccepted checks a 204 and the request the handler received.
func wantAccepted(t *testing.T, h *recorder, resp *http.Response, data []byte, want any) {
	t.Helper()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status = %d, want 204; body %s", resp.StatusCode, data)
	}
	calls, got := h.got()
	if calls != 1 {
		t.Fatalf("handler called %d times, want 1", calls)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("handler got %s,\nwant %s", show(got), show(want))
	}
}

// wantRefused checks a refusal: the status, the problem document in full,
// that the handler was not called, and that none of the values sent
// (other than ones the expected problem names itself) is echoed.
func wantRefused(t *testing.T, h *recorder, resp *http.Response, data []byte, want problemDoc, sent []string) {
	t.Helper()
	if resp.StatusCode != want.Status {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, want.Status, data)
	}
	if got := resp.Header.Get("Content-Type"); got != "application/problem+json" {
		t.Errorf("Content-Type = %q, want application/problem+json", got)
	}
	want.Type, want.Title = "about:blank", http.StatusText(want.Status)
	if p := parseProblem(t, data); !reflect.DeepEqual(p, want) {
		t.Errorf("problem = %+v,\nwant %+v", p, want)
	}
	if calls, _ := h.got(); calls != 0 {
		t.Errorf("handler called %d times, want 0", calls)
	}
	named, _ := json.Marshal(want)
	for _, v := range sent {
		if len(v) >= 4 && !bytes.Contains(named, []byte(v)) && bytes.Contains(data, []byte(v)) {
			t.Errorf("problem %s echoes the value %q", data, v)
		}
	}
}

// show renders a request readably, pointers followed.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%+v", v)
	}
	return fmt.Sprintf("%T %s", v, b)
}

// scalars lists the string and number texts of a JSON document; nothing
// for text that is not JSON.
func scalars(doc string) []string {
	var out []string
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch v := tok.(type) {
		case string:
			out = append(out, v)
		case json.Number:
			out = append(out, v.String())
		}
	}
}

// bodyCase is one keyword on a JSON body: a body it accepts with the
// request the handler then receives, and a body it refuses with the
// problem listing why.
type bodyCase struct {
	name, path string
	pass       string
	want       any
	fail       string
	errs       []fieldError
}

func runBodyCases(t *testing.T, tests []bodyCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, resp, data := exchange(t, "POST", tc.path, jsonType, nil, tc.pass)
			wantAccepted(t, h, resp, data, tc.want)
			h, resp, data = exchange(t, "POST", tc.path, jsonType, nil, tc.fail)
			wantRefused(t, h, resp, data, problemDoc{Status: 400, Detail: invalid, Errors: tc.errs}, scalars(tc.fail))
		})
	}
}

func TestStringKeywords(t *testing.T) {
	strs := func(s Strings) PostStringsRequest { return PostStringsRequest{Body: s} }
	runBodyCases(t, []bodyCase{
		{"minLength counts code points: two accented letters pass, one fails", "/strings",
			`{"name":"éé"}`, strs(Strings{Name: ptr("éé")}),
			`{"name":"é"}`, []fieldError{bodyErr("/name", "minLength", "2", "must be at least 2 characters long")}},
		{"maxLength counts code points: four accented letters pass, five fail", "/strings",
			`{"name":"éééé"}`, strs(Strings{Name: ptr("éééé")}),
			`{"name":"ééééé"}`, []fieldError{bodyErr("/name", "maxLength", "4", "must be at most 4 characters long")}},
		{"a pattern RE2 can run is matched: a code passes, a lowercase one fails", "/strings",
			`{"code":"ABC-123"}`, strs(Strings{Code: ptr("ABC-123")}),
			`{"code":"abc-1234"}`, []fieldError{bodyErr("/code", "pattern", `"^[A-Z]{3}-[0-9]{2,4}$"`, "must match the pattern")}},
		{"a pattern with lookaheads runs with ECMAScript semantics", "/strings",
			`{"secret":"abc123"}`, strs(Strings{Secret: ptr("abc123")}),
			`{"secret":"abcdefgh"}`, []fieldError{bodyErr("/secret", "pattern", `"^(?=.*[0-9])(?=.*[a-z])[0-9a-z]{6,}$"`, "must match the pattern")}},
		{"enum takes a listed value and refuses another", "/strings",
			`{"color":"green"}`, strs(Strings{Color: ptr(StringsColorGreen)}),
			`{"color":"purple"}`, []fieldError{bodyErr("/color", "enum", `["red","green","blue"]`, "must be one of the allowed values")}},
		{"type string refuses a number", "/strings",
			`{"code":"XYZ-99"}`, strs(Strings{Code: ptr("XYZ-99")}),
			`{"code":1234}`, []fieldError{bodyErr("/code", "type", `"string"`, "must be a string")}},
		{"a type array with null takes null and still refuses another type", "/strings",
			`{"nickname":null}`, strs(Strings{Nickname: types.Null[string]()}),
			`{"nickname":1234}`, []fieldError{bodyErr("/nickname", "type", `"string or null"`, "must be a string or null")}},
		{"a type array with null checks the other keywords on a string", "/strings",
			`{"nickname":"Bob"}`, strs(Strings{Nickname: types.NewNullable("Bob")}),
			`{"nickname":"Robert"}`, []fieldError{bodyErr("/nickname", "maxLength", "3", "must be at most 3 characters long")}},
		{"const takes its value and refuses another", "/strings",
			`{"mode":"fast"}`, strs(Strings{Mode: ptr("fast")}),
			`{"mode":"slow"}`, []fieldError{bodyErr("/mode", "const", `"fast"`, "must be the constant value")}},
		{"a value failing three keywords gets three errors", "/strings",
			`{"pin":"5678"}`, strs(Strings{Pin: ptr(StringsPinN5678)}),
			`{"pin":"x"}`, []fieldError{
				bodyErr("/pin", "minLength", "4", "must be at least 4 characters long"),
				bodyErr("/pin", "pattern", `"^[0-9]*$"`, "must match the pattern"),
				bodyErr("/pin", "enum", `["1234","5678"]`, "must be one of the allowed values"),
			}},
		{"every failing member is listed, in body order", "/strings",
			`{"name":"ab","code":"ABC-12","color":"red"}`, strs(Strings{Name: ptr("ab"), Code: ptr("ABC-12"), Color: ptr(StringsColorRed)}),
			`{"color":"mauve","name":"a","code":"ABCD"}`, []fieldError{
				bodyErr("/color", "enum", `["red","green","blue"]`, "must be one of the allowed values"),
				bodyErr("/name", "minLength", "2", "must be at least 2 characters long"),
				bodyErr("/code", "pattern", `"^[A-Z]{3}-[0-9]{2,4}$"`, "must match the pattern"),
			}},
	})
}

func TestNumberKeywords(t *testing.T) {
	nums := func(n Numbers) PostNumbersRequest { return PostNumbersRequest{Body: n} }
	runBodyCases(t, []bodyCase{
		{"minimum is inclusive", "/numbers",
			`{"count":1}`, nums(Numbers{Count: ptr[int64](1)}),
			`{"count":0}`, []fieldError{bodyErr("/count", "minimum", "1", "must be at least 1")}},
		{"maximum is inclusive", "/numbers",
			`{"count":10}`, nums(Numbers{Count: ptr[int64](10)}),
			`{"count":11}`, []fieldError{bodyErr("/count", "maximum", "10", "must be at most 10")}},
		{"exclusiveMinimum in the 3.1 numeric form refuses the bound itself", "/numbers",
			`{"ratio":0.001}`, nums(Numbers{Ratio: ptr(0.001)}),
			`{"ratio":0}`, []fieldError{bodyErr("/ratio", "exclusiveMinimum", "0", "must be greater than 0")}},
		{"exclusiveMaximum in the 3.1 numeric form refuses the bound itself", "/numbers",
			`{"ratio":0.999}`, nums(Numbers{Ratio: ptr(0.999)}),
			`{"ratio":1.0}`, []fieldError{bodyErr("/ratio", "exclusiveMaximum", "1", "must be less than 1")}},
		{"exclusiveMinimum beside a lower minimum is the bound that holds", "/numbers",
			`{"bounded":5.5}`, nums(Numbers{Bounded: ptr(5.5)}),
			`{"bounded":5}`, []fieldError{bodyErr("/bounded", "exclusiveMinimum", "5", "must be greater than 5")}},
		{"multipleOf is exact on the decimal text: 0.3 is a multiple of 0.1", "/numbers",
			`{"step":0.3}`, nums(Numbers{Step: ptr(0.3)}),
			`{"step":0.35}`, []fieldError{bodyErr("/step", "multipleOf", "0.1", "must be a multiple of 0.1")}},
		{"type integer takes 2.0 and refuses 2.5", "/numbers",
			`{"whole":2.0}`, nums(Numbers{Whole: ptr[int64](2)}),
			`{"whole":2.5}`, []fieldError{bodyErr("/whole", "type", `"integer"`, "must be an integer")}},
		{"an integer keeps every digit and one beyond int64 is refused, not wrapped", "/numbers",
			`{"whole":9007199254740993}`, nums(Numbers{Whole: ptr[int64](9007199254740993)}),
			`{"whole":9223372036854775808}`, []fieldError{bodyErr("/whole", "format", `"int64"`, "must be an integer that fits in 64 bits")}},
		{"format int32 refuses an integer beyond its range", "/numbers",
			`{"small":2147483647}`, nums(Numbers{Small: ptr[int32](2147483647)}),
			`{"small":2147483648}`, []fieldError{bodyErr("/small", "format", `"int32"`, "must be an integer that fits in 32 bits")}},
		{"format int64 refuses an integer beyond its range", "/numbers",
			`{"large":-9223372036854775808}`, nums(Numbers{Large: ptr[int64](-9223372036854775808)}),
			`{"large":-9223372036854775809}`, []fieldError{bodyErr("/large", "format", `"int64"`, "must be an integer that fits in 64 bits")}},
		{"format float refuses a number beyond float32", "/numbers",
			`{"single":1.5}`, nums(Numbers{Single: ptr[float32](1.5)}),
			`{"single":1e39}`, []fieldError{bodyErr("/single", "format", `"float"`, "must be a number that fits in a 32-bit float")}},
		{"a number type array with null takes null and refuses a string", "/numbers",
			`{"score":null}`, nums(Numbers{Score: types.Null[float64]()}),
			`{"score":"1.25"}`, []fieldError{bodyErr("/score", "type", `"number or null"`, "must be a number or null")}},
		{"type boolean refuses a string", "/numbers",
			`{"flag":false}`, nums(Numbers{Flag: ptr(false)}),
			`{"flag":"false"}`, []fieldError{bodyErr("/flag", "type", `"boolean"`, "must be a boolean")}},
		{"type number refuses null when not nullable", "/numbers",
			`{"step":1e1}`, nums(Numbers{Step: ptr(10.0)}),
			`{"step":null}`, []fieldError{bodyErr("/step", "type", `"number"`, "must be a number")}},
	})
}

func TestFormats(t *testing.T) {
	fmts := func(f Formats) PostFormatsRequest { return PostFormatsRequest{Body: f} }
	format := func(member, name, message string) []fieldError {
		return []fieldError{bodyErr("/"+member, "format", `"`+name+`"`, message)}
	}
	runBodyCases(t, []bodyCase{
		{"email takes an address and refuses a bare domain", "/formats",
			`{"email":"ada@example.com"}`, fmts(Formats{Email: ptr("ada@example.com")}),
			`{"email":"ada.example.com"}`, format("email", "email", "must be an email address")},
		{"uuid takes the canonical form and refuses one digit short", "/formats",
			`{"uuid":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}`, fmts(Formats{UUID: ptr("3fa85f64-5717-4562-b3fc-2c963f66afa6")}),
			`{"uuid":"3fa85f64-5717-4562-b3fc-2c963f66afa"}`, format("uuid", "uuid", "must be a UUID")},
		{"date takes a leap day and refuses one in a common year", "/formats",
			`{"date":"2024-02-29"}`, fmts(Formats{Date: &types.Date{Year: 2024, Month: time.February, Day: 29}}),
			`{"date":"2023-02-29"}`, format("date", "date", "must be an RFC 3339 date")},
		{"date-time takes an offset and refuses a space separator", "/formats",
			`{"dateTime":"2024-02-29T12:30:00+01:00"}`, fmts(Formats{DateTime: ptr(time.Date(2024, 2, 29, 12, 30, 0, 0, time.FixedZone("", 3600)))}),
			`{"dateTime":"2024-02-29 12:30:00"}`, format("dateTime", "date-time", "must be an RFC 3339 date-time")},
		{"time takes a full time with offset and refuses hour 25", "/formats",
			`{"time":"12:30:00Z"}`, fmts(Formats{Time: ptr("12:30:00Z")}),
			`{"time":"25:30:00Z"}`, format("time", "time", "must be an RFC 3339 time")},
		{"duration takes P1DT2H and refuses hours outside the time part", "/formats",
			`{"duration":"P1DT2H"}`, fmts(Formats{Duration: ptr("P1DT2H")}),
			`{"duration":"P1H2"}`, format("duration", "duration", "must be an ISO 8601 duration")},
		{"ipv4 takes a dotted quad and refuses an octet above 255", "/formats",
			`{"ipv4":"192.168.0.1"}`, fmts(Formats{Ipv4: ptr("192.168.0.1")}),
			`{"ipv4":"192.168.0.256"}`, format("ipv4", "ipv4", "must be an IPv4 address")},
		{"ipv6 takes a compressed address and refuses two compressions", "/formats",
			`{"ipv6":"2001:db8::1"}`, fmts(Formats{Ipv6: ptr("2001:db8::1")}),
			`{"ipv6":"2001::db8::1"}`, format("ipv6", "ipv6", "must be an IPv6 address")},
		{"hostname takes a dotted name and refuses a label starting with a hyphen", "/formats",
			`{"hostname":"api.example.com"}`, fmts(Formats{Hostname: ptr("api.example.com")}),
			`{"hostname":"-api.example.com"}`, format("hostname", "hostname", "must be a host name")},
		{"uri takes an absolute URI and refuses a relative one", "/formats",
			`{"uri":"https://example.com/a?b=c"}`, fmts(Formats{URI: ptr("https://example.com/a?b=c")}),
			`{"uri":"/just/a/path"}`, format("uri", "uri", "must be an absolute URI")},
		{"uri-reference takes a relative reference and refuses a space", "/formats",
			`{"uriReference":"../a/b?c#d"}`, fmts(Formats{URIReference: ptr("../a/b?c#d")}),
			`{"uriReference":"/a b"}`, format("uriReference", "uri-reference", "must be a URI reference")},
		{"byte takes padded base64 and refuses it unpadded", "/formats",
			`{"byte":"aGVsbG8="}`, fmts(Formats{Byte: []byte("hello")}),
			`{"byte":"aGVsbG8"}`, format("byte", "byte", "must be base64 text")},
		{"int32 takes its lowest value and refuses one below", "/formats",
			`{"int32":-2147483648}`, fmts(Formats{Int32: ptr[int32](-2147483648)}),
			`{"int32":-2147483649}`, []fieldError{bodyErr("/int32", "format", `"int32"`, "must be an integer that fits in 32 bits")}},
		{"int64 takes its highest value and refuses one above", "/formats",
			`{"int64":9223372036854775807}`, fmts(Formats{Int64: ptr[int64](9223372036854775807)}),
			`{"int64":9223372036854775808}`, []fieldError{bodyErr("/int64", "format", `"int64"`, "must be an integer that fits in 64 bits")}},
		{"float takes 3.4e38 and refuses 3.5e38", "/formats",
			`{"float":3.4e38}`, fmts(Formats{Float: ptr[float32](3.4e38)}),
			`{"float":3.5e38}`, []fieldError{bodyErr("/float", "format", `"float"`, "must be a number that fits in a 32-bit float")}},
		{"double takes 1e308 and refuses 1e309 rather than overflowing", "/formats",
			`{"double":1e308}`, fmts(Formats{Double: ptr(1e308)}),
			`{"double":1e309}`, []fieldError{bodyErr("/double", "format", `"double"`, "must be a number that fits in a 64-bit float")}},
		{"an unknown format is ignored and only the type is checked", "/formats",
			`{"colour":"not a colour at all"}`, fmts(Formats{Colour: ptr("not a colour at all")}),
			`{"colour":12345}`, []fieldError{bodyErr("/colour", "type", `"string"`, "must be a string")}},
	})
}

func TestObjectKeywords(t *testing.T) {
	objs := func(o Objects) PostObjectsRequest { return PostObjectsRequest{Body: o} }
	runBodyCases(t, []bodyCase{
		{"required refuses a body without role", "/objects",
			`{"role":"admin"}`, objs(Objects{Role: "admin"}),
			`{}`, []fieldError{bodyErr("/role", "required", "", "is required")}},
		{"a readOnly member is refused in a request", "/objects",
			`{"role":"user"}`, objs(Objects{Role: "user"}),
			`{"role":"user","id":7}`, []fieldError{bodyErr("/id", "readOnly", "true", "is read-only")}},
		{"additionalProperties false refuses a member it does not declare", "/objects",
			`{"role":"user","closed":{"a":"x"}}`, objs(Objects{Role: "user", Closed: &Closed{A: ptr("x")}}),
			`{"role":"user","closed":{"b":"x"}}`, []fieldError{bodyErr("/closed/b", "additionalProperties", "false", "is not a declared property")}},
		{"additionalProperties true keeps other members and checks the declared ones", "/objects",
			`{"role":"user","open":{"a":"x","extra":[1]}}`,
			objs(Objects{Role: "user", Open: &ObjectsOpen{A: ptr("x"), AdditionalProperties: map[string]json.RawMessage{"extra": json.RawMessage(`[1]`)}}}),
			`{"role":"user","open":{"a":1,"extra":[1]}}`, []fieldError{bodyErr("/open/a", "type", `"string"`, "must be a string")}},
		{"an additionalProperties schema checks every other member", "/objects",
			`{"role":"user","counts":{"x":1,"y":0}}`, objs(Objects{Role: "user", Counts: map[string]int64{"x": 1, "y": 0}}),
			`{"role":"user","counts":{"x":1,"y":-1}}`, []fieldError{bodyErr("/counts/y", "minimum", "0", "must be at least 0")}},
		{"the strict profile refuses a member the schema does not declare", "/objects",
			`{"role":"user"}`, objs(Objects{Role: "user"}),
			`{"role":"user","admin":true}`, []fieldError{bodyErr("/admin", "additionalProperties", "false", "is not a declared property")}},
		{"a member differing from a declared one only in case is refused", "/objects",
			`{"role":"user"}`, objs(Objects{Role: "user"}),
			`{"role":"user","ROLE":"admin"}`, []fieldError{bodyErr("/ROLE", "additionalProperties", "false", "differs from a declared property only in case")}},
		{"minProperties refuses an empty object", "/objects",
			`{"role":"user","sized":{"a":"x"}}`, objs(Objects{Role: "user", Sized: map[string]string{"a": "x"}}),
			`{"role":"user","sized":{}}`, []fieldError{bodyErr("/sized", "minProperties", "1", "must have at least 1 member")}},
		{"maxProperties refuses a third member", "/objects",
			`{"role":"user","sized":{"a":"x","b":"y"}}`, objs(Objects{Role: "user", Sized: map[string]string{"a": "x", "b": "y"}}),
			`{"role":"user","sized":{"a":"x","b":"y","c":"z"}}`, []fieldError{bodyErr("/sized", "maxProperties", "2", "must have at most 2 members")}},
		{"patternProperties checks the members whose names match", "/objects",
			`{"role":"user","headers":{"x-a":"1","x-b":"2"}}`, objs(Objects{Role: "user", Headers: map[string]string{"x-a": "1", "x-b": "2"}}),
			`{"role":"user","headers":{"x-a":1}}`, []fieldError{bodyErr("/headers/x-a", "type", `"string"`, "must be a string")}},
		{"patternProperties with additionalProperties false refuses a name matching no pattern", "/objects",
			`{"role":"user","headers":{}}`, objs(Objects{Role: "user", Headers: map[string]string{}}),
			`{"role":"user","headers":{"y-a":"1"}}`, []fieldError{bodyErr("/headers/y-a", "additionalProperties", "false", "is not a declared property")}},
		{"propertyNames checks each member name against its pattern", "/objects",
			`{"role":"user","labels":{"env":"prod"}}`, objs(Objects{Role: "user", Labels: map[string]string{"env": "prod"}}),
			`{"role":"user","labels":{"Env":"prod"}}`, []fieldError{bodyErr("/labels/Env", "pattern", `"^[a-z]+$"`, "must match the pattern")}},
		{"propertyNames checks each member name against its maxLength", "/objects",
			`{"role":"user","labels":{"abcde":"x"}}`, objs(Objects{Role: "user", Labels: map[string]string{"abcde": "x"}}),
			`{"role":"user","labels":{"abcdef":"x"}}`, []fieldError{bodyErr("/labels/abcdef", "maxLength", "5", "must be at most 5 characters long")}},
		{"dependentRequired needs the billing address once a card is given", "/objects",
			`{"role":"user","payment":{"card":"4111","billingAddress":"1 Main St"}}`,
			objs(Objects{Role: "user", Payment: &Payment{Card: ptr("4111"), BillingAddress: ptr("1 Main St")}}),
			`{"role":"user","payment":{"card":"4111"}}`, []fieldError{bodyErr("/payment", "dependentRequired", `"billingAddress"`, "must have billingAddress when it has card")}},
		{"type object refuses an array body", "/objects",
			`{"role":"user"}`, objs(Objects{Role: "user"}),
			`[{"role":"user"}]`, []fieldError{bodyErr("", "type", `"object"`, "must be an object")}},
		{"a member name needing escapes is named by its JSON Pointer", "/objects",
			`{"role":"user","counts":{"a/b~c":1}}`, objs(Objects{Role: "user", Counts: map[string]int64{"a/b~c": 1}}),
			`{"role":"user","counts":{"a/b~c":-1}}`, []fieldError{bodyErr("/counts/a~1b~0c", "minimum", "0", "must be at least 0")}},
	})
}

func TestArrayKeywords(t *testing.T) {
	arrs := func(a Arrays) PostArraysRequest { return PostArraysRequest{Body: a} }
	raws := func(items ...string) []json.RawMessage {
		out := make([]json.RawMessage, len(items))
		for i, it := range items {
			out[i] = json.RawMessage(it)
		}
		return out
	}
	many := make([]string, 25)
	for i := range many {
		many[i] = `"n"`
	}
	capped := make([]fieldError, 20)
	for i := range capped {
		capped[i] = bodyErr(fmt.Sprintf("/many/%d", i), "type", `"integer"`, "must be an integer")
	}
	runBodyCases(t, []bodyCase{
		{"items checks each item and points at the failing one", "/arrays",
			`{"points":[{"x":1,"y":2}]}`, arrs(Arrays{Points: []Point{{X: 1, Y: 2}}}),
			`{"points":[{"x":1,"y":2},{"x":3}]}`, []fieldError{bodyErr("/points/1/y", "required", "", "is required")}},
		{"minItems refuses an empty array", "/arrays",
			`{"tags":["a"]}`, arrs(Arrays{Tags: []string{"a"}}),
			`{"tags":[]}`, []fieldError{bodyErr("/tags", "minItems", "1", "must have at least 1 item")}},
		{"maxItems refuses a fourth item", "/arrays",
			`{"tags":["a","b","c"]}`, arrs(Arrays{Tags: []string{"a", "b", "c"}}),
			`{"tags":["a","b","c","d"]}`, []fieldError{bodyErr("/tags", "maxItems", "3", "must have at most 3 items")}},
		{"uniqueItems compares deeply: objects with members in another order are equal", "/arrays",
			`{"unique":[1,"1",{"a":1},{"a":2},[1,2],[2,1]]}`, arrs(Arrays{Unique: raws(`1`, `"1"`, `{"a":1}`, `{"a":2}`, `[1,2]`, `[2,1]`)}),
			`{"unique":[{"a":1,"b":[true]},{"b":[true],"a":1}]}`, []fieldError{bodyErr("/unique", "uniqueItems", "true", "must not contain duplicate items")}},
		{"uniqueItems counts 1 and 1.0 as equal", "/arrays",
			`{"unique":[1,2]}`, arrs(Arrays{Unique: raws(`1`, `2`)}),
			`{"unique":[1,1.0]}`, []fieldError{bodyErr("/unique", "uniqueItems", "true", "must not contain duplicate items")}},
		{"prefixItems checks items by position", "/arrays",
			`{"pair":["a",1]}`, arrs(Arrays{Pair: raws(`"a"`, `1`)}),
			`{"pair":["a","b"]}`, []fieldError{bodyErr("/pair/1", "type", `"integer"`, "must be an integer")}},
		{"items false after prefixItems refuses an item beyond the prefix", "/arrays",
			`{"pair":["a"]}`, arrs(Arrays{Pair: raws(`"a"`)}),
			`{"pair":["a",1,true]}`, []fieldError{bodyErr("/pair/2", "items", "false", "is beyond the items the array may have")}},
		{"contains needs one matching item", "/arrays",
			`{"anyEven":[1,2]}`, arrs(Arrays{AnyEven: []int64{1, 2}}),
			`{"anyEven":[1,3]}`, []fieldError{bodyErr("/anyEven", "contains", "1", "must contain at least 1 matching item")}},
		{"minContains needs two matching items", "/arrays",
			`{"evens":[2,5,4]}`, arrs(Arrays{Evens: []int64{2, 5, 4}}),
			`{"evens":[2,5]}`, []fieldError{bodyErr("/evens", "minContains", "2", "must contain at least 2 matching items")}},
		{"maxContains refuses a fourth matching item", "/arrays",
			`{"evens":[2,4,6,7]}`, arrs(Arrays{Evens: []int64{2, 4, 6, 7}}),
			`{"evens":[2,4,6,8]}`, []fieldError{bodyErr("/evens", "maxContains", "3", "must contain at most 3 matching items")}},
	})
	t.Run("errors are capped at 20 and the detail says how many there were", func(t *testing.T) {
		h, resp, data := exchange(t, "POST", "/arrays", jsonType, nil, `{"many":[1,2,3]}`)
		wantAccepted(t, h, resp, data, arrs(Arrays{Many: []int64{1, 2, 3}}))
		h, resp, data = exchange(t, "POST", "/arrays", jsonType, nil, `{"many":[`+strings.Join(many, ",")+`]}`)
		wantRefused(t, h, resp, data, problemDoc{Status: 400, Detail: "25 errors; the first 20 are listed", Errors: capped}, nil)
	})
}

func TestComposition(t *testing.T) {
	comp := func(c Composition) PostCompositionRequest { return PostCompositionRequest{Body: c} }
	runBodyCases(t, []bodyCase{
		{"allOf checks every part and lists each part's failures", "/composition",
			`{"person":{"name":"Ada","age":36}}`, comp(Composition{Person: &CompositionPerson{Name: "Ada", Age: 36}}),
			`{"person":{"name":"","age":-1}}`, []fieldError{
				bodyErr("/person/name", "minLength", "1", "must be at least 1 character long"),
				bodyErr("/person/age", "minimum", "0", "must be at least 0"),
			}},
		{"allOf parts together close the object under the strict profile", "/composition",
			`{"person":{"age":1,"name":"B"}}`, comp(Composition{Person: &CompositionPerson{Name: "B", Age: 1}}),
			`{"person":{"name":"B","age":1,"admin":true}}`, []fieldError{bodyErr("/person/admin", "additionalProperties", "false", "is not a declared property")}},
		{"anyOf takes a value one branch accepts and refuses one no branch does", "/composition",
			`{"label":"abc"}`, comp(Composition{Label: &CompositionLabel{String2: ptr("abc")}}),
			`{"label":"abcd"}`, []fieldError{bodyErr("/label", "anyOf", "", "must match at least one of the schemas")}},
		{"oneOf takes a value exactly one branch accepts", "/composition",
			`{"even":4}`, comp(Composition{Even: &CompositionEven{Int64: ptr[int64](4)}}),
			`{"even":5}`, []fieldError{bodyErr("/even", "oneOf", "", "must match exactly one of the schemas; it matches none")}},
		{"oneOf decodes a value into the one branch that accepts it", "/composition",
			`{"even":9}`, comp(Composition{Even: &CompositionEven{Int642: ptr[int64](9)}}),
			`{"even":7}`, []fieldError{bodyErr("/even", "oneOf", "", "must match exactly one of the schemas; it matches none")}},
		{"oneOf refuses a value both branches accept", "/composition",
			`{"even":10}`, comp(Composition{Even: &CompositionEven{Int64: ptr[int64](10)}}),
			`{"even":6}`, []fieldError{bodyErr("/even", "oneOf", "", "must match exactly one of the schemas; it matches 2")}},
		{"if and then: a US address needs a five-digit code", "/composition",
			`{"address":{"country":"US","code":"12345"}}`, comp(Composition{Address: &Address{Country: "US", Code: "12345"}}),
			`{"address":{"country":"US","code":"1234"}}`, []fieldError{bodyErr("/address/code", "pattern", `"^[0-9]{5}$"`, "must match the pattern")}},
		{"if and else: another address needs a code of three characters", "/composition",
			`{"address":{"country":"NL","code":"1011AB"}}`, comp(Composition{Address: &Address{Country: "NL", Code: "1011AB"}}),
			`{"address":{"country":"NL","code":"10"}}`, []fieldError{bodyErr("/address/code", "minLength", "3", "must be at least 3 characters long")}},
		{"not refuses a value its schema accepts", "/composition",
			`{"other":12345}`, comp(Composition{Other: json.RawMessage(`12345`)}),
			`{"other":"a string"}`, []fieldError{bodyErr("/other", "not", "", "must not match the schema")}},
	})
}

func TestDiscriminators(t *testing.T) {
	runBodyCases(t, []bodyCase{
		{"a discriminator with a mapping picks the branch its tag names", "/shapes",
			`{"kind":"round","radius":2.5}`, PostShapeRequest{Body: Shape{Circle: &Circle{Kind: "round", Radius: 2.5}}},
			`{"kind":"circle","radius":2.5}`, []fieldError{bodyErr("/kind", "discriminator", "", "must name one of the schemas")}},
		{"a discriminator lists only the failures of the branch it picks", "/shapes",
			`{"kind":"square","side":0}`, PostShapeRequest{Body: Shape{Square: &Square{Kind: "square", Side: 0}}},
			`{"kind":"square","side":-1}`, []fieldError{bodyErr("/side", "minimum", "0", "must be at least 0")}},
		{"a discriminator without a mapping uses the schema names", "/animals",
			`{"petType":"Dog","bark":"loud"}`, PostAnimalRequest{Body: Animal{Dog: &Dog{PetType: "Dog", Bark: ptr(DogBarkLoud)}}},
			`{"petType":"dog","bark":"loud"}`, []fieldError{bodyErr("/petType", "discriminator", "", "must name one of the schemas")}},
		{"a missing discriminator is a required member", "/animals",
			`{"petType":"Cat","lives":9}`, PostAnimalRequest{Body: Animal{Cat: &Cat{PetType: "Cat", Lives: ptr[int64](9)}}},
			`{"lives":9}`, []fieldError{bodyErr("/petType", "required", "", "is required")}},
	})
}

func TestDefaults(t *testing.T) {
	runBodyCases(t, []bodyCase{
		{"absent members take their defaults and a given one is still checked", "/defaults",
			`{}`, PostDefaultsRequest{Body: Defaults{Level: ptr(DefaultsLevelInfo), Retries: ptr[int32](3), Ratio: ptr(0.5), Verbose: ptr(false)}},
			`{"level":"trace"}`, []fieldError{bodyErr("/level", "enum", `["debug","info","warn"]`, "must be one of the allowed values")}},
		{"given members keep their values, zero values included", "/defaults",
			`{"level":"warn","retries":0,"ratio":0,"verbose":true,"note":""}`,
			PostDefaultsRequest{Body: Defaults{Level: ptr(DefaultsLevelWarn), Retries: ptr[int32](0), Ratio: ptr(0.0), Verbose: ptr(true), Note: types.NewNullable("")}},
			`{"retries":"3"}`, []fieldError{bodyErr("/retries", "type", `"integer"`, "must be an integer")}},
	})
}

// nested is value wrapped in depth arrays.
func nested(depth int, value string) string {
	return strings.Repeat("[", depth) + value + strings.Repeat("]", depth)
}

func TestStrictJSON(t *testing.T) {
	tests := []struct {
		name, path     string
		pass           string
		want           any
		failType, fail string
		status         int
		detail         string
		errs           []fieldError
	}{
		{"a member named twice is refused", "/strings",
			`{"name":"ab"}`, PostStringsRequest{Body: Strings{Name: ptr("ab")}},
			jsonType, `{"name":"ab","name":"cd"}`, 400, invalid, []fieldError{bodyErr("/name", "duplicate", "", "names a member more than once")}},
		{"a member named twice deep inside is refused at its pointer", "/arrays",
			`{"points":[{"x":1,"y":2}]}`, PostArraysRequest{Body: Arrays{Points: []Point{{X: 1, Y: 2}}}},
			jsonType, `{"points":[{"x":1,"y":2},{"x":1,"y":2,"x":3}]}`, 400, invalid, []fieldError{bodyErr("/points/1/x", "duplicate", "", "names a member more than once")}},
		{"data after the JSON value is refused", "/strings",
			`{"name":"ab"}` + "\n", PostStringsRequest{Body: Strings{Name: ptr("ab")}},
			jsonType, `{"name":"ab"} {"name":"cd"}`, 400, "the body is not valid JSON: data after the JSON value at offset 14", nil},
		{"invalid UTF-8 is refused", "/strings",
			`{"name":"\u00e9\u00e9"}`, PostStringsRequest{Body: Strings{Name: ptr("éé")}},
			jsonType, "{\"name\":\"a\xffb\"}", 400, "the body is not valid JSON: invalid UTF-8 at offset 10", nil},
		{"a lone surrogate escape is refused", "/strings",
			`{"name":"\ud83d\ude00!"}`, PostStringsRequest{Body: Strings{Name: ptr("😀!")}},
			jsonType, `{"name":"\ud83d!"}`, 400, "the body is not valid JSON: lone surrogate in \\u escape at offset 15", nil},
		{"nesting 64 deep is accepted and 65 deep refused", "/arrays",
			`{"unique":` + nested(63, "1") + `}`, PostArraysRequest{Body: Arrays{Unique: []json.RawMessage{json.RawMessage(nested(62, "1"))}}},
			jsonType, `{"unique":` + nested(64, "1") + `}`, 400, "the body nests JSON too deeply", nil},
		{"a Content-Type the operation does not declare is a 415", "/strings",
			`{"name":"ab"}`, PostStringsRequest{Body: Strings{Name: ptr("ab")}},
			"text/plain", `{"name":"ab"}`, 415, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, resp, data := exchange(t, "POST", tc.path, jsonType+"; charset=utf-8", nil, tc.pass)
			wantAccepted(t, h, resp, data, tc.want)
			h, resp, data = exchange(t, "POST", tc.path, tc.failType, nil, tc.fail)
			wantRefused(t, h, resp, data, problemDoc{Status: tc.status, Detail: tc.detail, Errors: tc.errs}, scalars(tc.fail))
		})
	}
}

// call is one GET of the search operation: a target and extra header.
type call struct {
	target string
	header http.Header
}

// sentValues lists the parameter values a call sends.
func (c call) sentValues() []string {
	var out []string
	if u, err := url.Parse(c.target); err == nil {
		out = append(out, strings.Split(strings.Trim(u.Path, "/"), "/")...)
		q, _ := url.ParseQuery(u.RawQuery)
		for _, vs := range q {
			out = append(out, vs...)
		}
	}
	for _, vs := range c.header {
		out = append(out, vs...)
	}
	return out
}

func TestParameterKeywords(t *testing.T) {
	// base is what the handler gets for /search/1 with no query.
	base := func(edit func(*SearchRequest)) SearchRequest {
		r := SearchRequest{ID: 1, Limit: 10, Sort: SearchSortName}
		if edit != nil {
			edit(&r)
		}
		return r
	}
	q := func(query string) call { return call{target: "/search/1?" + query} }
	tests := []struct {
		name string
		pass call
		want SearchRequest
		fail call
		errs []fieldError
	}{
		{"a path integer is decoded and a word refused", call{target: "/search/42"}, base(func(r *SearchRequest) { r.ID = 42 }),
			call{target: "/search/forty"}, []fieldError{paramErr("path", "id", "", "", "is not an integer")}},
		{"a path int32 beyond its range is refused, not wrapped", call{target: "/search/2147483647"}, base(func(r *SearchRequest) { r.ID = 2147483647 }),
			call{target: "/search/2147483648"}, []fieldError{paramErr("path", "id", "", "", "is out of range for int32")}},
		{"a path minimum refuses zero", call{target: "/search/1"}, base(nil),
			call{target: "/search/0"}, []fieldError{paramErr("path", "id", "minimum", "1", "must be at least 1")}},
		{"a query minLength counts code points", q("q=%C3%A9%C3%A9"), base(func(r *SearchRequest) { r.Q = ptr("éé") }),
			q("q=%C3%A9"), []fieldError{paramErr("query", "q", "minLength", "2", "must be at least 2 characters long")}},
		{"a query maxLength counts code points", q("q=%C3%A9%C3%A9%C3%A9%C3%A9"), base(func(r *SearchRequest) { r.Q = ptr("éééé") }),
			q("q=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"), []fieldError{paramErr("query", "q", "maxLength", "4", "must be at most 4 characters long")}},
		{"a query pattern RE2 can run is matched", q("code=ABC-12"), base(func(r *SearchRequest) { r.Code = ptr("ABC-12") }),
			q("code=ABC-1"), []fieldError{paramErr("query", "code", "pattern", `"^[A-Z]{3}-[0-9]{2,4}$"`, "must match the pattern")}},
		{"a query pattern with lookaheads runs with ECMAScript semantics", q("secret=a1b2c3"), base(func(r *SearchRequest) { r.Secret = ptr("a1b2c3") }),
			q("secret=123456"), []fieldError{paramErr("query", "secret", "pattern", `"^(?=.*[0-9])(?=.*[a-z])[0-9a-z]{6,}$"`, "must match the pattern")}},
		{"a query enum takes a listed value and refuses another", q("color=blue"), base(func(r *SearchRequest) { r.Color = ptr(SearchColorBlue) }),
			q("color=purple"), []fieldError{paramErr("query", "color", "enum", `["red","green","blue"]`, "must be one of the allowed values")}},
		{"a query const takes its value and refuses another", q("mode=fast"), base(func(r *SearchRequest) { r.Mode = ptr("fast") }),
			q("mode=slow"), []fieldError{paramErr("query", "mode", "const", `"fast"`, "must be the constant value")}},
		{"absent parameters take their defaults and a given one is still checked", q(""), base(nil),
			q("sort=size"), []fieldError{paramErr("query", "sort", "enum", `["name","age"]`, "must be one of the allowed values")}},
		{"a query maximum is inclusive", q("limit=50&sort=age"), base(func(r *SearchRequest) { r.Limit, r.Sort = 50, SearchSortAge }),
			q("limit=51"), []fieldError{paramErr("query", "limit", "maximum", "50", "must be at most 50")}},
		{"exclusiveMinimum in the 3.1 numeric form refuses the bound itself", q("ratio=0.5"), base(func(r *SearchRequest) { r.Ratio = ptr(0.5) }),
			q("ratio=0"), []fieldError{paramErr("query", "ratio", "exclusiveMinimum", "0", "must be greater than 0")}},
		{"exclusiveMaximum in the 3.1 numeric form refuses the bound itself", q("ratio=0.99"), base(func(r *SearchRequest) { r.Ratio = ptr(0.99) }),
			q("ratio=1"), []fieldError{paramErr("query", "ratio", "exclusiveMaximum", "1", "must be less than 1")}},
		{"a query multipleOf is exact: 0.3 is a multiple of 0.1", q("step=0.3"), base(func(r *SearchRequest) { r.Step = ptr(0.3) }),
			q("step=0.35"), []fieldError{paramErr("query", "step", "multipleOf", "0.1", "must be a multiple of 0.1")}},
		{"a query date takes a leap day and refuses one in a common year", q("day=2024-02-29"),
			base(func(r *SearchRequest) { r.Day = &types.Date{Year: 2024, Month: time.February, Day: 29} }),
			q("day=2023-02-29"), []fieldError{paramErr("query", "day", "", "", "is not a date")}},
		{"a query email format is checked", q("email=ada%40example.com"), base(func(r *SearchRequest) { r.Email = ptr("ada@example.com") }),
			q("email=ada.example.com"), []fieldError{paramErr("query", "email", "format", `"email"`, "must be an email address")}},
		{"a query array minItems refuses an empty list", q("tags=a"), base(func(r *SearchRequest) { r.Tags = []string{"a"} }),
			q("tags="), []fieldError{paramErr("query", "tags", "minItems", "1", "must have at least 1 item")}},
		{"a query array maxItems refuses a fourth item", q("tags=a&tags=b&tags=c"), base(func(r *SearchRequest) { r.Tags = []string{"a", "b", "c"} }),
			q("tags=a&tags=b&tags=c&tags=d"), []fieldError{paramErr("query", "tags", "maxItems", "3", "must have at most 3 items")}},
		{"a query array uniqueItems refuses a repeated item", q("tags=a&tags=b"), base(func(r *SearchRequest) { r.Tags = []string{"a", "b"} }),
			q("tags=a&tags=a"), []fieldError{paramErr("query", "tags", "uniqueItems", "true", "must not contain duplicate items")}},
		{"a query array checks each item", q("tags=short"), base(func(r *SearchRequest) { r.Tags = []string{"short"} }),
			q("tags=longer"), []fieldError{paramErr("query", "tags", "maxLength", "5", "must be at most 5 characters long")}},
		{"a header format is checked",
			call{target: "/search/1", header: http.Header{"X-Trace": {"3fa85f64-5717-4562-b3fc-2c963f66afa6"}}},
			base(func(r *SearchRequest) { r.XTrace = ptr("3fa85f64-5717-4562-b3fc-2c963f66afa6") }),
			call{target: "/search/1", header: http.Header{"X-Trace": {"trace-me-please"}}},
			[]fieldError{paramErr("header", "X-Trace", "format", `"uuid"`, "must be a UUID")}},
		{"a cookie minLength is checked",
			call{target: "/search/1", header: http.Header{"Cookie": {"session=abcdefgh"}}},
			base(func(r *SearchRequest) { r.Session = ptr("abcdefgh") }),
			call{target: "/search/1", header: http.Header{"Cookie": {"session=abcdefg"}}},
			[]fieldError{paramErr("cookie", "session", "minLength", "8", "must be at least 8 characters long")}},
		{"every failing parameter is listed, in declaration order", q("q=ab&color=red&limit=1"),
			base(func(r *SearchRequest) { r.Q, r.Color, r.Limit = ptr("ab"), ptr(SearchColorRed), 1 }),
			q("limit=0&color=purple&q=a"), []fieldError{
				paramErr("query", "q", "minLength", "2", "must be at least 2 characters long"),
				paramErr("query", "color", "enum", `["red","green","blue"]`, "must be one of the allowed values"),
				paramErr("query", "limit", "minimum", "1", "must be at least 1"),
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, resp, data := exchange(t, "GET", tc.pass.target, "", tc.pass.header, "")
			wantAccepted(t, h, resp, data, tc.want)
			h, resp, data = exchange(t, "GET", tc.fail.target, "", tc.fail.header, "")
			wantRefused(t, h, resp, data, problemDoc{Status: 400, Detail: invalid, Errors: tc.errs}, tc.fail.sentValues())
		})
	}
}
