package validation31

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/types"
)

// recorder implements every operation: it records the requests and
// answers 204.
type recorder struct{ httpcheck.Recorder }

// serve builds a router around a fresh recorder.
func serve() (*recorder, http.Handler) {
	h := &recorder{}
	return h, NewRouter(h)
}

func (h *recorder) PostStrings(_ context.Context, req PostStringsRequest) (PostStringsResponse, error) {
	h.Record(req)
	return PostStringsNoContentResponse{}, nil
}

func (h *recorder) PostNumbers(_ context.Context, req PostNumbersRequest) (PostNumbersResponse, error) {
	h.Record(req)
	return PostNumbersNoContentResponse{}, nil
}

func (h *recorder) PostFormats(_ context.Context, req PostFormatsRequest) (PostFormatsResponse, error) {
	h.Record(req)
	return PostFormatsNoContentResponse{}, nil
}

func (h *recorder) PostObjects(_ context.Context, req PostObjectsRequest) (PostObjectsResponse, error) {
	h.Record(req)
	return PostObjectsNoContentResponse{}, nil
}

func (h *recorder) PostArrays(_ context.Context, req PostArraysRequest) (PostArraysResponse, error) {
	h.Record(req)
	return PostArraysNoContentResponse{}, nil
}

func (h *recorder) PostComposition(_ context.Context, req PostCompositionRequest) (PostCompositionResponse, error) {
	h.Record(req)
	return PostCompositionNoContentResponse{}, nil
}

func (h *recorder) PostShape(_ context.Context, req PostShapeRequest) (PostShapeResponse, error) {
	h.Record(req)
	return PostShapeNoContentResponse{}, nil
}

func (h *recorder) PostAnimal(_ context.Context, req PostAnimalRequest) (PostAnimalResponse, error) {
	h.Record(req)
	return PostAnimalNoContentResponse{}, nil
}

func (h *recorder) PostDefaults(_ context.Context, req PostDefaultsRequest) (PostDefaultsResponse, error) {
	h.Record(req)
	return PostDefaultsNoContentResponse{}, nil
}

func (h *recorder) Search(_ context.Context, req SearchRequest) (SearchResponse, error) {
	h.Record(req)
	return SearchNoContentResponse{}, nil
}

const (
	jsonType = "application/json"
	invalid  = "the request is not valid"
)

// bodyCase is one keyword on a JSON body: a body it accepts with the
// request the handler then receives, and a body it refuses with the
// problem listing why.
type bodyCase struct {
	name, path string
	pass       string
	want       any
	fail       string
	errs       []httpcheck.FieldError
}

// runBodyCases runs each case as a subtest, each on servers of their own.
func runBodyCases(t *testing.T, tests []bodyCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, resp, data := httpcheck.Exchange(t, serve, "POST", tc.path, jsonType, nil, tc.pass)
			httpcheck.WantAccepted(t, h, resp, data, tc.want)
			h, resp, data = httpcheck.Exchange(t, serve, "POST", tc.path, jsonType, nil, tc.fail)
			httpcheck.WantRefused(t, h, resp, data, httpcheck.Problem{Status: 400, Detail: invalid, Errors: tc.errs}, httpcheck.Scalars(tc.fail))
		})
	}
}

func TestStringKeywords(t *testing.T) {
	strs := func(s Strings) PostStringsRequest { return PostStringsRequest{Body: s} }
	runBodyCases(t, []bodyCase{
		{"minLength counts code points: two accented letters pass, one fails", "/strings",
			`{"name":"éé"}`, strs(Strings{Name: httpcheck.Ptr("éé")}),
			`{"name":"é"}`, []httpcheck.FieldError{httpcheck.BodyError("/name", "minLength", "2", "must be at least 2 characters long")}},
		{"maxLength counts code points: four accented letters pass, five fail", "/strings",
			`{"name":"éééé"}`, strs(Strings{Name: httpcheck.Ptr("éééé")}),
			`{"name":"ééééé"}`, []httpcheck.FieldError{httpcheck.BodyError("/name", "maxLength", "4", "must be at most 4 characters long")}},
		{"a pattern RE2 can run is matched: a code passes, a lowercase one fails", "/strings",
			`{"code":"ABC-123"}`, strs(Strings{Code: httpcheck.Ptr("ABC-123")}),
			`{"code":"abc-1234"}`, []httpcheck.FieldError{httpcheck.BodyError("/code", "pattern", `"^[A-Z]{3}-[0-9]{2,4}$"`, "must match the pattern")}},
		{"a pattern with lookaheads runs with ECMAScript semantics", "/strings",
			`{"secret":"abc123"}`, strs(Strings{Secret: httpcheck.Ptr("abc123")}),
			`{"secret":"abcdefgh"}`, []httpcheck.FieldError{httpcheck.BodyError("/secret", "pattern", `"^(?=.*[0-9])(?=.*[a-z])[0-9a-z]{6,}$"`, "must match the pattern")}},
		{"enum takes a listed value and refuses another", "/strings",
			`{"color":"green"}`, strs(Strings{Color: httpcheck.Ptr(StringsColorGreen)}),
			`{"color":"purple"}`, []httpcheck.FieldError{httpcheck.BodyError("/color", "enum", `["red","green","blue"]`, "must be one of the allowed values")}},
		{"type string refuses a number", "/strings",
			`{"code":"XYZ-99"}`, strs(Strings{Code: httpcheck.Ptr("XYZ-99")}),
			`{"code":1234}`, []httpcheck.FieldError{httpcheck.BodyError("/code", "type", `"string"`, "must be a string")}},
		{"a type array with null takes null and still refuses another type", "/strings",
			`{"nickname":null}`, strs(Strings{Nickname: types.Null[string]()}),
			`{"nickname":1234}`, []httpcheck.FieldError{httpcheck.BodyError("/nickname", "type", `"string or null"`, "must be a string or null")}},
		{"a type array with null checks the other keywords on a string", "/strings",
			`{"nickname":"Bob"}`, strs(Strings{Nickname: types.NewNullable("Bob")}),
			`{"nickname":"Robert"}`, []httpcheck.FieldError{httpcheck.BodyError("/nickname", "maxLength", "3", "must be at most 3 characters long")}},
		{"const takes its value and refuses another", "/strings",
			`{"mode":"fast"}`, strs(Strings{Mode: httpcheck.Ptr("fast")}),
			`{"mode":"slow"}`, []httpcheck.FieldError{httpcheck.BodyError("/mode", "const", `"fast"`, "must be the constant value")}},
		{"a value failing three keywords gets three errors", "/strings",
			`{"pin":"5678"}`, strs(Strings{Pin: httpcheck.Ptr(StringsPinN5678)}),
			`{"pin":"x"}`, []httpcheck.FieldError{
				httpcheck.BodyError("/pin", "minLength", "4", "must be at least 4 characters long"),
				httpcheck.BodyError("/pin", "pattern", `"^[0-9]*$"`, "must match the pattern"),
				httpcheck.BodyError("/pin", "enum", `["1234","5678"]`, "must be one of the allowed values"),
			}},
		{"every failing member is listed, in body order", "/strings",
			`{"name":"ab","code":"ABC-12","color":"red"}`, strs(Strings{Name: httpcheck.Ptr("ab"), Code: httpcheck.Ptr("ABC-12"), Color: httpcheck.Ptr(StringsColorRed)}),
			`{"color":"mauve","name":"a","code":"ABCD"}`, []httpcheck.FieldError{
				httpcheck.BodyError("/color", "enum", `["red","green","blue"]`, "must be one of the allowed values"),
				httpcheck.BodyError("/name", "minLength", "2", "must be at least 2 characters long"),
				httpcheck.BodyError("/code", "pattern", `"^[A-Z]{3}-[0-9]{2,4}$"`, "must match the pattern"),
			}},
	})
}

func TestNumberKeywords(t *testing.T) {
	nums := func(n Numbers) PostNumbersRequest { return PostNumbersRequest{Body: n} }
	runBodyCases(t, []bodyCase{
		{"minimum is inclusive", "/numbers",
			`{"count":1}`, nums(Numbers{Count: httpcheck.Ptr[int64](1)}),
			`{"count":0}`, []httpcheck.FieldError{httpcheck.BodyError("/count", "minimum", "1", "must be at least 1")}},
		{"maximum is inclusive", "/numbers",
			`{"count":10}`, nums(Numbers{Count: httpcheck.Ptr[int64](10)}),
			`{"count":11}`, []httpcheck.FieldError{httpcheck.BodyError("/count", "maximum", "10", "must be at most 10")}},
		{"exclusiveMinimum in the 3.1 numeric form refuses the bound itself", "/numbers",
			`{"ratio":0.001}`, nums(Numbers{Ratio: httpcheck.Ptr(0.001)}),
			`{"ratio":0}`, []httpcheck.FieldError{httpcheck.BodyError("/ratio", "exclusiveMinimum", "0", "must be greater than 0")}},
		{"exclusiveMaximum in the 3.1 numeric form refuses the bound itself", "/numbers",
			`{"ratio":0.999}`, nums(Numbers{Ratio: httpcheck.Ptr(0.999)}),
			`{"ratio":1.0}`, []httpcheck.FieldError{httpcheck.BodyError("/ratio", "exclusiveMaximum", "1", "must be less than 1")}},
		{"exclusiveMinimum beside a lower minimum is the bound that holds", "/numbers",
			`{"bounded":5.5}`, nums(Numbers{Bounded: httpcheck.Ptr(5.5)}),
			`{"bounded":5}`, []httpcheck.FieldError{httpcheck.BodyError("/bounded", "exclusiveMinimum", "5", "must be greater than 5")}},
		{"multipleOf is exact on the decimal text: 0.3 is a multiple of 0.1", "/numbers",
			`{"step":0.3}`, nums(Numbers{Step: httpcheck.Ptr(0.3)}),
			`{"step":0.35}`, []httpcheck.FieldError{httpcheck.BodyError("/step", "multipleOf", "0.1", "must be a multiple of 0.1")}},
		{"type integer takes 2.0 and refuses 2.5", "/numbers",
			`{"whole":2.0}`, nums(Numbers{Whole: httpcheck.Ptr[int64](2)}),
			`{"whole":2.5}`, []httpcheck.FieldError{httpcheck.BodyError("/whole", "type", `"integer"`, "must be an integer")}},
		{"an integer keeps every digit and one beyond int64 is refused, not wrapped", "/numbers",
			`{"whole":9007199254740993}`, nums(Numbers{Whole: httpcheck.Ptr[int64](9007199254740993)}),
			`{"whole":9223372036854775808}`, []httpcheck.FieldError{httpcheck.BodyError("/whole", "format", `"int64"`, "must be an integer that fits in 64 bits")}},
		{"format int32 refuses an integer beyond its range", "/numbers",
			`{"small":2147483647}`, nums(Numbers{Small: httpcheck.Ptr[int32](2147483647)}),
			`{"small":2147483648}`, []httpcheck.FieldError{httpcheck.BodyError("/small", "format", `"int32"`, "must be an integer that fits in 32 bits")}},
		{"format int64 refuses an integer beyond its range", "/numbers",
			`{"large":-9223372036854775808}`, nums(Numbers{Large: httpcheck.Ptr[int64](-9223372036854775808)}),
			`{"large":-9223372036854775809}`, []httpcheck.FieldError{httpcheck.BodyError("/large", "format", `"int64"`, "must be an integer that fits in 64 bits")}},
		{"format float refuses a number beyond float32", "/numbers",
			`{"single":1.5}`, nums(Numbers{Single: httpcheck.Ptr[float32](1.5)}),
			`{"single":1e39}`, []httpcheck.FieldError{httpcheck.BodyError("/single", "format", `"float"`, "must be a number that fits in a 32-bit float")}},
		{"a number type array with null takes null and refuses a string", "/numbers",
			`{"score":null}`, nums(Numbers{Score: types.Null[float64]()}),
			`{"score":"1.25"}`, []httpcheck.FieldError{httpcheck.BodyError("/score", "type", `"number or null"`, "must be a number or null")}},
		{"type boolean refuses a string", "/numbers",
			`{"flag":false}`, nums(Numbers{Flag: httpcheck.Ptr(false)}),
			`{"flag":"false"}`, []httpcheck.FieldError{httpcheck.BodyError("/flag", "type", `"boolean"`, "must be a boolean")}},
		{"type number refuses null when not nullable", "/numbers",
			`{"step":1e1}`, nums(Numbers{Step: httpcheck.Ptr(10.0)}),
			`{"step":null}`, []httpcheck.FieldError{httpcheck.BodyError("/step", "type", `"number"`, "must be a number")}},
	})
}

func TestFormats(t *testing.T) {
	fmts := func(f Formats) PostFormatsRequest { return PostFormatsRequest{Body: f} }
	format := func(member, name, message string) []httpcheck.FieldError {
		return []httpcheck.FieldError{httpcheck.BodyError("/"+member, "format", `"`+name+`"`, message)}
	}
	runBodyCases(t, []bodyCase{
		{"email takes an address and refuses a bare domain", "/formats",
			`{"email":"ada@example.com"}`, fmts(Formats{Email: httpcheck.Ptr("ada@example.com")}),
			`{"email":"ada.example.com"}`, format("email", "email", "must be an email address")},
		{"uuid takes the canonical form and refuses one digit short", "/formats",
			`{"uuid":"3fa85f64-5717-4562-b3fc-2c963f66afa6"}`, fmts(Formats{UUID: httpcheck.Ptr("3fa85f64-5717-4562-b3fc-2c963f66afa6")}),
			`{"uuid":"3fa85f64-5717-4562-b3fc-2c963f66afa"}`, format("uuid", "uuid", "must be a UUID")},
		{"date takes a leap day and refuses one in a common year", "/formats",
			`{"date":"2024-02-29"}`, fmts(Formats{Date: &types.Date{Year: 2024, Month: time.February, Day: 29}}),
			`{"date":"2023-02-29"}`, format("date", "date", "must be an RFC 3339 date")},
		{"date-time takes an offset and refuses a space separator", "/formats",
			`{"dateTime":"2024-02-29T12:30:00+01:00"}`, fmts(Formats{DateTime: httpcheck.Ptr(time.Date(2024, 2, 29, 12, 30, 0, 0, time.FixedZone("", 3600)))}),
			`{"dateTime":"2024-02-29 12:30:00"}`, format("dateTime", "date-time", "must be an RFC 3339 date-time")},
		{"time takes a full time with offset and refuses hour 25", "/formats",
			`{"time":"12:30:00Z"}`, fmts(Formats{Time: httpcheck.Ptr("12:30:00Z")}),
			`{"time":"25:30:00Z"}`, format("time", "time", "must be an RFC 3339 time")},
		{"duration takes P1DT2H and refuses hours outside the time part", "/formats",
			`{"duration":"P1DT2H"}`, fmts(Formats{Duration: httpcheck.Ptr("P1DT2H")}),
			`{"duration":"P1H2"}`, format("duration", "duration", "must be an ISO 8601 duration")},
		{"ipv4 takes a dotted quad and refuses an octet above 255", "/formats",
			`{"ipv4":"192.168.0.1"}`, fmts(Formats{Ipv4: httpcheck.Ptr("192.168.0.1")}),
			`{"ipv4":"192.168.0.256"}`, format("ipv4", "ipv4", "must be an IPv4 address")},
		{"ipv6 takes a compressed address and refuses two compressions", "/formats",
			`{"ipv6":"2001:db8::1"}`, fmts(Formats{Ipv6: httpcheck.Ptr("2001:db8::1")}),
			`{"ipv6":"2001::db8::1"}`, format("ipv6", "ipv6", "must be an IPv6 address")},
		{"hostname takes a dotted name and refuses a label starting with a hyphen", "/formats",
			`{"hostname":"api.example.com"}`, fmts(Formats{Hostname: httpcheck.Ptr("api.example.com")}),
			`{"hostname":"-api.example.com"}`, format("hostname", "hostname", "must be a host name")},
		{"uri takes an absolute URI and refuses a relative one", "/formats",
			`{"uri":"https://example.com/a?b=c"}`, fmts(Formats{URI: httpcheck.Ptr("https://example.com/a?b=c")}),
			`{"uri":"/just/a/path"}`, format("uri", "uri", "must be an absolute URI")},
		{"uri-reference takes a relative reference and refuses a space", "/formats",
			`{"uriReference":"../a/b?c#d"}`, fmts(Formats{URIReference: httpcheck.Ptr("../a/b?c#d")}),
			`{"uriReference":"/a b"}`, format("uriReference", "uri-reference", "must be a URI reference")},
		{"byte takes padded base64 and refuses it unpadded", "/formats",
			`{"byte":"aGVsbG8="}`, fmts(Formats{Byte: []byte("hello")}),
			`{"byte":"aGVsbG8"}`, format("byte", "byte", "must be base64 text")},
		{"int32 takes its lowest value and refuses one below", "/formats",
			`{"int32":-2147483648}`, fmts(Formats{Int32: httpcheck.Ptr[int32](-2147483648)}),
			`{"int32":-2147483649}`, []httpcheck.FieldError{httpcheck.BodyError("/int32", "format", `"int32"`, "must be an integer that fits in 32 bits")}},
		{"int64 takes its highest value and refuses one above", "/formats",
			`{"int64":9223372036854775807}`, fmts(Formats{Int64: httpcheck.Ptr[int64](9223372036854775807)}),
			`{"int64":9223372036854775808}`, []httpcheck.FieldError{httpcheck.BodyError("/int64", "format", `"int64"`, "must be an integer that fits in 64 bits")}},
		{"float takes 3.4e38 and refuses 3.5e38", "/formats",
			`{"float":3.4e38}`, fmts(Formats{Float: httpcheck.Ptr[float32](3.4e38)}),
			`{"float":3.5e38}`, []httpcheck.FieldError{httpcheck.BodyError("/float", "format", `"float"`, "must be a number that fits in a 32-bit float")}},
		{"double takes 1e308 and refuses 1e309 rather than overflowing", "/formats",
			`{"double":1e308}`, fmts(Formats{Double: httpcheck.Ptr(1e308)}),
			`{"double":1e309}`, []httpcheck.FieldError{httpcheck.BodyError("/double", "format", `"double"`, "must be a number that fits in a 64-bit float")}},
		{"an unknown format is ignored and only the type is checked", "/formats",
			`{"colour":"not a colour at all"}`, fmts(Formats{Colour: httpcheck.Ptr("not a colour at all")}),
			`{"colour":12345}`, []httpcheck.FieldError{httpcheck.BodyError("/colour", "type", `"string"`, "must be a string")}},
	})
}

func TestObjectKeywords(t *testing.T) {
	objs := func(o Objects) PostObjectsRequest { return PostObjectsRequest{Body: o} }
	runBodyCases(t, []bodyCase{
		{"required refuses a body without role", "/objects",
			`{"role":"admin"}`, objs(Objects{Role: "admin"}),
			`{}`, []httpcheck.FieldError{httpcheck.BodyError("/role", "required", "", "is required")}},
		{"a readOnly member is refused in a request", "/objects",
			`{"role":"user"}`, objs(Objects{Role: "user"}),
			`{"role":"user","id":7}`, []httpcheck.FieldError{httpcheck.BodyError("/id", "readOnly", "true", "is read-only")}},
		{"additionalProperties false refuses a member it does not declare", "/objects",
			`{"role":"user","closed":{"a":"x"}}`, objs(Objects{Role: "user", Closed: &Closed{A: httpcheck.Ptr("x")}}),
			`{"role":"user","closed":{"b":"x"}}`, []httpcheck.FieldError{httpcheck.BodyError("/closed/b", "additionalProperties", "false", "is not a declared property")}},
		{"additionalProperties true keeps other members and checks the declared ones", "/objects",
			`{"role":"user","open":{"a":"x","extra":[1]}}`,
			objs(Objects{Role: "user", Open: &ObjectsOpen{A: httpcheck.Ptr("x"), AdditionalProperties: map[string]json.RawMessage{"extra": json.RawMessage(`[1]`)}}}),
			`{"role":"user","open":{"a":1,"extra":[1]}}`, []httpcheck.FieldError{httpcheck.BodyError("/open/a", "type", `"string"`, "must be a string")}},
		{"an additionalProperties schema checks every other member", "/objects",
			`{"role":"user","counts":{"x":1,"y":0}}`, objs(Objects{Role: "user", Counts: map[string]int64{"x": 1, "y": 0}}),
			`{"role":"user","counts":{"x":1,"y":-1}}`, []httpcheck.FieldError{httpcheck.BodyError("/counts/y", "minimum", "0", "must be at least 0")}},
		{"the strict profile refuses a member the schema does not declare", "/objects",
			`{"role":"user"}`, objs(Objects{Role: "user"}),
			`{"role":"user","admin":true}`, []httpcheck.FieldError{httpcheck.BodyError("/admin", "additionalProperties", "false", "is not a declared property")}},
		{"a member differing from a declared one only in case is refused", "/objects",
			`{"role":"user"}`, objs(Objects{Role: "user"}),
			`{"role":"user","ROLE":"admin"}`, []httpcheck.FieldError{httpcheck.BodyError("/ROLE", "additionalProperties", "false", "differs from a declared property only in case")}},
		{"minProperties refuses an empty object", "/objects",
			`{"role":"user","sized":{"a":"x"}}`, objs(Objects{Role: "user", Sized: map[string]string{"a": "x"}}),
			`{"role":"user","sized":{}}`, []httpcheck.FieldError{httpcheck.BodyError("/sized", "minProperties", "1", "must have at least 1 member")}},
		{"maxProperties refuses a third member", "/objects",
			`{"role":"user","sized":{"a":"x","b":"y"}}`, objs(Objects{Role: "user", Sized: map[string]string{"a": "x", "b": "y"}}),
			`{"role":"user","sized":{"a":"x","b":"y","c":"z"}}`, []httpcheck.FieldError{httpcheck.BodyError("/sized", "maxProperties", "2", "must have at most 2 members")}},
		{"patternProperties checks the members whose names match", "/objects",
			`{"role":"user","headers":{"x-a":"1","x-b":"2"}}`, objs(Objects{Role: "user", Headers: map[string]string{"x-a": "1", "x-b": "2"}}),
			`{"role":"user","headers":{"x-a":1}}`, []httpcheck.FieldError{httpcheck.BodyError("/headers/x-a", "type", `"string"`, "must be a string")}},
		{"patternProperties with additionalProperties false refuses a name matching no pattern", "/objects",
			`{"role":"user","headers":{}}`, objs(Objects{Role: "user", Headers: map[string]string{}}),
			`{"role":"user","headers":{"y-a":"1"}}`, []httpcheck.FieldError{httpcheck.BodyError("/headers/y-a", "additionalProperties", "false", "is not a declared property")}},
		{"propertyNames checks each member name against its pattern", "/objects",
			`{"role":"user","labels":{"env":"prod"}}`, objs(Objects{Role: "user", Labels: map[string]string{"env": "prod"}}),
			`{"role":"user","labels":{"Env":"prod"}}`, []httpcheck.FieldError{httpcheck.BodyError("/labels/Env", "pattern", `"^[a-z]+$"`, "must match the pattern")}},
		{"propertyNames checks each member name against its maxLength", "/objects",
			`{"role":"user","labels":{"abcde":"x"}}`, objs(Objects{Role: "user", Labels: map[string]string{"abcde": "x"}}),
			`{"role":"user","labels":{"abcdef":"x"}}`, []httpcheck.FieldError{httpcheck.BodyError("/labels/abcdef", "maxLength", "5", "must be at most 5 characters long")}},
		{"dependentRequired needs the billing address once a card is given", "/objects",
			`{"role":"user","payment":{"card":"4111","billingAddress":"1 Main St"}}`,
			objs(Objects{Role: "user", Payment: &Payment{Card: httpcheck.Ptr("4111"), BillingAddress: httpcheck.Ptr("1 Main St")}}),
			`{"role":"user","payment":{"card":"4111"}}`, []httpcheck.FieldError{httpcheck.BodyError("/payment", "dependentRequired", `"billingAddress"`, "must have billingAddress when it has card")}},
		{"type object refuses an array body", "/objects",
			`{"role":"user"}`, objs(Objects{Role: "user"}),
			`[{"role":"user"}]`, []httpcheck.FieldError{httpcheck.BodyError("", "type", `"object"`, "must be an object")}},
		{"a member name needing escapes is named by its JSON Pointer", "/objects",
			`{"role":"user","counts":{"a/b~c":1}}`, objs(Objects{Role: "user", Counts: map[string]int64{"a/b~c": 1}}),
			`{"role":"user","counts":{"a/b~c":-1}}`, []httpcheck.FieldError{httpcheck.BodyError("/counts/a~1b~0c", "minimum", "0", "must be at least 0")}},
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
	capped := make([]httpcheck.FieldError, 20)
	for i := range capped {
		capped[i] = httpcheck.BodyError(fmt.Sprintf("/many/%d", i), "type", `"integer"`, "must be an integer")
	}
	runBodyCases(t, []bodyCase{
		{"items checks each item and points at the failing one", "/arrays",
			`{"points":[{"x":1,"y":2}]}`, arrs(Arrays{Points: []Point{{X: 1, Y: 2}}}),
			`{"points":[{"x":1,"y":2},{"x":3}]}`, []httpcheck.FieldError{httpcheck.BodyError("/points/1/y", "required", "", "is required")}},
		{"minItems refuses an empty array", "/arrays",
			`{"tags":["a"]}`, arrs(Arrays{Tags: []string{"a"}}),
			`{"tags":[]}`, []httpcheck.FieldError{httpcheck.BodyError("/tags", "minItems", "1", "must have at least 1 item")}},
		{"maxItems refuses a fourth item", "/arrays",
			`{"tags":["a","b","c"]}`, arrs(Arrays{Tags: []string{"a", "b", "c"}}),
			`{"tags":["a","b","c","d"]}`, []httpcheck.FieldError{httpcheck.BodyError("/tags", "maxItems", "3", "must have at most 3 items")}},
		{"uniqueItems compares deeply: objects with members in another order are equal", "/arrays",
			`{"unique":[1,"1",{"a":1},{"a":2},[1,2],[2,1]]}`, arrs(Arrays{Unique: raws(`1`, `"1"`, `{"a":1}`, `{"a":2}`, `[1,2]`, `[2,1]`)}),
			`{"unique":[{"a":1,"b":[true]},{"b":[true],"a":1}]}`, []httpcheck.FieldError{httpcheck.BodyError("/unique", "uniqueItems", "true", "must not contain duplicate items")}},
		{"uniqueItems counts 1 and 1.0 as equal", "/arrays",
			`{"unique":[1,2]}`, arrs(Arrays{Unique: raws(`1`, `2`)}),
			`{"unique":[1,1.0]}`, []httpcheck.FieldError{httpcheck.BodyError("/unique", "uniqueItems", "true", "must not contain duplicate items")}},
		{"prefixItems checks items by position", "/arrays",
			`{"pair":["a",1]}`, arrs(Arrays{Pair: raws(`"a"`, `1`)}),
			`{"pair":["a","b"]}`, []httpcheck.FieldError{httpcheck.BodyError("/pair/1", "type", `"integer"`, "must be an integer")}},
		{"items false after prefixItems refuses an item beyond the prefix", "/arrays",
			`{"pair":["a"]}`, arrs(Arrays{Pair: raws(`"a"`)}),
			`{"pair":["a",1,true]}`, []httpcheck.FieldError{httpcheck.BodyError("/pair/2", "items", "false", "is beyond the items the array may have")}},
		{"contains needs one matching item", "/arrays",
			`{"anyEven":[1,2]}`, arrs(Arrays{AnyEven: []int64{1, 2}}),
			`{"anyEven":[1,3]}`, []httpcheck.FieldError{httpcheck.BodyError("/anyEven", "contains", "1", "must contain at least 1 matching item")}},
		{"minContains needs two matching items", "/arrays",
			`{"evens":[2,5,4]}`, arrs(Arrays{Evens: []int64{2, 5, 4}}),
			`{"evens":[2,5]}`, []httpcheck.FieldError{httpcheck.BodyError("/evens", "minContains", "2", "must contain at least 2 matching items")}},
		{"maxContains refuses a fourth matching item", "/arrays",
			`{"evens":[2,4,6,7]}`, arrs(Arrays{Evens: []int64{2, 4, 6, 7}}),
			`{"evens":[2,4,6,8]}`, []httpcheck.FieldError{httpcheck.BodyError("/evens", "maxContains", "3", "must contain at most 3 matching items")}},
	})
	t.Run("errors are capped at 20 and the detail says how many there were", func(t *testing.T) {
		h, resp, data := httpcheck.Exchange(t, serve, "POST", "/arrays", jsonType, nil, `{"many":[1,2,3]}`)
		httpcheck.WantAccepted(t, h, resp, data, arrs(Arrays{Many: []int64{1, 2, 3}}))
		h, resp, data = httpcheck.Exchange(t, serve, "POST", "/arrays", jsonType, nil, `{"many":[`+strings.Join(many, ",")+`]}`)
		httpcheck.WantRefused(t, h, resp, data, httpcheck.Problem{Status: 400, Detail: "25 errors; the first 20 are listed", Errors: capped}, nil)
	})
}

func TestComposition(t *testing.T) {
	comp := func(c Composition) PostCompositionRequest { return PostCompositionRequest{Body: c} }
	runBodyCases(t, []bodyCase{
		{"allOf checks every part and lists each part's failures", "/composition",
			`{"person":{"name":"Ada","age":36}}`, comp(Composition{Person: &CompositionPerson{Name: "Ada", Age: 36}}),
			`{"person":{"name":"","age":-1}}`, []httpcheck.FieldError{
				httpcheck.BodyError("/person/name", "minLength", "1", "must be at least 1 character long"),
				httpcheck.BodyError("/person/age", "minimum", "0", "must be at least 0"),
			}},
		{"allOf parts together close the object under the strict profile", "/composition",
			`{"person":{"age":1,"name":"B"}}`, comp(Composition{Person: &CompositionPerson{Name: "B", Age: 1}}),
			`{"person":{"name":"B","age":1,"admin":true}}`, []httpcheck.FieldError{httpcheck.BodyError("/person/admin", "additionalProperties", "false", "is not a declared property")}},
		{"anyOf takes a value one branch accepts and refuses one no branch does", "/composition",
			`{"label":"abc"}`, comp(Composition{Label: &CompositionLabel{String2: httpcheck.Ptr("abc")}}),
			`{"label":"abcd"}`, []httpcheck.FieldError{httpcheck.BodyError("/label", "anyOf", "", "must match at least one of the schemas")}},
		{"oneOf takes a value exactly one branch accepts", "/composition",
			`{"even":4}`, comp(Composition{Even: &CompositionEven{Int64: httpcheck.Ptr[int64](4)}}),
			`{"even":5}`, []httpcheck.FieldError{httpcheck.BodyError("/even", "oneOf", "", "must match exactly one of the schemas; it matches none")}},
		{"oneOf decodes a value into the one branch that accepts it", "/composition",
			`{"even":9}`, comp(Composition{Even: &CompositionEven{Int642: httpcheck.Ptr[int64](9)}}),
			`{"even":7}`, []httpcheck.FieldError{httpcheck.BodyError("/even", "oneOf", "", "must match exactly one of the schemas; it matches none")}},
		{"oneOf refuses a value both branches accept", "/composition",
			`{"even":10}`, comp(Composition{Even: &CompositionEven{Int64: httpcheck.Ptr[int64](10)}}),
			`{"even":6}`, []httpcheck.FieldError{httpcheck.BodyError("/even", "oneOf", "", "must match exactly one of the schemas; it matches 2")}},
		{"if and then: a US address needs a five-digit code", "/composition",
			`{"address":{"country":"US","code":"12345"}}`, comp(Composition{Address: &Address{Country: "US", Code: "12345"}}),
			`{"address":{"country":"US","code":"1234"}}`, []httpcheck.FieldError{httpcheck.BodyError("/address/code", "pattern", `"^[0-9]{5}$"`, "must match the pattern")}},
		{"if and else: another address needs a code of three characters", "/composition",
			`{"address":{"country":"NL","code":"1011AB"}}`, comp(Composition{Address: &Address{Country: "NL", Code: "1011AB"}}),
			`{"address":{"country":"NL","code":"10"}}`, []httpcheck.FieldError{httpcheck.BodyError("/address/code", "minLength", "3", "must be at least 3 characters long")}},
		{"not refuses a value its schema accepts", "/composition",
			`{"other":12345}`, comp(Composition{Other: json.RawMessage(`12345`)}),
			`{"other":"a string"}`, []httpcheck.FieldError{httpcheck.BodyError("/other", "not", "", "must not match the schema")}},
	})
}

func TestDiscriminators(t *testing.T) {
	runBodyCases(t, []bodyCase{
		{"a discriminator with a mapping picks the branch its tag names", "/shapes",
			`{"kind":"round","radius":2.5}`, PostShapeRequest{Body: Shape{Circle: &Circle{Kind: "round", Radius: 2.5}}},
			`{"kind":"circle","radius":2.5}`, []httpcheck.FieldError{httpcheck.BodyError("/kind", "discriminator", "", "must name one of the schemas")}},
		{"a discriminator lists only the failures of the branch it picks", "/shapes",
			`{"kind":"square","side":0}`, PostShapeRequest{Body: Shape{Square: &Square{Kind: "square", Side: 0}}},
			`{"kind":"square","side":-1}`, []httpcheck.FieldError{httpcheck.BodyError("/side", "minimum", "0", "must be at least 0")}},
		{"a discriminator without a mapping uses the schema names", "/animals",
			`{"petType":"Dog","bark":"loud"}`, PostAnimalRequest{Body: Animal{Dog: &Dog{PetType: "Dog", Bark: httpcheck.Ptr(DogBarkLoud)}}},
			`{"petType":"dog","bark":"loud"}`, []httpcheck.FieldError{httpcheck.BodyError("/petType", "discriminator", "", "must name one of the schemas")}},
		{"a missing discriminator is a required member", "/animals",
			`{"petType":"Cat","lives":9}`, PostAnimalRequest{Body: Animal{Cat: &Cat{PetType: "Cat", Lives: httpcheck.Ptr[int64](9)}}},
			`{"lives":9}`, []httpcheck.FieldError{httpcheck.BodyError("/petType", "required", "", "is required")}},
	})
}

func TestDefaults(t *testing.T) {
	runBodyCases(t, []bodyCase{
		{"absent members take their defaults and a given one is still checked", "/defaults",
			`{}`, PostDefaultsRequest{Body: Defaults{Level: httpcheck.Ptr(DefaultsLevelInfo), Retries: httpcheck.Ptr[int32](3), Ratio: httpcheck.Ptr(0.5), Verbose: httpcheck.Ptr(false)}},
			`{"level":"trace"}`, []httpcheck.FieldError{httpcheck.BodyError("/level", "enum", `["debug","info","warn"]`, "must be one of the allowed values")}},
		{"given members keep their values, zero values included", "/defaults",
			`{"level":"warn","retries":0,"ratio":0,"verbose":true,"note":""}`,
			PostDefaultsRequest{Body: Defaults{Level: httpcheck.Ptr(DefaultsLevelWarn), Retries: httpcheck.Ptr[int32](0), Ratio: httpcheck.Ptr(0.0), Verbose: httpcheck.Ptr(true), Note: types.NewNullable("")}},
			`{"retries":"3"}`, []httpcheck.FieldError{httpcheck.BodyError("/retries", "type", `"integer"`, "must be an integer")}},
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
		errs           []httpcheck.FieldError
	}{
		{"a member named twice is refused", "/strings",
			`{"name":"ab"}`, PostStringsRequest{Body: Strings{Name: httpcheck.Ptr("ab")}},
			jsonType, `{"name":"ab","name":"cd"}`, 400, invalid, []httpcheck.FieldError{httpcheck.BodyError("/name", "duplicate", "", "names a member more than once")}},
		{"a member named twice deep inside is refused at its pointer", "/arrays",
			`{"points":[{"x":1,"y":2}]}`, PostArraysRequest{Body: Arrays{Points: []Point{{X: 1, Y: 2}}}},
			jsonType, `{"points":[{"x":1,"y":2},{"x":1,"y":2,"x":3}]}`, 400, invalid, []httpcheck.FieldError{httpcheck.BodyError("/points/1/x", "duplicate", "", "names a member more than once")}},
		{"data after the JSON value is refused", "/strings",
			`{"name":"ab"}` + "\n", PostStringsRequest{Body: Strings{Name: httpcheck.Ptr("ab")}},
			jsonType, `{"name":"ab"} {"name":"cd"}`, 400, "the body is not valid JSON: data after the JSON value at offset 14", nil},
		{"invalid UTF-8 is refused", "/strings",
			`{"name":"\u00e9\u00e9"}`, PostStringsRequest{Body: Strings{Name: httpcheck.Ptr("éé")}},
			jsonType, "{\"name\":\"a\xffb\"}", 400, "the body is not valid JSON: invalid UTF-8 at offset 10", nil},
		{"a lone surrogate escape is refused", "/strings",
			`{"name":"\ud83d\ude00!"}`, PostStringsRequest{Body: Strings{Name: httpcheck.Ptr("😀!")}},
			jsonType, `{"name":"\ud83d!"}`, 400, "the body is not valid JSON: lone surrogate in \\u escape at offset 15", nil},
		{"nesting 64 deep is accepted and 65 deep refused", "/arrays",
			`{"unique":` + nested(63, "1") + `}`, PostArraysRequest{Body: Arrays{Unique: []json.RawMessage{json.RawMessage(nested(62, "1"))}}},
			jsonType, `{"unique":` + nested(64, "1") + `}`, 400, "the body nests JSON too deeply", nil},
		{"a Content-Type the operation does not declare is a 415", "/strings",
			`{"name":"ab"}`, PostStringsRequest{Body: Strings{Name: httpcheck.Ptr("ab")}},
			"text/plain", `{"name":"ab"}`, 415, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, resp, data := httpcheck.Exchange(t, serve, "POST", tc.path, jsonType+"; charset=utf-8", nil, tc.pass)
			httpcheck.WantAccepted(t, h, resp, data, tc.want)
			h, resp, data = httpcheck.Exchange(t, serve, "POST", tc.path, tc.failType, nil, tc.fail)
			httpcheck.WantRefused(t, h, resp, data, httpcheck.Problem{Status: tc.status, Detail: tc.detail, Errors: tc.errs}, httpcheck.Scalars(tc.fail))
		})
	}
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
	q := func(query string) httpcheck.Call { return httpcheck.Call{Target: "/search/1?" + query} }
	tests := []struct {
		name string
		pass httpcheck.Call
		want SearchRequest
		fail httpcheck.Call
		errs []httpcheck.FieldError
	}{
		{"a path integer is decoded and a word refused", httpcheck.Call{Target: "/search/42"}, base(func(r *SearchRequest) { r.ID = 42 }),
			httpcheck.Call{Target: "/search/forty"}, []httpcheck.FieldError{httpcheck.ParamError("path", "id", "type", `"integer"`, "is not an integer")}},
		{"a path int32 beyond its range is refused, not wrapped", httpcheck.Call{Target: "/search/2147483647"}, base(func(r *SearchRequest) { r.ID = 2147483647 }),
			httpcheck.Call{Target: "/search/2147483648"}, []httpcheck.FieldError{httpcheck.ParamError("path", "id", "format", `"int32"`, "is out of range for int32")}},
		{"a path minimum refuses zero", httpcheck.Call{Target: "/search/1"}, base(nil),
			httpcheck.Call{Target: "/search/0"}, []httpcheck.FieldError{httpcheck.ParamError("path", "id", "minimum", "1", "must be at least 1")}},
		{"a query minLength counts code points", q("q=%C3%A9%C3%A9"), base(func(r *SearchRequest) { r.Q = httpcheck.Ptr("éé") }),
			q("q=%C3%A9"), []httpcheck.FieldError{httpcheck.ParamError("query", "q", "minLength", "2", "must be at least 2 characters long")}},
		{"a query maxLength counts code points", q("q=%C3%A9%C3%A9%C3%A9%C3%A9"), base(func(r *SearchRequest) { r.Q = httpcheck.Ptr("éééé") }),
			q("q=%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9"), []httpcheck.FieldError{httpcheck.ParamError("query", "q", "maxLength", "4", "must be at most 4 characters long")}},
		{"a query pattern RE2 can run is matched", q("code=ABC-12"), base(func(r *SearchRequest) { r.Code = httpcheck.Ptr("ABC-12") }),
			q("code=ABC-1"), []httpcheck.FieldError{httpcheck.ParamError("query", "code", "pattern", `"^[A-Z]{3}-[0-9]{2,4}$"`, "must match the pattern")}},
		{"a query pattern with lookaheads runs with ECMAScript semantics", q("secret=a1b2c3"), base(func(r *SearchRequest) { r.Secret = httpcheck.Ptr("a1b2c3") }),
			q("secret=123456"), []httpcheck.FieldError{httpcheck.ParamError("query", "secret", "pattern", `"^(?=.*[0-9])(?=.*[a-z])[0-9a-z]{6,}$"`, "must match the pattern")}},
		{"a query enum takes a listed value and refuses another", q("color=blue"), base(func(r *SearchRequest) { r.Color = httpcheck.Ptr(SearchColorBlue) }),
			q("color=purple"), []httpcheck.FieldError{httpcheck.ParamError("query", "color", "enum", `["red","green","blue"]`, "must be one of the allowed values")}},
		{"a query const takes its value and refuses another", q("mode=fast"), base(func(r *SearchRequest) { r.Mode = httpcheck.Ptr("fast") }),
			q("mode=slow"), []httpcheck.FieldError{httpcheck.ParamError("query", "mode", "const", `"fast"`, "must be the constant value")}},
		{"absent parameters take their defaults and a given one is still checked", q(""), base(nil),
			q("sort=size"), []httpcheck.FieldError{httpcheck.ParamError("query", "sort", "enum", `["name","age"]`, "must be one of the allowed values")}},
		{"a query maximum is inclusive", q("limit=50&sort=age"), base(func(r *SearchRequest) { r.Limit, r.Sort = 50, SearchSortAge }),
			q("limit=51"), []httpcheck.FieldError{httpcheck.ParamError("query", "limit", "maximum", "50", "must be at most 50")}},
		{"exclusiveMinimum in the 3.1 numeric form refuses the bound itself", q("ratio=0.5"), base(func(r *SearchRequest) { r.Ratio = httpcheck.Ptr(0.5) }),
			q("ratio=0"), []httpcheck.FieldError{httpcheck.ParamError("query", "ratio", "exclusiveMinimum", "0", "must be greater than 0")}},
		{"exclusiveMaximum in the 3.1 numeric form refuses the bound itself", q("ratio=0.99"), base(func(r *SearchRequest) { r.Ratio = httpcheck.Ptr(0.99) }),
			q("ratio=1"), []httpcheck.FieldError{httpcheck.ParamError("query", "ratio", "exclusiveMaximum", "1", "must be less than 1")}},
		{"a query multipleOf is exact: 0.3 is a multiple of 0.1", q("step=0.3"), base(func(r *SearchRequest) { r.Step = httpcheck.Ptr(0.3) }),
			q("step=0.35"), []httpcheck.FieldError{httpcheck.ParamError("query", "step", "multipleOf", "0.1", "must be a multiple of 0.1")}},
		{"a query date takes a leap day and refuses one in a common year", q("day=2024-02-29"),
			base(func(r *SearchRequest) { r.Day = &types.Date{Year: 2024, Month: time.February, Day: 29} }),
			q("day=2023-02-29"), []httpcheck.FieldError{httpcheck.ParamError("query", "day", "format", `"date"`, "is not a date")}},
		{"a query email format is checked", q("email=ada%40example.com"), base(func(r *SearchRequest) { r.Email = httpcheck.Ptr("ada@example.com") }),
			q("email=ada.example.com"), []httpcheck.FieldError{httpcheck.ParamError("query", "email", "format", `"email"`, "must be an email address")}},
		{"a query array minItems refuses an empty list", q("tags=a"), base(func(r *SearchRequest) { r.Tags = []string{"a"} }),
			q("tags="), []httpcheck.FieldError{httpcheck.ParamError("query", "tags", "minItems", "1", "must have at least 1 item")}},
		{"a query array maxItems refuses a fourth item", q("tags=a&tags=b&tags=c"), base(func(r *SearchRequest) { r.Tags = []string{"a", "b", "c"} }),
			q("tags=a&tags=b&tags=c&tags=d"), []httpcheck.FieldError{httpcheck.ParamError("query", "tags", "maxItems", "3", "must have at most 3 items")}},
		{"a query array uniqueItems refuses a repeated item", q("tags=a&tags=b"), base(func(r *SearchRequest) { r.Tags = []string{"a", "b"} }),
			q("tags=a&tags=a"), []httpcheck.FieldError{httpcheck.ParamError("query", "tags", "uniqueItems", "true", "must not contain duplicate items")}},
		{"a query array checks each item", q("tags=short"), base(func(r *SearchRequest) { r.Tags = []string{"short"} }),
			q("tags=longer"), []httpcheck.FieldError{httpcheck.ParamError("query", "tags", "maxLength", "5", "must be at most 5 characters long")}},
		{"a header format is checked",
			httpcheck.Call{Target: "/search/1", Header: http.Header{"X-Trace": {"3fa85f64-5717-4562-b3fc-2c963f66afa6"}}},
			base(func(r *SearchRequest) { r.XTrace = httpcheck.Ptr("3fa85f64-5717-4562-b3fc-2c963f66afa6") }),
			httpcheck.Call{Target: "/search/1", Header: http.Header{"X-Trace": {"trace-me-please"}}},
			[]httpcheck.FieldError{httpcheck.ParamError("header", "X-Trace", "format", `"uuid"`, "must be a UUID")}},
		{"a cookie minLength is checked",
			httpcheck.Call{Target: "/search/1", Header: http.Header{"Cookie": {"session=abcdefgh"}}},
			base(func(r *SearchRequest) { r.Session = httpcheck.Ptr("abcdefgh") }),
			httpcheck.Call{Target: "/search/1", Header: http.Header{"Cookie": {"session=abcdefg"}}},
			[]httpcheck.FieldError{httpcheck.ParamError("cookie", "session", "minLength", "8", "must be at least 8 characters long")}},
		{"every failing parameter is listed, in declaration order", q("q=ab&color=red&limit=1"),
			base(func(r *SearchRequest) { r.Q, r.Color, r.Limit = httpcheck.Ptr("ab"), httpcheck.Ptr(SearchColorRed), 1 }),
			q("limit=0&color=purple&q=a"), []httpcheck.FieldError{
				httpcheck.ParamError("query", "q", "minLength", "2", "must be at least 2 characters long"),
				httpcheck.ParamError("query", "color", "enum", `["red","green","blue"]`, "must be one of the allowed values"),
				httpcheck.ParamError("query", "limit", "minimum", "1", "must be at least 1"),
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, resp, data := httpcheck.Exchange(t, serve, "GET", tc.pass.Target, "", tc.pass.Header, "")
			httpcheck.WantAccepted(t, h, resp, data, tc.want)
			h, resp, data = httpcheck.Exchange(t, serve, "GET", tc.fail.Target, "", tc.fail.Header, "")
			httpcheck.WantRefused(t, h, resp, data, httpcheck.Problem{Status: 400, Detail: invalid, Errors: tc.errs}, tc.fail.SentValues())
		})
	}
}
