#!/usr/bin/env bash
# Runs every test: the Swift suites (unit tests, and integration tests against a real
# Pebble, pebble-challtestsrv, a DuckDNS stand-in and real git repositories, all on
# loopback) and the JSON Schema self-test.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
swift build --build-tests
.build/venv/bin/python scripts/check-schemas.py --self-test
swift test --skip-build "$@"
