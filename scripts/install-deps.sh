#!/usr/bin/env bash
# Installs what Gateway builds and tests with on Debian 12: the C libraries (-dev
# packages), the local ACME rig (pebble, pebble-challtestsrv), git, openssl, and a
# Python venv with jsonschema for the schema checks. Idempotent and quiet when all
# is present. The Swift 6 toolchain itself must already be on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v swift >/dev/null 2>&1; then
    echo "install-deps: swift is not on PATH; install the Swift 6.x toolchain for Debian 12 from swift.org first" >&2
    exit 1
fi

packages=(libgit2-dev libcurl4-openssl-dev libssl-dev pkg-config pebble openssl git ca-certificates python3 python3-venv)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    echo "install-deps: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

venv=.build/venv
if ! "$venv/bin/python" -c 'import jsonschema, referencing' >/dev/null 2>&1; then
    echo "install-deps: creating $venv with jsonschema" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'jsonschema>=4.18'
fi
