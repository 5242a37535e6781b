#!/usr/bin/env bash
# Installs Debian's Slurm (controller, node daemon, clients) and MUNGE, used
# ONLY by the sweep package's TestSlurm… tests, which start a private
# single-node cluster on localhost with every state file under a temp dir.
# Nothing is started here and nothing is enabled: there is no systemd.
# Idempotent: does nothing when every binary and the munge user exist.
# docker/test.sh runs this, then the tests with REPGEOM_REQUIRE_SLURM=1.
set -euo pipefail

need=(slurmctld slurmd sbatch squeue scontrol scancel sinfo munged)
have_all() {
	local b
	for b in "${need[@]}"; do
		command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || return 1
	done
	id munge >/dev/null 2>&1
}
if have_all; then
	exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	slurmctld slurmd slurm-client munge >/dev/null
have_all || { echo "setup-slurm: slurm/munge binaries or the munge user are missing after install" >&2; exit 1; }
