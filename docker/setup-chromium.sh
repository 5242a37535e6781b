#!/usr/bin/env bash
# Installs headless Chromium and a basic font for the browser-rendering test of
# package plotting (an echarts figure opened offline in a real browser).
# Idempotent: does nothing when chromium and the font are already there.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/truetype/dejavu ]; then
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium >/dev/null 2>&1 || { echo "setup-chromium: chromium did not install" >&2; exit 1; }
