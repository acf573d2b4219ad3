#!/usr/bin/env python3
"""Writes a managed repository with N DuckDNS declarations and a steady-state ledger.

Usage: scripts/make-bench-repo.py N DIR [--ledger-fraction F]

Every declaration gets a host record and a certificate record (the steady state of a
large fleet: most hosts issued, a few due for renewal, some new); files are written
byte-canonical like Gateway writes them. No secrets are generated: planning does not
open wrapped files.
"""
import json
import os
import sys
from datetime import datetime, timedelta, timezone


def canonical(value):
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    n, root = int(sys.argv[1]), sys.argv[2]
    fraction = float(sys.argv[sys.argv.index("--ledger-fraction") + 1]) if "--ledger-fraction" in sys.argv else 0.98
    now = datetime(2026, 12, 4, 12, 0, 0, tzinfo=timezone.utc)
    fmt = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    os.makedirs(root, exist_ok=True)
    config = {
        "acme": {"ca_bundle": None, "contact": [], "directory": "https://acme-v02.api.letsencrypt.org/directory", "eab": None},
        "dns": {"duckdns_api": "https://www.duckdns.org", "propagation_timeout_s": 120, "resolvers": []},
        "git": {"author_email": "gateway@localhost", "author_name": "gateway", "branch": "main", "remote": "origin"},
        "kms": {"key_id": "local-1", "provider": "local"},
        "ownership": {"cname_suffix": None, "txt_label": "_agent-gateway"},
        "release": {"max_without_force": 5, "revoke": True},
        "renewal": {"ari": True, "before_days": 30, "prompt_days": 30},
    }
    with open(os.path.join(root, "gateway.json"), "w") as f:
        f.write(canonical(config))
    for d in ("hosts", "state/hosts", "state/certs", "state/ip_history"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    owners = max(1, n // 50)
    made_dirs = set()
    for i in range(n):
        owner = f"owner{i % owners:05d}"
        host = f"h{i:06d}.duckdns.org"
        declaration = {"agent_id": f"agent-{i}", "host": host, "mode": "duckdns"}
        if i % 7 == 0:
            declaration["wildcard"] = True
        if i % 5 == 0:
            declaration["ips"] = [f"203.0.{(i >> 8) & 255}.{i & 255}"]
        directory = os.path.join(root, "hosts", owner)
        if directory not in made_dirs:
            os.makedirs(directory, exist_ok=True)
            made_dirs.add(directory)
            # Planning only checks that an owner has a token; it never opens it.
            secrets = os.path.join(root, "owners", owner, "secrets")
            os.makedirs(secrets, exist_ok=True)
            with open(os.path.join(secrets, "duckdns-token.json"), "w") as f:
                f.write(canonical({"format": "gateway-envelope/1", "kind": "duckdns-token", "note": "benchmark placeholder"}))
        with open(os.path.join(directory, host + ".json"), "w") as f:
            f.write(canonical(declaration))
        if i >= n * fraction:
            continue  # a new declaration: will be claimed
        issued = now - timedelta(days=(i * 37) % 89, hours=i % 24)
        not_after = issued + timedelta(days=90)
        host_record = {"agent_id": f"agent-{i}", "claimed_at": fmt(issued), "host": host, "mode": "duckdns", "owner": owner,
                       "released_at": None, "status": "verified", "verified_at": fmt(issued), "verified_by": "duckdns-token"}
        sans = [host] + (["*." + host] if i % 7 == 0 else [])
        cert = {"ari": None, "failures": None, "host": host, "issued_at": fmt(issued), "issuer": "CN=Bench Intermediate",
                "key": "ec-p256", "not_after": fmt(not_after), "not_before": fmt(issued),
                "order_url": f"https://ca.example/order/{i}", "renew_at": fmt(not_after - timedelta(days=30)), "sans": sans,
                "serial": f"{i * 2654435761 % (1 << 63):016x}", "sha256": f"{i:064x}",
                "wrapped": f"owners/{owner}/certificates/{host}.json"}
        if "ips" in declaration:
            with open(os.path.join(root, "state/ip_history", host + ".jsonl"), "w") as f:
                f.write(json.dumps({"at": fmt(issued), "family": "A", "ips": declaration["ips"], "source": "declared"},
                                   sort_keys=True, separators=(",", ":")) + "\n")
        with open(os.path.join(root, "state/hosts", host + ".json"), "w") as f:
            f.write(canonical(host_record))
        with open(os.path.join(root, "state/certs", host + ".json"), "w") as f:
            f.write(canonical(cert))


if __name__ == "__main__":
    main()
