package model_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secgen/secgen/generator/model"
	"github.com/secgen/secgen/generator/spec"
)

// formSpec is a document with one operation taking a body of media type
// mt, whose schema's properties and encoding are the given YAML lines
// (indented for their place).
func formSpec(version, mt, properties, encoding string) string {
	return "openapi: " + version + "\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    post:\n      operationId: postX\n" +
		"      requestBody:\n        content:\n          " + mt + ":\n            schema:\n              type: object\n" +
		"              properties:\n" + properties +
		"            encoding:\n" + encoding +
		"      responses:\n        '204': {description: ok}\n"
}

// buildForm builds the model of a formSpec document.
func buildForm(t *testing.T, doc string) (*model.API, string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "openapi.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := spec.Load(context.Background(), path, spec.Options{})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	api, err := model.Build(d, "api")
	return api, path, err
}

const (
	form      = "application/x-www-form-urlencoded"
	multipart = "multipart/form-data"
	// The properties start on line 13 and the encoding follows them.
	ptr = "/paths/~1x/post/requestBody/content/"
)

func TestFormEncodingErrorsPointIntoTheSpec(t *testing.T) {
	tests := []struct {
		name                 string
		version, mt          string
		properties, encoding string
		want                 string // after the spec's path
	}{
		{
			name: "an encoding naming an undeclared property is refused at its name",
			mt:   form, properties: "                color: {type: string}\n",
			encoding: "              colour: {style: form}\n",
			want:     ":15:15: " + ptr + "application~1x-www-form-urlencoded/encoding/colour: encoding names property \"colour\", which the schema does not declare",
		},
		{
			name: "deepObject on an array is refused at the style",
			mt:   form, properties: "                tags: {type: array, items: {type: string}}\n",
			encoding: "              tags:\n                style: deepObject\n",
			want:     ":16:17: " + ptr + "application~1x-www-form-urlencoded/encoding/tags/style: unsupported: form field \"tags\" is an array; style deepObject carries objects only",
		},
		{
			name: "a delimited array of objects is refused",
			mt:   form, properties: "                tags: {type: array, items: {type: object, properties: {a: {type: string}}}}\n",
			encoding: "              tags:\n                style: pipeDelimited\n                explode: false\n",
			want:     ":16:17: " + ptr + "application~1x-www-form-urlencoded/encoding/tags/style: unsupported: form field \"tags\" is an array of structs; style \"pipeDelimited\" carries arrays of primitive values only",
		},
		{
			name: "a deepObject object with an object property is refused",
			mt:   form, properties: "                filter: {type: object, properties: {range: {type: object, properties: {lo: {type: integer}}}}}\n",
			encoding: "              filter: {style: deepObject}\n",
			want:     ":15:24: " + ptr + "application~1x-www-form-urlencoded/encoding/filter/style: unsupported: property \"range\" of form field \"filter\" is not a primitive value; style \"deepObject\" cannot carry it",
		},
		{
			name: "a style forms do not have is refused",
			mt:   form, properties: "                tags: {type: array, items: {type: string}}\n",
			encoding: "              tags: {style: matrix}\n",
			want:     ":15:22: " + ptr + "application~1x-www-form-urlencoded/encoding/tags/style: unsupported: style \"matrix\" of form field \"tags\": an encoding's style is form, spaceDelimited, pipeDelimited or deepObject",
		},
		{
			name: "a map whose keys would mix with the other fields is refused",
			mt:   form, properties: "                extra: {type: object, additionalProperties: {type: string}}\n",
			encoding: "              extra: {explode: true}\n",
			want:     ":15:15: " + ptr + "application~1x-www-form-urlencoded/encoding/extra: unsupported: form field \"extra\" is a map; with style \"form\" and explode its keys could not be told from the other fields",
		},
		{
			name: "an exploded object property that another field also is is refused",
			mt:   form, properties: "                page: {type: integer}\n                paging: {type: object, properties: {page: {type: integer}}}\n",
			encoding: "              paging: {style: form, explode: true}\n",
			want:     ":16:24: " + ptr + "application~1x-www-form-urlencoded/encoding/paging/style: unsupported: property \"page\" of form field \"paging\" is sent as a field of its own (style form, explode true), which form field \"page\" also is",
		},
		{
			name: "an object keyword styled members escape is refused",
			mt:   form, properties: "                gift: {type: object, maxProperties: 3, additionalProperties: {type: string}}\n",
			encoding: "              gift: {style: deepObject}\n",
			want:     ":15:22: " + ptr + "application~1x-www-form-urlencoded/encoding/gift/style: unsupported: form field \"gift\" in style \"deepObject\": its maxProperties cannot be checked on members sent that way; drop the style to send it as JSON text",
		},
		{
			name: "an object in a media type secgen cannot read is refused at the contentType",
			mt:   multipart, properties: "                address: {type: object, properties: {city: {type: string}}}\n",
			encoding: "              address: {contentType: application/xml}\n",
			want:     ":15:25: " + ptr + "multipart~1form-data/encoding/address/contentType: unsupported: encoding contentType \"application/xml\" of form field \"address\": an object field is read only as JSON text (application/json)",
		},
		{
			name:    "from OpenAPI 3.1 on, a multipart field's style applies and is checked",
			version: "3.1.0", mt: multipart, properties: "                tags: {type: array, items: {type: string}}\n",
			encoding: "              tags: {style: deepObject}\n",
			want:     ":15:22: " + ptr + "multipart~1form-data/encoding/tags/style: unsupported: form field \"tags\" is an array; style deepObject carries objects only",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			version := tt.version
			if version == "" {
				version = "3.0.3"
			}
			_, path, err := buildForm(t, formSpec(version, tt.mt, tt.properties, tt.encoding))
			if err == nil || !strings.HasPrefix(err.Error(), path+tt.want) {
				t.Fatalf("error = %v\nwant it to start with %s", err, path+tt.want)
			}
		})
	}
}

func TestFormEncodingDecisions(t *testing.T) {
	tests := []struct {
		name                 string
		version, mt          string
		properties, encoding string
		field                string
		wantShape, wantFetch string
		wantAccept           string
	}{
		{
			name: "an explode-false array is split on commas",
			mt:   form, properties: "                tags: {type: array, items: {type: string}}\n",
			encoding: "              tags: {explode: false}\n", field: "tags",
			wantShape: "array", wantFetch: `d.FormArrayStyle(form, "tags", param.StyleForm, false, false)`,
		},
		{
			name: "an exploded form array is read as repeated fields, as without an encoding",
			mt:   form, properties: "                tags: {type: array, items: {type: string}}\n",
			encoding: "              tags: {style: form, explode: true}\n", field: "tags",
			wantShape: "array", wantFetch: `d.FormArray(form, "tags", false)`,
		},
		{
			name: "an array whose contentType is JSON is one JSON value",
			mt:   form, properties: "                tags: {type: array, items: {type: string}}\n",
			encoding: "              tags: {contentType: application/json}\n", field: "tags",
			wantShape: "json", wantFetch: `d.FormValue(form, "tags", false)`,
		},
		{
			name: "an object with an encoding that gives no style stays JSON text",
			mt:   form, properties: "                a: {type: object, properties: {b: {type: string}}}\n",
			encoding: "              a: {contentType: application/vnd.x+json}\n", field: "a",
			wantShape: "json", wantFetch: `d.FormValue(form, "a", false)`,
		},
		{
			name: "a primitive with a style is still one value",
			mt:   form, properties: "                n: {type: integer}\n",
			encoding: "              n: {style: pipeDelimited}\n", field: "n",
			wantShape: "primitive", wantFetch: `d.FormValue(form, "n", false)`,
		},
		{
			name: "a deepObject object lists its properties",
			mt:   form, properties: "                f: {type: object, properties: {lo: {type: integer}, hi: {type: integer}}}\n",
			encoding: "              f: {style: deepObject}\n", field: "f",
			wantShape: "object", wantFetch: `d.FormObject(form, "f", param.StyleDeepObject, false, []string{"hi", "lo"}, false)`,
		},
		{
			name: "OpenAPI 3.0 ignores a multipart field's style: repeated parts",
			mt:   multipart, properties: "                tags: {type: array, items: {type: string}}\n",
			encoding: "              tags: {style: pipeDelimited, explode: false}\n", field: "tags",
			wantShape: "array", wantFetch: `d.FormArray(form, "tags", false)`,
		},
		{
			name:    "OpenAPI 3.1 applies a multipart field's style",
			version: "3.1.0", mt: multipart, properties: "                tags: {type: array, items: {type: string}}\n",
			encoding: "              tags: {style: pipeDelimited, explode: false}\n", field: "tags",
			wantShape: "array", wantFetch: `d.FormArrayStyle(form, "tags", param.StylePipeDelimited, false, false)`,
		},
		{
			name: "a file part's contentType list becomes the media types it may have",
			mt:   multipart, properties: "                pic: {type: string, format: binary}\n",
			encoding: "              pic: {contentType: 'image/PNG; q=1, image/*'}\n", field: "pic",
			wantShape: "file", wantAccept: `[]string{"image/png", "image/*"}`,
		},
		{
			name: "a file part declared application/octet-stream may have any media type",
			mt:   multipart, properties: "                pic: {type: string, format: binary}\n",
			encoding: "              pic: {contentType: application/octet-stream}\n", field: "pic",
			wantShape: "file",
		},
		{
			name:    "a style on a file part overrides its contentType, which is then not checked",
			version: "3.1.0", mt: multipart, properties: "                pic: {type: string, format: binary}\n",
			encoding: "              pic: {contentType: image/png, style: form}\n", field: "pic",
			wantShape: "file",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			version := tt.version
			if version == "" {
				version = "3.0.3"
			}
			api, _, err := buildForm(t, formSpec(version, tt.mt, tt.properties, tt.encoding))
			if err != nil {
				t.Fatal(err)
			}
			var got *model.FormField
			for _, f := range api.Operations[0].Body.Contents[0].Form {
				if f.Name == tt.field {
					got = f
				}
			}
			if got == nil {
				t.Fatalf("no form field %q", tt.field)
			}
			if got.Shape != tt.wantShape {
				t.Errorf("shape = %q, want %q", got.Shape, tt.wantShape)
			}
			if tt.wantFetch != "" {
				if fetch := got.Fetch(); fetch != tt.wantFetch {
					t.Errorf("fetch = %s, want %s", fetch, tt.wantFetch)
				}
			}
			if got.Accept != tt.wantAccept {
				t.Errorf("accept = %s, want %s", got.Accept, tt.wantAccept)
			}
		})
	}
}
