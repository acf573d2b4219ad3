import Foundation
import GatewayCore
import GatewayCrypto
import GatewayGit
import GatewayTestRig
import Testing

/// The walking skeleton end to end against a real Pebble: declare → plan → issue →
/// wrap → commit, then a quiet second run, then a release.
@Suite(.serialized)
struct ReconcileIntegrationTests {
    @Test func issuesWrapsCommitsOnceAndReleases() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "token-alice-0123456789", domains: ["alice-agent", "alice-api"])
        rig.duckDNS.register(token: "token-bob-0123456789", domains: ["bob-shop"])
        let repo = try ScratchRepository(rig: rig)

        #expect(repo.gateway("init").status == 0)
        try repo.declare(owner: "alice", host: "alice-agent.duckdns.org", #""wildcard": true, "ips": ["203.0.113.10"]"#)
        try repo.declare(owner: "alice", host: "alice-api.duckdns.org", #""key": "ec-p384""#)
        try repo.declare(owner: "bob", host: "bob-shop.duckdns.org", #""key": "rsa-2048""#, agent: "shop")
        try repo.commitDeclarations()
        #expect(repo.gateway("duckdns", "set-token", "--owner", "alice", stdin: "token-alice-0123456789\n").status == 0)
        #expect(repo.gateway("duckdns", "set-token", "--owner", "bob", stdin: "token-bob-0123456789\n").status == 0)

        let plan = repo.gateway("plan")
        #expect(plan.status == 0)
        #expect(plan.stdout.contains("Plan: 3 to claim, 0 to issue, 0 to renew, 0 to release, 0 waiting on an owner, 0 unchanged."))

        let commitsBefore = try repo.commitCount()
        let run = repo.gateway("reconcile")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try repo.commitCount() == commitsBefore + 1, "reconcile must end with exactly one commit")
        let head = try #require(try repo.git().head())
        #expect(head.message.hasPrefix("gateway reconcile: 3 claimed"))
        #expect(try repo.git().dirtyPaths().isEmpty, "the commit leaves a clean work tree")

        // Every certificate chains to Pebble's root and matches its key.
        let roots = try rig.issuingRoots().map { try Certificate(pem: $0) }
        let expectations: [(String, Set<String>, KeyAlgorithm)] = [
            ("alice-agent.duckdns.org", ["alice-agent.duckdns.org", "*.alice-agent.duckdns.org"], .ecP256),
            ("alice-api.duckdns.org", ["alice-api.duckdns.org"], .ecP384),
            ("bob-shop.duckdns.org", ["bob-shop.duckdns.org"], .rsa(bits: 2048)),
        ]
        for (host, sans, algorithm) in expectations {
            let out = repo.root.deletingLastPathComponent().appendingPathComponent("export-\(host)")
            let export = repo.gateway("cert", "export", host, "--out", out.path)
            #expect(export.status == 0, "\(export.stderr)")
            let chain = try Certificate.chain(fromPEM: String(contentsOf: out.appendingPathComponent("fullchain.pem"), encoding: .utf8))
            let key = try PrivateKey(pem: String(contentsOf: out.appendingPathComponent("privkey.pem"), encoding: .utf8))
            try ChainVerifier.verify(chain: chain, roots: roots)
            #expect(chain[0].publicKeyMatches(key))
            #expect(Set(chain[0].dnsNames) == sans)
            #expect(key.algorithm == algorithm)
            let mode = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("privkey.pem").path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            // The ledger describes the same certificate.
            let record = try #require(try repo.certRecord(host))
            #expect(record.serial == chain[0].serialNumberHex)
            #expect(record.sha256 == chain[0].sha256Fingerprint)
            #expect(record.notAfter == Timestamp(chain[0].notAfter))
        }
        #expect(repo.read("state/ip_history/alice-agent.duckdns.org.jsonl")?.contains(#""ips":["203.0.113.10"]"#) == true)
        #expect(repo.read("state/hosts/alice-agent.duckdns.org.json")?.contains(#""status": "verified""#) == true)
        // DuckDNS TXT values were cleared after validation.
        #expect(rig.duckDNS.requests.contains { $0.clear })

        // A second run has nothing to do and makes no commit.
        let again = repo.gateway("reconcile")
        #expect(again.status == 0)
        #expect(again.stdout.contains("Plan: 0 to claim, 0 to issue, 0 to renew, 0 to release, 0 waiting on an owner, 3 unchanged."))
        #expect(try repo.git().head()?.id == head.id)

        // Removing a declaration releases the host and revokes its certificate.
        let bobSerial = try #require(try repo.certRecord("bob-shop.duckdns.org")?.serial)
        try FileManager.default.removeItem(at: repo.root.appendingPathComponent("hosts/bob/bob-shop.duckdns.org.json"))
        try repo.commitDeclarations("remove bob-shop")
        let release = repo.gateway("reconcile")
        #expect(release.status == 0, "\(release.stderr)")
        #expect(try repo.git().head()?.message.hasPrefix("gateway reconcile: 1 released") == true)
        #expect(repo.read("state/hosts/bob-shop.duckdns.org.json")?.contains(#""status": "released""#) == true)
        #expect(!repo.exists("owners/bob/certificates/bob-shop.duckdns.org.json"))
        #expect(!repo.exists("state/certs/bob-shop.duckdns.org.json"))
        #expect(try rig.certificateStatus(serialHex: bobSerial) == "Revoked")
        let list = repo.gateway("list")
        #expect(list.stdout.contains("bob-shop.duckdns.org"))
        #expect(list.stdout.split(separator: "\n").first { $0.contains("bob-shop") }?.contains("released") == true)

        // No secret in any blob of the history.
        var blobs = 0
        try repo.git().forEachBlobInHistory { path, content in
            blobs += 1
            let text = String(decoding: content, as: UTF8.self)
            #expect(!text.contains("PRIVATE KEY"), "\(path) holds a private key")
            #expect(!text.contains("token-alice-0123456789") && !text.contains("token-bob-0123456789"), "\(path) holds a token")
        }
        #expect(blobs > 10)
        for commit in try repo.git().log() {
            #expect(!commit.message.contains("token-"))
        }
    }

    @Test func aRejectedTokenFailsOnlyItsHostAndBacksOff() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "good-token", domains: ["good"])
        let repo = try ScratchRepository(rig: rig)
        #expect(repo.gateway("init").status == 0)
        try repo.declare(owner: "alice", host: "good.duckdns.org")
        try repo.declare(owner: "mallory", host: "stolen.duckdns.org")
        try repo.commitDeclarations()
        repo.gateway("duckdns", "set-token", "--owner", "alice", stdin: "good-token")
        repo.gateway("duckdns", "set-token", "--owner", "mallory", stdin: "not-the-owners-token")

        let run = repo.gateway("reconcile", now: "2026-12-04T12:00:00Z")
        #expect(run.status == 1, "a failed host makes reconcile exit 1")
        #expect(run.stderr.contains("stolen.duckdns.org"))
        #expect(!run.stderr.contains("not-the-owners-token"), "the token never appears in a log")
        #expect(repo.exists("owners/alice/certificates/good.duckdns.org.json"), "the other host is still issued")
        let record = try #require(try repo.certRecord("stolen.duckdns.org"))
        #expect(record.failures?.count == 1)
        #expect(record.failures?.nextAttemptAt == Timestamp(rfc3339: "2026-12-04T13:00:00Z"))
        #expect(repo.read("state/hosts/stolen.duckdns.org.json")?.contains(#""status": "pending""#) == true)
        #expect(try repo.git().head()?.message.contains("failed stolen.duckdns.org") == true)

        // The next run within the hour honours the backoff; --force retries.
        let held = repo.gateway("plan", now: "2026-12-04T12:30:00Z")
        #expect(held.stdout.contains("backing off after 1 failure until 2026-12-04T13:00:00Z"))
        let forced = repo.gateway("reconcile", "--force", now: "2026-12-04T12:30:00Z")
        #expect(forced.status == 1)
        let again = try #require(try repo.certRecord("stolen.duckdns.org"))
        #expect(again.failures?.count == 2)
        #expect(again.failures?.nextAttemptAt == Timestamp(rfc3339: "2026-12-04T14:30:00Z"), "the delay doubles")
    }
}
