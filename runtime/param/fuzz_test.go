package param

import (
	"encoding/base64"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// pathStyles are the style and explode combinations of path parameters.
var pathStyles = []struct {
	style   Style
	explode bool
}{
	{StyleSimple, false}, {StyleSimple, true},
	{StyleLabel, false}, {StyleLabel, true},
	{StyleMatrix, false}, {StyleMatrix, true},
}

// encodeArray serializes vs as a path parameter, the inverse of PathArray.
func encodeArray(vs []string, name string, style Style, explode bool) string {
	if len(vs) == 0 {
		return ""
	}
	switch {
	case style == StyleLabel && explode:
		return "." + strings.Join(vs, ".")
	case style == StyleLabel:
		return "." + strings.Join(vs, ",")
	case style == StyleMatrix && explode:
		return ";" + name + "=" + strings.Join(vs, ";"+name+"=")
	case style == StyleMatrix:
		return ";" + name + "=" + strings.Join(vs, ",")
	}
	return strings.Join(vs, ",")
}

// encodeObject serializes m as a path parameter, the inverse of PathObject.
func encodeObject(m map[string]string, name string, style Style, explode bool) string {
	if len(m) == 0 {
		return ""
	}
	var items []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if explode {
			items = append(items, k+"="+m[k])
		} else {
			items = append(items, k, m[k])
		}
	}
	switch {
	case style == StyleLabel && explode:
		return "." + strings.Join(items, ".")
	case style == StyleLabel:
		return "." + strings.Join(items, ",")
	case style == StyleMatrix && explode:
		return ";" + strings.Join(items, ";")
	case style == StyleMatrix:
		return ";" + name + "=" + strings.Join(items, ",")
	}
	return strings.Join(items, ",")
}

func FuzzPathArray(f *testing.F) {
	for _, seed := range []string{
		"", ".", ";id", ";id=", "3,4,5", ".3,4,5", ".3.4.5", ";id=3,4,5", ";id=3;id=4;id=5",
		";id=3;id;id=5", ";idx=3", "..", ",", ";id=3;;id=4", ";", "a;id=b", "\xff,\x00",
	} {
		f.Add(seed, "id")
	}
	f.Add(";=1", "")
	f.Fuzz(func(t *testing.T, raw, name string) {
		for _, ps := range pathStyles {
			vs, err := PathArray(raw, name, ps.style, ps.explode)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("PathArray(%q, %q, %v, %v) error %T; want *Error", raw, name, ps.style, ps.explode, err)
				}
				continue
			}
			if vs == nil {
				t.Fatalf("PathArray(%q, %q, %v, %v) = nil, nil; want a non-nil slice", raw, name, ps.style, ps.explode)
			}
			enc := encodeArray(vs, name, ps.style, ps.explode)
			again, err := PathArray(enc, name, ps.style, ps.explode)
			if err != nil || !slices.Equal(again, vs) {
				t.Fatalf("PathArray(%q, %q, %v, %v) = %q, re-encoded as %q, decodes to %q, %v",
					raw, name, ps.style, ps.explode, vs, enc, again, err)
			}
		}
		for _, s := range []Style{StyleForm, StyleDeepObject, 0} {
			if _, err := PathArray(raw, name, s, false); err == nil && raw != "" {
				t.Fatalf("PathArray with style %v accepted %q", s, raw)
			}
		}
	})
}

func FuzzPathObject(f *testing.F) {
	for _, seed := range []string{
		"", ".", ";id", "role,admin,firstName,Alex", "role=admin,firstName=Alex",
		".role,admin,firstName,Alex", ".role=admin.firstName=Alex", ";id=role,admin,firstName,Alex",
		";role=admin;firstName=Alex", ";role;x=", "R,1,R,2", "=1", ";", "a=b=c", "R,100,G",
	} {
		f.Add(seed, "id")
	}
	f.Fuzz(func(t *testing.T, raw, name string) {
		for _, ps := range pathStyles {
			m, err := PathObject(raw, name, ps.style, ps.explode)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("PathObject(%q, %q, %v, %v) error %T; want *Error", raw, name, ps.style, ps.explode, err)
				}
				continue
			}
			if m == nil {
				t.Fatalf("PathObject(%q, %q, %v, %v) = nil, nil; want a non-nil map", raw, name, ps.style, ps.explode)
			}
			if _, ok := m[""]; ok {
				t.Fatalf("PathObject(%q, %q, %v, %v) = %q with an empty key", raw, name, ps.style, ps.explode, m)
			}
			enc := encodeObject(m, name, ps.style, ps.explode)
			again, err := PathObject(enc, name, ps.style, ps.explode)
			if err != nil || !maps.Equal(again, m) {
				t.Fatalf("PathObject(%q, %q, %v, %v) = %q, re-encoded as %q, decodes to %q, %v",
					raw, name, ps.style, ps.explode, m, enc, again, err)
			}
		}
	})
}

func FuzzQueryObject(f *testing.F) {
	for _, seed := range []string{
		"", "color=R,100,G,200,B,150", "R=100&G=200&B=150", "color=R%20100%20G%20200",
		"color=R|100|G|200", "color[R]=100&color[G]=200", "color%5BR%5D=1", "color[a][b]=1",
		"color[]=1", "color[R]=1&color[R]=2", "R=1&R=2", "color=R,1,R,2", "color=;x", "%zz=1&color[a=",
	} {
		f.Add(seed)
	}
	props := []string{"R", "G", "B"}
	f.Fuzz(func(t *testing.T, raw string) {
		q, _ := url.ParseQuery(raw) // keep what parsed, as a server would
		for _, s := range []Style{StyleForm, StyleSpaceDelimited, StylePipeDelimited, StyleDeepObject, StyleSimple} {
			for _, explode := range []bool{false, true} {
				m, present, err := QueryObject(q, "color", s, explode, props)
				if err != nil {
					if _, ok := err.(*Error); !ok {
						t.Fatalf("QueryObject(%q, %v, %v) error %T; want *Error", raw, s, explode, err)
					}
					if e := err.Error(); strings.ContainsAny(e, "\r\n") {
						t.Fatalf("QueryObject(%q, %v, %v) error %q has CR or LF", raw, s, explode, e)
					}
					continue
				}
				if present != (m != nil) {
					t.Fatalf("QueryObject(%q, %v, %v) = %q, present %v", raw, s, explode, m, present)
				}
				for k, v := range m {
					switch {
					case s == StyleDeepObject:
						if vs := q["color["+k+"]"]; len(vs) != 1 || vs[0] != v {
							t.Fatalf("QueryObject(%q, deepObject) has %q=%q; query has %q", raw, k, v, vs)
						}
					case explode:
						if vs := q[k]; !slices.Contains(props, k) || len(vs) != 1 || vs[0] != v {
							t.Fatalf("QueryObject(%q, %v, explode) has %q=%q; query has %q", raw, s, k, v, vs)
						}
					default:
						if k == "" || len(q["color"]) != 1 {
							t.Fatalf("QueryObject(%q, %v) = %q from %q", raw, s, m, q["color"])
						}
					}
				}
			}
		}
	})
}

func FuzzInt(f *testing.F) {
	for _, seed := range []string{
		"0", "-0", "1", "-1", "+1", "01", " 1", "1e3", "0x10", "2147483647", "2147483648",
		"-2147483648", "-2147483649", "", "-", "١", "99999999999999999999",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Int[int32](s)
		n, stdErr := strconv.ParseInt(s, 10, 32)
		if err == nil {
			if got := strconv.FormatInt(int64(v), 10); got != s {
				t.Fatalf("Int[int32](%q) = %d, which formats as %q", s, v, got)
			}
			if stdErr != nil || n != int64(v) {
				t.Fatalf("Int[int32](%q) = %d; strconv.ParseInt gives %d, %v", s, v, n, stdErr)
			}
			return
		}
		if stdErr == nil && strconv.FormatInt(n, 10) == s {
			t.Fatalf("Int[int32](%q) = %v; want %d, the canonical form", s, err, n)
		}
		if _, err := Uint[uint8](s); err == nil && (strings.HasPrefix(s, "-") || s == "") {
			t.Fatalf("Uint[uint8](%q) accepted a sign or nothing", s)
		}
		if f, err := Float[float64](s); err == nil && f != f {
			t.Fatalf("Float[float64](%q) = NaN", s)
		}
	})
}

func FuzzBytes(f *testing.F) {
	for _, seed := range []string{
		"", "aGk=", "aGk", "-_-_", "+/+/", "aA==", "aB==", "aA=", "a", "aGk=\n", "+_", "====",
	} {
		f.Add(seed)
	}
	encodings := []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := Bytes(s)
		if err != nil {
			return
		}
		for _, enc := range encodings {
			if enc.EncodeToString(b) == s {
				return
			}
		}
		t.Fatalf("Bytes(%q) = %x, but no encoding of it spells the input", s, b)
	})
}
