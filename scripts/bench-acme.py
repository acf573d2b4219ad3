#!/usr/bin/env python3
"""Benchmark: N DuckDNS certificates in one `gateway reconcile`, against lego on the same rig.

Usage: scripts/bench-acme.py [--keep] [N ...]        (default: 20 50)

Installs the rig's packages (scripts/install-deps.sh) and lego, builds gateway and
gateway-devrig in release mode, then for each N starts ONE fresh rig (Pebble,
pebble-challtestsrv, DuckDNS stand-in) with `gateway-devrig up` and:

1. Gateway: a scratch repository with N declarations d000.duckdns.org ... (owner
   `bench`, one DuckDNS token); only `gateway reconcile` is timed (wall clock). It must
   exit 0 and `gateway list --format json` must show N hosts with a serial.
2. lego: N other names l000.duckdns.org ... issued one after the other, one
   `lego ... --dns exec run` per host (how lego is normally run), DNS-01 through a small
   hook that writes the TXT record to challtestsrv; the whole loop is timed and every
   certificate is verified against Pebble's issuing root.

ACME requests are counted from Pebble's log: every request Pebble's ACME listener serves
is logged as `Pebble <date> <time> <METHOD> <path> -> calling handler()` (the management
interface logs nothing); the lines appended while a client runs are its requests.

Prints N, wall time and requests per certificate of each client and the ratio of wall
times (lego / gateway). Targets (issue, 2-core machine): gateway <= 7 ACME requests per
certificate on average; lego / gateway >= 10 for N = 20. Exits 1 when one is missed.
--keep keeps the scratch directories (repositories, lego's files, logs).
"""
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_REQUESTS_PER_CERT = 7.0
MIN_RATIO = {20: 10.0}
REQUEST_LINE = re.compile(rb"^Pebble \S+ \S+ (GET|HEAD|POST|PUT|DELETE|PATCH) (\S+) -> calling handler\(\)", re.M)
ENV_WAIT_S = 60
LEGO_TIMEOUT_S = 180


class BenchError(Exception):
    pass


def log(message):
    print(f"bench-acme: {message}", file=sys.stderr, flush=True)


def run(args, **kwargs):
    kwargs.setdefault("check", True)
    return subprocess.run(args, **kwargs)


# --- setup -------------------------------------------------------------------------------

def ensure_packages():
    run([os.path.join(ROOT, "scripts/install-deps.sh")], cwd=ROOT)
    missing = [tool for tool in ("lego", "curl") if shutil.which(tool) is None]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    log(f"installing {' '.join(missing)} with apt-get")
    status = subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + missing,
                            env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"),
                            stdout=subprocess.DEVNULL).returncode
    still = [tool for tool in missing if shutil.which(tool) is None]
    if status != 0 or still:
        sys.exit(f"bench-acme: could not install {' '.join(still or missing)} (apt-get exited {status}). "
                 f"The comparison needs them: run `sudo apt-get install -y {' '.join(still or missing)}` "
                 "(Debian 12 has lego 4.9.1) and try again.")


def build():
    for product in ("gateway", "gateway-devrig"):
        log(f"swift build -c release --product {product}")
        result = subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            errors = [line for line in result.stdout.splitlines() if "error:" in line]
            sys.exit(f"bench-acme: swift build --product {product} failed (exit {result.returncode}):\n"
                     + "\n".join((errors or result.stdout.splitlines())[-30:]))
    bin_dir = run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT,
                  capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_dir, "gateway"), os.path.join(bin_dir, "gateway-devrig")


# --- the rig -----------------------------------------------------------------------------

def descendants(pid):
    """Process ids below pid (from /proc/<pid>/task/*/children), deepest last."""
    found, queue = [], [pid]
    while queue:
        parent = queue.pop(0)
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as f:
                    children = [int(c) for c in f.read().split()]
            except OSError:
                continue
            found += children
            queue += children
    return found


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Rig:
    """`gateway-devrig up` in the background; `stop()` sends SIGTERM and leaves nothing running."""

    def __init__(self, devrig, scratch, accounts):
        self.env_file = os.path.join(scratch, "rig.env")
        self.work_dir = os.path.join(scratch, "rig")
        self.log_path = os.path.join(scratch, "devrig.log")
        self.children = []
        with open(self.log_path, "wb") as out:
            self.process = subprocess.Popen(
                [devrig, "up", "--env-file", self.env_file, "--work-dir", self.work_dir]
                + [arg for token, domains in accounts for arg in ("--duckdns-account", f"{token}={','.join(domains)}")],
                stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        try:
            self._attach()
        except BaseException:
            self.stop()
            raise

    def _attach(self):
        self.env = self._wait_for_env_file()
        self.children = descendants(self.process.pid)
        self.pebble_log = self.env.get("GATEWAY_DEVRIG_PEBBLE_LOG") or os.path.join(self.work_dir, "pebble.log")
        self.challtestsrv = (self.env.get("GATEWAY_DEVRIG_CHALLTESTSRV") or self._challtestsrv_from_log()).rstrip("/")
        self.pebble_management = self.env.get("GATEWAY_DEVRIG_PEBBLE_MANAGEMENT") or self._management_from_config()
        exported = [n for n in ("GATEWAY_DEVRIG_PEBBLE_LOG", "GATEWAY_DEVRIG_CHALLTESTSRV") if n in self.env]
        self.located = "from the environment file" if len(exported) == 2 else \
            "partly from the work directory (the devrig does not export GATEWAY_DEVRIG_PEBBLE_LOG/CHALLTESTSRV)"
        if not os.path.exists(self.pebble_log):
            raise BenchError(f"Pebble's log {self.pebble_log} does not exist")

    def _wait_for_env_file(self):
        deadline = time.monotonic() + ENV_WAIT_S
        while not os.path.exists(self.env_file):
            if self.process.poll() is not None:
                raise BenchError(f"gateway-devrig exited with status {self.process.returncode}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise BenchError(f"gateway-devrig wrote no {self.env_file} within {ENV_WAIT_S} s:\n{self.log_tail()}")
            time.sleep(0.05)
        env = {}
        with open(self.env_file) as f:
            for line in f:
                words = shlex.split(line)
                if len(words) == 2 and words[0] == "export" and "=" in words[1]:
                    name, value = words[1].split("=", 1)
                    env[name] = value
        for name in ("GATEWAY_ACME_DIRECTORY", "GATEWAY_ACME_CA_BUNDLE", "GATEWAY_DNS_RESOLVERS", "GATEWAY_DUCKDNS_API"):
            if name not in env:
                raise BenchError(f"{self.env_file} has no {name}")
        return env

    def _challtestsrv_from_log(self):
        # Fallback while the devrig does not export GATEWAY_DEVRIG_CHALLTESTSRV.
        path = os.path.join(self.work_dir, "pebble-challtestsrv.log")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                with open(path) as f:
                    match = re.search(r"Starting management server on (\S+)", f.read())
            except OSError:
                match = None
            if match:
                return f"http://{match.group(1)}"
            time.sleep(0.05)
        raise BenchError(f"no GATEWAY_DEVRIG_CHALLTESTSRV in {self.env_file} and no management address in {path}")

    def _management_from_config(self):
        try:
            with open(os.path.join(self.work_dir, "pebble-config.json")) as f:
                return "https://" + json.load(f)["pebble"]["managementListenAddress"]
        except (OSError, KeyError, ValueError):
            return None

    def log_size(self):
        return os.path.getsize(self.pebble_log)

    def requests_between(self, start, end):
        """ACME requests Pebble logged between two sizes of its log: (count, {"POST /path": count})."""
        with open(self.pebble_log, "rb") as f:
            f.seek(start)
            text = f.read(end - start)
        kinds = {}
        for match in REQUEST_LINE.finditer(text):
            key = f"{match.group(1).decode()} {match.group(2).decode()}"
            kinds[key] = kinds.get(key, 0) + 1
        return sum(kinds.values()), kinds

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        children = self.children or descendants(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                log("gateway-devrig did not stop within 20 s; killing it")
                self.process.kill()
                self.process.wait()
        # Pebble and challtestsrv are the devrig's children; it stops them, but make sure.
        for pid in children:
            if alive(pid):
                log(f"process {pid} of the rig still runs; sending SIGTERM")
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in children:
            if alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


# --- the two clients ---------------------------------------------------------------------

def wait_for_log_to_settle(rig, size):
    """Pebble writes its log directly; give a straggling line a moment anyway."""
    for _ in range(20):
        time.sleep(0.05)
        now = rig.log_size()
        if now == size:
            return size
        size = now
    return size


def bench_gateway(gateway, rig, scratch, hosts):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env.update({k: v for k, v in rig.env.items() if k.startswith("GATEWAY_") and not k.startswith("GATEWAY_DEVRIG_")})
    env["GATEWAY_KMS_LOCAL_KEY_DIR"] = os.path.join(scratch, "keys")
    repo = os.path.join(scratch, "repo")

    def gw(*args, **kwargs):
        kwargs.setdefault("capture_output", True)
        result = subprocess.run([gateway, "--repo", repo, *args], env=env, **kwargs)
        if result.returncode != 0:
            raise BenchError(f"gateway {' '.join(args)} exited {result.returncode}:\n"
                             f"{(result.stderr or b'').decode(errors='replace')[-4000:]}")
        return result

    gw("init")
    os.makedirs(os.path.join(repo, "hosts/bench"))
    for host in hosts:
        with open(os.path.join(repo, "hosts/bench", f"{host}.json"), "w") as f:
            json.dump({"agent_id": "a", "host": host, "mode": "duckdns"}, f, indent=2, sort_keys=True)
            f.write("\n")
    run(["git", "add", "hosts"], cwd=repo)
    run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.test", "commit", "-q", "-m",
         f"bench: {len(hosts)} DuckDNS hosts"], cwd=repo)
    gw("duckdns", "set-token", "--owner", "bench", input=b"bench-token\n")

    before = rig.log_size()
    with open(os.path.join(scratch, "reconcile.out"), "wb") as out:
        start = time.perf_counter()
        result = subprocess.run([gateway, "--repo", repo, "reconcile"], env=env, stdout=out, stderr=out)
        wall = time.perf_counter() - start
    after = wait_for_log_to_settle(rig, rig.log_size())
    if result.returncode != 0:
        with open(os.path.join(scratch, "reconcile.out"), errors="replace") as f:
            raise BenchError(f"gateway reconcile exited {result.returncode}:\n{f.read()[-4000:]}")

    listed = json.loads(gw("list", "--format", "json").stdout)["hosts"]
    issued = {h["host"] for h in listed if h.get("serial")}
    if issued != set(hosts):
        missing = sorted(set(hosts) - issued)
        raise BenchError(f"gateway list shows {len(issued)} of {len(hosts)} hosts with a serial; "
                         f"without: {', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}")
    requests, kinds = rig.requests_between(before, after)
    return wall, requests, kinds


HOOK = """#!/bin/sh
# lego exec provider hook: $1 = present|cleanup, $2 = _acme-challenge.<domain>., $3 = TXT value.
set -eu
host=$2
case $host in *.) ;; *) host=$host. ;; esac
case $1 in
  present) curl -fsS -o /dev/null -X POST -d "{\\"host\\":\\"$host\\",\\"value\\":\\"$3\\"}" {base}/set-txt ;;
  cleanup) curl -fsS -o /dev/null -X POST -d "{\\"host\\":\\"$host\\"}" {base}/clear-txt ;;
  *) echo "lego hook: unknown action $1" >&2; exit 1 ;;
esac
"""


def bench_lego(rig, scratch, hosts):
    hook = os.path.join(scratch, "lego-hook.sh")
    with open(hook, "w") as f:
        f.write(HOOK.replace("{base}", shlex.quote(rig.challtestsrv)))
    os.chmod(hook, 0o755)
    lego_path = os.path.join(scratch, "lego")
    logs = os.path.join(scratch, "lego-logs")
    os.makedirs(logs)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEGO_", "EXEC_"))}
    env.update({
        "LEGO_CA_CERTIFICATES": rig.env["GATEWAY_ACME_CA_BUNDLE"],
        "EXEC_PATH": hook,
        "EXEC_PROPAGATION_TIMEOUT": "60",
        "EXEC_POLLING_INTERVAL": "1",
    })
    base = ["lego", "--accept-tos", "--email", "bench@example.test", "--server", rig.env["GATEWAY_ACME_DIRECTORY"],
            "--path", lego_path, "--key-type", "ec256", "--dns", "exec",
            "--dns.resolvers", rig.env["GATEWAY_DNS_RESOLVERS"].split(",")[0], "--dns.disable-cp"]

    before = rig.log_size()
    per_host = []
    start = time.perf_counter()
    for host in hosts:
        host_start = time.perf_counter()
        with open(os.path.join(logs, f"{host}.log"), "wb") as out:
            try:
                result = subprocess.run(base + ["--domains", host, "run"], env=env, stdout=out, stderr=out,
                                        stdin=subprocess.DEVNULL, timeout=LEGO_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                raise BenchError(f"lego took over {LEGO_TIMEOUT_S} s for {host} (log: {out.name})")
        per_host.append(time.perf_counter() - host_start)
        if result.returncode != 0:
            with open(os.path.join(logs, f"{host}.log"), errors="replace") as f:
                raise BenchError(f"lego exited {result.returncode} for {host}:\n{f.read()[-4000:]}")
    wall = time.perf_counter() - start
    after = wait_for_log_to_settle(rig, rig.log_size())

    roots = rig.env.get("GATEWAY_DEVRIG_ROOTS")
    for host in hosts:
        crt = os.path.join(lego_path, "certificates", f"{host}.crt")
        if not os.path.exists(crt):
            raise BenchError(f"lego wrote no certificate {crt}")
        if roots:  # the .crt is leaf + issuer (lego bundles by default)
            check = subprocess.run(["openssl", "verify", "-CAfile", roots, "-untrusted", crt, crt],
                                   capture_output=True, text=True)
            if check.returncode != 0:
                raise BenchError(f"lego's certificate for {host} does not verify against Pebble's root:\n"
                                 f"{check.stdout}{check.stderr}")
    requests, kinds = rig.requests_between(before, after)
    return wall, requests, kinds, per_host


# --- main --------------------------------------------------------------------------------

def summary(kinds):
    return ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda item: (-item[1], item[0])))


def bench_one(n, gateway, devrig, keep):
    width = max(3, len(str(n - 1)))
    gateway_hosts = [f"d{i:0{width}d}.duckdns.org" for i in range(n)]
    lego_hosts = [f"l{i:0{width}d}.duckdns.org" for i in range(n)]
    scratch = tempfile.mkdtemp(prefix=f"gateway-bench-acme-{n}-")
    rig = None
    ok = False
    try:
        rig = Rig(devrig, scratch, [("bench-token", [h.split(".")[0] for h in gateway_hosts])])
        log(f"N={n}: rig up (ACME {rig.env['GATEWAY_ACME_DIRECTORY']}, challtestsrv {rig.challtestsrv}, "
            f"Pebble log {rig.pebble_log}, {rig.located}); gateway reconcile ...")
        g_wall, g_requests, g_kinds = bench_gateway(gateway, rig, scratch, gateway_hosts)
        log(f"N={n}: gateway {g_wall:.2f} s, {g_requests} ACME requests ({summary(g_kinds)}); "
            f"lego, {n} runs one after the other ...")
        l_wall, l_requests, l_kinds, per_host = bench_lego(rig, scratch, lego_hosts)
        per_host.sort()
        log(f"N={n}: lego {l_wall:.2f} s (per certificate: min {per_host[0]:.2f} s, "
            f"median {per_host[len(per_host) // 2]:.2f} s, max {per_host[-1]:.2f} s), "
            f"{l_requests} ACME requests ({summary(l_kinds)})")
        ok = True
        return g_wall, g_requests, l_wall, l_requests
    finally:
        if rig is not None:
            rig.stop()
        if keep or not ok:
            log(f"N={n}: scratch directory kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def main():
    args = sys.argv[1:]
    keep = "--keep" in args
    args = [a for a in args if a != "--keep"]
    if any(a in ("-h", "--help") for a in args):
        print(__doc__.strip())
        return 0
    try:
        sizes = [int(a) for a in args] or [20, 50]
    except ValueError:
        sys.exit(f"usage: {sys.argv[0]} [--keep] [N ...]")
    if any(n < 1 for n in sizes):
        sys.exit("bench-acme: N must be at least 1")

    ensure_packages()
    gateway, devrig = build()

    rows = []
    for n in sizes:
        try:
            rows.append((n, *bench_one(n, gateway, devrig, keep)))
        except BenchError as error:
            sys.exit(f"bench-acme: N={n}: {error}")

    print(f"{'N':>4}  {'gateway wall':>12}  {'gateway req/cert':>16}  {'lego wall':>10}  {'lego req/cert':>13}  "
          f"{'lego/gateway':>12}")
    for n, g_wall, g_requests, l_wall, l_requests in rows:
        print(f"{n:>4}  {g_wall:>11.2f}s  {g_requests / n:>16.2f}  {l_wall:>9.2f}s  {l_requests / n:>13.2f}  "
              f"{l_wall / g_wall:>11.1f}x")
    failed = False
    print("Targets:")
    for n, g_wall, g_requests, l_wall, l_requests in rows:
        ok = g_requests / n <= MAX_REQUESTS_PER_CERT
        failed |= not ok
        print(f"  N={n}: gateway ACME requests per certificate {g_requests / n:.2f} <= {MAX_REQUESTS_PER_CERT:g}: "
              f"{'met' if ok else 'MISSED'}")
        if n in MIN_RATIO:
            ok = l_wall / g_wall >= MIN_RATIO[n]
            failed |= not ok
            print(f"  N={n}: lego / gateway wall time {l_wall / g_wall:.1f} >= {MIN_RATIO[n]:g}: "
                  f"{'met' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
