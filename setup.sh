#!/usr/bin/env bash
# Set Marsad up on a fresh machine: a virtualenv in .venv with Marsad and its dev tools.
# Elasticsearch is fetched from Maven Central on first use by scripts/elasticsearch (tests do it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "setup.sh: Python 3.11 or newer is required (found $("$python" --version 2>&1))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
echo "setup.sh: ready (.venv/bin/marsad)" >&2
