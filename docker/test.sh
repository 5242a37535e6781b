#!/usr/bin/env bash
# Runs every test of repgeom: formatting, vet, and the Go test suite (which
# includes the notebook runner once the notebooks land). Installs what the
# tests need first, so it works on a fresh machine: README command 2.
set -euo pipefail
cd "$(dirname "$0")/.."

bash docker/setup-assets.sh

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
echo "== go vet"
go vet ./...
echo "== go test"
go test -count=1 -timeout 80m ./...
