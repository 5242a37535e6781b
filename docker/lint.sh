#!/usr/bin/env bash
# Lints the image and the scripts, failing on any finding:
#   - docker/Dockerfile with the npm package dockerfile-utils (pinned; hadolint
#     is not in Debian), plus this project's own rules: a pinned base-image
#     tag, a non-root USER, port 8888, every RUN step calling docker/*.sh
#     scripts only, and .binder/Dockerfile identical to docker/Dockerfile;
#   - every docker/*.sh with Debian's shellcheck.
# Installs shellcheck (apt) and dockerfile-utils (npm, into
# ${REPGEOM_TOOLS:-$HOME/.cache/repgeom/tools}) when missing. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

dfu_version=0.16.3
tools="${REPGEOM_TOOLS:-$HOME/.cache/repgeom/tools}"
status=0
fail() { echo "lint: $*" >&2; status=1; }

apt_install() {
	local sudo=()
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	"${sudo[@]}" apt-get update -qq
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
dfu="$tools/node_modules/.bin/dockerfile-utils"
if ! grep -qs "\"version\": *\"$dfu_version\"" "$tools/node_modules/dockerfile-utils/package.json"; then
	mkdir -p "$tools"
	npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "dockerfile-utils@$dfu_version"
fi

echo "== shellcheck docker/*.sh"
shellcheck --severity=style docker/*.sh || fail "shellcheck found problems"

for df in docker/Dockerfile .binder/Dockerfile; do
	echo "== dockerfile-utils lint $df"
	findings=$("$dfu" lint --json "$df")
	if [ "$findings" != "[]" ]; then
		"$dfu" lint "$df" >&2
		fail "dockerfile-utils: findings in $df"
	fi
done

echo "== image rules"
df=docker/Dockerfile
cmp -s docker/Dockerfile .binder/Dockerfile || fail ".binder/Dockerfile differs from docker/Dockerfile (copy it)"
cmp -s docker/Dockerfile.dockerignore .binder/Dockerfile.dockerignore || fail ".binder/Dockerfile.dockerignore differs from docker/Dockerfile.dockerignore"
from=$(grep -E '^FROM ' "$df")
[ "$(grep -cE '^FROM ' "$df")" -eq 1 ] || fail "want exactly one FROM line"
echo "$from" | grep -Eq '^FROM [a-z0-9./_-]+:[0-9][A-Za-z0-9._-]*(@sha256:[0-9a-f]{64})?$' ||
	fail "base image not pinned to a version tag: $from"
echo "$from" | grep -q ':latest' && fail "base image uses :latest"
last_user=$(grep -E '^USER ' "$df" | tail -1 | awk '{print $2}')
case "$last_user" in
'' | root | 0 | 0:*) fail "the image must end as a non-root USER (got '${last_user:-none}')" ;;
esac
grep -Eq '^ARG NB_UID=1000$' "$df" || fail "want ARG NB_UID=1000 (Binder's uid)"
grep -Eq '^ARG NB_USER=' "$df" || fail "want ARG NB_USER"
grep -Eq '^EXPOSE 8888$' "$df" || fail "want EXPOSE 8888"
# Join continuation lines, then check every RUN step runs our scripts only.
while IFS= read -r run; do
	body=${run#RUN }
	rest=$(echo "$body" | sed -E 's/(^|&&)[[:space:]]*([A-Z_]+=[^[:space:]]+[[:space:]]+)*bash docker\/setup-[a-z]+\.sh[[:space:]]*/\1/g; s/&&//g; s/[[:space:]]//g')
	[ -z "$rest" ] || fail "RUN step does more than call docker/setup-*.sh scripts: $run"
	for s in $(echo "$body" | grep -oE 'docker/setup-[a-z]+\.sh'); do
		[ -f "$s" ] || fail "RUN step calls missing $s"
	done
done < <(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$df" | grep -E '^RUN ')

if [ "$status" -ne 0 ]; then
	echo "lint: FAILED" >&2
	exit 1
fi
echo "lint: ok"
