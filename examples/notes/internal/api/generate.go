package api

// Regenerate this package after editing ../../openapi.yaml: go generate ./...
// runs secgen, at the version go.mod pins, with the settings of
// ../../secgen.yaml. secgen rewrites only its secgen_*_gen.go files;
// security.go and this file are yours.
//
//go:generate go tool secgen generate --config ../../secgen.yaml
