#!/usr/bin/env bash
# The example service examples/notes, created by "secgen init": regenerated
# from its spec by the secgen its go.mod pins (this checkout, through its
# replace), it must be what is committed; then go vet and its tests.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== examples/notes: go generate ./..."
(cd examples/notes && go generate ./...)
git diff --exit-code -- examples/notes
untracked=$(git ls-files --others --exclude-standard -- examples/notes)
if [ -n "$untracked" ]; then
  echo "examples/notes holds files that are not committed:"; echo "$untracked"; exit 1
fi

echo "== examples/notes: go vet, go test"
(cd examples/notes && go vet ./... && go test ./...)
