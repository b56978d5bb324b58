#!/usr/bin/env bash
# Regenerates the three generated servers from openapi.yaml (secgen from
# this checkout, oapi-codegen and ogen at the versions pinned in doc.go's
# //go:generate lines). go.mod is tidied first, for whatever secgen itself
# now imports, and again after, for what the new generated code imports.
set -euo pipefail
cd "$(dirname "$0")"
go mod tidy -e
go generate .
go mod tidy
