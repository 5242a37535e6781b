#!/usr/bin/env bash
# The image's notebook user (Binder runs images as a non-root user with
# uid 1000, passed as NB_USER / NB_UID): creates $NB_USER with uid $NB_UID and
# home $HOME if missing, and gives it its home and $REPGEOM_HOME (GoNB,
# goimports, gopls, assets), so the user can build, cache and write there.
# Idempotent. Without NB_USER (a host machine, CI) there is no notebook user
# to make: it checks its settings and does nothing.
set -euo pipefail

if [ -z "${NB_USER:-}" ]; then
	echo "setup-user: NB_USER not set: no notebook user to create (only the Docker image has one)"
	exit 0
fi
uid="${NB_UID:-1000}"
home="${HOME:?HOME must be set}"
case "$uid" in
'' | *[!0-9]*) echo "setup-user: NB_UID=$uid: must be a number" >&2; exit 1 ;;
esac
[ "$uid" -ne 0 ] || { echo "setup-user: NB_UID must not be 0 (root)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "setup-user: must run as root to create $NB_USER" >&2; exit 1; }

if ! id "$NB_USER" >/dev/null 2>&1; then
	useradd --uid "$uid" --user-group --no-create-home --home-dir "$home" --shell /bin/bash "$NB_USER"
fi
[ "$(id -u "$NB_USER")" -eq "$uid" ] || { echo "setup-user: $NB_USER exists with uid $(id -u "$NB_USER"), want $uid" >&2; exit 1; }
mkdir -p "$home"
owned=("$home")
if [ -n "${REPGEOM_HOME:-}" ] && [ -d "$REPGEOM_HOME" ]; then
	owned+=("$REPGEOM_HOME")
fi
chown -R "$uid:$(id -g "$NB_USER")" "${owned[@]}"
echo "setup-user: $NB_USER (uid $uid) owns ${owned[*]}"
