// Package schemas holds the JSON Schemas (draft 2020-12) of secgen's x-secgen
// extensions and of its configuration file, and checks extension values
// against them.
//
// The schema files are the single source of the extension rules: the
// generator validates every extension value it meets with [Validate], and
// editors can use the same files, from [FS] or from their $id URLs under
// https://secgen.dev/schemas/, for completion. The rules that need more than
// one value at a time (CORS "*" beside credentials, preload HSTS without
// includeSubDomains, …) are the generator's, not these schemas'.
package schemas

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// FS holds the schema files (embed), for tools and editors: one
// x-secgen*.schema.json per extension, defs.schema.json with the definitions
// they share, and secgen.schema.json for the secgen.yaml configuration file.
//
//go:embed *.schema.json
var FS embed.FS

// baseURL is the prefix of every schema's $id; a file's $id is baseURL
// followed by its file name.
const baseURL = "https://secgen.dev/schemas/"

// Extension describes one x-secgen extension.
type Extension struct {
	Name  string // "x-secgen-cors"
	Where string // "root", "operation", "securityScheme" or "schema"
	File  string // "x-secgen-cors.schema.json"
}

// Extensions lists every extension, sorted by Name.
var Extensions = []Extension{
	{Name: "x-secgen", Where: "root", File: "x-secgen.schema.json"},
	{Name: "x-secgen-brute-force", Where: "operation", File: "x-secgen-brute-force.schema.json"},
	{Name: "x-secgen-cache-control", Where: "operation", File: "x-secgen-cache-control.schema.json"},
	{Name: "x-secgen-cors", Where: "operation", File: "x-secgen-cors.schema.json"},
	{Name: "x-secgen-encrypt", Where: "schema", File: "x-secgen-encrypt.schema.json"},
	{Name: "x-secgen-jwt", Where: "securityScheme", File: "x-secgen-jwt.schema.json"},
	{Name: "x-secgen-max-body-bytes", Where: "operation", File: "x-secgen-max-body-bytes.schema.json"},
	{Name: "x-secgen-rate-limit", Where: "operation", File: "x-secgen-rate-limit.schema.json"},
	{Name: "x-secgen-sensitive", Where: "schema", File: "x-secgen-sensitive.schema.json"},
}

// Lookup returns the extension named name. Names are case-sensitive.
func Lookup(name string) (Extension, bool) {
	for _, e := range Extensions {
		if e.Name == name {
			return e, true
		}
	}
	return Extension{}, false
}

// Suggest returns the known extension name closest to a misspelt one (edit
// distance <= 3, ties by order), or "". Letter case is ignored and a swap of
// two neighbouring characters counts as one edit, so "X-Secgen-Cros" gives
// "x-secgen-cors"; a known name is returned as it is.
func Suggest(name string) string {
	best, bestDist := "", 4
	for _, e := range Extensions {
		if d := distance(name, e.Name, bestDist); d < bestDist {
			best, bestDist = e.Name, d
		}
	}
	return best
}

// Violation is one way a value breaks its schema.
type Violation struct {
	Pointer string // RFC 6901 pointer inside the value ("" = the value itself), e.g. "/cors/maxAge"
	Message string // lowercase, no trailing period, says what is wrong and what is expected
}

// Validate checks value (as decoded from YAML or JSON: map[string]any, []any,
// string, bool, nil, and numbers as int, int64, uint64 or float64) against the
// schema of the extension named name. Violations are the leaf errors, sorted
// by Pointer then Message, deduplicated. An unknown name is an error.
//
// A mapping with non-string keys (map[any]any, as YAML decodes {1: x}), a
// YAML timestamp, NaN, an infinity, or any other Go value that has no JSON
// form is a violation at its pointer, not an error.
func Validate(name string, value any) ([]Violation, error) {
	if _, ok := Lookup(name); !ok {
		if s := Suggest(name); s != "" {
			return nil, fmt.Errorf("unknown extension %q (did you mean %q?)", name, s)
		}
		return nil, fmt.Errorf("unknown extension %q", name)
	}
	set, err := compiled()
	if err != nil {
		return nil, err
	}
	value, _ = normalize(value)
	err = set.schemas[name].Validate(value)
	if err == nil {
		return nil, nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, fmt.Errorf("validate %s: %w", name, err)
	}
	c := collector{set: set, root: value}
	c.collect(verr)
	slices.SortFunc(c.out, func(a, b Violation) int {
		if n := strings.Compare(a.Pointer, b.Pointer); n != 0 {
			return n
		}
		return strings.Compare(a.Message, b.Message)
	})
	return slices.Compact(c.out), nil
}

// schemaSet is every extension schema, compiled once.
type schemaSet struct {
	schemas map[string]*jsonschema.Schema // by extension name
	members map[string][]string           // schema location -> its property names, sorted
	names   map[string][]string           // schema location -> its patternProperties patterns, sorted
}

var (
	compileOnce sync.Once
	compiledSet *schemaSet
	compileErr  error
)

// compiled returns the extension schemas, compiling them on first use.
func compiled() (*schemaSet, error) {
	compileOnce.Do(func() { compiledSet, compileErr = compileAll() })
	return compiledSet, compileErr
}

// compileAll loads every embedded file as a resource under its $id, so that
// the $refs between files resolve without a network, and compiles the schema
// of each extension.
func compileAll() (*schemaSet, error) {
	c := jsonschema.NewCompiler()
	files, err := fs.Glob(FS, "*.schema.json")
	if err != nil {
		return nil, fmt.Errorf("list schemas: %w", err)
	}
	for _, f := range files {
		data, err := FS.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read schema %s: %w", f, err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("parse schema %s: %w", f, err)
		}
		if err := c.AddResource(baseURL+f, doc); err != nil {
			return nil, fmt.Errorf("load schema %s: %w", f, err)
		}
	}
	set := &schemaSet{
		schemas: make(map[string]*jsonschema.Schema, len(Extensions)),
		members: make(map[string][]string),
		names:   make(map[string][]string),
	}
	seen := make(map[*jsonschema.Schema]bool)
	for _, e := range Extensions {
		s, err := c.Compile(baseURL + e.File)
		if err != nil {
			return nil, fmt.Errorf("compile schema %s: %w", e.File, err)
		}
		set.schemas[e.Name] = s
		walk(s, seen, func(s *jsonschema.Schema) {
			if len(s.Properties) > 0 {
				names := make([]string, 0, len(s.Properties))
				for n := range s.Properties {
					names = append(names, n)
				}
				slices.Sort(names)
				set.members[s.Location] = names
			}
			if len(s.PatternProperties) > 0 {
				var patterns []string
				for re := range s.PatternProperties {
					patterns = append(patterns, re.String())
				}
				slices.Sort(patterns)
				set.names[s.Location] = patterns
			}
		})
	}
	return set, nil
}

// walk calls visit once for s and for every schema reachable from it.
func walk(s *jsonschema.Schema, seen map[*jsonschema.Schema]bool, visit func(*jsonschema.Schema)) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	visit(s)
	next := []*jsonschema.Schema{s.Ref, s.Not, s.If, s.Then, s.Else, s.PropertyNames, s.Items2020, s.Contains}
	next = append(next, s.AllOf...)
	next = append(next, s.AnyOf...)
	next = append(next, s.OneOf...)
	next = append(next, s.PrefixItems...)
	for _, p := range s.Properties {
		next = append(next, p)
	}
	for _, p := range s.PatternProperties {
		next = append(next, p)
	}
	if a, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		next = append(next, a)
	}
	for _, n := range next {
		walk(n, seen, visit)
	}
}

// normalize turns the mappings that YAML decodes as map[any]any into
// map[string]any when all their keys are strings, copying only the containers
// that change, and reports whether anything did. Everything else is left for
// the validator, which reports values that have no JSON form.
func normalize(v any) (any, bool) {
	switch v := v.(type) {
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			ks, ok := k.(string)
			if !ok {
				return v, false
			}
			out[ks], _ = normalize(x)
		}
		return out, true
	case map[string]any:
		var out map[string]any
		for k, x := range v {
			if n, changed := normalize(x); changed {
				if out == nil {
					out = maps.Clone(v)
				}
				out[k] = n
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	case []any:
		var out []any
		for i, x := range v {
			if n, changed := normalize(x); changed {
				if out == nil {
					out = slices.Clone(v)
				}
				out[i] = n
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	}
	return v, false
}

// collector turns a validation error tree into violations.
type collector struct {
	set  *schemaSet
	root any // the value validated, for quoting what was found
	out  []Violation
}

func (c *collector) add(loc []string, msg string) {
	c.out = append(c.out, Violation{Pointer: pointer(loc), Message: msg})
}

// collect records the leaf errors under e.
func (c *collector) collect(e *jsonschema.ValidationError) {
	switch k := e.ErrorKind.(type) {
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		for _, cause := range e.Causes {
			c.collect(cause)
		}
	case *kind.AnyOf:
		c.choice(e)
	case *kind.OneOf:
		if len(k.Subschemas) == 0 {
			c.choice(e)
			return
		}
		c.add(e.InstanceLocation, fmt.Sprintf("must match exactly one alternative, but matches alternatives %d and %d", k.Subschemas[0]+1, k.Subschemas[1]+1))
	default:
		c.leaf(e)
	}
}

// choice reports an anyOf or oneOf that no alternative matched. Alternatives
// that refused the value only for its type (or for not being a listed
// constant) say nothing useful when another one accepted the type: for
// {"$ref": cors} or false, an object gets the errors of the cors branch. When
// every alternative refused the type, one violation lists what would do.
func (c *collector) choice(e *jsonschema.ValidationError) {
	var wants []string
	deep := false
	for _, cause := range e.Causes {
		if want, ok := shallow(cause, len(e.InstanceLocation)); ok {
			wants = append(wants, want...)
			continue
		}
		deep = true
		c.collect(cause)
	}
	if deep {
		return
	}
	got, _ := lookup(c.root, e.InstanceLocation)
	c.add(e.InstanceLocation, "must be "+orList(unique(wants))+", got "+describe(got))
}

// shallow reports whether the alternative that failed with e refused the
// value at depth only for its type or for not being one of its constants, and
// if so what it expected, in words.
func shallow(e *jsonschema.ValidationError, depth int) ([]string, bool) {
	var wants []string
	var visit func(e *jsonschema.ValidationError) bool
	visit = func(e *jsonschema.ValidationError) bool {
		switch k := e.ErrorKind.(type) {
		case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
			for _, cause := range e.Causes {
				if !visit(cause) {
					return false
				}
			}
			return true
		case *kind.Type:
			if len(e.InstanceLocation) != depth {
				return false
			}
			for _, t := range k.Want {
				wants = append(wants, typeWord(t))
			}
			return true
		case *kind.Const:
			if len(e.InstanceLocation) != depth {
				return false
			}
			wants = append(wants, describe(k.Want))
			return true
		case *kind.Enum:
			if len(e.InstanceLocation) != depth {
				return false
			}
			for _, w := range k.Want {
				wants = append(wants, describe(w))
			}
			return true
		}
		return false
	}
	return wants, visit(e)
}

// leaf records the violation a single keyword error stands for.
func (c *collector) leaf(e *jsonschema.ValidationError) {
	loc := e.InstanceLocation
	got, _ := lookup(c.root, loc)
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		words := make([]string, len(k.Want))
		for i, t := range k.Want {
			words[i] = typeWord(t)
		}
		c.add(loc, "must be "+orList(words)+", got "+describe(got))
	case *kind.Enum:
		words := make([]string, len(k.Want))
		for i, w := range k.Want {
			words[i] = describe(w)
		}
		if len(words) > 2 {
			c.add(loc, "must be one of "+orList(words)+", got "+describe(got))
		} else {
			c.add(loc, "must be "+orList(words)+", got "+describe(got))
		}
	case *kind.Const:
		c.add(loc, "must be "+describe(k.Want)+", got "+describe(got))
	case *kind.Minimum:
		c.add(loc, "must be >= "+ratString(k.Want)+", got "+describe(got))
	case *kind.Maximum:
		c.add(loc, "must be <= "+ratString(k.Want)+", got "+describe(got))
	case *kind.ExclusiveMinimum:
		c.add(loc, "must be > "+ratString(k.Want)+", got "+describe(got))
	case *kind.ExclusiveMaximum:
		c.add(loc, "must be < "+ratString(k.Want)+", got "+describe(got))
	case *kind.MultipleOf:
		c.add(loc, "must be a multiple of "+ratString(k.Want)+", got "+describe(got))
	case *kind.MinLength:
		if k.Want == 1 {
			c.add(loc, "must not be empty")
		} else {
			c.add(loc, fmt.Sprintf("must be at least %d characters long, got %d", k.Want, k.Got))
		}
	case *kind.MaxLength:
		c.add(loc, fmt.Sprintf("must be at most %d characters long, got %d", k.Want, k.Got))
	case *kind.MinItems:
		if k.Want == 1 {
			c.add(loc, "must list at least one item")
		} else {
			c.add(loc, fmt.Sprintf("must list at least %d items, got %d", k.Want, k.Got))
		}
	case *kind.MaxItems:
		c.add(loc, fmt.Sprintf("must list at most %d items, got %d", k.Want, k.Got))
	case *kind.UniqueItems:
		at := append(slices.Clip(loc), strconv.Itoa(k.Duplicates[1]))
		c.add(at, fmt.Sprintf("repeats item %d; items must be unique", k.Duplicates[0]))
	case *kind.Required:
		for _, m := range k.Missing {
			c.add(loc, fmt.Sprintf("missing required member %q", m))
		}
	case *kind.AdditionalProperties:
		known, patterns := c.set.members[e.SchemaURL], c.set.names[e.SchemaURL]
		for _, p := range k.Properties {
			at := append(slices.Clip(loc), p)
			if len(known) == 0 && len(patterns) == 1 {
				// A map whose keys follow a pattern, such as header names.
				c.add(at, "invalid member name: must be "+patternWords[patterns[0]]+", got "+describe(p))
				continue
			}
			c.add(at, unknownMember(p, known))
		}
	case *kind.Pattern:
		if words, ok := patternWords[k.Want]; ok {
			c.add(loc, "must be "+words+", got "+describe(got))
		} else {
			c.add(loc, fmt.Sprintf("must match the pattern %q, got %s", k.Want, describe(got)))
		}
	case *kind.Not:
		if words, ok := notWords[e.SchemaURL]; ok {
			c.add(loc, "must be "+words+", got "+describe(got))
		} else {
			c.add(loc, "is a value this setting excludes, got "+describe(got))
		}
	case *kind.FalseSchema:
		c.add(loc, "is not allowed here")
	case *kind.InvalidJsonValue:
		c.add(loc, invalidValue(k.Value))
	default:
		c.add(loc, fmt.Sprintf("must satisfy the schema keyword %q", strings.Join(e.ErrorKind.KeywordPath(), "/")))
	}
}

// patternWords says in words what each pattern of the schemas accepts, after
// "must be". The package tests require an entry for every pattern.
var patternWords = map[string]string{
	`^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`:                          `a duration such as "30s", "15m" or "1h30m" (numbers with units ns, us, ms, s, m or h)`,
	`^[!#$%&'*+.^_` + "`" + `|~0-9A-Za-z-]+$`:                            "an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)",
	`^(ip|subject|apiKey|header:[!#$%&'*+.^_` + "`" + `|~0-9A-Za-z-]+)$`: `"ip", "subject", "apiKey" or "header:" followed by a header name`,
	`^(/([^~/]|~[01])*)+$`:                                               `a JSON pointer such as "/username" (each token starts with "/"; "~" is written "~0" and "/" inside a token "~1")`,
	`^[^\x00-\x08\x0A-\x1F\x7F]*$`:                                       "a header value without control characters other than tab",
	`^[^\x00-\x20\x7F]([^\x00-\x1F\x7F]*[^\x00-\x20\x7F])?$`:             "a non-empty header value without control characters or leading or trailing spaces",
}

// notWords says in words what the schemas with a "not" keyword, by location,
// accept, after "must be".
var notWords = map[string]string{
	baseURL + "defs.schema.json#/$defs/duration": "a duration longer than zero",
}

// unknownMember words the refusal of a member no property names, suggesting
// the known member it most likely misspells.
func unknownMember(name string, known []string) string {
	if len(known) == 0 {
		return fmt.Sprintf("unknown member %q; this object has no members", name)
	}
	best, bestDist := "", 4
	for _, k := range known {
		if d := distance(name, k, bestDist); d < bestDist {
			best, bestDist = k, d
		}
	}
	msg := fmt.Sprintf("unknown member %q", name)
	if best != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", best)
	}
	return msg + "; known: " + strings.Join(known, ", ")
}

// invalidValue words the refusal of a Go value that has no JSON form.
func invalidValue(v any) string {
	switch v := v.(type) {
	case float64:
		return "must be a finite number, got " + strconv.FormatFloat(v, 'g', -1, 64)
	case float32:
		return "must be a finite number, got " + strconv.FormatFloat(float64(v), 'g', -1, 32)
	case map[any]any:
		return "must have only string member names"
	}
	return fmt.Sprintf("must be a JSON value (null, boolean, number, string, array or object), got a Go %T; quote it if it is meant as a string", v)
}

// typeWord names a JSON Schema type with its article.
func typeWord(t string) string {
	switch t {
	case "null":
		return "null"
	case "integer", "object", "array":
		return "an " + t
	}
	return "a " + t
}

// describe shows a found or expected value briefly: scalars as JSON (long
// strings cut), containers by their kind.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case string:
		const max = 64
		if utf8.RuneCountInString(v) > max {
			r := []rune(v)
			return strconv.Quote(string(r[:max])) + "…"
		}
		return strconv.Quote(v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return strconv.FormatFloat(v, 'g', -1, 64)
		}
		if v == math.Trunc(v) && math.Abs(v) < 1e21 {
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case float32:
		return describe(float64(v))
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(v)
	case fmt.Stringer: // json.Number and friends
		return v.String()
	case map[string]any, map[any]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("a Go %T", v)
}

// ratString shows a schema bound: an integer in full, a fraction in decimals.
func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return strings.TrimRight(strings.TrimRight(r.FloatString(9), "0"), ".")
}

// orList joins words as "a", "a or b", "a, b or c".
func orList(words []string) string {
	switch len(words) {
	case 0:
		return "something else"
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// unique drops repeated words, keeping the first of each.
func unique(words []string) []string {
	out := words[:0:0]
	for _, w := range words {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// tokenEscaper escapes a reference token of a JSON pointer (RFC 6901).
var tokenEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// pointer builds an RFC 6901 JSON pointer from reference tokens.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(tokenEscaper.Replace(t))
	}
	return b.String()
}

// lookup finds the value the tokens lead to inside v.
func lookup(v any, tokens []string) (any, bool) {
	for _, t := range tokens {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[t]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// distance is the optimal string alignment distance between a and b, letter
// case ignored: insertions, deletions, substitutions and swaps of neighbours
// each cost one. Distances of limit or more are all reported as limit.
func distance(a, b string, limit int) int {
	ra := []rune(strings.ToLower(a))
	rb := []rune(strings.ToLower(b))
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit // the distance is at least the difference in length
	}
	// Three rows of the table: two back (for swaps), previous and current.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(rb)], limit)
}
