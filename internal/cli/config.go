package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/secgen/secgen/generator"
)

// fileConfig is the content of a secgen.yaml file. Its JSON Schema is
// schemas/secgen.schema.json; keep both, and configKeys, in sync (the tests
// check that they name the same keys).
type fileConfig struct {
	Spec              *string `yaml:"spec"`
	Out               *string `yaml:"out"`
	Package           *string `yaml:"package"`
	AllowExternalRefs *bool   `yaml:"allowExternalRefs"`
	AllowRemoteRefs   *bool   `yaml:"allowRemoteRefs"`
	// EnvPrefix is the prefix of the environment variables the service's
	// main.go reads (PREFIX_ADDR, ...): secgen init writes main.go with it
	// and records it here. secgen generate only checks it.
	EnvPrefix *string `yaml:"envPrefix"`
}

// configKeys lists the keys of a secgen.yaml file with the YAML type of
// their value and, for some strings, a check of the value.
var configKeys = []struct {
	name, tag, kind string
	check           func(string) error // nil: any non-empty string
}{
	{"spec", "!!str", "a string", nil},
	{"out", "!!str", "a string", nil},
	{"package", "!!str", "a string", nil},
	{"allowExternalRefs", "!!bool", "a boolean", nil},
	{"allowRemoteRefs", "!!bool", "a boolean", nil},
	{"envPrefix", "!!str", "a string", checkEnvPrefix},
}

// checkEnvPrefix reports whether prefix can prefix the names of the
// service's environment variables: upper snake case, words of A-Z and 0-9
// joined by single underscores, such as PETSTORE or PET_STORE_V2.
func checkEnvPrefix(prefix string) error {
	if generator.CheckEnvPrefix(prefix) != nil { // one rule for init and the config file
		return fmt.Errorf("%q is not upper snake case (words of A-Z and 0-9 joined by single underscores, starting with a letter)", prefix)
	}
	return nil
}

// loadConfig reads the secgen.yaml (or JSON) file at path. Relative spec and
// out paths in it are resolved against the directory of the file. An empty
// file is an empty configuration.
func loadConfig(path string) (*fileConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	if err := checkConfig(path, data); err != nil {
		return nil, err
	}

	var cfg fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}

	dir := filepath.Dir(path)
	for _, p := range []*string{cfg.Spec, cfg.Out} {
		if p != nil && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	return &cfg, nil
}

// checkConfig checks the structure of a config file before it is decoded, so
// that mistakes are reported with their line: the document must be a single
// mapping of known keys, each given once, with values of the right type.
func checkConfig(path string, data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return fmt.Errorf("config %s: %w", path, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return fmt.Errorf("config %s: must contain a single YAML document", path)
	}

	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("config %s:%d: must be a mapping of keys to values", path, root.Line)
	}

	seen := make(map[string]int)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if prev, ok := seen[k.Value]; ok {
			return fmt.Errorf("config %s:%d: key %q already given on line %d", path, k.Line, k.Value, prev)
		}
		seen[k.Value] = k.Line

		known := false
		for _, key := range configKeys {
			if k.Kind != yaml.ScalarNode || k.Value != key.name {
				continue
			}
			known = true
			if v.Kind != yaml.ScalarNode || v.ShortTag() != key.tag {
				return fmt.Errorf("config %s:%d: %s must be %s", path, v.Line, key.name, key.kind)
			}
			if key.tag == "!!str" && v.Value == "" {
				return fmt.Errorf("config %s:%d: %s must not be empty", path, v.Line, key.name)
			}
			if key.check != nil {
				if err := key.check(v.Value); err != nil {
					return fmt.Errorf("config %s:%d: invalid %s: %w", path, v.Line, key.name, err)
				}
			}
		}
		if !known {
			return fmt.Errorf("config %s:%d: unknown key %q (known keys: %s)", path, k.Line, k.Value, knownKeys())
		}
	}
	return nil
}

// knownKeys returns the config keys as a comma-separated list.
func knownKeys() string {
	names := make([]string, len(configKeys))
	for i, k := range configKeys {
		names[i] = k.name
	}
	return strings.Join(names, ", ")
}
