#!/usr/bin/env python3
"""Validate Gateway files against the JSON Schemas in state/*.schema.json.

Usage:
  scripts/check-schemas.py [--self-test] [-v] [REPO_DIR]

Always checks examples/repository (gateway.json and every hosts/**/*.json).
With REPO_DIR, also checks that managed repository: gateway.json, hosts/**/*.json,
state/hosts/*.json, state/certs/*.json, every line of state/ip_history/*.jsonl,
and the envelope header of state/acme/account.json and owners/**/*.json.

Beyond the schemas it checks what a schema cannot express: the host equals the
file name, a wrapped file's `path` equals its location, and files Gateway writes
(ledger, wrapped files, the examples) are byte-canonical (keys sorted, 2-space
indent, `"key": value`, trailing newline; ip_history lines compact).

--self-test also checks the schemas against the 2020-12 meta-schema, validates
every case of the corpus shared with the Swift parsers (Tests/Corpus/
declarations.json and gateway-configs.json, see Tests/Corpus/README.md: the
schema's verdict must equal the case's schema_valid, by default its valid, the
parser's verdict, with and without format assertion), runs the ledger and
envelope cases held here, and validates the examples in state/README.md.

Prints `N files valid`, or every failure as `FILE: JSON-PATH: message`, and
exits 1 on any failure (64 on a usage error); -v lists each negative case
with the message it produced. Needs `pip install jsonschema` (4.18 or later).
"""

import base64
import json
import re
import sys
from pathlib import Path

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
except ImportError:  # pragma: no cover
    sys.exit("check-schemas: the jsonschema package is missing (pip install jsonschema)")

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = ROOT / "state"
EXAMPLE_REPO = ROOT / "examples" / "repository"
SCHEMA_NAMES = ["declaration", "gateway", "host-record", "cert-record", "ip-history-entry", "envelope"]


def load_validators():
    validators = {}
    for name in SCHEMA_NAMES:
        schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
        validators[name] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return validators


# ------------------------------------------------------------------ JSON helpers

class JSONError(Exception):
    pass


def _no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise JSONError(f'duplicate member "{key}"')
        seen[key] = value
    return seen


def _no_constants(name):
    raise JSONError(f"{name} is not JSON")


def parse_json(text):
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        raise JSONError(f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None


def canonical(value):
    """CanonicalJSON.serialize: keys sorted, 2-space indent, `"key": value`, trailing newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def compact(value):
    """CanonicalJSON.compact: one line, keys sorted, no spaces (ip_history lines)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def json_path(parts):
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$-]*", part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part)}]"
    return out


def describe(error):
    """(json path, message) pairs for one jsonschema error, descending into anyOf/oneOf."""
    while error.context:
        if error.validator in ("anyOf", "oneOf") and not isinstance(error.instance, (dict, list)) \
                and "description" in error.schema:
            return [(json_path(list(error.absolute_path)),
                     f"{json.dumps(error.instance)} is invalid: {error.schema['description']}")]
        # Skip the branch that failed only on its type (e.g. the null of "null or object").
        candidates = [e for e in error.context if not (e.validator == "type" and len(e.relative_schema_path) <= 2)]
        deeper = best_match(candidates or error.context)
        if deeper is None:
            break
        error = deeper
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
        return [(json_path(path + [k]), f"unknown field; expected one of: {', '.join(known)}") for k in extra]
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [k for k in error.validator_value if k not in error.instance]
        return [(json_path(path + [k]), "missing required field") for k in missing]
    if error.validator == "pattern" and "description" in error.schema:
        return [(json_path(path), f"{json.dumps(error.instance)} is invalid: {error.schema['description']}")]
    if error.validator == "format":
        return [(json_path(path), f"{json.dumps(error.instance)} is not a valid {error.validator_value} address"
                 if error.validator_value in ("ipv4", "ipv6") else error.message)]
    return [(json_path(path), error.message)]


def schema_issues(validator, instance):
    issues, seen = [], set()
    for error in sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]):
        for path, message in describe(error):
            if path not in seen:  # one message per JSON path (format and pattern often both fail)
                seen.add(path)
                issues.append((path, message))
    return issues


# ------------------------------------------------------------------ checker

class Checker:
    def __init__(self, validators):
        self.validators = validators
        self.files = 0
        self.failures = []  # (file, path, message)
        self.bad_files = set()

    def fail(self, file, path, message):
        self.failures.append((file, path, message))
        self.bad_files.add(file)

    def read(self, path, label):
        try:
            return path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            self.fail(label, "$", "not valid UTF-8")
        except OSError as error:
            self.fail(label, "$", f"cannot read: {error.strerror}")
        return None

    def check_document(self, path, label, schema, canonical_bytes=False, expect_host=None, location=None):
        self.files += 1
        text = self.read(path, label)
        if text is None:
            return None
        try:
            document = parse_json(text.removeprefix("\ufeff"))
        except JSONError as error:
            self.fail(label, "$", str(error))
            return None
        for json_at, message in schema_issues(self.validators[schema], document):
            self.fail(label, json_at, message)
        if not isinstance(document, dict):
            return document
        if expect_host is not None and isinstance(document.get("host"), str) and document["host"] != expect_host:
            self.fail(label, "$.host", f'"{document["host"]}" does not match the file name (expected "{expect_host}")')
        if location is not None and isinstance(document.get("path"), str) and document["path"] != location:
            self.fail(label, "$.path", f'written for {document["path"]} but stored at {location}; a wrapped file cannot be moved')
        if canonical_bytes and text != canonical(document):
            self.fail(label, "$", "not byte-canonical (expected keys sorted, 2-space indent, \"key\": value, trailing newline)")
        return document

    def check_jsonl(self, path, label, expect_host):
        self.files += 1
        text = self.read(path, label)
        if text is None:
            return
        host_pattern = self.validators["host-record"].schema["properties"]["host"]["pattern"]
        if not re.search(host_pattern, expect_host):
            self.fail(label, "$", f'file name "{expect_host}" is not a host name')
        if text and not text.endswith("\n"):
            self.fail(label, "$", "the last line has no trailing newline")
        previous_at = None
        for number, line in enumerate(text.split("\n"), start=1):
            if not line:
                continue
            where = f"{label}:{number}"
            try:
                entry = parse_json(line)
            except JSONError as error:
                self.fail(where, "$", str(error))
                continue
            for json_at, message in schema_issues(self.validators["ip-history-entry"], entry):
                self.fail(where, json_at, message)
            if line != compact(entry):
                self.fail(where, "$", "not canonical JSON Lines (expected compact JSON with sorted keys)")
            at = entry.get("at") if isinstance(entry, dict) else None
            if isinstance(at, str):
                if previous_at is not None and at < previous_at:
                    self.fail(where, "$.at", f"{at} is earlier than the line before ({previous_at}); lines are only appended")
                previous_at = at

    # -------------------------------------------------------------- repositories

    def check_repository(self, repo, display, declarations_canonical):
        def label(path):
            return f"{display}/{path.relative_to(repo).as_posix()}"

        config = repo / "gateway.json"
        if config.exists():
            self.check_document(config, label(config), "gateway", canonical_bytes=declarations_canonical)
        hosts = repo / "hosts"
        for path in sorted(hosts.rglob("*.json")) if hosts.is_dir() else []:
            rel = path.relative_to(hosts).parts
            if len(rel) != 2 or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,62}", rel[0]):
                self.files += 1
                self.fail(label(path), "$", "a declaration must be at hosts/<owner>/<host>.json with a valid owner id")
                continue
            self.check_document(path, label(path), "declaration", canonical_bytes=declarations_canonical,
                                expect_host=path.name[:-5])
        for table, schema in (("hosts", "host-record"), ("certs", "cert-record")):
            folder = repo / "state" / table
            for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
                self.check_document(path, label(path), schema, canonical_bytes=True, expect_host=path.name[:-5])
        history = repo / "state" / "ip_history"
        for path in sorted(history.glob("*.jsonl")) if history.is_dir() else []:
            self.check_jsonl(path, label(path), path.name[:-6])
        wrapped = []
        account = repo / "state" / "acme" / "account.json"
        if account.exists():
            wrapped.append(account)
        owners = repo / "owners"
        if owners.is_dir():
            wrapped += sorted(owners.rglob("*.json"))
        for path in wrapped:
            rel = path.relative_to(repo).as_posix()
            self.check_document(path, label(path), "envelope", canonical_bytes=True, location=rel)


# ------------------------------------------------------------------ self-test

HOST_RECORD = {
    "agent_id": "alice-agent-1", "claimed_at": "2026-12-04T15:36:54Z", "host": "alice-agent.duckdns.org",
    "mode": "duckdns", "owner": "alice", "released_at": None, "status": "verified",
    "verified_at": "2026-12-04T15:36:54Z", "verified_by": "duckdns-token",
}
CERT_RECORD = {
    "ari": None, "failures": None, "host": "alice-agent.duckdns.org", "issued_at": "2026-12-04T15:36:54Z",
    "issuer": "CN=R11,O=Let's Encrypt,C=US", "key": "ec-p256", "not_after": "2027-03-04T14:36:53Z",
    "not_before": "2026-12-04T14:36:54Z", "order_url": "https://acme-v02.api.letsencrypt.org/acme/order/1803463337/370558734127",
    "renew_at": "2027-02-02T14:36:53Z", "sans": ["alice-agent.duckdns.org", "*.alice-agent.duckdns.org"],
    "serial": "04a1e3f9c2b87d10f3c9e2a44b1d7e5f6a90", "sha256": "9fb039336df1eda21b2395b6d162af3b47b07b726a9f6e21fa43336400c745c5",
    "wrapped": "owners/alice/certificates/alice-agent.duckdns.org.json",
}
FAILED_CERT_RECORD = {
    "ari": None, "failures": {"count": 2, "last_error": "DuckDNS refused the update of carol-blog.duckdns.org (HTTP 200, KO)",
                              "next_attempt_at": "2026-12-04T17:37:02Z"},
    "host": "carol-blog.duckdns.org", "issued_at": None, "issuer": None, "key": "ec-p256", "not_after": None,
    "not_before": None, "order_url": None, "renew_at": None, "sans": ["carol-blog.duckdns.org"], "serial": None,
    "sha256": None, "wrapped": None,
}
IP_ENTRY = {"at": "2026-12-04T15:36:54Z", "family": "AAAA", "ips": ["2001:db8::10"], "source": "declared"}
ENVELOPE = {
    "ciphertext": "z6ZhRvI+3XWf2+y7A3tqUA1yPF8XZKbt5GOxlDfKsgqYXi4=", "format": "gateway-envelope/1",
    "kek": {"key_id": "local-1", "provider": "local",
            "wrapped_dek": "D7vSvMi79TzZAUMSoeD0wY8zbimVUpt7Q89LTNPGfY0XBdlrc1vzigYF+eCdbCkwVirIM2e11RmXrD36"},
    "kind": "duckdns-token", "nonce": "LOwM5FtbdgOj3Ubb", "path": "owners/alice/secrets/duckdns-token.json",
}


def variant(base, **changes):
    out = json.loads(json.dumps(base))
    for key, value in changes.items():
        key = key.replace("__", ".")
        target = out
        *parents, last = key.split(".")
        for parent in parents:
            target = target[parent]
        if value is DELETE:
            del target[last]
        else:
            target[last] = value
    return out


DELETE = object()


def self_test_cases():
    """Cases for the ledger and envelope schemas, which have no Swift-parser corpus. Declarations
    and gateway.json are tested from Tests/Corpus/ (corpus_cases), shared with SchemaCorpusTests."""
    ok, bad = True, False
    return [
        # host record
        ("host-record", "verified", HOST_RECORD, ok),
        ("host-record", "pending", variant(HOST_RECORD, status="pending", verified_at=None, verified_by=None), ok),
        ("host-record", "released", variant(HOST_RECORD, status="released", released_at="2026-12-05T09:00:00Z"), ok),
        ("host-record", "verified without verified_by", variant(HOST_RECORD, verified_by=None), bad),
        ("host-record", "released without released_at", variant(HOST_RECORD, status="released"), bad),
        ("host-record", "a missing nullable member", variant(HOST_RECORD, released_at=DELETE), bad),
        ("host-record", "a timestamp with an offset", variant(HOST_RECORD, claimed_at="2026-12-04T16:36:54+01:00"), bad),
        ("host-record", "fractional seconds", variant(HOST_RECORD, claimed_at="2026-12-04T15:36:54.5Z"), bad),
        ("host-record", "an upper-case owner", variant(HOST_RECORD, owner="Alice"), bad),
        ("host-record", "an unknown verified_by", variant(HOST_RECORD, verified_by="http-01"), bad),
        ("host-record", "an unknown field", variant(HOST_RECORD, note="x"), bad),
        # cert record
        ("cert-record", "issued", CERT_RECORD, ok),
        ("cert-record", "failures only", FAILED_CERT_RECORD, ok),
        ("cert-record", "with ARI", variant(CERT_RECORD, ari={"window": {"start": "2027-02-01T00:00:00Z", "end": "2027-02-03T00:00:00Z"},
                                                              "checked_at": "2026-12-10T06:00:00Z", "cert_id": "aYhba4dG.AIdlQyE",
                                                              "next_check_at": "2026-12-10T12:00:00Z"}), ok),
        ("cert-record", "ari without cert_id", variant(CERT_RECORD, ari={"window": {"start": "2027-02-01T00:00:00Z", "end": "2027-02-03T00:00:00Z"},
                                                                        "checked_at": "2026-12-10T06:00:00Z", "next_check_at": "2026-12-10T12:00:00Z"}), bad),
        ("cert-record", "an upper-case serial", variant(CERT_RECORD, serial="04A1E3F9"), bad),
        ("cert-record", "an odd-length serial", variant(CERT_RECORD, serial="4a1e3f9"), bad),
        ("cert-record", "a short sha256", variant(CERT_RECORD, sha256="9fb039336df1eda2"), bad),
        ("cert-record", "a serial without not_after", variant(CERT_RECORD, not_after=None), bad),
        ("cert-record", "a wrapped path outside owners/", variant(CERT_RECORD, wrapped="state/certs/alice.json"), bad),
        ("cert-record", "ari without window", variant(CERT_RECORD, ari={"checked_at": "2026-12-10T06:00:00Z"}), bad),
        ("cert-record", "an unknown failures field", variant(FAILED_CERT_RECORD, failures__retry_in=3600), bad),
        ("cert-record", "negative failure count", variant(FAILED_CERT_RECORD, failures__count=-1), bad),
        ("cert-record", "a key of rsa-1024", variant(CERT_RECORD, key="rsa-1024"), bad),
        # ip history
        ("ip-history-entry", "AAAA", IP_ENTRY, ok),
        ("ip-history-entry", "A, emptied", variant(IP_ENTRY, family="A", ips=[], source="report"), ok),
        ("ip-history-entry", "family A with an IPv6", variant(IP_ENTRY, family="A"), bad),
        ("ip-history-entry", "family AAAA with an IPv4", variant(IP_ENTRY, ips=["203.0.113.10"]), bad),
        ("ip-history-entry", "an unknown source", variant(IP_ENTRY, source="dhcp"), bad),
        ("ip-history-entry", "an unknown field", variant(IP_ENTRY, host="alice.duckdns.org"), bad),
        # envelope
        ("envelope", "duckdns token", ENVELOPE, ok),
        ("envelope", "account", variant(ENVELOPE, kind="acme-account", path="state/acme/account.json"), ok),
        ("envelope", "order", variant(ENVELOPE, kind="acme-order", path="owners/alice/acmeOrders/EJ1YHI5cTOI2n-wzKL2b.json"), ok),
        ("envelope", "certificate, aws-kms", variant(ENVELOPE, kind="certificate", path="owners/alice/certificates/alice.duckdns.org.json",
                                                     kek__provider="aws-kms",
                                                     kek__key_id="arn:aws:kms:eu-west-1:111122223333:key/1234"), ok),
        ("envelope", "kind and path disagree", variant(ENVELOPE, kind="certificate"), bad),
        ("envelope", "a newer format", variant(ENVELOPE, format="gateway-envelope/2"), bad),
        ("envelope", "an 8-byte nonce", variant(ENVELOPE, nonce="LOwM5FtbdgM="), bad),
        ("envelope", "invalid base64", variant(ENVELOPE, ciphertext="not base64!!"), bad),
        ("envelope", "an unknown kek field", variant(ENVELOPE, kek__region="eu-west-1"), bad),
        ("envelope", "a missing kek", variant(ENVELOPE, kek=DELETE), bad),
    ]


def readme_examples():
    """(schema, text) for every block after `<!-- schema: NAME -->` in state/README.md."""
    readme = SCHEMA_DIR / "README.md"
    if not readme.exists():
        return []
    text = readme.read_text(encoding="utf-8")
    return re.findall(r"<!-- schema: ([a-z-]+) -->\s*```[a-z]*\n(.*?)```", text, re.S)


CORPUS_DIR = ROOT / "Tests" / "Corpus"
CORPORA = [("declarations.json", "declaration"), ("gateway-configs.json", "gateway")]


def corpus_cases():
    """(corpus file, schema, case) for every case of Tests/Corpus/*.json (format: Tests/Corpus/README.md)."""
    out = []
    for file, schema in CORPORA:
        for case in json.loads((CORPUS_DIR / file).read_text(encoding="utf-8")):
            out.append((file, schema, case))
    return out


def corpus_instance(case):
    """The case's document as Python data; raises JSONError when it is not JSON (or not UTF-8)."""
    if "base64" in case:
        try:
            text = base64.b64decode(case["base64"], validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError) as error:
            raise JSONError(f"not UTF-8 JSON: {error}") from None
    else:
        text = case["text"]
    return parse_json(text.removeprefix("\ufeff"))


def run_corpus(validators, plain, checker):
    """Each corpus case's schema verdict must equal its schema_valid (default: valid, the Swift parser's
    verdict); null means the text is not JSON and the schema is not consulted. The verdict must not
    depend on format assertion either: the patterns alone must reject what the schemas reject."""
    passed = skipped = 0
    for file, schema, case in corpus_cases():
        name = case.get("name", "?")
        where = f"Tests/Corpus/{file} [{name}]"
        expected = case.get("schema_valid", case.get("valid"))
        if expected is None:
            skipped += 1
            continue
        try:
            instance = corpus_instance(case)
        except JSONError as error:
            checker.fail(where, "$", f"expected schema_valid {str(expected).lower()}, but the text is not JSON ({error}); "
                                     "use \"schema_valid\": null")
            continue
        issues = schema_issues(validators[schema], instance)
        if expected and issues:
            path, message = issues[0]
            checker.fail(where, path, f"the schema rejects it, the corpus expects valid: {message}")
        elif not expected and not issues:
            checker.fail(where, "$", "the schema accepts it, the corpus expects invalid"
                                     + (f" ({case['error']})" if case.get("error") else ""))
        else:
            passed += 1
            if issues and "-v" in sys.argv:
                print(f"  ok  {file} [{name}] -> {issues[0][0]}: {issues[0][1]}")
        if bool(schema_issues(plain[schema], instance)) != bool(issues):
            checker.fail(where, "$", "the verdict changes when formats are not asserted (a pattern is missing or too loose)")
        else:
            passed += 1
    return passed, skipped


def self_test(validators, checker):
    passed = 0
    for name in SCHEMA_NAMES:
        schema = validators[name].schema
        label = f"state/{name}.schema.json"
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as error:  # SchemaError
            checker.fail(label, "$", f"not a valid 2020-12 schema: {error.message}")
        for key in ("$id", "title", "description"):
            if key not in schema:
                checker.fail(label, "$", f"missing {key}")
        if schema.get("$id") != f"https://gateway.example/schemas/{name}.schema.json":
            checker.fail(label, "$.$id", "unexpected $id")
    # Formats are only annotations unless a validator asserts them: the IP patterns
    # must reject invalid addresses on their own.
    plain = {name: Draft202012Validator(v.schema) for name, v in validators.items()}
    corpus_passed, corpus_skipped = run_corpus(validators, plain, checker)
    passed += corpus_passed
    for schema, case, instance, expect_valid in self_test_cases():
        issues = schema_issues(validators[schema], instance)
        if expect_valid and issues:
            checker.fail(f"self-test {schema}", issues[0][0], f"{case}: expected valid, got: {issues[0][1]}")
        elif not expect_valid and not issues:
            checker.fail(f"self-test {schema}", "$", f"{case}: expected a failure, but it validated")
        else:
            passed += 1
            if not expect_valid and "-v" in sys.argv:
                print(f"  ok  {schema}: {case} -> {issues[0][0]}: {issues[0][1]}")
    plain_cases = 0
    for schema, case, instance, expect_valid in self_test_cases():
        if not expect_valid and ("IPv" in case or "IP" in case.split()):
            plain_cases += 1
            if not schema_issues(plain[schema], instance):
                checker.fail(f"self-test {schema}", "$", f"{case}: passes when formats are not asserted")
            else:
                passed += 1
    examples = readme_examples()
    for schema, block in examples:
        lines = block.splitlines() if schema == "ip-history-entry" else [block]
        for text in lines:
            where = f"state/README.md ({schema} example)"
            try:
                instance = parse_json(text)
            except JSONError as error:
                checker.fail(where, "$", str(error))
                continue
            for json_at, message in schema_issues(validators[schema], instance):
                checker.fail(where, json_at, message)
            expected = compact(instance) if schema == "ip-history-entry" else canonical(instance)
            if text != expected:
                checker.fail(where, "$", "example is not byte-canonical")
            passed += 1
    counts = {file: 0 for file, _ in CORPORA}
    for file, _, _ in corpus_cases():
        counts[file] += 1
    print(f"self-test: {passed} checks passed ({' + '.join(f'{n} {f}' for f, n in counts.items())} corpus cases "
          f"from Tests/Corpus, {corpus_skipped} of them not JSON, each again without format assertion; "
          f"{len(self_test_cases())} ledger/envelope cases, {plain_cases} of them again without format assertion; "
          f"{len(examples)} README examples)")


def main(argv):
    args = [a for a in argv if a not in ("--self-test", "-v")]
    if any(a.startswith("-") for a in args) or len(args) > 1:
        print("usage: scripts/check-schemas.py [--self-test] [-v] [REPO_DIR]", file=sys.stderr)
        return 64
    validators = load_validators()
    checker = Checker(validators)
    if "--self-test" in argv:
        self_test(validators, checker)
    checker.check_repository(EXAMPLE_REPO, "examples/repository", declarations_canonical=True)
    if args:
        repo = Path(args[0])
        if not repo.is_dir():
            print(f"check-schemas: {repo} is not a directory", file=sys.stderr)
            return 64
        checker.check_repository(repo, str(repo).rstrip("/"), declarations_canonical=False)
    for file, path, message in checker.failures:
        print(f"{file}: {path}: {message}")
    if checker.failures:
        print(f"{len(checker.failures)} failures in {len(checker.bad_files)} files ({checker.files} files checked)")
        return 1
    print(f"{checker.files} files valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
