package spec

import (
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
)

// tree is the document's YAML node tree, parsed once on first use. kin-openapi
// keeps origins for the nodes it models but not inside extension values, so
// positions there come from this tree.
type tree struct {
	once sync.Once
	root *yaml.Node
}

func (d *Doc) root() *yaml.Node {
	if d.tree == nil {
		d.tree = &tree{}
	}
	d.tree.once.Do(func() {
		var n yaml.Node
		if err := yaml.Unmarshal(d.data, &n); err == nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
			d.tree.root = n.Content[0]
		}
	})
	return d.tree.root
}

// Locate returns the line and column of the node a JSON pointer names in the
// document's own file: the member's key for an object member, the element
// for an array item. When the pointer leads through a $ref or past the end
// of the tree, it returns the position of the deepest node it reached; 0, 0
// when it reached none.
func (d *Doc) Locate(pointer string) (line, col int) {
	n := d.root()
	if n == nil {
		return 0, 0
	}
	line, col = n.Line, n.Column
	if pointer == "" {
		return line, col
	}
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		n = deref(n)
		switch n.Kind {
		case yaml.MappingNode:
			key, val := member(n, tok)
			if key == nil {
				return line, col
			}
			line, col, n = key.Line, key.Column, val
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n.Content) {
				return line, col
			}
			n = n.Content[i]
			line, col = n.Line, n.Column
		default:
			return line, col
		}
	}
	return line, col
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// member finds the key and value of the member named name.
func member(m *yaml.Node, name string) (key, val *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == name {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// ExtensionKey is a member of the document whose name starts with
// "x-secgen", wherever it stands.
type ExtensionKey struct {
	Name    string
	Pointer string // of the member
	Line    int
	Column  int
	// Siblings are the names of the other members of the object that holds
	// it, which tell what kind of object that is.
	Siblings []string
	// Value is the member's value as YAML decodes it; nil when it does not
	// decode.
	Value any
}

// valueKeys hold data rather than OpenAPI objects: extension names inside
// them are not extensions.
var valueKeys = map[string]bool{"example": true, "examples": true, "default": true, "enum": true, "const": true}

// nameMaps hold members named by the spec's author (a property called
// "x-secgen-note" is a property, not an extension).
var nameMaps = map[string]bool{
	"properties": true, "patternProperties": true, "$defs": true, "definitions": true, "schemas": true,
	"dependentRequired": true, "dependentSchemas": true, "paths": true, "responses": true, "parameters": true,
	"headers": true, "content": true, "encoding": true, "securitySchemes": true, "requestBodies": true,
	"links": true, "callbacks": true, "pathItems": true, "webhooks": true, "mapping": true, "scopes": true,
	"variables": true,
}

// ExtensionKeys lists every x-secgen* member in the document's own file, in
// document order, skipping the insides of examples, defaults, enums and
// other extensions.
func (d *Doc) ExtensionKeys() []ExtensionKey {
	var out []ExtensionKey
	var walk func(n *yaml.Node, ptr string, names bool, depth int)
	walk = func(n *yaml.Node, ptr string, names bool, depth int) {
		if n == nil || depth > 200 {
			return
		}
		n = deref(n)
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				p := ptr + "/" + strings.ReplaceAll(strings.ReplaceAll(k.Value, "~", "~0"), "/", "~1")
				switch {
				case names:
					walk(n.Content[i+1], p, false, depth+1)
				case strings.HasPrefix(k.Value, "x-secgen"):
					var sib []string
					for j := 0; j+1 < len(n.Content); j += 2 {
						if j != i {
							sib = append(sib, n.Content[j].Value)
						}
					}
					var v any
					if err := n.Content[i+1].Decode(&v); err != nil {
						v = nil
					}
					out = append(out, ExtensionKey{Name: k.Value, Pointer: p, Line: k.Line, Column: k.Column, Siblings: sib, Value: v})
				case strings.HasPrefix(k.Value, "x-") || valueKeys[k.Value]:
				default:
					walk(n.Content[i+1], p, nameMaps[k.Value], depth+1)
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, ptr+"/"+strconv.Itoa(i), false, depth+1)
			}
		}
	}
	walk(d.root(), "", false, 0)
	return out
}
