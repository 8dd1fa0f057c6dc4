#!/usr/bin/env bash
# Set Marsad up on a fresh machine: a virtualenv in .venv with Marsad and its dev tools.
# Elasticsearch is fetched from Maven Central on first use by scripts/elasticsearch (tests do it).
#   ./setup.sh                 Python side only (enough for marsad demo / run / search)
#   ./setup.sh --with-browser  also what the whole test suite needs from Debian (as root): chromium, which
#                              the web page tests drive, and redis-server, which the shared-crawl tests start
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "setup.sh: Python 3.11 or newer is required (found $("$python" --version 2>&1))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]'
if [ "${1:-}" = "--with-browser" ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [ -x /usr/bin/redis-server ] || command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
      echo "setup.sh: the tests need Debian's ${missing[*]}: run 'apt-get install ${missing[*]}' as root" >&2
      exit 1
    fi
    echo "setup.sh: installing ${missing[*]} from Debian's packages..." >&2
    apt-get update -qq >/dev/null
    # No system-wide Redis is started (policy-rc.d says no): the tests start their own on loopback.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
echo "setup.sh: ready (.venv/bin/marsad)" >&2
