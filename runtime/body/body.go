// Package body reads request bodies for generated servers: media type
// matching and the decoders of each body kind.
package body

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/secgen/secgen/runtime/problem"
	"github.com/secgen/secgen/runtime/validate"
)

// Results of Match besides an index.
const (
	Absent      = -1 // the request has no body
	Unsupported = -2 // the body's media type is not one the operation takes
)

// MaxMemory is how much of a multipart body is held in memory; the rest
// of its files go to temporary files.
const MaxMemory = 8 << 20

// Match returns the index of the first declared media type (which may be a
// range such as image/* or */*) that the request's Content-Type matches.
func Match(r *http.Request, declared []string) int {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
			return Absent
		}
		return Unsupported
	}
	return MatchType(ct, declared)
}

// MatchType returns the index of the first of declared (which may hold
// ranges such as image/* or */*) that the media type ct, a Content-Type
// value whose parameters are ignored, matches; Unsupported when none does
// or ct does not parse.
func MatchType(ct string, declared []string) int {
	got, ok := plainMediaType(ct)
	if !ok {
		var err error
		if got, _, err = mime.ParseMediaType(ct); err != nil {
			return Unsupported
		}
	}
	for i, d := range declared {
		want, ok := plainMediaType(d)
		if !ok {
			var err error
			if want, _, err = mime.ParseMediaType(d); err != nil {
				want = strings.ToLower(d)
			}
		}
		if matches(want, got) {
			return i
		}
	}
	return Unsupported
}

// plainMediaType returns a Content-Type without parameters as is when it
// is a lower-case type/subtype of token characters (the common case, kept
// free of allocations); ok is false when it needs full parsing.
func plainMediaType(ct string) (string, bool) {
	slash := -1
	for i := 0; i < len(ct); i++ {
		c := ct[i]
		switch {
		case c == '/' && slash < 0 && i > 0:
			slash = i
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == '_', c == '*':
		default:
			return "", false
		}
	}
	return ct, slash > 0 && slash < len(ct)-1
}

func matches(want, got string) bool {
	if want == got || want == "*/*" {
		return true
	}
	if prefix, ok := strings.CutSuffix(want, "/*"); ok {
		return strings.HasPrefix(got, prefix+"/")
	}
	return false
}

// RefusePart answers 415 when a file sent as the multipart field name has
// a media type that none of accepted matches (see [MatchType]; ranges such
// as image/* included), and reports whether it did. The problem names the
// field and the accepted types, never the media type the client sent. A
// file part without a Content-Type is text/plain, as RFC 7578 (section
// 4.4) says.
func RefusePart(w http.ResponseWriter, form *multipart.Form, name string, accepted []string) bool {
	for _, fh := range form.File[name] {
		ct := fh.Header.Get("Content-Type")
		if ct == "" {
			ct = "text/plain"
		}
		if MatchType(ct, accepted) < 0 {
			p := problem.New(http.StatusUnsupportedMediaType)
			p.Detail = "a part of the body has a media type this operation does not accept"
			p.Errors = []problem.FieldError{{In: "body", Name: name, Keyword: "contentType", Limit: strings.Join(accepted, ", "),
				Message: "has a media type this operation does not accept"}}
			problem.Write(w, p)
			return true
		}
	}
	return false
}

// Refuse answers for a Match result that is not an index: 415 for an
// unsupported media type, 400 for a missing required body.
func Refuse(w http.ResponseWriter, result int) {
	if result == Absent {
		problem.BadRequest(w, []problem.FieldError{{In: "body", Keyword: "required", Message: "a request body is required"}})
		return
	}
	problem.Status(w, http.StatusUnsupportedMediaType)
}

// JSON decodes the body into v: one JSON value and nothing after it.
func JSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return invalid(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			return invalid(err)
		}
		return problem.Errorf(http.StatusBadRequest, "the body holds data after the JSON value", err)
	}
	return nil
}

func invalid(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return problem.Errorf(http.StatusRequestEntityTooLarge, "", err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		p := problem.New(http.StatusBadRequest)
		p.Detail = "the request is not valid"
		ptr := "/" + strings.ReplaceAll(te.Field, ".", "/")
		if te.Field == "" {
			ptr = ""
		}
		p.Errors = []problem.FieldError{{In: "body", Pointer: ptr, Message: "must be " + jsonType(te.Type.Kind().String())}}
		return &problem.Error{Problem: p, Err: err}
	}
	return problem.Errorf(http.StatusBadRequest, "the body is not valid JSON", err)
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer in range"
	case "float32", "float64":
		return "a number"
	}
	return "of another type"
}

// Form parses an application/x-www-form-urlencoded body.
func Form(r *http.Request) (url.Values, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, invalid(err)
	}
	v, err := url.ParseQuery(string(data))
	if err != nil {
		return nil, problem.Errorf(http.StatusBadRequest, "the body is not a valid form", err)
	}
	return v, nil
}

// Multipart parses a multipart/form-data body, spooling large files to disk.
func Multipart(r *http.Request) (*multipart.Form, error) {
	if err := r.ParseMultipartForm(MaxMemory); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, problem.Errorf(http.StatusRequestEntityTooLarge, "", err)
		}
		return nil, problem.Errorf(http.StatusBadRequest, "the body is not a valid multipart form", err)
	}
	return r.MultipartForm, nil
}

// Text reads a text body.
func Text(r *http.Request) (string, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return "", invalid(err)
	}
	return string(data), nil
}

// Parse reads the body as one strict JSON document (see validate.Parse):
// 400 for anything else, 413 beyond a size limit. Release the Doc after.
func Parse(r *http.Request, maxDepth int) (*validate.Doc, error) {
	d, err := validate.Read(r.Body, maxDepth)
	if err == nil {
		return d, nil
	}
	var dup *validate.DuplicateError
	if errors.As(err, &dup) {
		p := problem.New(http.StatusBadRequest)
		p.Detail = "the request is not valid"
		p.Errors = []problem.FieldError{{In: "body", Pointer: dup.Pointer(), Keyword: "duplicate", Message: "names a member more than once"}}
		return nil, &problem.Error{Problem: p, Err: err}
	}
	var syn *validate.SyntaxError
	if errors.As(err, &syn) {
		return nil, problem.Errorf(http.StatusBadRequest, "the body is not valid JSON: "+syn.Msg+" at offset "+strconv.Itoa(syn.Offset), err)
	}
	if errors.Is(err, validate.ErrTooDeep) {
		return nil, problem.Errorf(http.StatusBadRequest, "the body nests JSON too deeply", err)
	}
	return nil, invalid(err)
}

// Decode decodes the value of a checked Doc into v.
func Decode(d *validate.Doc, v any) error {
	if err := json.Unmarshal(d.Raw(d.Root()), v); err != nil {
		return invalid(err)
	}
	return nil
}

// Acceptable reports whether the request's Accept headers admit one of
// the media types the operation can answer with (ranges such as image/*
// included on either side). For an offered type the most specific
// matching range decides, so "application/json;q=0, */*" refuses JSON.
// No Accept header admits everything.
func Acceptable(r *http.Request, offered []string) bool {
	accepts := r.Header.Values("Accept")
	if len(accepts) == 0 || len(offered) == 0 {
		return true
	}
	for _, o := range offered {
		o = strings.ToLower(o)
		isRange := strings.Contains(o, "*")
		best, zero := -1, false
		for _, header := range accepts {
			for part := range strings.SplitSeq(header, ",") {
				mediaRange, params, _ := strings.Cut(part, ";")
				mediaRange = strings.ToLower(strings.TrimSpace(mediaRange))
				if mediaRange == "" || !rangeMatches(mediaRange, o) {
					continue
				}
				s := 0 // for an offered range, any matching range may admit it
				if !isRange {
					s = 2 - strings.Count(mediaRange, "*") // type/sub 2, type/* 1, */* 0
				}
				switch q0 := refused(params); {
				case s > best:
					best, zero = s, q0
				case s == best && !q0:
					zero = false
				}
			}
		}
		if best >= 0 && !zero {
			return true
		}
	}
	return false
}

// refused reports a q=0 parameter: "not acceptable".
func refused(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return err == nil && q == 0
		}
	}
	return false
}

func rangeMatches(a, b string) bool {
	at, as, _ := strings.Cut(a, "/")
	bt, bs, _ := strings.Cut(b, "/")
	if i := strings.IndexByte(bs, ';'); i >= 0 {
		bs = strings.TrimSpace(bs[:i])
	}
	return (at == "*" || bt == "*" || at == bt) && (as == "*" || bs == "*" || as == bs)
}
