#!/usr/bin/env bash
# README command 1: brings up Jupyter on notebooks/ with the gonb kernel and
# this checkout wired into every notebook. Installs what is missing first
# (Debian Jupyter, GoNB v0.11.4, goimports and gopls, the echarts and MNIST
# assets), so it works on a fresh Debian 12 machine with Go 1.26; the install
# steps need root (or sudo) only the first time.
#
# Environment (defaults in brackets):
#   REPGEOM_PORT [8888]        port to listen on
#   REPGEOM_IP   [127.0.0.1]   address to listen on (the Docker image: 0.0.0.0)
#   REPGEOM_NO_INSTALL=1       skip the install steps (the image has them)
# Extra arguments go to `jupyter notebook` (e.g. --NotebookApp.token=…).
#
# Each notebook's first cell wires the repository in: it makes a go.work that
# uses this checkout (found as the notebook folder's parent, or $REPGEOM_ROOT)
# and runs %goworkfix, so GoNB builds against this code, never a published
# version.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [ "${REPGEOM_NO_INSTALL:-0}" != 1 ]; then
	bash docker/setup-jupyter.sh
	bash docker/setup-assets.sh
fi

export PATH="${REPGEOM_HOME:-$HOME/.local/share/repgeom}/bin:$PATH"
export REPGEOM_ROOT="$root"

args=(--notebook-dir="$root/notebooks" --port="${REPGEOM_PORT:-8888}" --ip="${REPGEOM_IP:-127.0.0.1}" --no-browser)
if [ "$(id -u)" -eq 0 ]; then
	args+=(--allow-root)
fi
echo "start: Jupyter on http://${REPGEOM_IP:-127.0.0.1}:${REPGEOM_PORT:-8888}/ (open 00-quickstart.ipynb, kernel Go (gonb))"
exec /usr/bin/jupyter notebook "${args[@]}" "$@"
