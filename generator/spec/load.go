// Package spec loads an OpenAPI document (3.0, 3.1, or Swagger 2.0) with
// kin-openapi, confines $ref resolution to the spec's own directory tree, and
// keeps the file:line:col of every node so that errors point into the spec.
package spec

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// Options control how a spec is loaded.
type Options struct {
	// AllowExternalRefs lets $refs read files outside the spec's directory.
	AllowExternalRefs bool
	// AllowRemoteRefs lets $refs fetch http(s) URLs.
	AllowRemoteRefs bool
}

// Doc is a loaded OpenAPI document.
type Doc struct {
	T *openapi3.T
	// Path is the spec path as the user gave it; Name its base name.
	Path string
	Name string
	// Version is the document's declared version: "2.0", "3.0.3", "3.1.0"…
	Version string
	// Swagger2 reports that the document was converted from Swagger 2.0; its
	// nodes then carry no line and column.
	Swagger2 bool
	abs      string

	data []byte // the document's text, for positions (see Locate)
	tree *tree
}

// Load reads and resolves the document at path.
func Load(ctx context.Context, path string, opts Options) (*Doc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	d := &Doc{Path: path, Name: filepath.Base(path), abs: abs, data: data}

	var head struct {
		Swagger string `yaml:"swagger" json:"swagger"`
		OpenAPI string `yaml:"openapi" json:"openapi"`
	}
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		if err := json.Unmarshal(trimmed, &head); err != nil {
			return nil, d.errorf(0, 0, "", "not a JSON document: %v", err)
		}
	} else if err := yaml.Unmarshal(data, &head); err != nil {
		return nil, d.errorf(yamlLine(err), 0, "", "not a YAML or JSON document: %v", trimYAMLErr(err))
	}
	switch {
	case head.Swagger != "":
		if head.Swagger != "2.0" {
			return nil, d.errorf(0, 0, "/swagger", "unsupported: swagger version %q (only 2.0)", head.Swagger)
		}
		d.Version, d.Swagger2 = "2.0", true
		t, err := loadSwagger2(data)
		if err != nil {
			return nil, d.wrap(err)
		}
		d.T = t
	case head.OpenAPI != "":
		if !strings.HasPrefix(head.OpenAPI, "3.0") && !strings.HasPrefix(head.OpenAPI, "3.1") {
			return nil, d.errorf(0, 0, "/openapi", "unsupported: openapi version %q (3.0.x, 3.1.x or swagger 2.0)", head.OpenAPI)
		}
		d.Version = head.OpenAPI
		loader := openapi3.NewLoader()
		loader.Context = ctx
		loader.IncludeOrigin = true
		loader.IsExternalRefsAllowed = true
		loader.ReadFromURIFunc = d.reader(opts)
		t, err := loader.LoadFromFile(path)
		if err != nil {
			return nil, d.wrap(err)
		}
		d.T = t
	default:
		return nil, d.errorf(1, 1, "", "not an OpenAPI document: neither an \"openapi\" nor a \"swagger\" field")
	}
	return d, nil
}

func loadSwagger2(data []byte) (*openapi3.T, error) {
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
		var doc2 openapi2.T
		if err := json.Unmarshal(trimmed, &doc2); err != nil {
			return nil, fmt.Errorf("decode swagger 2.0: %w", err)
		}
		return convert(&doc2)
	}
	var raw any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	js, err := json.Marshal(jsonable(raw))
	if err != nil {
		return nil, err
	}
	var doc2 openapi2.T
	if err := json.Unmarshal(js, &doc2); err != nil {
		return nil, fmt.Errorf("decode swagger 2.0: %w", err)
	}
	return convert(&doc2)
}

func convert(doc2 *openapi2.T) (*openapi3.T, error) {
	t, err := openapi2conv.ToV3(doc2)
	if err != nil {
		return nil, fmt.Errorf("convert swagger 2.0: %w", err)
	}
	requireFormBodies(t)
	return t, nil
}

// jsonable turns YAML's map[any]any-free output into JSON-encodable values.
func jsonable(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = jsonable(e)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case []any:
		for i, e := range v {
			v[i] = jsonable(e)
		}
		return v
	}
	return v
}

// reader confines $ref resolution: files inside the spec's directory tree
// (anywhere with AllowExternalRefs), and no network unless AllowRemoteRefs.
func (d *Doc) reader(opts Options) openapi3.ReadFromURIFunc {
	root := filepath.Dir(d.abs)
	return func(loader *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme == "http" || u.Scheme == "https" {
			if !opts.AllowRemoteRefs {
				return nil, fmt.Errorf("$ref to %s: remote references are off (use --allow-remote-refs)", u.Redacted())
			}
			return openapi3.ReadFromHTTP(http.DefaultClient)(loader, u)
		}
		if u.Scheme != "" && u.Scheme != "file" {
			return nil, fmt.Errorf("$ref to %s: unsupported scheme", u.Redacted())
		}
		p, err := filepath.Abs(filepath.FromSlash(u.Path))
		if err != nil {
			return nil, err
		}
		if !opts.AllowExternalRefs && p != d.abs {
			rel, err := filepath.Rel(root, p)
			if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return nil, fmt.Errorf("$ref to %s: outside the spec's directory (use --allow-external-refs)", u.Path)
			}
		}
		return os.ReadFile(p)
	}
}

// Errorf returns a spec error at the given origin location (which may be nil).
func (d *Doc) Errorf(loc *openapi3.Location, pointer, format string, args ...any) *Error {
	line, col := 0, 0
	if loc != nil {
		line, col = loc.Line, loc.Column
	}
	return d.errorf(line, col, pointer, format, args...)
}

func (d *Doc) errorf(line, col int, pointer, format string, args ...any) *Error {
	return &Error{File: d.Path, Line: line, Column: col, Pointer: pointer, Msg: fmt.Sprintf(format, args...)}
}

// wrap turns a loader error into a spec error, keeping what position it has.
func (d *Doc) wrap(err error) error {
	var se *Error
	if errors.As(err, &se) {
		return err
	}
	return &Error{File: d.Path, Line: yamlLine(err), Msg: "cannot load: " + trimYAMLErr(err), Err: err}
}

func yamlLine(err error) int {
	var n int
	s := err.Error()
	if i := strings.Index(s, "line "); i >= 0 {
		if _, e := fmt.Sscanf(s[i:], "line %d", &n); e == nil {
			return n
		}
	}
	return 0
}

func trimYAMLErr(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "yaml: ")
	return string(bytes.TrimSpace([]byte(s)))
}

// requireFormBodies marks a converted formData body required when one of
// its fields is: Swagger 2.0 puts `required` on each formData parameter,
// and the converter keeps it only inside the body's schema.
func requireFormBodies(t *openapi3.T) {
	if t.Paths == nil {
		return
	}
	for _, item := range t.Paths.Map() {
		for _, op := range item.Operations() {
			rb := op.RequestBody
			if rb == nil || rb.Value == nil || rb.Value.Required {
				continue
			}
			for mt, m := range rb.Value.Content {
				if (mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data") &&
					m != nil && m.Schema != nil && m.Schema.Value != nil && len(m.Schema.Value.Required) > 0 {
					rb.Value.Required = true
				}
			}
		}
	}
}
