#!/usr/bin/env bash
# Set Marsad up on a fresh machine: a virtualenv in .venv with Marsad and its dev tools.
# Elasticsearch is fetched from Maven Central on first use by scripts/elasticsearch (tests do it).
#   ./setup.sh                 Python side only (enough for marsad demo / run / search)
#   ./setup.sh --with-browser  also Debian's chromium, which the web page tests drive (needs root)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "setup.sh: Python 3.11 or newer is required (found $("$python" --version 2>&1))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
if [ "${1:-}" = "--with-browser" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup.sh: the browser tests need Debian's chromium: run 'apt-get install chromium' as root" >&2
    exit 1
  fi
  echo "setup.sh: installing chromium from Debian's packages..." >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
echo "setup.sh: ready (.venv/bin/marsad)" >&2
