// Package bench measures a secgen-generated server side by side with the
// same spec (openapi.yaml) served by oapi-codegen behind kin-openapi's
// request validator, by ogen, and by a bare chi handler that checks nothing
// (the floor). The servers live in the sub-packages; bench_test.go holds the
// agreement test and the benchmarks, run.sh runs them and prints ratios.
package bench

//go:generate go run github.com/secgen/secgen/cmd/secgen generate openapi.yaml --out secgen/api
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen@v2.8.2 -config oapicodegen/config.yaml openapi.yaml
//go:generate go run github.com/ogen-go/ogen/cmd/ogen@v1.24.0 --config ogen/ogen.yml --target ogen/api --package api --clean openapi.yaml
