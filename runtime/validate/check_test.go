package validate

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/secgen/secgen/runtime/problem"
)

// paramFailure builds the FieldError a check of parameter p records.
func paramFailure(keyword string, limit any, msg string) problem.FieldError {
	return problem.FieldError{In: "query", Name: "p", Keyword: keyword, Limit: limit, Message: msg}
}

var paramLoc = InParam("query", "p")

func wantList(t *testing.T, e *Errors, want []problem.FieldError) {
	t.Helper()
	got := e.List()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("failures = %+v, want %+v", got, want)
	}
}

func TestStringCheck(t *testing.T) {
	digits := MustPattern(`^[0-9]+$`)
	isOK := func(s string) bool { return s == "ok" }
	tests := []struct {
		name  string
		rule  String
		value string
		want  []problem.FieldError
	}{
		{"no constraints pass anything", String{}, "anything at all", nil},
		{"a string at the minimum length passes", String{MinLength: 2}, "ab", nil},
		{"a string below the minimum length fails", String{MinLength: 2}, "a", []problem.FieldError{
			paramFailure("minLength", 2, "must be at least 2 characters long")}},
		{"a minimum of one says character in the singular", String{MinLength: 1}, "", []problem.FieldError{
			paramFailure("minLength", 1, "must be at least 1 character long")}},
		{"lengths count code points, not bytes", String{MaxLength: Max(2)}, "é😀", nil},
		{"a string of more code points than the maximum fails", String{MaxLength: Max(2)}, "é😀e", []problem.FieldError{
			paramFailure("maxLength", 2, "must be at most 2 characters long")}},
		{"minimum lengths count code points too", String{MinLength: 3}, "😀😀", []problem.FieldError{
			paramFailure("minLength", 3, "must be at least 3 characters long")}},
		{"a maximum of zero admits only the empty string", String{MaxLength: Max(0)}, "x", []problem.FieldError{
			paramFailure("maxLength", 0, "must be at most 0 characters long")}},
		{"a maximum of zero admits the empty string", String{MaxLength: Max(0)}, "", nil},
		{"the zero Limit bounds nothing", String{MaxLength: Limit{}}, string(make([]byte, 10000)), nil},
		{"a matching pattern passes", String{Pattern: digits}, "123", nil},
		{"a pattern failure names the pattern", String{Pattern: digits}, "12a", []problem.FieldError{
			paramFailure("pattern", "^[0-9]+$", "must match the pattern")}},
		{"a format failure names the format", String{Format: isOK, FormatName: "ok-word"}, "no", []problem.FieldError{
			paramFailure("format", "ok-word", `must be in the format "ok-word"`)}},
		{"a passing format records nothing", String{Format: isOK, FormatName: "ok-word"}, "ok", nil},
		{"every failing constraint is recorded in order", String{MinLength: 5, Pattern: digits, Format: isOK, FormatName: "ok-word"}, "ab", []problem.FieldError{
			paramFailure("minLength", 5, "must be at least 5 characters long"),
			paramFailure("pattern", "^[0-9]+$", "must match the pattern"),
			paramFailure("format", "ok-word", `must be in the format "ok-word"`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			tt.rule.Check(&e, paramLoc, tt.value)
			wantList(t, &e, tt.want)
			if got, want := e.Failed(), len(tt.want) > 0; got != want {
				t.Errorf("Failed() = %v, want %v", got, want)
			}
		})
	}
}

func TestLimit(t *testing.T) {
	tests := []struct {
		name  string
		limit Limit
		count int
		want  bool
	}{
		{"the zero Limit is never exceeded", Limit{}, math.MaxInt, false},
		{"a count at the limit is not beyond it", Max(3), 3, false},
		{"a count one above the limit exceeds it", Max(3), 4, true},
		{"a limit of zero is exceeded by one", Max(0), 1, true},
		{"a limit of zero is not exceeded by zero", Max(0), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.limit.Exceeded(tt.count); got != tt.want {
				t.Errorf("Exceeded(%d) = %v, want %v", tt.count, got, tt.want)
			}
		})
	}
}

func TestNumberCheck(t *testing.T) {
	tests := []struct {
		name  string
		rule  Number
		value string
		want  []problem.FieldError
	}{
		{"no constraints pass anything", Number{}, "1e400", nil},
		{"a value at an inclusive minimum passes", Number{Minimum: Inclusive("0")}, "0", nil},
		{"negative zero is at a minimum of zero", Number{Minimum: Inclusive("0")}, "-0.0", nil},
		{"a value below an inclusive minimum fails", Number{Minimum: Inclusive("0")}, "-0.001", []problem.FieldError{
			paramFailure("minimum", limitValue("0"), "must be at least 0")}},
		{"a value at an exclusive minimum fails", Number{Minimum: Exclusive("0.1")}, "0.10", []problem.FieldError{
			paramFailure("exclusiveMinimum", limitValue("0.1"), "must be greater than 0.1")}},
		{"a value just above an exclusive minimum passes", Number{Minimum: Exclusive("0.1")}, "0.1000000000000000000001", nil},
		{"a value at an inclusive maximum passes", Number{Maximum: Inclusive("1.5")}, "15e-1", nil},
		{"a value above an inclusive maximum fails", Number{Maximum: Inclusive("0.3")}, "0.30000000000000004", []problem.FieldError{
			paramFailure("maximum", limitValue("0.3"), "must be at most 0.3")}},
		{"a value at an exclusive maximum fails", Number{Maximum: Exclusive("100")}, "1e2", []problem.FieldError{
			paramFailure("exclusiveMaximum", limitValue("100"), "must be less than 100")}},
		{"a value above the bound by less than float64 can see fails", Number{Maximum: Inclusive("100000000000000000000")}, "100000000000000000001", []problem.FieldError{
			paramFailure("maximum", limitValue("100000000000000000000"), "must be at most 100000000000000000000")}},
		{"a value below the bound by less than float64 can see passes", Number{Maximum: Inclusive("100000000000000000001")}, "100000000000000000000", nil},
		{"a value beyond float64 is above a large maximum", Number{Maximum: Inclusive("1e308")}, "1e400", []problem.FieldError{
			paramFailure("maximum", limitValue("1e308"), "must be at most 1e308")}},
		{"a value beyond float64 is below a large negative minimum", Number{Minimum: Inclusive("-1e308")}, "-1e400", []problem.FieldError{
			paramFailure("minimum", limitValue("-1e308"), "must be at least -1e308")}},
		{"a multiple passes", Number{MultipleOf: "0.01"}, "19.99", nil},
		{"a non-multiple fails", Number{MultipleOf: "0.01"}, "0.075", []problem.FieldError{
			paramFailure("multipleOf", limitValue("0.01"), "must be a multiple of 0.01")}},
		{"every failing constraint is recorded in order", Number{Minimum: Inclusive("10"), Maximum: Exclusive("5"), MultipleOf: "3"}, "7", []problem.FieldError{
			paramFailure("minimum", limitValue("10"), "must be at least 10"),
			paramFailure("exclusiveMaximum", limitValue("5"), "must be less than 5"),
			paramFailure("multipleOf", limitValue("3"), "must be a multiple of 3")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			tt.rule.Check(&e, paramLoc, tt.value)
			wantList(t, &e, tt.want)
		})
	}
}

func TestNumberCheckIntAndFloat(t *testing.T) {
	tests := []struct {
		name  string
		rule  Number
		check func(r *Number, e *Errors)
		want  []problem.FieldError
	}{
		{
			name:  "an integer at the maximum passes",
			rule:  Number{Maximum: Inclusive("100")},
			check: func(r *Number, e *Errors) { r.CheckInt(e, paramLoc, 100) },
		},
		{
			name:  "an integer above the maximum fails",
			rule:  Number{Maximum: Inclusive("100")},
			check: func(r *Number, e *Errors) { r.CheckInt(e, paramLoc, 101) },
			want:  []problem.FieldError{paramFailure("maximum", limitValue("100"), "must be at most 100")},
		},
		{
			name:  "the largest int64 is compared exactly, not as a float64",
			rule:  Number{Maximum: Inclusive("9223372036854775806")},
			check: func(r *Number, e *Errors) { r.CheckInt(e, paramLoc, math.MaxInt64) },
			want:  []problem.FieldError{paramFailure("maximum", limitValue("9223372036854775806"), "must be at most 9223372036854775806")},
		},
		{
			name:  "the smallest int64 is within its own minimum",
			rule:  Number{Minimum: Inclusive("-9223372036854775808")},
			check: func(r *Number, e *Errors) { r.CheckInt(e, paramLoc, math.MinInt64) },
		},
		{
			name:  "an integer multiple passes",
			rule:  Number{MultipleOf: "5"},
			check: func(r *Number, e *Errors) { r.CheckInt(e, paramLoc, -15) },
		},
		{
			name:  "an integer non-multiple fails",
			rule:  Number{MultipleOf: "5"},
			check: func(r *Number, e *Errors) { r.CheckInt(e, paramLoc, 7) },
			want:  []problem.FieldError{paramFailure("multipleOf", limitValue("5"), "must be a multiple of 5")},
		},
		{
			name:  "a float at a decimal maximum passes",
			rule:  Number{Maximum: Inclusive("0.1")},
			check: func(r *Number, e *Errors) { r.CheckFloat(e, paramLoc, 0.1) },
		},
		{
			name:  "a float32 at a decimal maximum passes, read as the decimal it was written as",
			rule:  Number{Maximum: Inclusive("0.1"), MultipleOf: "0.1"},
			check: func(r *Number, e *Errors) { r.CheckFloat32(e, paramLoc, 0.1) },
		},
		{
			name:  "a float32 above a decimal maximum fails",
			rule:  Number{Maximum: Inclusive("0.1")},
			check: func(r *Number, e *Errors) { r.CheckFloat32(e, paramLoc, 0.2) },
			want:  []problem.FieldError{paramFailure("maximum", limitValue("0.1"), "must be at most 0.1")},
		},
		{
			name:  "a float at an exclusive minimum fails",
			rule:  Number{Minimum: Exclusive("2.5")},
			check: func(r *Number, e *Errors) { r.CheckFloat(e, paramLoc, 2.5) },
			want:  []problem.FieldError{paramFailure("exclusiveMinimum", limitValue("2.5"), "must be greater than 2.5")},
		},
		{
			name:  "a large float is compared through its exponent form",
			rule:  Number{Maximum: Inclusive("1e21")},
			check: func(r *Number, e *Errors) { r.CheckFloat(e, paramLoc, 2e21) },
			want:  []problem.FieldError{paramFailure("maximum", limitValue("1e21"), "must be at most 1e21")},
		},
		{
			name:  "a float multiple of a decimal passes",
			rule:  Number{MultipleOf: "0.5"},
			check: func(r *Number, e *Errors) { r.CheckFloat(e, paramLoc, 2.5) },
		},
		{
			name: "unconstrained rules check nothing",
			rule: Number{},
			check: func(r *Number, e *Errors) {
				r.CheckInt(e, paramLoc, math.MinInt64)
				r.CheckFloat(e, paramLoc, math.Inf(1))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			tt.check(&tt.rule, &e)
			wantList(t, &e, tt.want)
		})
	}
}

func TestBoundsRefuseTextThatIsNotANumber(t *testing.T) {
	tests := []struct {
		name  string
		bound func(string) Bound
		text  string
	}{
		{"an inclusive bound of letters panics", Inclusive, "abc"},
		{"an exclusive empty bound panics", Exclusive, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				want := `validate: bad bound "` + tt.text + `"`
				if got := recover(); got != want {
					t.Errorf("panic = %v, want %q", got, want)
				}
			}()
			tt.bound(tt.text)
		})
	}
}

func TestLimitsAreSentAsJSONNumbers(t *testing.T) {
	var e Errors
	(&Number{Minimum: Exclusive("0.10"), MultipleOf: "1e-2"}).Check(&e, paramLoc, "-1.005")
	got, err := json.Marshal(e.List())
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"in":"query","name":"p","keyword":"exclusiveMinimum","limit":0.10,"message":"must be greater than 0.10"},` +
		`{"in":"query","name":"p","keyword":"multipleOf","limit":1e-2,"message":"must be a multiple of 1e-2"}]`
	if string(got) != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
}

func TestArrayCheck(t *testing.T) {
	tests := []struct {
		name string
		rule Array
		doc  string
		want []problem.FieldError
	}{
		{"an array within its counts passes", Array{MinItems: 1, MaxItems: Max(2)}, `{"a":[1,2]}`, nil},
		{"too few items fail", Array{MinItems: 3}, `{"a":[1,2]}`, []problem.FieldError{
			{In: "body", Pointer: "/a", Keyword: "minItems", Limit: 3, Message: "must have at least 3 items"}}},
		{"a minimum of one says item in the singular", Array{MinItems: 1}, `{"a":[]}`, []problem.FieldError{
			{In: "body", Pointer: "/a", Keyword: "minItems", Limit: 1, Message: "must have at least 1 item"}}},
		{"too many items fail", Array{MaxItems: Max(1)}, `{"a":[1,2]}`, []problem.FieldError{
			{In: "body", Pointer: "/a", Keyword: "maxItems", Limit: 1, Message: "must have at most 1 item"}}},
		{"unique items pass", Array{Unique: true}, `{"a":[1,"1",[1]]}`, nil},
		{"duplicate items fail", Array{Unique: true}, `{"a":[{"x":1},{"x":1.0}]}`, []problem.FieldError{
			{In: "body", Pointer: "/a", Keyword: "uniqueItems", Limit: true, Message: "must not contain duplicate items"}}},
		{"every failing constraint is recorded", Array{MaxItems: Max(1), Unique: true}, `{"a":[2,2]}`, []problem.FieldError{
			{In: "body", Pointer: "/a", Keyword: "maxItems", Limit: 1, Message: "must have at most 1 item"},
			{In: "body", Pointer: "/a", Keyword: "uniqueItems", Limit: true, Message: "must not contain duplicate items"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.doc)
			var e Errors
			e.Use(d)
			tt.rule.Check(&e, d, d.Lookup(0, "a"))
			wantList(t, &e, tt.want)
		})
	}
}

func TestArrayCheckLenOfAParameter(t *testing.T) {
	var e Errors
	(&Array{MinItems: 2, MaxItems: Max(3)}).CheckLen(&e, paramLoc, 1)
	(&Array{MinItems: 2, MaxItems: Max(3)}).CheckLen(&e, paramLoc, 4)
	(&Array{MinItems: 2, MaxItems: Max(3)}).CheckLen(&e, paramLoc, 3)
	wantList(t, &e, []problem.FieldError{
		paramFailure("minItems", 2, "must have at least 2 items"),
		paramFailure("maxItems", 3, "must have at most 3 items"),
	})
}

func TestCheckUnique(t *testing.T) {
	dup := []problem.FieldError{paramFailure("uniqueItems", true, "must not contain duplicate items")}
	tests := []struct {
		name  string
		check func(e *Errors)
		want  []problem.FieldError
	}{
		{"no items are unique", func(e *Errors) { CheckUnique[string](e, paramLoc, nil) }, nil},
		{"one item is unique", func(e *Errors) { CheckUnique(e, paramLoc, []string{"a"}) }, nil},
		{"distinct strings are unique", func(e *Errors) { CheckUnique(e, paramLoc, []string{"a", "A", "a "}) }, nil},
		{"a repeated string fails", func(e *Errors) { CheckUnique(e, paramLoc, []string{"a", "b", "a"}) }, dup},
		{"several repeats fail once", func(e *Errors) { CheckUnique(e, paramLoc, []int64{1, 1, 2, 2, 3, 3}) }, dup},
		{"distinct integers are unique", func(e *Errors) { CheckUnique(e, paramLoc, []int{1, 2, 3}) }, nil},
		{"repeated booleans fail", func(e *Errors) { CheckUnique(e, paramLoc, []bool{true, false, true}) }, dup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			tt.check(&e)
			wantList(t, &e, tt.want)
		})
	}
}

func TestObjectCheck(t *testing.T) {
	tests := []struct {
		name string
		rule Object
		doc  string
		want []problem.FieldError
	}{
		{"an object within its counts passes", Object{MinProperties: 1, MaxProperties: Max(2)}, `{"a":1,"b":2}`, nil},
		{"too few members fail", Object{MinProperties: 1}, `{}`, []problem.FieldError{
			{In: "body", Keyword: "minProperties", Limit: 1, Message: "must have at least 1 member"}}},
		{"too many members fail", Object{MaxProperties: Max(2)}, `{"a":1,"b":2,"c":3}`, []problem.FieldError{
			{In: "body", Keyword: "maxProperties", Limit: 2, Message: "must have at most 2 members"}}},
		{"a maximum of zero admits only the empty object", Object{MaxProperties: Max(0)}, `{"a":1}`, []problem.FieldError{
			{In: "body", Keyword: "maxProperties", Limit: 0, Message: "must have at most 0 members"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.doc)
			var e Errors
			e.Use(d)
			tt.rule.Check(&e, d, 0)
			wantList(t, &e, tt.want)
		})
	}
}

func TestType(t *testing.T) {
	tests := []struct {
		name string
		want string
		msg  string
	}{
		{"a string is asked for with a", "string", "must be a string"},
		{"a number is asked for with a", "number", "must be a number"},
		{"a boolean is asked for with a", "boolean", "must be a boolean"},
		{"an integer is asked for with an", "integer", "must be an integer"},
		{"an object is asked for with an", "object", "must be an object"},
		{"an array is asked for with an", "array", "must be an array"},
		{"null is asked for bare", "null", "must be null"},
		{"a list of types takes the first one's article", "integer or null", "must be an integer or null"},
		{"a list starting with a string takes a", "string or null", "must be a string or null"},
		{"a list starting with an object takes an", "object or array", "must be an object or array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, `{"v":true}`)
			var e Errors
			e.Use(d)
			e.Type(d.Lookup(0, "v"), tt.want)
			wantList(t, &e, []problem.FieldError{{In: "body", Pointer: "/v", Keyword: "type", Limit: tt.want, Message: tt.msg}})
		})
	}
}

// Checks for the combinator tests: each records its own failure.
var (
	isString CheckFunc = func(d *Doc, n Node, e *Errors) {
		if d.Kind(n) != KindString {
			e.Type(n, "string")
		}
	}
	isShort CheckFunc = func(d *Doc, n Node, e *Errors) {
		if d.Kind(n) == KindString {
			(&String{MaxLength: Max(3)}).Check(e, At(n), d.Str(n))
		}
	}
	isNumber CheckFunc = func(d *Doc, n Node, e *Errors) {
		if d.Kind(n) != KindNumber {
			e.Type(n, "number")
		}
	}
	isPositive CheckFunc = func(d *Doc, n Node, e *Errors) {
		if d.Kind(n) == KindNumber {
			(&Number{Minimum: Exclusive("0")}).Check(e, At(n), d.Text(n))
		}
	}
	always CheckFunc = func(*Doc, Node, *Errors) {}
)

func TestCombinators(t *testing.T) {
	fails := func(keyword, msg string) []problem.FieldError {
		return []problem.FieldError{{In: "body", Pointer: "/v", Keyword: keyword, Message: msg}}
	}
	tests := []struct {
		name  string
		value string
		check CheckFunc
		want  []problem.FieldError
	}{
		{"anyOf passes when one branch passes", `"abcdef"`, func(d *Doc, n Node, e *Errors) { AnyOf(d, n, e, isNumber, isString) }, nil},
		{"anyOf fails alone when every branch fails", `true`, func(d *Doc, n Node, e *Errors) { AnyOf(d, n, e, isNumber, isString) },
			fails("anyOf", "must match at least one of the schemas")},
		{"anyOf of no branches fails", `1`, func(d *Doc, n Node, e *Errors) { AnyOf(d, n, e) },
			fails("anyOf", "must match at least one of the schemas")},
		{"oneOf passes when exactly one branch passes", `"ab"`, func(d *Doc, n Node, e *Errors) { OneOf(d, n, e, isNumber, isString) }, nil},
		{"oneOf says when no branch passes", `null`, func(d *Doc, n Node, e *Errors) { OneOf(d, n, e, isNumber, isString) },
			fails("oneOf", "must match exactly one of the schemas; it matches none")},
		{"oneOf counts the branches that pass", `"ab"`, func(d *Doc, n Node, e *Errors) { OneOf(d, n, e, isString, isShort, always) },
			fails("oneOf", "must match exactly one of the schemas; it matches 3")},
		{"not passes when its check fails", `1`, func(d *Doc, n Node, e *Errors) { Not(d, n, e, isString) }, nil},
		{"not fails when its check passes", `"a"`, func(d *Doc, n Node, e *Errors) { Not(d, n, e, isString) },
			fails("not", "must not match the schema")},
		{"if-then applies then when the condition holds", `-1`, func(d *Doc, n Node, e *Errors) { IfThenElse(d, n, e, isNumber, isPositive, isShort) },
			[]problem.FieldError{{In: "body", Pointer: "/v", Keyword: "exclusiveMinimum", Limit: limitValue("0"), Message: "must be greater than 0"}}},
		{"if-else applies otherwise when the condition fails", `"long text"`, func(d *Doc, n Node, e *Errors) { IfThenElse(d, n, e, isNumber, isPositive, isShort) },
			[]problem.FieldError{{In: "body", Pointer: "/v", Keyword: "maxLength", Limit: 3, Message: "must be at most 3 characters long"}}},
		{"if with a nil then does nothing when the condition holds", `-1`, func(d *Doc, n Node, e *Errors) { IfThenElse(d, n, e, isNumber, nil, isShort) }, nil},
		{"if with a nil otherwise does nothing when the condition fails", `"long text"`, func(d *Doc, n Node, e *Errors) { IfThenElse(d, n, e, isNumber, isPositive, nil) }, nil},
		{"the condition's own failures are never listed", `"long text"`, func(d *Doc, n Node, e *Errors) { IfThenElse(d, n, e, isNumber, nil, nil) }, nil},
		{"not of anyOf passes when anyOf fails inside", `true`, func(d *Doc, n Node, e *Errors) {
			Not(d, n, e, func(d *Doc, n Node, e *Errors) { AnyOf(d, n, e, isNumber, isString) })
		}, nil},
		{"anyOf of not fails only at the outer level", `"x"`, func(d *Doc, n Node, e *Errors) {
			AnyOf(d, n, e, func(d *Doc, n Node, e *Errors) { Not(d, n, e, isString) }, isNumber)
		}, fails("anyOf", "must match at least one of the schemas")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, `{"v":`+tt.value+`}`)
			var e Errors
			e.Use(d)
			tt.check(d, d.Lookup(0, "v"), &e)
			wantList(t, &e, tt.want)
			if got, want := e.Failed(), len(tt.want) > 0; got != want {
				t.Errorf("Failed() = %v, want %v", got, want)
			}
		})
	}
}

func TestPasses(t *testing.T) {
	d := mustParse(t, `["abcdef",2]`)
	var e Errors
	e.Use(d)
	str, num := d.First(0), d.Next(d.First(0))
	tests := []struct {
		name  string
		n     Node
		check CheckFunc
		want  bool
	}{
		{"a value meeting the check passes", str, isString, true},
		{"a value failing the check does not pass", num, isString, false},
		{"a value failing a nested constraint does not pass", str, isShort, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Passes(d, tt.n, &e, tt.check); got != tt.want {
				t.Errorf("Passes = %v, want %v", got, tt.want)
			}
			if e.Failed() || len(e.List()) != 0 {
				t.Errorf("Passes recorded %+v, want nothing", e.List())
			}
		})
	}
}

func TestFoldsTo(t *testing.T) {
	names := []string{"email", "userID", "k"}
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"a name in another case folds to a declared one", "EMAIL", true},
		{"mixed case folds too", "UserId", true},
		{"the Kelvin sign folds to k", "\u212a", true},
		{"an unrelated name does not fold", "phone", false},
		{"a longer name does not fold", "emails", false},
		{"sharp s does not fold to ss", "userIDß", false},
		{"the empty name does not fold", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FoldsTo(tt.in, names); got != tt.want {
				t.Errorf("FoldsTo(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestPlural(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		thing string
		want  string
	}{
		{"zero takes the plural", 0, "item", "0 items"},
		{"one takes the singular", 1, "item", "1 item"},
		{"many take the plural", 12, "character", "12 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := plural(tt.n, tt.thing); got != tt.want {
				t.Errorf("plural(%d, %q) = %q, want %q", tt.n, tt.thing, got, tt.want)
			}
		})
	}
}

func TestKeywordRefusals(t *testing.T) {
	d, err := Parse([]byte(`{"a":[1,2,3],"B":"x"}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Release()
	a := d.Lookup(0, "a")
	third := d.Next(d.Next(d.First(a)))
	b := d.Lookup(0, "B")
	fe := func(pointer, keyword string, limit any, msg string) problem.FieldError {
		return problem.FieldError{In: "body", Pointer: pointer, Keyword: keyword, Limit: limit, Message: msg}
	}
	tests := []struct {
		name   string
		record func(e *Errors)
		want   problem.FieldError
	}{
		{"a false schema allows nothing", func(e *Errors) { e.Never(a) }, fe("/a", "false", nil, "is not allowed")},
		{"an item beyond the prefix is refused", func(e *Errors) { e.ExtraItem(third, true) },
			fe("/a/2", "items", false, "is beyond the items the array may have")},
		{"an item where none may be says the array must be empty", func(e *Errors) { e.ExtraItem(third, false) },
			fe("/a/2", "items", false, "is not allowed: the array must be empty")},
		{"a read-only member is refused", func(e *Errors) { e.ReadOnly(b) }, fe("/B", "readOnly", true, "is read-only")},
		{"an undeclared member is refused", func(e *Errors) { e.Undeclared(b) },
			fe("/B", "additionalProperties", false, "is not a declared property")},
		{"a case variant of a declared name is refused", func(e *Errors) {
			if !e.CaseVariant(b, "B", []string{"a", "b"}) {
				t.Error("CaseVariant did not report the variant")
			}
		}, fe("/B", "additionalProperties", false, "differs from a declared property only in case")},
		{"a missing dependency names both members", func(e *Errors) { e.DependentRequired(0, "b", "a") },
			fe("", "dependentRequired", "b", "must have b when it has a")},
		{"an unknown discriminator value is refused", func(e *Errors) { e.UnknownTag(b) },
			fe("/B", "discriminator", nil, "must name one of the schemas")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			e.Use(d)
			tt.record(&e)
			if got := e.List(); len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
				t.Fatalf("failures = %+v, want [%+v]", got, tt.want)
			}
		})
	}
	var e Errors
	if e.CaseVariant(b, "c", []string{"a", "b"}) || e.Failed() {
		t.Error("a name no declared one folds to was recorded as a case variant")
	}
}
