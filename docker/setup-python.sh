#!/usr/bin/env bash
# Installs Debian's Python with NumPy, scikit-learn and pandas, used ONLY by
# cross-check tests (e.g. rep's linear SVM against sklearn.svm.LinearSVC and
# the geometry metrics against NumPy); the library never calls Python.
# Tests find it at /usr/bin/python3 (not a pyenv python3 first on PATH).
# Idempotent: does nothing when the three modules already import.
set -euo pipefail

py=/usr/bin/python3
if [ -x "$py" ] && "$py" -c 'import numpy, sklearn, pandas' >/dev/null 2>&1; then
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3 python3-numpy python3-sklearn python3-pandas >/dev/null
"$py" -c 'import numpy, sklearn, pandas' || { echo "setup-python: numpy/sklearn/pandas do not import" >&2; exit 1; }
