#!/usr/bin/env bash
# The main job end to end on the embedded default: a local Pebble (with
# pebble-challtestsrv as DNS and a DuckDNS stand-in), the local KMS key, and a scratch
# copy of examples/repository. Shows the plan, the commit, the list, and a second
# run that changes nothing. Everything runs on 127.0.0.1 and is removed at the end
# (pass --keep to keep the scratch directory).
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false
[[ "${1:-}" == "--keep" ]] && keep=true

scripts/install-deps.sh
echo "==> building gateway (release)"
swift build -c release --product gateway >/dev/null
swift build -c release --product gateway-devrig >/dev/null
bin=$(swift build -c release --show-bin-path)
gateway="$bin/gateway"

scratch=$(mktemp -d /tmp/gateway-demo.XXXXXX)
rig_pid=""
cleanup() {
    [[ -n "$rig_pid" ]] && kill "$rig_pid" 2>/dev/null && wait "$rig_pid" 2>/dev/null || true
    if $keep; then echo "kept $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT

# Bold headings only on a terminal, and never with NO_COLOR set.
if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then bold=$'\033[1m' plain=$'\033[0m'; else bold="" plain=""; fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }

step "starting the local rig (Pebble, challtestsrv DNS, DuckDNS stand-in) on 127.0.0.1"
"$bin/gateway-devrig" up --env-file "$scratch/rig.env" \
    --duckdns-account demo-token-alice=alice-agent,alice-api \
    --duckdns-account demo-token-bob=bob-shop 2>"$scratch/rig.log" &
rig_pid=$!
for _ in $(seq 100); do [[ -s "$scratch/rig.env" ]] && break; sleep 0.1; done
[[ -s "$scratch/rig.env" ]] || { cat "$scratch/rig.log"; exit 1; }
# shellcheck disable=SC1091
. "$scratch/rig.env"
export GATEWAY_KMS_LOCAL_KEY_DIR="$scratch/keys"
cat "$scratch/rig.log"

repo="$scratch/repo"
step "a scratch managed repository from examples/repository"
cp -r examples/repository "$repo"
"$gateway" --repo "$repo" init
git -C "$repo" add hosts
git -C "$repo" -c user.name=owner -c user.email=owner@example.test commit -qm "declare three hosts"
"$gateway" --repo "$repo" validate
echo demo-token-alice | "$gateway" --repo "$repo" duckdns set-token --owner alice
echo demo-token-bob | "$gateway" --repo "$repo" duckdns set-token --owner bob

step "gateway plan"
"$gateway" --repo "$repo" plan

step "gateway reconcile"
time "$gateway" --repo "$repo" reconcile

step "the commit"
git -C "$repo" log -1 --stat --format='%h %an%n%n%B' | cat

step "gateway list"
"$gateway" --repo "$repo" list

step "gateway reconcile again: nothing to do, no commit"
before=$(git -C "$repo" rev-parse HEAD)
"$gateway" --repo "$repo" reconcile
[[ "$(git -C "$repo" rev-parse HEAD)" == "$before" ]] && echo "HEAD unchanged: $before"

step "gateway cert export alice-agent.duckdns.org, verified against Pebble's root"
"$gateway" --repo "$repo" cert export alice-agent.duckdns.org --out "$scratch/export"
ls -l "$scratch/export"
awk 'found{print} /END CERTIFICATE/{found=1}' "$scratch/export/fullchain.pem" >"$scratch/intermediates.pem"
openssl verify -CAfile "$GATEWAY_DEVRIG_ROOTS" -untrusted "$scratch/intermediates.pem" "$scratch/export/fullchain.pem"
openssl x509 -in "$scratch/export/fullchain.pem" -noout -subject -ext subjectAltName -enddate

step "no private key or token anywhere in the repository's history"
if git -C "$repo" log -p --all | grep -E "PRIVATE KEY|demo-token-" >/dev/null; then
    echo "FOUND A SECRET IN HISTORY" >&2
    exit 1
fi
echo "none found in $(git -C "$repo" rev-list --count HEAD) commits"
.build/venv/bin/python scripts/check-schemas.py "$repo"
