// Command petstore is the example service secgen's README starts from: an
// in-memory pet store serving examples/petstore/openapi.yaml. The api
// package is generated; this file and pets.go are the hand-written part.
package main

//go:generate go run github.com/secgen/secgen/cmd/secgen generate openapi.yaml --out api
