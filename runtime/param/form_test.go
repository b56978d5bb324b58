package param_test

import (
	"maps"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/secgen/secgen/runtime/param"
	"github.com/secgen/secgen/runtime/problem"
)

// formOf parses a form body for a test.
func formOf(t testing.TB, raw string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("url.ParseQuery(%q): %v", raw, err)
	}
	return v
}

func TestFormArrayStyle(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		style    param.Style
		explode  bool
		required bool
		want     []string
		wantOK   bool
		wantErrs []problem.FieldError
	}{
		{name: "a pipeDelimited field splits on pipes", body: "tags=a|b|c", style: param.StylePipeDelimited,
			want: []string{"a", "b", "c"}, wantOK: true},
		{name: "a pipeDelimited field keeps commas inside an item", body: "tags=a,b|c", style: param.StylePipeDelimited,
			want: []string{"a,b", "c"}, wantOK: true},
		{name: "an escaped pipe splits like a raw one", body: "tags=a%7Cb", style: param.StylePipeDelimited,
			want: []string{"a", "b"}, wantOK: true},
		{name: "a form field without explode splits on commas", body: "tags=a,b", style: param.StyleForm,
			want: []string{"a", "b"}, wantOK: true},
		{name: "a spaceDelimited field splits on spaces, encoded as plus or %20", body: "tags=a+b%20c", style: param.StyleSpaceDelimited,
			want: []string{"a", "b", "c"}, wantOK: true},
		{name: "an empty field without explode is an empty array", body: "tags=", style: param.StyleForm,
			want: []string{}, wantOK: true},
		{name: "an exploded field takes each occurrence as an item", body: "tags=a,b&tags=c", style: param.StylePipeDelimited, explode: true,
			want: []string{"a,b", "c"}, wantOK: true},
		{name: "a field without explode sent twice is refused as repeated", body: "tags=a&tags=b", style: param.StyleForm,
			wantErrs: []problem.FieldError{{In: "body", Name: "tags", Message: "is repeated"}}},
		{name: "an absent optional field is absent without error", body: "other=1", style: param.StyleForm},
		{name: "an absent required field is an error", body: "", style: param.StylePipeDelimited, required: true,
			wantErrs: []problem.FieldError{{In: "body", Name: "tags", Keyword: "required", Message: "is required"}}},
		{name: "a style arrays cannot have is an error", body: "tags=a", style: param.StyleDeepObject,
			wantErrs: []problem.FieldError{{In: "body", Name: "tags", Message: "has style deepObject, which is not supported here"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := param.NewDecoder(httptest.NewRequest("POST", "/", nil))
			got, ok := d.FormArrayStyle(formOf(t, tt.body), "tags", tt.style, tt.explode, tt.required)
			if ok != tt.wantOK || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FormArrayStyle = %#v, %v; want %#v, %v", got, ok, tt.want, tt.wantOK)
			}
			if errs := d.Errors(); !reflect.DeepEqual(errs, tt.wantErrs) {
				t.Errorf("errors = %+v, want %+v", errs, tt.wantErrs)
			}
		})
	}
}

func TestFormObject(t *testing.T) {
	props := []string{"color", "size"}
	tests := []struct {
		name     string
		body     string
		style    param.Style
		explode  bool
		props    []string
		required bool
		want     map[string]string
		wantOK   bool
		wantErrs []problem.FieldError
	}{
		{name: "deepObject members are read from bracketed keys", body: "filter[color]=red&filter[size]=L&color=blue", style: param.StyleDeepObject, explode: true,
			props: props, want: map[string]string{"color": "red", "size": "L"}, wantOK: true},
		{name: "deepObject keys escaped by the client decode the same", body: "filter%5Bcolor%5D=red", style: param.StyleDeepObject, explode: true,
			props: props, want: map[string]string{"color": "red"}, wantOK: true},
		{name: "deepObject members of a map are every bracketed key", body: "filter[a]=1&filter[b]=2", style: param.StyleDeepObject, explode: true,
			want: map[string]string{"a": "1", "b": "2"}, wantOK: true},
		{name: "an exploded form object takes its properties as fields of their own", body: "color=red&size=L&other=x", style: param.StyleForm, explode: true,
			props: props, want: map[string]string{"color": "red", "size": "L"}, wantOK: true},
		{name: "a form object without explode alternates names and values", body: "filter=color,red,size,L", style: param.StyleForm,
			props: props, want: map[string]string{"color": "red", "size": "L"}, wantOK: true},
		{name: "a pipeDelimited object without explode splits on pipes", body: "filter=color|red", style: param.StylePipeDelimited,
			props: props, want: map[string]string{"color": "red"}, wantOK: true},
		{name: "a nested deepObject key is refused", body: "filter[color][x]=red", style: param.StyleDeepObject, explode: true, props: props,
			wantErrs: []problem.FieldError{{In: "body", Name: "filter", Message: `has malformed key "filter[color][x]"`}}},
		{name: "a repeated deepObject member is refused", body: "filter[color]=red&filter[color]=blue", style: param.StyleDeepObject, explode: true, props: props,
			wantErrs: []problem.FieldError{{In: "body", Name: "filter", Message: `has repeated property "color"`}}},
		{name: "an odd number of items is refused", body: "filter=color,red,size", style: param.StyleForm, props: props,
			wantErrs: []problem.FieldError{{In: "body", Name: "filter", Message: "has an odd number of items for an object"}}},
		{name: "an absent required object is an error", body: "color=red", style: param.StyleDeepObject, explode: true, props: props, required: true,
			wantErrs: []problem.FieldError{{In: "body", Name: "filter", Keyword: "required", Message: "is required"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := param.NewDecoder(httptest.NewRequest("POST", "/", nil))
			got, ok := d.FormObject(formOf(t, tt.body), "filter", tt.style, tt.explode, tt.props, tt.required)
			if ok != tt.wantOK || !maps.Equal(got, tt.want) {
				t.Errorf("FormObject = %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
			if errs := d.Errors(); !reflect.DeepEqual(errs, tt.wantErrs) {
				t.Errorf("errors = %+v, want %+v", errs, tt.wantErrs)
			}
		})
	}
}

// encodeFormArray serializes items as the form field name in style,
// without explode: the inverse of FormArrayStyle.
func encodeFormArray(name string, items []string, style param.Style) string {
	sep := map[param.Style]string{param.StyleForm: ",", param.StyleSpaceDelimited: " ", param.StylePipeDelimited: "|"}[style]
	return url.Values{name: {strings.Join(items, sep)}}.Encode()
}

// FuzzFormStyles decodes arbitrary form bodies in every style a form field
// may have. Whatever is accepted re-encodes to a body that decodes to the
// same items or members; whatever is refused is named after the field, in
// the body, without CR or LF.
func FuzzFormStyles(f *testing.F) {
	for _, seed := range []string{
		"tags=a|b", "tags=a,b", "tags=a+b", "tags=", "tags=a&tags=b", "tags=%7C%7C", "tags=,",
		"filter[color]=red&filter[size]=L", "filter[]=x", "filter[a][b]=1", "filter[a=1", "filter=color,red,size",
		"color=red&color=blue", "filter%5Bx%5D=1&filter[x]=2", "filter=a|1|b", "tags=a%20b|c",
	} {
		f.Add(seed)
	}
	styles := []param.Style{param.StyleForm, param.StyleSpaceDelimited, param.StylePipeDelimited}
	props := []string{"color", "size"}
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return // body.Form refuses such a body before any field is read
		}
		checkErrs := func(d *param.Decoder, name string) {
			t.Helper()
			for _, e := range d.Errors() {
				if e.In != "body" || e.Name != name || strings.ContainsAny(e.Message, "\r\n") {
					t.Fatalf("body %q: error %+v, want one in the body naming %q without CR or LF", raw, e, name)
				}
			}
		}
		for _, style := range styles {
			d := param.NewDecoder(httptest.NewRequest("POST", "/", nil))
			items, ok := d.FormArrayStyle(form, "tags", style, false, false)
			checkErrs(d, "tags")
			if ok && d.Failed() {
				t.Fatalf("body %q: FormArrayStyle(%v) both succeeded and failed", raw, style)
			}
			if ok && len(items) > 0 {
				enc := encodeFormArray("tags", items, style)
				d2 := param.NewDecoder(httptest.NewRequest("POST", "/", nil))
				again, ok2 := d2.FormArrayStyle(formOf(t, enc), "tags", style, false, false)
				if !ok2 || !slices.Equal(again, items) {
					t.Fatalf("body %q: %v items %q re-encode as %q, which decodes to %q, %v", raw, style, items, enc, again, d2.Errors())
				}
			}
			for _, explode := range []bool{false, true} {
				d := param.NewDecoder(httptest.NewRequest("POST", "/", nil))
				m, ok := d.FormObject(form, "filter", style, explode, props, false)
				checkErrs(d, "filter")
				if ok && !d.Failed() && explode {
					for k, v := range m {
						if !slices.Contains(props, k) || len(form[k]) != 1 || form[k][0] != v {
							t.Fatalf("body %q: exploded %v object has %q=%q, but the form has %q", raw, style, k, v, form[k])
						}
					}
				}
			}
		}
		d := param.NewDecoder(httptest.NewRequest("POST", "/", nil))
		m, ok := d.FormObject(form, "filter", param.StyleDeepObject, true, props, false)
		checkErrs(d, "filter")
		if ok && !d.Failed() {
			again := url.Values{}
			for k, v := range m {
				if k == "" || strings.ContainsAny(k, "[]") {
					t.Fatalf("body %q: deepObject member name %q", raw, k)
				}
				again.Set("filter["+k+"]", v)
			}
			d2 := param.NewDecoder(httptest.NewRequest("POST", "/", nil))
			if m2, ok2 := d2.FormObject(formOf(t, again.Encode()), "filter", param.StyleDeepObject, true, props, false); !ok2 || !maps.Equal(m2, m) {
				t.Fatalf("body %q: deepObject members %q re-encode as %q, which decodes to %q, %v", raw, m, again.Encode(), m2, d2.Errors())
			}
		}
	})
}

// BenchmarkFormStyles measures the per-request decoding of the styled
// fields of one form: a pipeDelimited array, a deepObject object and an
// explode-false object.
func BenchmarkFormStyles(b *testing.B) {
	form := formOf(b, "tags=green|loose|black&filter[color]=red&filter[size]=L&window=from,9,to,17")
	r := httptest.NewRequest("POST", "/", nil)
	props := []string{"color", "size"}
	window := []string{"from", "to"}
	b.ReportAllocs()
	for b.Loop() {
		d := param.NewDecoder(r)
		d.FormArrayStyle(form, "tags", param.StylePipeDelimited, false, true)
		d.FormObject(form, "filter", param.StyleDeepObject, true, props, true)
		d.FormObject(form, "window", param.StyleForm, false, window, true)
		if d.Failed() {
			b.Fatal(d.Errors())
		}
	}
}
