#!/usr/bin/env bash
# Installs what the repgeom notebooks need, idempotently (does nothing that is
# already done):
#   1. Debian's Jupyter (classic notebook 6, nbconvert, nbclient, ipykernel,
#      jupyter-client for `jupyter kernelspec`),
#      through apt-get (root, or sudo when available);
#   2. GoNB v0.11.4 and goimports, built from this repository's go.mod (the
#      `tool` directives pin them; `go install …@latest` is refused by the
#      module proxy here), and gopls at a pinned version, into a lasting bin
#      directory: ${REPGEOM_HOME:-$HOME/.local/share/repgeom}/bin;
#   3. the `gonb` Jupyter kernel (`gonb --install`, which records the binary's
#      absolute path), with a PATH in kernel.json that holds that bin directory
#      and the Go toolchain, so the kernel works whoever launches Jupyter.
# It then checks that `jupyter kernelspec list` shows gonb.
#
# Environment:
#   REPGEOM_HOME       where bin/ goes (default ~/.local/share/repgeom)
#   REPGEOM_GOPLS=0    skip gopls (used only for completion in the notebook UI)
#   JUPYTER_DATA_DIR   where the kernel spec goes (GoNB honours it; default
#                      ~/.local/share/jupyter); the Docker image uses
#                      /usr/local/share/jupyter so every user sees the kernel.
set -euo pipefail
cd "$(dirname "$0")/.."

gonb_version=v0.11.4
gopls_version=v0.21.0
apt_packages=(jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel)

home="${REPGEOM_HOME:-$HOME/.local/share/repgeom}"
bin="$home/bin"

log() { echo "setup-jupyter: $*"; }
die() { echo "setup-jupyter: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "go not found on PATH (Go 1.26 is required)"

# 1. Debian packages.
missing=()
for p in "${apt_packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install ${missing[*]}"
		sudo=(sudo)
	fi
	log "apt-get install ${missing[*]}"
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# /usr/bin/jupyter runs Debian's python3, which has the packages above; a
# python3 earlier on PATH (pyenv, conda) would not.
jupyter=/usr/bin/jupyter
[ -x "$jupyter" ] || die "$jupyter missing after installing ${apt_packages[*]}"

# 2. GoNB, goimports (from our go.mod) and gopls (pinned) into $bin.
mkdir -p "$bin"
export PATH="$bin:$PATH"
# `gonb -V` prints a stale number; the module version in the binary is exact.
if ! go version -m "$bin/gonb" 2>/dev/null | grep -Eq "^\s+mod\s+github.com/janpfeifer/gonb\s+$gonb_version\s"; then
	log "building GoNB $gonb_version into $bin"
	go build -o "$bin/gonb" github.com/janpfeifer/gonb
fi
if [ ! -x "$bin/goimports" ]; then
	log "building goimports into $bin"
	go build -o "$bin/goimports" golang.org/x/tools/cmd/goimports
fi
if [ "${REPGEOM_GOPLS:-1}" != 0 ] && [ ! -x "$bin/gopls" ]; then
	# gopls is its own module, not in our go.mod: install it at an exact
	# version (the proxy serves exact versions, refuses @latest).
	log "building gopls $gopls_version into $bin"
	GOBIN="$bin" GOFLAGS=-buildvcs=false go install "golang.org/x/tools/gopls@$gopls_version"
fi

# 3. Register the kernel (always: cheap, and repairs a stale binary path).
force_deps=()
[ -x "$bin/gopls" ] || force_deps=(--force_deps)
if ! out=$("$bin/gonb" --install "${force_deps[@]}" 2>&1); then
	echo "$out" >&2
	die "gonb --install failed"
fi
kernel_json="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/gonb/kernel.json"
[ -f "$kernel_json" ] || die "gonb --install did not write $kernel_json"
go_bin="$(dirname "$(command -v go)")"
/usr/bin/python3 - "$kernel_json" "$bin:$go_bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" <<'EOF'
import json, sys
path, search = sys.argv[1], sys.argv[2]
with open(path) as f:
    spec = json.load(f)
spec.setdefault("env", {})["PATH"] = search
with open(path, "w") as f:
    json.dump(spec, f, indent=1)
EOF

# (Read the whole list first: `grep -q` on a pipe could stop jupyter with SIGPIPE.)
specs=$("$jupyter" kernelspec list 2>/dev/null) || die "jupyter kernelspec list failed"
grep -qw gonb <<<"$specs" || die "jupyter kernelspec list does not show gonb"
log "ready: gonb $gonb_version in $bin, kernel spec $kernel_json"
