#!/usr/bin/env bash
# Install what `make bench` needs besides the app's own venv (`make install`):
# bench/.venv with Datasette, sqlite-utils and uvicorn (never in the app's venv),
# and wrk (apt-get, as root) when it is missing; without wrk the benchmark uses
# bench/loadgen.py (asyncio) instead.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
if ! cmp -s requirements.txt .venv/.installed; then
    echo "bench/.venv: installeren (Datasette, sqlite-utils, uvicorn)"
    .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
    cp requirements.txt .venv/.installed
fi

if ! command -v wrk >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "wrk installeren (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }; then
            echo "wrk niet te installeren; bench/loadgen.py neemt het over" >&2
        fi
    else
        echo "wrk ontbreekt (niet als root of geen apt-get); bench/loadgen.py neemt het over" >&2
    fi
fi
