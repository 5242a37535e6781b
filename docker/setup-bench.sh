#!/usr/bin/env bash
# Installs what rep/cmd/benchcmp compares the training engine against, from
# Debian's packages: PyTorch (python3-torch), NumPy, and the pthread build of
# OpenBLAS (python3-torch alone pulls the slow reference BLAS; with
# libopenblas0-pthread installed, NumPy and PyTorch both use OpenBLAS).
# Not needed by the test suite. Idempotent: does nothing when all three are
# installed.
set -euo pipefail

pkgs=(python3-torch python3-numpy libopenblas0-pthread)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		{ echo "setup-bench: $p did not install" >&2; exit 1; }
done
# Make sure the BLAS alternative points at OpenBLAS, not the reference BLAS.
for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
	path=$(update-alternatives --list "$alt" 2>/dev/null | grep openblas | head -n 1 || true)
	if [ -n "$path" ]; then
		update-alternatives --set "$alt" "$path" >/dev/null
	fi
done
