package types

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/secgen/secgen/golden/internal/httpcheck"
	"github.com/secgen/secgen/runtime/types"
)

// echo implements every operation, remembering the requests and
// sending the body back unchanged (ReverseList reverses it).
type echo struct {
	httpcheck.Recorder
	tree TreeNode // what GetTree returns
}

func (h *echo) AddContactMethod(_ context.Context, req AddContactMethodRequest) (AddContactMethodResponse, error) {
	h.Record(req)
	return AddContactMethodNoContentResponse{}, nil
}

func (h *echo) CreateEmployee(_ context.Context, req CreateEmployeeRequest) (CreateEmployeeResponse, error) {
	h.Record(req)
	return CreateEmployeeCreatedResponse{Body: req.Body}, nil
}

func (h *echo) GetInventory(_ context.Context, req GetInventoryRequest) (GetInventoryResponse, error) {
	h.Record(req)
	return GetInventoryOKResponse{Body: Inventory{
		Warehouses: map[string][]Item{"BER": {}, "AMS": {{Sku: "ABCD-1", Quantity: 3}, {Sku: "EFGH-2", Quantity: 0}}},
		Counts:     map[string]int64{"EFGH-2": 0, "ABCD-1": 3},
	}}, nil
}

func (h *echo) ReverseList(_ context.Context, req ReverseListRequest) (ReverseListResponse, error) {
	h.Record(req)
	var out *LinkedNode
	for n := &req.Body; n != nil; n = n.Next {
		out = &LinkedNode{Value: n.Value, Next: out}
	}
	return ReverseListOKResponse{Body: *out}, nil
}

func (h *echo) CreatePet(_ context.Context, req CreatePetRequest) (CreatePetResponse, error) {
	h.Record(req)
	return CreatePetCreatedResponse{Body: req.Body}, nil
}

func (h *echo) CreateRecord(_ context.Context, req CreateRecordRequest) (CreateRecordResponse, error) {
	h.Record(req)
	return CreateRecordCreatedResponse{Body: req.Body}, nil
}

func (h *echo) EchoShape(_ context.Context, req EchoShapeRequest) (EchoShapeResponse, error) {
	h.Record(req)
	return EchoShapeOKResponse{Body: req.Body}, nil
}

func (h *echo) GetTree(_ context.Context, req GetTreeRequest) (GetTreeResponse, error) {
	h.Record(req)
	return GetTreeOKResponse{Body: h.tree}, nil
}

func (h *echo) ReplaceTree(_ context.Context, req ReplaceTreeRequest) (ReplaceTreeResponse, error) {
	h.Record(req)
	return ReplaceTreeOKResponse{Body: req.Body}, nil
}

func (h *echo) EchoValue(_ context.Context, req EchoValueRequest) (EchoValueResponse, error) {
	h.Record(req)
	return EchoValueOKResponse{Body: req.Body}, nil
}

func newServer(t *testing.T) (*echo, *httptest.Server) {
	t.Helper()
	h := &echo{}
	return h, httpcheck.Serve(t, NewRouter(h))
}

// roundTrip sends body, checks the status, and returns the response body.
func roundTrip(t *testing.T, srv *httptest.Server, method, path, body string, status int) []byte {
	t.Helper()
	resp, data := httpcheck.SendJSON(t, srv, method, path, body)
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body: %s", resp.StatusCode, status, data)
	}
	if status != http.StatusNoContent {
		if got := resp.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type = %q, want application/json", got)
		}
	}
	return data
}

// wantBadRequest checks that sending body is refused with a 400 problem
// listing errs, and never reaches the handler.
func wantBadRequest(t *testing.T, h *echo, srv *httptest.Server, path, body string, errs ...httpcheck.FieldError) {
	t.Helper()
	resp, data := httpcheck.SendJSON(t, srv, "POST", path, body)
	httpcheck.CheckProblem(t, resp, data, httpcheck.Problem{Status: http.StatusBadRequest, Detail: "the request is not valid", Errors: errs})
	if n := h.Count(); n != 0 {
		t.Errorf("handler called %d times, want 0", n)
	}
}

// jsonValue decodes JSON generically, numbers kept exact.
func jsonValue(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	return v
}

// sameJSON fails unless got and want hold the same JSON value.
func sameJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	if !reflect.DeepEqual(jsonValue(t, got), jsonValue(t, []byte(want))) {
		t.Errorf("JSON = %s, want %s", bytes.TrimSpace(got), want)
	}
}

func TestNullabilityRoundTrip(t *testing.T) {
	tests := []struct {
		name, json string
		back       string // the nullability sent back, when not json
		want       Nullability
	}{
		{
			name: "values of every combination reach the handler and come back, the unit defaulted",
			json: `{"requiredNonNull":"a","requiredNullable":"b","requiredNullableInt":5,"optionalNonNull":"c","optionalNullable":"d",
				"optionalNullableNumber":1.5,"optionalNullableArray":["x","y"],"optionalNullableRef":{"width":1,"height":2}}`,
			back: `{"requiredNonNull":"a","requiredNullable":"b","requiredNullableInt":5,"optionalNonNull":"c","optionalNullable":"d",
				"optionalNullableNumber":1.5,"optionalNullableArray":["x","y"],"optionalNullableRef":{"width":1,"height":2,"unit":"mm"}}`,
			want: Nullability{RequiredNonNull: "a", RequiredNullable: httpcheck.Ptr("b"), RequiredNullableInt: httpcheck.Ptr[int64](5), OptionalNonNull: httpcheck.Ptr("c"),
				OptionalNullable: types.NewNullable("d"), OptionalNullableNumber: types.NewNullable(1.5),
				OptionalNullableArray: types.NewNullable([]string{"x", "y"}),
				OptionalNullableRef:   types.NewNullable(Dimensions{Width: 1, Height: 2, Unit: httpcheck.Ptr(DimensionsUnitMm)})},
		},
		{
			name: "nulls stay null and are sent back as null",
			json: `{"requiredNonNull":"a","requiredNullable":null,"requiredNullableInt":null,"optionalNullable":null,
				"optionalNullableNumber":null,"optionalNullableArray":null,"optionalNullableRef":null}`,
			want: Nullability{RequiredNonNull: "a", OptionalNullable: types.Null[string](), OptionalNullableNumber: types.Null[float64](),
				OptionalNullableArray: types.Null[[]string](), OptionalNullableRef: types.Null[Dimensions]()},
		},
		{
			name: "absent optional members stay absent",
			json: `{"requiredNonNull":"a","requiredNullable":null,"requiredNullableInt":null}`,
			want: Nullability{RequiredNonNull: "a"},
		},
		{
			name: "zero values are neither absent nor null",
			json: `{"requiredNonNull":"","requiredNullable":"","requiredNullableInt":0,"optionalNonNull":"","optionalNullable":"",
				"optionalNullableNumber":0,"optionalNullableArray":[]}`,
			want: Nullability{RequiredNullable: httpcheck.Ptr(""), RequiredNullableInt: httpcheck.Ptr[int64](0), OptionalNonNull: httpcheck.Ptr(""),
				OptionalNullable: types.NewNullable(""), OptionalNullableNumber: types.NewNullable(0.0), OptionalNullableArray: types.NewNullable([]string{})},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			body := `{"apiVersion":"v1","kind":"Record","status":"draft","nullability":` + tt.json + `}`
			data := roundTrip(t, srv, "POST", "/records", body, http.StatusCreated)
			if got := httpcheck.LastRequest[CreateRecordRequest](t, h).Body.Nullability; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handler got %+v, want %+v", got, tt.want)
			}
			if tt.back != "" {
				body = strings.Replace(body, tt.json, tt.back, 1)
			}
			sameJSON(t, data, body)
		})
	}
}

func TestEnumsFormatsAndNames(t *testing.T) {
	h, srv := newServer(t)
	body := `{"apiVersion":"v1","kind":"Record","status":"active","priority":2,
		"nullability":{"requiredNonNull":"a","requiredNullable":null,"requiredNullableInt":null},
		"formats":{"day":"2024-02-29","at":"2024-05-01T10:20:30.5+02:00","uid":"0b0f3c1e-6a4d-4b8e-9d3f-2c1a5e7b9f00",
			"blob":"aGVsbG8=","email":"a@example.com","small":-7,"big":9007199254740993,"ratio":0.25,"precise":0.1,
			"plainInteger":-9223372036854775808,"plainNumber":1e-7},
		"naming":{"id":1,"url":"https://example.com","http_status":404,"created-at":"2024-01-02T03:04:05Z","2fa":true,
			"type":"admin","_private":"p","userID":"u-1","user_id":42}}`
	data := roundTrip(t, srv, "POST", "/records", body, http.StatusCreated)
	rec := httpcheck.LastRequest[CreateRecordRequest](t, h).Body
	if rec.APIVersion != "v1" || rec.Kind != "Record" || rec.Status != StatusActive || rec.Priority == nil || *rec.Priority != Priority2 {
		t.Errorf("apiVersion, kind, status, priority = %q, %q, %q, %v; want v1, Record, active, 2", rec.APIVersion, rec.Kind, rec.Status, rec.Priority)
	}
	wantFormats := &Formats{
		Day: &types.Date{Year: 2024, Month: time.February, Day: 29}, At: httpcheck.Ptr(time.Date(2024, 5, 1, 8, 20, 30, 5e8, time.UTC)),
		UID: httpcheck.Ptr("0b0f3c1e-6a4d-4b8e-9d3f-2c1a5e7b9f00"), Blob: []byte("hello"), Email: httpcheck.Ptr("a@example.com"),
		Small: httpcheck.Ptr[int32](-7), Big: httpcheck.Ptr[int64](9007199254740993), Ratio: httpcheck.Ptr[float32](0.25), Precise: httpcheck.Ptr(0.1),
		PlainInteger: httpcheck.Ptr[int64](-9223372036854775808), PlainNumber: httpcheck.Ptr(1e-7),
	}
	got := rec.Formats
	if got == nil || got.At == nil || !got.At.Equal(*wantFormats.At) {
		t.Fatalf("formats = %+v, want at = %v", got, wantFormats.At)
	}
	gotCopy := *got
	gotCopy.At = wantFormats.At // compared above as an instant
	if !reflect.DeepEqual(&gotCopy, wantFormats) {
		t.Errorf("formats = %+v, want %+v", got, wantFormats)
	}
	wantNaming := &Naming{ID: 1, URL: httpcheck.Ptr("https://example.com"), HTTPStatus: httpcheck.Ptr[int32](404),
		CreatedAt: httpcheck.Ptr(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)), N2fa: httpcheck.Ptr(true), Type: "admin",
		Private: httpcheck.Ptr("p"), UserID: httpcheck.Ptr("u-1"), UserID2: httpcheck.Ptr[int64](42)}
	if !reflect.DeepEqual(rec.Naming, wantNaming) {
		t.Errorf("naming = %+v, want %+v", rec.Naming, wantNaming)
	}
	// The offset of the date-time and every digit of the numbers survive.
	sameJSON(t, data, body)
	for _, frag := range []string{`"at":"2024-05-01T10:20:30.5+02:00"`, `"big":9007199254740993`, `"plainNumber":1e-7`} {
		if !bytes.Contains(data, []byte(frag)) {
			t.Errorf("response %s lacks %s", data, frag)
		}
	}
}

func TestUndecodableValuesAreRefused(t *testing.T) {
	record := func(formats string) string {
		return `{"apiVersion":"v1","kind":"Record","status":"draft","nullability":{"requiredNonNull":"a","requiredNullable":null,"requiredNullableInt":null},"formats":` + formats + `}`
	}
	item := `"items":[{"sku":"ABCD-1","quantity":1}]`
	tests := []struct {
		name, path, body string
		want             []httpcheck.FieldError
	}{
		{"a date that does not exist is a 400", "/records", record(`{"day":"2024-02-30"}`),
			[]httpcheck.FieldError{{In: "body", Pointer: "/formats/day", Keyword: "format", Limit: `"date"`, Message: "must be an RFC 3339 date"}}},
		{"a date-time without an offset is a 400", "/records", record(`{"at":"2024-05-01T10:20:30"}`),
			[]httpcheck.FieldError{{In: "body", Pointer: "/formats/at", Keyword: "format", Limit: `"date-time"`, Message: "must be an RFC 3339 date-time"}}},
		{"bytes that are not base64 is a 400", "/records", record(`{"blob":"not base64!"}`),
			[]httpcheck.FieldError{{In: "body", Pointer: "/formats/blob", Keyword: "format", Limit: `"byte"`, Message: "must be base64 text"}}},
		{"a fraction for an int64 is a 400", "/records", record(`{"big":1.5}`),
			[]httpcheck.FieldError{{In: "body", Pointer: "/formats/big", Keyword: "type", Limit: `"integer"`, Message: "must be an integer"}}},
		{"an int32 out of range is a 400 for its format and its maximum", "/records", record(`{"small":2147483648}`),
			[]httpcheck.FieldError{{In: "body", Pointer: "/formats/small", Keyword: "format", Limit: `"int32"`, Message: "must be an integer that fits in 32 bits"},
				{In: "body", Pointer: "/formats/small", Keyword: "maximum", Limit: "1000", Message: "must be at most 1000"}}},
		{"a ratio of zero is a 400 for the 3.1 exclusiveMinimum", "/records", record(`{"ratio":0}`),
			[]httpcheck.FieldError{{In: "body", Pointer: "/formats/ratio", Keyword: "exclusiveMinimum", Limit: "0", Message: "must be greater than 0"}}},
		{"a string enum given a number is a 400", "/records", strings.Replace(record(`{}`), `"draft"`, `3`, 1),
			[]httpcheck.FieldError{{In: "body", Pointer: "/status", Keyword: "type", Limit: `"string"`, Message: "must be a string"}}},
		{"a const other than its value is a 400", "/records", strings.Replace(record(`{}`), `"v1"`, `"v2"`, 1),
			[]httpcheck.FieldError{{In: "body", Pointer: "/apiVersion", Keyword: "const", Limit: `"v1"`, Message: "must be the constant value"}}},
		{"an integer enum given another integer is a 400", "/records", strings.Replace(record(`{}`), `"status":"draft"`, `"status":"draft","priority":5`, 1),
			[]httpcheck.FieldError{{In: "body", Pointer: "/priority", Keyword: "enum", Limit: `[1,2,3,4]`, Message: "must be one of the allowed values"}}},
		{"an additional property of the wrong type is a 400", "/shapes", `{"name":"n",` + item + `,"metadata":{"version":1,"region":5}}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/metadata/region", Keyword: "type", Limit: `"string"`, Message: "must be a string"}}},
		{"a map value of the wrong type is a 400", "/shapes", `{"name":"n",` + item + `,"labels":{"env":true}}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/labels/env", Keyword: "type", Limit: `"string"`, Message: "must be a string"}}},
		{"an empty item list and a bad sku are both listed", "/shapes", `{"name":"","items":[]}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/name", Keyword: "minLength", Limit: "1", Message: "must be at least 1 character long"},
				{In: "body", Pointer: "/items", Keyword: "minItems", Limit: "1", Message: "must have at least 1 item"}}},
		{"an item failing its pattern and minimum points into the array", "/shapes", `{"name":"n","items":[{"sku":"ABCD-1","quantity":1},{"sku":"ab","quantity":-1}]}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/items/1/sku", Keyword: "pattern", Limit: `"^[A-Z0-9-]{4,20}$"`, Message: "must match the pattern"},
				{In: "body", Pointer: "/items/1/quantity", Keyword: "minimum", Limit: "0", Message: "must be at least 0"}}},
		{"duplicate tags are a 400 for uniqueItems", "/shapes", `{"name":"n",` + item + `,"tags":["a","b","a"]}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/tags", Keyword: "uniqueItems", Limit: "true", Message: "must not contain duplicate items"}}},
		{"a label longer than 64 characters is a 400", "/shapes", `{"name":"n",` + item + `,"labels":{"env":"` + strings.Repeat("x", 65) + `"}}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/labels/env", Keyword: "maxLength", Limit: "64", Message: "must be at most 64 characters long"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			wantBadRequest(t, h, srv, tt.path, tt.body, tt.want...)
		})
	}
}

func TestMapsAndAdditionalProperties(t *testing.T) {
	h, srv := newServer(t)
	body := `{"name":"crate","items":[{"sku":"ABCD-1","quantity":2},{"sku":"EFGH-2","quantity":0}],
		"labels":{"env":"prod","team":"core"},"metadata":{"version":3,"owner":"ops","region":"eu","tier":"gold"},
		"size":{"width":1.5,"height":2,"unit":"cm"},"matrix":[[1,2.5],[],[3]],"tags":["a","b"]}`
	data := roundTrip(t, srv, "POST", "/shapes", body, http.StatusOK)
	want := Shape{
		Name: "crate", Items: []Item{{Sku: "ABCD-1", Quantity: 2}, {Sku: "EFGH-2", Quantity: 0}},
		Labels:   Labels{"env": "prod", "team": "core"},
		Metadata: &Metadata{Version: 3, Owner: httpcheck.Ptr("ops"), AdditionalProperties: map[string]string{"region": "eu", "tier": "gold"}},
		Size:     &FlexibleValue{Dimensions: &Dimensions{Width: 1.5, Height: 2, Unit: httpcheck.Ptr(DimensionsUnitCm)}},
		Matrix:   [][]float64{{1, 2.5}, {}, {3}}, Tags: []string{"a", "b"},
	}
	if got := httpcheck.LastRequest[EchoShapeRequest](t, h).Body; !reflect.DeepEqual(got, want) {
		t.Errorf("handler got %+v, want %+v", got, want)
	}
	sameJSON(t, data, body)

	data = roundTrip(t, srv, "GET", "/inventory", "", http.StatusOK)
	wantJSON := `{"counts":{"ABCD-1":3,"EFGH-2":0},"warehouses":{"AMS":[{"quantity":3,"sku":"ABCD-1"},{"quantity":0,"sku":"EFGH-2"}],"BER":[]}}`
	if got := string(bytes.TrimSpace(data)); got != wantJSON {
		t.Errorf("inventory = %s, want %s", got, wantJSON)
	}
}

func TestAllOfMergesFields(t *testing.T) {
	tests := []struct {
		name, json string
		phone      types.Nullable[string]
	}{
		{"every merged field is kept, with a phone", `"phone":"+44 20 7946 0000"`, types.NewNullable("+44 20 7946 0000")},
		{"a null phone stays null", `"phone":null`, types.Null[string]()},
		{"an absent phone stays absent", ``, types.Nullable[string]{}},
	}
	t.Run("an absent manager takes its default", func(t *testing.T) {
		h, srv := newServer(t)
		body := `{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","employeeNumber":"E000001"}`
		data := roundTrip(t, srv, "POST", "/employees", body, http.StatusCreated)
		want := Employee{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", EmployeeNumber: "E000001", Manager: httpcheck.Ptr(false)}
		if got := httpcheck.LastRequest[CreateEmployeeRequest](t, h).Body; !reflect.DeepEqual(got, want) {
			t.Errorf("handler got %+v, want %+v", got, want)
		}
		sameJSON(t, data, `{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","employeeNumber":"E000001","manager":false}`)
	})
	refused := []struct {
		name, body string
		want       []httpcheck.FieldError
	}{
		{"an employee number failing its pattern is a 400", `{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","employeeNumber":"E1"}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/employeeNumber", Keyword: "pattern", Limit: `"^E[0-9]{6}$"`, Message: "must match the pattern"}}},
		{"each allOf part reports its missing members", `{"firstName":"Ada"}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/lastName", Keyword: "required", Message: "is required"},
				{In: "body", Pointer: "/email", Keyword: "required", Message: "is required"},
				{In: "body", Pointer: "/employeeNumber", Keyword: "required", Message: "is required"}}},
		{"a member no allOf part declares is a 400 under the strict profile", `{"firstName":"Ada","lastName":"L","email":"a@example.com","employeeNumber":"E000001","salary":1}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/salary", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"}}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			wantBadRequest(t, h, srv, "/employees", tt.body, tt.want...)
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			body := `{"firstName":"Ada","lastName":"Lovelace","birthDate":"1815-12-10","email":"ada@example.com","employeeNumber":"E000001","manager":true`
			if tt.json != "" {
				body += "," + tt.json
			}
			body += "}"
			data := roundTrip(t, srv, "POST", "/employees", body, http.StatusCreated)
			want := Employee{FirstName: "Ada", LastName: "Lovelace", BirthDate: &types.Date{Year: 1815, Month: time.December, Day: 10},
				Email: "ada@example.com", EmployeeNumber: "E000001", Manager: httpcheck.Ptr(true), Phone: tt.phone}
			if got := httpcheck.LastRequest[CreateEmployeeRequest](t, h).Body; !reflect.DeepEqual(got, want) {
				t.Errorf("handler got %+v, want %+v", got, want)
			}
			sameJSON(t, data, body)
		})
	}
}

func TestOneOfWithDiscriminator(t *testing.T) {
	tests := []struct {
		name, body string
		back       string // the pet sent back, when not body
		want       Pet
	}{
		{"a cat decodes into Cat only", `{"petType":"cat","name":"Tom","indoor":true,"livesLeft":9}`, "",
			Pet{Cat: &Cat{PetType: "cat", Name: "Tom", Indoor: httpcheck.Ptr(true), LivesLeft: httpcheck.Ptr[int32](9)}}},
		{"a dog decodes into Dog only", `{"name":"Rex","breed":"collie","goodBoy":false,"petType":"dog"}`, "",
			Pet{Dog: &Dog{PetType: "dog", Name: "Rex", Breed: httpcheck.Ptr("collie"), GoodBoy: httpcheck.Ptr(false)}}},
		{"a dog without goodBoy takes its default", `{"petType":"dog","name":"Rex"}`, `{"petType":"dog","name":"Rex","goodBoy":true}`,
			Pet{Dog: &Dog{PetType: "dog", Name: "Rex", GoodBoy: httpcheck.Ptr(true)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			data := roundTrip(t, srv, "POST", "/pets", tt.body, http.StatusCreated)
			if got := httpcheck.LastRequest[CreatePetRequest](t, h).Body; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handler got cat %+v dog %+v, want cat %+v dog %+v", got.Cat, got.Dog, tt.want.Cat, tt.want.Dog)
			}
			back := tt.back
			if back == "" {
				back = tt.body
			}
			sameJSON(t, data, back)
		})
	}
	refused := []struct {
		name, body string
		want       []httpcheck.FieldError
	}{
		{"an unknown discriminator value is a 400", `{"petType":"bird","name":"Tweety"}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/petType", Keyword: "discriminator", Message: "must name one of the schemas"}}},
		{"a missing discriminator is a 400", `{"name":"Tom"}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/petType", Keyword: "required", Message: "is required"}}},
		{"a discriminator that is not a string is a 400 for its type", `{"petType":1,"name":"Tom"}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/petType", Keyword: "type", Limit: `"string"`, Message: "must be a string"}}},
		{"an array instead of a pet is a 400", `[{"petType":"cat","name":"Tom"}]`,
			[]httpcheck.FieldError{{In: "body", Keyword: "oneOf", Message: "must match exactly one of the schemas; it matches none"}}},
		{"a cat with a dog's member is a 400 under the strict profile", `{"petType":"cat","name":"Tom","breed":"tabby"}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/breed", Keyword: "additionalProperties", Limit: "false", Message: "is not a declared property"}}},
		{"a cat with ten lives left is a 400", `{"petType":"cat","name":"Tom","livesLeft":10}`,
			[]httpcheck.FieldError{{In: "body", Pointer: "/livesLeft", Keyword: "maximum", Limit: "9", Message: "must be at most 9"}}},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			wantBadRequest(t, h, srv, "/pets", tt.body, tt.want...)
		})
	}
}

func TestOneOfByJSONKind(t *testing.T) {
	tests := []struct {
		name, body string
		back       string // the value sent back, when not body
		want       FlexibleValue
	}{
		{"a JSON string is the string variant", `"hello"`, "", FlexibleValue{String2: httpcheck.Ptr("hello")}},
		{"a string of digits is still the string variant", `"12"`, "", FlexibleValue{String2: httpcheck.Ptr("12")}},
		{"a JSON integer is the int64 variant", `42`, "", FlexibleValue{Int64: httpcheck.Ptr[int64](42)}},
		{"a large integer keeps every digit", `9007199254740993`, "", FlexibleValue{Int64: httpcheck.Ptr[int64](9007199254740993)}},
		{"a JSON object is the dimensions variant, its unit defaulted", `{"width":3,"height":4.5}`, `{"width":3,"height":4.5,"unit":"mm"}`,
			FlexibleValue{Dimensions: &Dimensions{Width: 3, Height: 4.5, Unit: httpcheck.Ptr(DimensionsUnitMm)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			data := roundTrip(t, srv, "POST", "/values", tt.body, http.StatusOK)
			if got := httpcheck.LastRequest[EchoValueRequest](t, h).Body; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handler got %+v, want %+v", got, tt.want)
			}
			back := tt.back
			if back == "" {
				back = tt.body
			}
			sameJSON(t, data, back)
		})
	}
	for _, body := range []string{`4.5`, `true`, `[1]`, `{"width":-1,"height":1}`} {
		t.Run(body+" matching no variant is a 400", func(t *testing.T) {
			h, srv := newServer(t)
			wantBadRequest(t, h, srv, "/values", body,
				httpcheck.FieldError{In: "body", Keyword: "oneOf", Message: "must match exactly one of the schemas; it matches none"})
		})
	}
}

func TestAnyOf(t *testing.T) {
	tests := []struct {
		name, body string
		want       ContactMethod
	}{
		{"email details alone fill EmailContact", `{"email":"a@example.com","verified":true}`,
			ContactMethod{EmailContact: &EmailContact{Email: "a@example.com", Verified: httpcheck.Ptr(true)}}},
		{"phone details alone fill PhoneContact", `{"phone":"+441234567","sms":false}`,
			ContactMethod{PhoneContact: &PhoneContact{Phone: "+441234567", Sms: httpcheck.Ptr(false)}}},
		{"email and phone details together fill both variants", `{"email":"a@example.com","phone":"+441234567","sms":true}`,
			ContactMethod{EmailContact: &EmailContact{Email: "a@example.com"}, PhoneContact: &PhoneContact{Phone: "+441234567", Sms: httpcheck.Ptr(true)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t)
			roundTrip(t, srv, "POST", "/contacts", tt.body, http.StatusNoContent)
			if got := httpcheck.LastRequest[AddContactMethodRequest](t, h).Body; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("handler got email %+v phone %+v, want email %+v phone %+v", got.EmailContact, got.PhoneContact, tt.want.EmailContact, tt.want.PhoneContact)
			}
		})
	}
	t.Run("a string matching no variant is a 400", func(t *testing.T) {
		h, srv := newServer(t)
		wantBadRequest(t, h, srv, "/contacts", `"a@example.com"`,
			httpcheck.FieldError{In: "body", Keyword: "anyOf", Message: "must match at least one of the schemas"})
	})
}

// chain builds a tree of the given depth: each node has two children,
// the first of which continues the chain.
func chain(depth int, value string) TreeNode {
	n := TreeNode{Value: value}
	if depth > 1 {
		n.Children = []TreeNode{chain(depth-1, value+".0"), {Value: value + ".1"}}
	}
	return n
}

func TestRecursiveTypes(t *testing.T) {
	t.Run("a tree five levels deep is decoded and sent back whole", func(t *testing.T) {
		h, srv := newServer(t)
		want := chain(5, "r")
		body, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), `"value":"r.0.0.0.0"`) {
			t.Fatalf("test tree %s is not five levels deep", body)
		}
		data := roundTrip(t, srv, "PUT", "/trees/0b0f3c1e-6a4d-4b8e-9d3f-2c1a5e7b9f00", string(body), http.StatusOK)
		req := httpcheck.LastRequest[ReplaceTreeRequest](t, h)
		if req.ID != "0b0f3c1e-6a4d-4b8e-9d3f-2c1a5e7b9f00" || !reflect.DeepEqual(req.Body, want) {
			t.Errorf("handler got id %q tree %+v, want the sent id and %+v", req.ID, req.Body, want)
		}
		sameJSON(t, data, string(body))
	})
	t.Run("a tree returned by the handler is encoded with leaves without children", func(t *testing.T) {
		h, srv := newServer(t)
		h.tree = chain(3, "r")
		data := roundTrip(t, srv, "GET", "/trees/0b0f3c1e-6a4d-4b8e-9d3f-2c1a5e7b9f00", "", http.StatusOK)
		want := `{"children":[{"children":[{"value":"r.0.0"},{"value":"r.0.1"}],"value":"r.0"},{"value":"r.1"}],"value":"r"}`
		if got := string(bytes.TrimSpace(data)); got != want {
			t.Errorf("tree = %s, want %s", got, want)
		}
	})
	t.Run("a linked list of four nodes is reversed", func(t *testing.T) {
		h, srv := newServer(t)
		body := `{"value":1,"next":{"value":2,"next":{"value":3,"next":{"value":4}}}}`
		data := roundTrip(t, srv, "POST", "/lists", body, http.StatusOK)
		want := LinkedNode{Value: 1, Next: &LinkedNode{Value: 2, Next: &LinkedNode{Value: 3, Next: &LinkedNode{Value: 4}}}}
		if got := httpcheck.LastRequest[ReverseListRequest](t, h).Body; !reflect.DeepEqual(got, want) {
			t.Errorf("handler got %+v, want %+v", got, want)
		}
		sameJSON(t, data, `{"value":4,"next":{"value":3,"next":{"value":2,"next":{"value":1}}}}`)
	})
}

func TestMarshalGeneratedTypes(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"a zero Nullability sends its required members only, nullable ones as null", Nullability{},
			`{"requiredNonNull":"","requiredNullable":null,"requiredNullableInt":null}`},
		{"a null optional nullable member is sent as null", Nullability{RequiredNonNull: "a", OptionalNullable: types.Null[string]()},
			`{"optionalNullable":null,"requiredNonNull":"a","requiredNullable":null,"requiredNullableInt":null}`},
		{"a oneOf with no variant set is null", Pet{}, `null`},
		{"a oneOf sends the variant that is set", Pet{Dog: &Dog{PetType: "dog", Name: "Rex"}}, `{"name":"Rex","petType":"dog"}`},
		{"an integer variant is a bare number", FlexibleValue{Int64: httpcheck.Ptr[int64](7)}, `7`},
		{"additional properties follow the declared ones, sorted", Metadata{Version: 1, AdditionalProperties: map[string]string{"b": "y", "a": "x"}},
			`{"version":1,"a":"x","b":"y"}`},
		{"a date and bytes are strings", Formats{Day: &types.Date{Year: 2024, Month: time.March, Day: 1}, Blob: []byte("hi")},
			`{"blob":"aGk=","day":"2024-03-01"}`},
		{"an anyOf with both variants set sends both", ContactMethod{EmailContact: &EmailContact{Email: "a@b.c"}, PhoneContact: &PhoneContact{Phone: "+1234567"}},
			`{"email":"a@b.c","phone":"+1234567"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("json.Marshal = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestUnmarshalGeneratedTypes(t *testing.T) {
	t.Run("absent, null and empty optional nullable members are three states", func(t *testing.T) {
		for in, want := range map[string]types.Nullable[string]{
			`{}`:                        {},
			`{"optionalNullable":null}`: types.Null[string](),
			`{"optionalNullable":""}`:   types.NewNullable(""),
		} {
			var n Nullability
			if err := json.Unmarshal([]byte(in), &n); err != nil {
				t.Fatal(err)
			}
			if n.OptionalNullable != want {
				t.Errorf("%s: optionalNullable = %+v, want %+v", in, n.OptionalNullable, want)
			}
		}
	})
	t.Run("metadata without extra members has nil AdditionalProperties", func(t *testing.T) {
		var m Metadata
		if err := json.Unmarshal([]byte(`{"version":2,"owner":"o"}`), &m); err != nil {
			t.Fatal(err)
		}
		if m.AdditionalProperties != nil || m.Version != 2 || m.Owner == nil || *m.Owner != "o" {
			t.Errorf("metadata = %+v, want version 2, owner o, no additional properties", m)
		}
	})
	t.Run("a member named like a declared one in another case is additional, not declared", func(t *testing.T) {
		var m Metadata
		if err := json.Unmarshal([]byte(`{"version":2,"OWNER":"mallory","Owner":"eve"}`), &m); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"OWNER": "mallory", "Owner": "eve"}
		if m.Owner != nil || m.Version != 2 || !reflect.DeepEqual(m.AdditionalProperties, want) {
			t.Errorf("metadata = %+v, want version 2, no owner, additional properties %v", m, want)
		}
	})
	t.Run("decoding a oneOf again clears the previous variant", func(t *testing.T) {
		v := FlexibleValue{String2: httpcheck.Ptr("old")}
		if err := json.Unmarshal([]byte(`5`), &v); err != nil {
			t.Fatal(err)
		}
		if v.String2 != nil || v.Int64 == nil || *v.Int64 != 5 {
			t.Errorf("value = %+v, want only Int64 = 5", v)
		}
	})
}
