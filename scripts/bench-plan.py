#!/usr/bin/env python3
"""Benchmark: `gateway plan` over N declarations with a steady-state ledger.

Usage: scripts/bench-plan.py [N ...]        (default: 10000 100000)

Builds gateway in release mode, generates each repository once (cached under
$TMPDIR/gateway-bench/N; N declarations, host and certificate records for 98% of them,
ip_history, one DuckDNS token per owner), then runs `gateway plan --format json` five
times per size and prints the best wall time and the peak resident memory. Targets
(issue 3, 2-core machine): 10,000 in under 0.5 s; 100,000 in under 5 s and 1 GiB.
"""
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = {10_000: (0.5, None), 100_000: (5.0, 1024)}


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000]
    subprocess.run(["swift", "build", "-c", "release", "--product", "gateway"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip() + "/gateway"
    base = os.path.join(tempfile.gettempdir(), "gateway-bench")
    print(f"{'declarations':>12}  {'files':>8}  {'best wall':>10}  {'median':>8}  {'peak RSS':>9}  target")
    failed = False
    for n in sizes:
        repo = os.path.join(base, str(n))
        if not os.path.exists(os.path.join(repo, ".complete")):
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts/make-bench-repo.py"), str(n), repo], check=True)
            open(os.path.join(repo, ".complete"), "w").close()
        files = sum(len(f) for _, _, f in os.walk(repo))
        times, peak = [], 0
        for _ in range(5):
            start = time.perf_counter()
            with tempfile.TemporaryFile() as errors:
                child = subprocess.Popen([binary, "--repo", repo, "--now", "2026-12-04T12:00:00Z", "plan", "--format", "json"],
                                         stdout=subprocess.DEVNULL, stderr=errors)
                _, status, usage = os.wait4(child.pid, 0)  # this child's own peak RSS
                times.append(time.perf_counter() - start)
                if status != 0:
                    errors.seek(0)
                    sys.exit(f"gateway plan failed on {repo}: {errors.read().decode()[:2000]}")
            peak = max(peak, usage.ru_maxrss / 1024)  # KiB → MiB
        times.sort()
        seconds_target, memory_target = TARGETS.get(n, (None, None))
        verdict = []
        if seconds_target is not None:
            ok = times[0] < seconds_target
            failed |= not ok
            verdict.append(f"< {seconds_target} s {'met' if ok else 'MISSED'}")
        if memory_target is not None:
            ok = peak < memory_target
            failed |= not ok
            verdict.append(f"< {memory_target} MiB {'met' if ok else 'MISSED'}")
        print(f"{n:>12,}  {files:>8,}  {times[0]:>9.3f}s  {times[2]:>7.3f}s  {peak:>7.0f}MiB  {', '.join(verdict) or '-'}",
              flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
