package param

import (
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/validate"
)

// Decoder reads the parameters of one request, collecting every failure so
// that the client learns of all its bad parameters at once. Generated
// handlers use one per request.
type Decoder struct {
	r        *http.Request
	query    url.Values
	queryErr error
	parsed   bool
	// plain is 1 when the raw query has plain keys and no malformed
	// escape, so primitive values are read from it without building
	// url.Values; -1 when it must be parsed; 0 until known.
	plain int8
	errs  []problem.FieldError
}

// NewDecoder returns a decoder for r.
func NewDecoder(r *http.Request) *Decoder { return &Decoder{r: r} }

// Failed reports whether any parameter failed.
func (d *Decoder) Failed() bool { return len(d.errs) > 0 }

// Errors lists the failures, for a 400 problem.
func (d *Decoder) Errors() []problem.FieldError { return d.errs }

// Fail records a failure of the parameter name in location in.
func (d *Decoder) Fail(in, name string, err error) {
	f := problem.FieldError{In: in, Name: name, Message: err.Error()}
	var pe *Error
	if errors.As(err, &pe) {
		f.Message = pe.Reason
	}
	var ke *KeywordError
	if errors.As(err, &ke) {
		f.Keyword, f.Limit = ke.Keyword, ke.Limit
	}
	d.errs = append(d.errs, f)
}

func (d *Decoder) missing(in, name string, required bool) {
	if required {
		d.errs = append(d.errs, problem.FieldError{In: in, Name: name, Keyword: "required", Message: "is required"})
	}
}

// Query returns the parsed query. A query Go's parser refuses (a raw ';',
// a bad escape) is a failure, never silently dropped.
func (d *Decoder) Query() url.Values {
	if !d.parsed {
		d.parsed = true
		d.query, d.queryErr = url.ParseQuery(d.r.URL.RawQuery)
		if d.queryErr != nil {
			d.errs = append(d.errs, problem.FieldError{In: "query", Message: "the query string is malformed"})
		}
	}
	return d.query
}

func (d *Decoder) done(in, name string, present bool, err error, required bool) bool {
	if err != nil {
		d.Fail(in, name, err)
		return false
	}
	if !present {
		d.missing(in, name, required)
	}
	return present
}

// Path returns a primitive path parameter routed under key.
func (d *Decoder) Path(key, name string, style Style, explode bool) (string, bool) {
	raw, err := Path(d.r, key)
	if err != nil {
		return "", d.done("path", name, false, err, true)
	}
	v, err := PathPrimitive(raw, name, style, explode)
	return v, d.done("path", name, true, err, true)
}

// PathArray returns the items of an array path parameter.
func (d *Decoder) PathArray(key, name string, style Style, explode bool) ([]string, bool) {
	raw, err := Path(d.r, key)
	if err != nil {
		return nil, d.done("path", name, false, err, true)
	}
	v, err := PathArray(raw, name, style, explode)
	return v, d.done("path", name, true, err, true)
}

// PathObject returns the members of an object path parameter.
func (d *Decoder) PathObject(key, name string, style Style, explode bool) (map[string]string, bool) {
	raw, err := Path(d.r, key)
	if err != nil {
		return nil, d.done("path", name, false, err, true)
	}
	v, err := PathObject(raw, name, style, explode)
	return v, d.done("path", name, true, err, true)
}

// QueryValue returns a primitive query parameter.
func (d *Decoder) QueryValue(name string, required bool) (string, bool) {
	if d.plainQuery() {
		v, ok, err := rawQueryPrimitive(d.r.URL.RawQuery, name)
		return v, d.done("query", name, ok, err, required)
	}
	v, ok, err := QueryPrimitive(d.Query(), name)
	return v, d.done("query", name, ok, err, required)
}

// plainQuery reports whether primitive values can be read straight from
// the raw query: no ';' (which url.ParseQuery refuses), every '%' a valid
// escape, and no key escaped ('%' or '+' in a key) so keys compare as
// written. Anything else goes through url.ParseQuery, which reports a
// malformed query once.
func (d *Decoder) plainQuery() bool {
	if d.plain == 0 {
		d.plain = -1
		if !d.parsed && plainRawQuery(d.r.URL.RawQuery) {
			d.plain = 1
		}
	}
	return d.plain == 1
}

func plainRawQuery(raw string) bool {
	inKey := true
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case ';':
			return false
		case '&':
			inKey = true
		case '=':
			inKey = false
		case '+':
			if inKey {
				return false
			}
		case '%':
			if inKey || i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2]) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// rawQueryPrimitive is QueryPrimitive over a plain raw query.
func rawQueryPrimitive(raw, name string) (v string, present bool, err error) {
	count := 0
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		if key != name {
			continue
		}
		if count++; count > 1 {
			return "", true, newError(inQuery, name, reasonRepeated)
		}
		v = value
	}
	if count == 0 {
		return "", false, nil
	}
	if strings.ContainsAny(v, "%+") {
		if v, err = url.QueryUnescape(v); err != nil {
			return "", true, newError(inQuery, name, "is not a valid query value")
		}
	}
	return v, true, nil
}

// QueryArray returns the items of an array query parameter.
func (d *Decoder) QueryArray(name string, style Style, explode, required bool) ([]string, bool) {
	v, ok, err := QueryArray(d.Query(), name, style, explode)
	return v, d.done("query", name, ok, err, required)
}

// QueryObject returns the members of an object query parameter.
func (d *Decoder) QueryObject(name string, style Style, explode bool, props []string, required bool) (map[string]string, bool) {
	v, ok, err := QueryObject(d.Query(), name, style, explode, props)
	return v, d.done("query", name, ok, err, required)
}

// Header returns a primitive header parameter.
func (d *Decoder) Header(name string, required bool) (string, bool) {
	v, ok, err := HeaderPrimitive(d.r.Header, name)
	return v, d.done("header", name, ok, err, required)
}

// HeaderArray returns the items of an array header parameter.
func (d *Decoder) HeaderArray(name string, required bool) ([]string, bool) {
	v, ok := HeaderArray(d.r.Header, name)
	return v, d.done("header", name, ok, nil, required)
}

// HeaderObject returns the members of an object header parameter.
func (d *Decoder) HeaderObject(name string, explode, required bool) (map[string]string, bool) {
	v, ok, err := HeaderObject(d.r.Header, name, explode)
	return v, d.done("header", name, ok, err, required)
}

// Cookie returns a primitive cookie parameter.
func (d *Decoder) Cookie(name string, required bool) (string, bool) {
	v, ok, err := CookiePrimitive(d.r, name)
	return v, d.done("cookie", name, ok, err, required)
}

// CookieArray returns the items of an array cookie parameter.
func (d *Decoder) CookieArray(name string, explode, required bool) ([]string, bool) {
	v, ok, err := CookieArray(d.r, name, explode)
	return v, d.done("cookie", name, ok, err, required)
}

// CookieObject returns the members of an object cookie parameter.
func (d *Decoder) CookieObject(name string, explode bool, props []string, required bool) (map[string]string, bool) {
	v, ok, err := CookieObject(d.r, name, explode, props...)
	return v, d.done("cookie", name, ok, err, required)
}

// FormValue returns a primitive field of a form body.
func (d *Decoder) FormValue(form url.Values, name string, required bool) (string, bool) {
	v, ok, err := QueryPrimitive(form, name)
	return v, d.done("body", name, ok, err, required)
}

// FormArray returns the items of an array field of a form body: each
// occurrence of the field is one item.
func (d *Decoder) FormArray(form url.Values, name string, required bool) ([]string, bool) {
	v, ok, err := QueryArray(form, name, StyleForm, true)
	return v, d.done("body", name, ok, err, required)
}

// FormArrayStyle returns the items of an array field of a form body that
// its encoding serializes in style (form, spaceDelimited or pipeDelimited)
// with or without explode: the field decodes exactly as the query parameter
// of the same name would (see [QueryArray]), so "tags=a|b" is two items
// in pipeDelimited style and "tags=a,b" two in form style without explode.
func (d *Decoder) FormArrayStyle(form url.Values, name string, style Style, explode, required bool) ([]string, bool) {
	v, ok, err := QueryArray(form, name, style, explode)
	return v, d.done("body", name, ok, err, required)
}

// FormObject returns the members of an object field of a form body that
// its encoding serializes in style, as the query parameter of the same
// name would (see [QueryObject]): "filter[color]=red" in deepObject style,
// "filter=color,red" in form style without explode, and each property of
// props as a field of its own ("color=red") in form style with explode.
func (d *Decoder) FormObject(form url.Values, name string, style Style, explode bool, props []string, required bool) (map[string]string, bool) {
	v, ok, err := QueryObject(form, name, style, explode, props)
	return v, d.done("body", name, ok, err, required)
}

// File returns the single file of a multipart field.
func (d *Decoder) File(form *multipart.Form, name string, required bool) (*multipart.FileHeader, bool) {
	fs := form.File[name]
	if len(fs) > 1 {
		return nil, d.done("body", name, false, &Error{In: "body", Name: name, Reason: "is repeated"}, required)
	}
	if len(fs) == 0 {
		return nil, d.done("body", name, false, nil, required)
	}
	return fs[0], true
}

// Files returns the files of a multipart field.
func (d *Decoder) Files(form *multipart.Form, name string, required bool) ([]*multipart.FileHeader, bool) {
	fs := form.File[name]
	return fs, d.done("body", name, len(fs) > 0, nil, required)
}

// Value parses one primitive value with parse, recording a failure.
func Value[T any](d *Decoder, in, name, s string, parse func(string) (T, error)) (T, bool) {
	v, err := parse(s)
	if err != nil {
		d.Fail(in, name, err)
		return v, false
	}
	return v, true
}

// Values parses each item with parse, recording the first failure.
func Values[T any](d *Decoder, in, name string, items []string, parse func(string) (T, error)) ([]T, bool) {
	v, err := Each(items, parse)
	if err != nil {
		d.Fail(in, name, err)
		return nil, false
	}
	return v, true
}

// Prop parses property prop of an object parameter's members.
func Prop[T any](d *Decoder, in, name, prop string, members map[string]string, parse func(string) (T, error), required bool) (T, bool) {
	var zero T
	s, ok := members[prop]
	if !ok {
		if required {
			d.errs = append(d.errs, problem.FieldError{In: in, Name: name + "[" + prop + "]", Keyword: "required", Message: "is required"})
		}
		return zero, false
	}
	v, err := parse(s)
	if err != nil {
		d.Fail(in, name+"["+prop+"]", err)
		return zero, false
	}
	return v, true
}

// Map parses every member of a map-shaped object parameter.
func Map[T any](d *Decoder, in, name string, members map[string]string, parse func(string) (T, error)) (map[string]T, bool) {
	out := make(map[string]T, len(members))
	for k, s := range members {
		v, err := parse(s)
		if err != nil {
			d.Fail(in, name+"["+k+"]", err)
			return nil, false
		}
		out[k] = v
	}
	return out, true
}

// Checked parses s as a strict JSON document (see validate.Parse), checks
// it against check (nil checks nothing) and decodes it with decode. Each
// failure is recorded under the parameter, pointing inside the value.
func Checked[T any](d *Decoder, in, name, s string, check validate.CheckFunc, decode validate.DecodeFunc[T]) (T, bool) {
	var zero T
	doc, err := validate.Parse([]byte(s), 0)
	if err != nil {
		d.Fail(in, name, errors.New("is not valid JSON"))
		return zero, false
	}
	defer doc.Release()
	var e validate.Errors
	e.Use(doc)
	if check != nil {
		check(doc, doc.Root(), &e)
	}
	var v T
	if !e.Failed() {
		v = decode(doc, doc.Root(), &e)
	}
	if e.Failed() {
		for _, f := range e.List() {
			f.In, f.Name = in, name
			d.errs = append(d.errs, f)
		}
		return zero, false
	}
	return v, true
}
