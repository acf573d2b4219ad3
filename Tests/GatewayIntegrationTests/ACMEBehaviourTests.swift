import Foundation
import GatewayCore
import GatewayCrypto
import GatewayKit
import GatewayTestRig
import Testing

/// The ACME client's behaviours against a real Pebble: key types, EAB, nonce
/// rejection, parallel orders, forced issue/renew, revocation, backoff, recovery.
@Suite(.serialized)
struct ACMEBehaviourTests {
    /// A repository with `hosts` declared for owner alice, whose DuckDNS token owns `domains`.
    func prepared(_ rig: ACMERig, hosts: [(String, String)], domains: [String]) throws -> ScratchRepository {
        rig.duckDNS.register(token: "alice-token", domains: domains)
        let repo = try ScratchRepository(rig: rig)
        #expect(repo.gateway("init").status == 0)
        for (host, extra) in hosts { try repo.declare(owner: "alice", host: host, extra) }
        try repo.commitDeclarations()
        #expect(repo.gateway("duckdns", "set-token", "--owner", "alice", stdin: "alice-token").status == 0)
        return repo
    }

    func certRecord(_ repo: ScratchRepository, _ host: String) throws -> CertRecord {
        try #require(try repo.certRecord(host))
    }

    @Test func everyKeyTypeIsIssued() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let keys = ["ec-p256", "ec-p384", "rsa-2048", "rsa-3072"]
        let repo = try prepared(rig, hosts: keys.map { ("k-\($0).duckdns.org", #""key": "\#($0)""#) }, domains: keys.map { "k-\($0)" })
        let run = repo.gateway("reconcile")
        #expect(run.status == 0, "\(run.stderr)")
        let expected: [String: KeyAlgorithm] = ["ec-p256": .ecP256, "ec-p384": .ecP384, "rsa-2048": .rsa(bits: 2048), "rsa-3072": .rsa(bits: 3072)]
        for key in keys {
            let out = repo.root.deletingLastPathComponent().appendingPathComponent("export-\(key)")
            #expect(repo.gateway("cert", "export", "k-\(key).duckdns.org", "--out", out.path).status == 0)
            let privateKey = try PrivateKey(pem: String(contentsOf: out.appendingPathComponent("privkey.pem"), encoding: .utf8))
            #expect(privateKey.algorithm == expected[key])
            #expect(try certRecord(repo, "k-\(key).duckdns.org").key.rawValue == key)
        }
    }

    @Test func externalAccountBindingIsSentWhenTheCARequiresIt() throws {
        // Pebble's EAB keys are base64url HMAC keys named by kid.
        let mac = Base64.urlEncode(Array("a-32-byte-long-hmac-key-for-eab!".utf8))
        let rig = try ACMERig.start(.init(externalAccountMACKeys: ["kid-1": mac]))
        defer { rig.stop() }
        let repo = try prepared(rig, hosts: [("eab.duckdns.org", "")], domains: ["eab"])

        let refused = repo.gateway("reconcile")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("external account binding"), "\(refused.stderr)")

        repo.environment["GATEWAY_ACME_EAB_KID"] = "kid-1"
        repo.environment["GATEWAY_ACME_EAB_HMAC_KEY"] = mac
        let run = repo.gateway("reconcile", "--force")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try certRecord(repo, "eab.duckdns.org").hasCertificate)
        #expect(!(repo.read("state/acme/account.json") ?? "").contains(mac))
    }

    @Test func halfOfAllNoncesRejectedStillIssuesEveryHost() throws {
        let rig = try ACMERig.start(.init(pebbleEnvironment: ["PEBBLE_WFE_NONCEREJECT": "50"]))
        defer { rig.stop() }
        let names = (0..<8).map { "nonce\($0)" }
        let repo = try prepared(rig, hosts: names.map { ("\($0).duckdns.org", "") }, domains: names)
        let run = repo.gateway("reconcile")
        #expect(run.status == 0, "\(run.stderr)")
        for name in names { #expect(try certRecord(repo, "\(name).duckdns.org").hasCertificate) }
    }

    @Test func ordersRunInParallelButOneDuckDNSDomainAtATime() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        // Six domains, each with a wildcard: host and *.host share one TXT value, so
        // validating them at the same time would break; different domains run together.
        let names = (0..<6).map { "par\($0)" }
        let repo = try prepared(rig, hosts: names.map { ("\($0).duckdns.org", #""wildcard": true"#) }, domains: names)
        let run = repo.gateway("reconcile", "--concurrency", "4")
        #expect(run.status == 0, "\(run.stderr)")
        for name in names {
            #expect(try certRecord(repo, "\(name).duckdns.org").sans == ["\(name).duckdns.org", "*.\(name).duckdns.org"])
        }
        #expect(try repo.git().head()?.message.hasPrefix("gateway reconcile: 6 claimed") == true)
    }

    @Test func forcedIssueAndRenewReplaceTheCertificate() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let repo = try prepared(rig, hosts: [("forced.duckdns.org", "")], domains: ["forced"])
        #expect(repo.gateway("cert", "renew", "forced.duckdns.org").status == 1, "no certificate yet")
        #expect(repo.gateway("reconcile").status == 0)
        let first = try #require(try certRecord(repo, "forced.duckdns.org").serial)

        let renewed = repo.gateway("cert", "renew", "forced.duckdns.org")
        #expect(renewed.status == 0, "\(renewed.stderr)")
        let second = try #require(try certRecord(repo, "forced.duckdns.org").serial)
        #expect(second != first)
        #expect(try rig.certificateStatus(serialHex: first) == "Valid", "superseded certificates are kept unless configured")
        #expect(try repo.git().head()?.message.hasPrefix("gateway reconcile: 1 renewed") == true)

        repo.environment["GATEWAY_RENEWAL_REVOKE_SUPERSEDED"] = "true"
        let issued = repo.gateway("cert", "issue", "forced.duckdns.org")
        #expect(issued.status == 0, "\(issued.stderr)")
        let third = try #require(try certRecord(repo, "forced.duckdns.org").serial)
        #expect(third != second)
        #expect(try rig.certificateStatus(serialHex: second) == "Revoked")
        #expect(try rig.certificateStatus(serialHex: third) == "Valid")

        #expect(repo.gateway("cert", "renew", "nope.duckdns.org").stderr.contains("not declared"))
    }

    @Test func renewalComesDueOnSchedule() throws {
        // Pebble issues 5-year certificates by default: renew_at = not_after − 30 days.
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let repo = try prepared(rig, hosts: [("due.duckdns.org", "")], domains: ["due"])
        #expect(repo.gateway("reconcile").status == 0)
        let record = try certRecord(repo, "due.duckdns.org")
        let renewAt = try #require(record.renewAt)
        #expect(renewAt == record.notAfter!.adding(days: -30))
        let before = repo.gateway("plan", now: renewAt.adding(seconds: -1).rfc3339)
        #expect(before.stdout.contains("noop"))
        let due = repo.gateway("reconcile", now: renewAt.rfc3339)
        #expect(due.status == 0, "\(due.stderr)")
        #expect(due.stdout.contains("renew  due.duckdns.org"))
        #expect(try certRecord(repo, "due.duckdns.org").serial != record.serial)
    }

    @Test func backoffIsConfigurable() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let repo = try prepared(rig, hosts: [("slow.duckdns.org", "")], domains: ["other"])  // token does not own "slow"
        repo.environment["GATEWAY_RENEWAL_RETRY_INITIAL_S"] = "600"
        repo.environment["GATEWAY_RENEWAL_RETRY_MAX_S"] = "1000"
        let now = Timestamp(rfc3339: "2026-12-04T12:00:00Z")!
        #expect(repo.gateway("reconcile", now: now.rfc3339).status == 1)
        #expect(try certRecord(repo, "slow.duckdns.org").failures?.nextAttemptAt == now.adding(seconds: 600))
        #expect(repo.gateway("reconcile", "--force", now: now.rfc3339).status == 1)
        #expect(try certRecord(repo, "slow.duckdns.org").failures?.nextAttemptAt == now.adding(seconds: 1000), "capped at retry_max_s")
    }

    @Test func aLostAccountURLIsRecoveredWithOnlyReturnExisting() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let repo = try prepared(rig, hosts: [("acct.duckdns.org", "")], domains: ["acct"])
        #expect(repo.gateway("reconcile").status == 0)
        let secrets = SecretStore(repository: ManagedRepository(root: repo.root),
                                  envelope: try Envelope.local(keyID: "local-1", environment: repo.environment))
        var account = try #require(try secrets.account())
        let realURL = account.url
        account.url = realURL + "-gone"
        try secrets.storeAccount(account)

        let run = repo.gateway("cert", "issue", "acct.duckdns.org")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("ACME account moved"))
        #expect(try secrets.account()?.url == realURL)
    }
}
