package validate

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"an integer equals the same integer written with a fraction", `1`, `1.0`, true},
		{"an integer equals itself written with an exponent", `100`, `1e2`, true},
		{"a fraction equals itself written with an exponent", `0.5`, `5E-1`, true},
		{"negative zero equals zero", `-0`, `0`, true},
		{"every zero is equal", `0.000`, `-0e10`, true},
		{"a number differs from its successor", `1`, `2`, false},
		{"a number differs from its negation", `1`, `-1`, false},
		{"numbers that round to the same float64 differ", `1`, `1.0000000000000000001`, false},
		{"long integers that round to the same float64 differ", `9007199254740993`, `9007199254740992`, false},
		{"numbers beyond float64 compare exactly", `1e400`, `10e399`, true},
		{"numbers beyond float64 that differ are unequal", `1e400`, `2e400`, false},
		{"strings compare after unescaping", `"a"`, `"\u0061"`, true},
		{"strings differ in case", `"a"`, `"A"`, false},
		{"composed and decomposed accents differ", `"é"`, `"e\u0301"`, false},
		{"true equals true", `true`, `true`, true},
		{"true differs from false", `true`, `false`, false},
		{"null equals null", `null`, `null`, true},
		{"null differs from false", `null`, `false`, false},
		{"a number differs from its text", `1`, `"1"`, false},
		{"an empty array differs from an empty object", `[]`, `{}`, false},
		{"empty arrays are equal", `[]`, `[ ]`, true},
		{"arrays compare item by item", `[1,[2,"x"]]`, `[1.0,[2e0,"\u0078"]]`, true},
		{"arrays in another order differ", `[1,2]`, `[2,1]`, false},
		{"a longer array differs", `[1,2]`, `[1,2,3]`, false},
		{"differently nested arrays with the same leaves differ", `[[1],2]`, `[[1,2]]`, false},
		{"objects are equal regardless of member order", `{"a":1,"b":[true]}`, `{"b":[true],"a":1.0}`, true},
		{"objects with escaped names are equal", `{"é":1}`, `{"\u00e9":1}`, true},
		{"an object with an extra member differs", `{"a":1}`, `{"a":1,"b":2}`, false},
		{"objects with different names differ", `{"a":1}`, `{"b":1}`, false},
		{"objects with different values differ", `{"a":1}`, `{"a":2}`, false},
		{"empty objects are equal", `{}`, `{}`, true},
		{"deeply nested values are compared", `{"a":[{"b":{"c":[null,-0]}}]}`, `{"a":[{"b":{"c":[null,0]}}]}`, true},
		{"a difference deep inside is found", `{"a":[{"b":{"c":[null,0]}}]}`, `{"a":[{"b":{"c":[null,1]}}]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := mustParse(t, tt.a)
			b := mustParse(t, tt.b)
			if got := Equal(a, 0, b, 0); got != tt.want {
				t.Errorf("Equal(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := Equal(b, 0, a, 0); got != tt.want {
				t.Errorf("Equal(%s, %s) = %v, want %v", tt.b, tt.a, got, tt.want)
			}
			if tt.want && a.hash(0) != b.hash(0) {
				t.Errorf("%s and %s are equal but hash differently", tt.a, tt.b)
			}
		})
	}
}

func TestEqualComparesValuesInsideOneDoc(t *testing.T) {
	d := mustParse(t, `[{"x":1,"y":2},{"y":2.0,"x":1e0},{"x":1}]`)
	first := d.First(0)
	second := d.Next(first)
	third := d.Next(second)
	if !Equal(d, first, d, second) {
		t.Error("Equal(item 0, item 1) = false, want true")
	}
	if Equal(d, first, d, third) {
		t.Error("Equal(item 0, item 2) = true, want false")
	}
}

// spread returns n items made by item(i), joined as a JSON array.
func spread(n int, item func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = item(i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func TestUnique(t *testing.T) {
	num := func(i int) string { return strconv.Itoa(i) }
	tests := []struct {
		name string
		doc  string
		want bool
	}{
		{"an empty array is unique", `[]`, true},
		{"one item is unique", `[1]`, true},
		{"two equal numbers are not unique", `[1,1.0]`, false},
		{"eight distinct items are unique", spread(8, num), true},
		{"eight items with the last two equal are not unique", `[1,2,3,4,5,6,"7","7"]`, false},
		{"nine distinct items are unique", spread(9, num), true},
		{"nine items with the first and last equal are not unique", `[1,2,3,4,5,6,7,8,1]`, false},
		{"a large array with a duplicate at the end is not unique", spread(1000, num)[:len(spread(1000, num))-1] + `,999.0]`, false},
		{"a large array of distinct strings is unique", spread(500, func(i int) string { return strconv.Quote("s" + num(i)) }), true},
		{"zero and negative zero among many are duplicates", `[1,2,3,4,5,6,7,8,0,-0]`, false},
		{"an escaped and a plain string among many are duplicates", `[1,2,3,4,5,6,7,8,"é","\u00e9"]`, false},
		{"reordered objects among many are duplicates", `[1,2,3,4,5,6,7,8,{"a":1,"b":2},{"b":2,"a":1}]`, false},
		{"objects differing in one value among many are unique", `[1,2,3,4,5,6,7,8,{"a":1,"b":2},{"b":2,"a":3}]`, true},
		{"objects with swapped values among many are unique", `[1,2,3,4,5,6,7,8,{"a":1,"b":2},{"a":2,"b":1}]`, true},
		{"nested arrays that are equal among many are duplicates", `[1,2,3,4,5,6,7,8,[[1],{"x":[]}],[[1.0],{"x":[]}]]`, false},
		{"a number and its text among many are unique", `[1,2,3,4,5,6,7,8,"9",9]`, true},
		{"null, false, zero, empty string, array and object are unique", `[null,false,0,"",[],{},true,1,"0",[null],{"":null}]`, true},
		{"numbers sharing a float64 are unique", spread(50, func(i int) string { return "1.0000000000000000000" + strconv.Itoa(100+i) }), true},
		{"numbers beyond float64 are told apart", spread(20, func(i int) string { return strconv.Itoa(i+1) + "e400" }), true},
		{"huge exponents are told apart", spread(20, func(i int) string { return "1e1" + strings.Repeat("0", 20) + strconv.Itoa(i) }), true},
		{"a huge exponent equal to a plain one is a duplicate", `[1,2,3,4,5,6,7,8,1e1000000000000000000000,0.1e1000000000000000000001]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.doc)
			if got := d.Unique(0); got != tt.want {
				t.Errorf("Unique(%.80s) = %v, want %v", tt.doc, got, tt.want)
			}
		})
	}
}

// TestHashSeparatesValuesBuiltToCollide checks the values an attacker
// would send to make uniqueItems quadratic: if they hashed alike, every
// pair would be compared in full.
func TestHashSeparatesValuesBuiltToCollide(t *testing.T) {
	tests := []struct {
		name  string
		items []string
	}{
		{"numbers that round to the same float64 hash apart", []string{`1`, `1.0000000000000000001`, `1.0000000000000000002`, `0.99999999999999999999`}},
		{"long integers that round to the same float64 hash apart", []string{`9007199254740992`, `9007199254740993`, `9007199254740994.5`}},
		{"numbers beyond float64 hash apart", []string{`1e400`, `2e400`, `1e401`, `-1e400`, `1e-400`, `2e-400`}},
		{"huge exponents hash apart", []string{`1e10000000000000000000`, `1e10000000000000000001`, `-1e10000000000000000000`, `1e-10000000000000000000`}},
		{"arrays bracketed differently hash apart", []string{`[[1],2]`, `[[1,2]]`, `[1,[2]]`, `[[[1]],2]`, `[[],1,2]`}},
		{"strings split at different places hash apart", []string{`["a\u0004","b"]`, `["a","\u0004b"]`, `["a\u0004b"]`, `["","a\u0004b"]`}},
		{"objects splitting a name from its value differently hash apart", []string{`{"ab":"c"}`, `{"a":"bc"}`, `{"a\u0004":"c"}`}},
		{"objects and arrays of the same members hash apart", []string{`{"a":1}`, `["a",1]`, `[{"a":1}]`, `{}`, `[]`}},
		{"an object and one with an extra empty member hash apart", []string{`{"a":1}`, `{"a":1,"":null}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, "["+strings.Join(tt.items, ",")+"]")
			seen := map[uint64]string{}
			for i := d.First(0); i != None; i = d.Next(i) {
				h := d.hash(i)
				if other, dup := seen[h]; dup {
					t.Errorf("%s and %s hash alike", other, d.Raw(i))
				}
				seen[h] = d.Text(i)
			}
		})
	}
}

func TestMustValues(t *testing.T) {
	panics := []struct {
		name string
		json string
		want string
	}{
		{"invalid JSON panics naming the text", `[1,`, `validate: bad values "[1,": invalid JSON at offset 3: unexpected end of input`},
		{"duplicate members panic", `[{"a":1,"a":2}]`, `validate: bad values "[{\"a\":1,\"a\":2}]": duplicate member "a"`},
		{"a value that is not an array panics", `{"a":1}`, "validate: values must be a JSON array"},
	}
	for _, tt := range panics {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if got := recover(); got != tt.want {
					t.Errorf("panic = %v, want %q", got, tt.want)
				}
			}()
			MustValues(tt.json)
		})
	}
}

func TestValuesContains(t *testing.T) {
	enum := MustValues(`["cat","\u00e9t\u00e9",1,2.5,null,true,[1,2],{"a":[1]},1e400]`)
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		{"a listed string is contained", `"cat"`, true},
		{"a listed escaped string is contained in plain spelling", `"été"`, true},
		{"a string differing in case is not contained", `"Cat"`, false},
		{"a listed integer written with a fraction is contained", `1.0`, true},
		{"a listed fraction written with an exponent is contained", `25e-1`, true},
		{"an integer between listed numbers is not contained", `2`, false},
		{"a number's text is not contained", `"1"`, false},
		{"null is contained", `null`, true},
		{"true is contained", `true`, true},
		{"false is not contained", `false`, false},
		{"an equal array is contained", `[1.0,2]`, true},
		{"an array in another order is not contained", `[2,1]`, false},
		{"an equal object is contained", `{"a":[1e0]}`, true},
		{"an object with an extra member is not contained", `{"a":[1],"b":0}`, false},
		{"a listed number beyond float64 is contained", `10e399`, true},
		{"a number beyond float64 that is not listed is not contained", `1e401`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.value)
			if got := enum.Contains(d, 0); got != tt.want {
				t.Errorf("Contains(%s) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
	t.Run("a value inside a larger document is found by its node", func(t *testing.T) {
		d := mustParse(t, `{"pet":"cat","n":3}`)
		if !enum.Contains(d, d.Lookup(0, "pet")) || enum.Contains(d, d.Lookup(0, "n")) {
			t.Errorf("Contains(pet), Contains(n) = %v, %v, want true, false", enum.Contains(d, d.Lookup(0, "pet")), enum.Contains(d, d.Lookup(0, "n")))
		}
	})
}

func TestValuesContainsString(t *testing.T) {
	enum := MustValues(`["draft","\u00e9t\u00e9","",1,null,"a\/b"]`)
	tests := []struct {
		name  string
		value string
		want  bool
	}{
		{"a listed string is contained", "draft", true},
		{"an escaped listed string is contained unescaped", "été", true},
		{"an escaped solidus is contained unescaped", "a/b", true},
		{"the listed empty string is contained", "", true},
		{"a string differing in case is not contained", "Draft", false},
		{"a prefix of a listed string is not contained", "dra", false},
		{"the text of a listed number is not contained", "1", false},
		{"the word null is not contained", "null", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := enum.ContainsString(tt.value); got != tt.want {
				t.Errorf("ContainsString(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}

func TestValuesSurviveReleasedDocs(t *testing.T) {
	enum := MustValues(`["\u00e9\u00e9\u00e9","b"]`)
	for range 10 {
		d, err := Parse([]byte(`["\u00e8\u00e8\u00e8","x\ny"]`), 0)
		if err != nil {
			t.Fatal(err)
		}
		d.Release()
	}
	if !enum.ContainsString("ééé") {
		t.Error(`ContainsString("ééé") = false after other documents were parsed and released, want true`)
	}
}

func TestUniqueDoesNotAllocateOnSmallArrays(t *testing.T) {
	d := mustParse(t, `[1,"a",{"b":[true]},null,2.5,[],"\u00e9",-0]`)
	if n := testing.AllocsPerRun(100, func() { d.Unique(0) }); n != 0 {
		t.Errorf("allocations = %v, want 0", n)
	}
}

func BenchmarkUnique(b *testing.B) {
	benchmarks := []struct {
		name string
		doc  string
	}{
		{"8 strings", spread(8, func(i int) string { return strconv.Quote("tag" + strconv.Itoa(i)) })},
		{"100 strings", spread(100, func(i int) string { return strconv.Quote("tag" + strconv.Itoa(i)) })},
		{"1000 integers", spread(1000, strconv.Itoa)},
		{"100 objects", spread(100, func(i int) string { return `{"id":` + strconv.Itoa(i) + `,"name":"n","tags":["a","b"]}` })},
		{"2000 numbers sharing a float64", spread(2000, func(i int) string { return "1.00000000000000000000" + strconv.Itoa(10000+i) })},
		{"400 arrays bracketed to collide", spread(400, func(i int) string {
			return "[" + strings.Repeat("1,", 400) + "[[" + strings.TrimSuffix(strings.Repeat("1,", i), ",") + "]" + strings.Repeat(",1", 400-i) + "]]"
		})},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			d, err := Parse([]byte(bm.doc), 0)
			if err != nil {
				b.Fatal(err)
			}
			defer d.Release()
			if !d.Unique(0) {
				b.Fatal("the items are not unique")
			}
			b.SetBytes(int64(len(bm.doc)))
			b.ReportAllocs()
			for b.Loop() {
				d.Unique(0)
			}
		})
	}
}

func TestValuesOfParameters(t *testing.T) {
	enum := MustValues(`["red",1.5,true,null,[1]]`)
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"a string parameter matches a string value", enum.ContainsText("red"), true},
		{"a string parameter matches a boolean written as text", enum.ContainsText("true"), true},
		{"a string parameter matches a number written as text", enum.ContainsText("1.5"), true},
		{"a string parameter does not match an array's text", enum.ContainsText("[1]"), false},
		{"a string value matches only strings", enum.ContainsString("true"), false},
		{"a number matches by value whatever its spelling", enum.ContainsNumber("15e-1"), true},
		{"another number does not match", enum.ContainsNumber("2"), false},
		{"a boolean matches its value", enum.ContainsBool(true), true},
		{"the other boolean does not", enum.ContainsBool(false), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestValuesFailNamesTheKeywordAndTheAllowedValues(t *testing.T) {
	tests := []struct {
		name   string
		values *Values
		want   string
	}{
		{"an enum lists its values", MustValues(`["a","b"]`), `{"in":"query","name":"p","keyword":"enum","limit":["a","b"],"message":"must be one of the allowed values"}`},
		{"a const names its value", MustConst(`{"x":1}`), `{"in":"query","name":"p","keyword":"const","limit":{"x":1},"message":"must be the constant value"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Errors
			tt.values.Fail(&e, InParam("query", "p"))
			got, err := json.Marshal(e.List()[0])
			if err != nil || string(got) != tt.want {
				t.Fatalf("error = %s (%v), want %s", got, err, tt.want)
			}
		})
	}
}
