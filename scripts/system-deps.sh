#!/usr/bin/env bash
# Install the system programs the test suite needs (PostgreSQL server, Chromium)
# when they are missing. Uses apt-get (Debian/Ubuntu) as root; elsewhere it says
# what to install and fails.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
    || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Ontbrekende systeempakketten: ${missing[*]} (installeer ze, bijv. 'sudo apt-get install ${missing[*]}')" >&2
    exit 1
fi
echo "Installeren: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
