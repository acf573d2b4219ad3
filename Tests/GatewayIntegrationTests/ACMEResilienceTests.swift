import Foundation
import GatewayCore
import GatewayCrypto
import GatewayKit
import GatewayTestRig
import Synchronization
import Testing

/// Failures on the way: a challenge the CA rejects, a CA that disappears mid-run, a CA
/// that forgets its accounts, and ARI (RFC 9773) against a local renewalInfo server.
@Suite(.serialized)
struct ACMEResilienceTests {
    func prepared(_ rig: ACMERig, hosts: [String], extra: String = "") throws -> ScratchRepository {
        rig.duckDNS.register(token: "alice-token", domains: hosts)
        let repo = try ScratchRepository(rig: rig)
        #expect(repo.gateway("init").status == 0)
        for host in hosts { try repo.declare(owner: "alice", host: "\(host).duckdns.org", extra) }
        try repo.commitDeclarations()
        #expect(repo.gateway("duckdns", "set-token", "--owner", "alice", stdin: "alice-token").status == 0)
        return repo
    }

    func certRecord(_ repo: ScratchRepository, _ host: String) throws -> CertRecord? {
        try repo.certRecord(host)
    }

    func orderFiles(_ repo: ScratchRepository) -> [String] {
        ManagedRepository(root: repo.root).files(under: "owners").filter { $0.contains("/acmeOrders/") }
    }

    @Test func anInvalidChallengeEndsTheOrderAndTheNextAttemptOrdersAnew() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let repo = try prepared(rig, hosts: ["flaky"])
        // DuckDNS says OK but never publishes; without resolvers to check, the CA looks and fails.
        repo.environment["GATEWAY_DNS_RESOLVERS"] = ""
        rig.duckDNS.publishTXT = false
        try rig.resetRequestCounts()
        let failed = repo.gateway("reconcile")
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("challengeFailed"), "\(failed.stderr)")
        #expect(try certRecord(repo, "flaky.duckdns.org")?.failures?.count == 1)
        #expect(orderFiles(repo).isEmpty, "an invalid order is not kept for resumption")

        rig.duckDNS.publishTXT = true
        let retried = repo.gateway("reconcile", "--force")
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(try certRecord(repo, "flaky.duckdns.org")?.hasCertificate == true)
        #expect(try certRecord(repo, "flaky.duckdns.org")?.failures == nil, "a success clears the failures")
        #expect(try rig.acmeRequestCounts()["newOrder"] == 2, "the second attempt made a new order")
    }

    @Test func aCAThatStopsMidRunLosesNothing() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let hosts = ["stop1", "stop2", "stop3", "stop4"]
        let repo = try prepared(rig, hosts: hosts)
        // Host 1: set TXT (1), clear TXT (2); host 2: set TXT (3) → the CA goes away.
        rig.duckDNS.setRequestHook { _, accepted in if accepted == 3 { rig.stopPebble() } }
        let cut = repo.gateway("reconcile", "--concurrency", "1")
        rig.duckDNS.setRequestHook(nil)
        #expect(cut.status == 1)
        #expect(cut.stderr.contains("cannot be reached"), "\(cut.stderr)")

        // What was issued before the CA went away is committed and opens.
        let head = try #require(try repo.git().head())
        #expect(head.message.hasPrefix("gateway reconcile: 1 claimed, 3 failed"), "\(head.message)")
        #expect(try repo.git().dirtyPaths().filter { !$0.hasPrefix("hosts/") }.isEmpty)
        let out = repo.root.deletingLastPathComponent().appendingPathComponent("export-stop1")
        #expect(repo.gateway("cert", "export", "stop1.duckdns.org", "--out", out.path).status == 0)
        // The order in flight when the CA went away is kept for the next run.
        #expect(orderFiles(repo).map { RepositoryLayout.orderHost(path: $0)?.host.value } == ["stop2.duckdns.org"])
        #expect(repo.gateway("plan", "--force").stdout.contains("resume  stop2.duckdns.org"))

        // A fresh CA (Pebble forgets everything): the account is registered again, the
        // dead order replaced, and every host ends with a certificate.
        try rig.restartPebble()
        let done = repo.gateway("reconcile", "--force")
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stderr.contains("no longer knows ACME account"))
        for host in hosts { #expect(try certRecord(repo, "\(host).duckdns.org")?.hasCertificate == true, "\(host)") }
        #expect(orderFiles(repo).isEmpty)
        #expect(try certRecord(repo, "stop1.duckdns.org")?.serial == (try #require(try certRecord(repo, "stop1.duckdns.org"))).serial)
    }

    @Test func anOrderLeftValidByACrashIsDownloadedNotReissued() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let repo = try prepared(rig, hosts: ["crash"])
        #expect(repo.gateway("reconcile").status == 0)
        let record = try #require(try certRecord(repo, "crash.duckdns.org"))
        let secrets = SecretStore(repository: ManagedRepository(root: repo.root),
                                  envelope: try Envelope.local(keyID: "local-1", environment: repo.environment))
        let bundle = try #require(try secrets.certificate(owner: OwnerID("alice")!, host: try HostName(validating: "crash.duckdns.org")))
        // Simulate a crash after the CA issued but before the certificate was stored:
        // the order file is there, the certificate and its record are not.
        let account = try #require(try secrets.account())
        try secrets.storeOrder(.init(host: try HostName(validating: "crash.duckdns.org"), orderURL: try #require(record.orderURL),
                                     accountURL: account.url, sans: ["crash.duckdns.org"], keyPEM: bundle.privateKeyPEM,
                                     createdAt: Timestamp(Date())), owner: OwnerID("alice")!)
        try FileManager.default.removeItem(at: repo.root.appendingPathComponent("owners/alice/certificates/crash.duckdns.org.json"))
        try FileManager.default.removeItem(at: repo.root.appendingPathComponent("state/certs/crash.duckdns.org.json"))
        try rig.resetRequestCounts()

        let plan = repo.gateway("plan")
        #expect(plan.stdout.contains("resume  crash.duckdns.org"), "\(plan.stdout)")
        let run = repo.gateway("reconcile")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try certRecord(repo, "crash.duckdns.org")?.serial == record.serial, "the same certificate, not a second one")
        #expect(try rig.acmeRequestCounts()["newOrder"] == nil)
        #expect(orderFiles(repo).isEmpty)
    }

    @Test func unreachableCAIsAClearErrorThatChangesNoCertificate() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let repo = try prepared(rig, hosts: ["keep", "later"])
        try FileManager.default.removeItem(at: repo.root.appendingPathComponent("hosts/alice/later.duckdns.org.json"))
        #expect(repo.gateway("reconcile").status == 0)
        let kept = try #require(try certRecord(repo, "keep.duckdns.org"))
        try repo.declare(owner: "alice", host: "later.duckdns.org")
        rig.stopPebble()
        let run = repo.gateway("reconcile")
        #expect(run.status == 1)
        #expect(run.stderr.contains("the CA cannot be reached"), "\(run.stderr)")
        #expect(try certRecord(repo, "keep.duckdns.org") == kept)
        #expect(repo.exists("owners/alice/certificates/keep.duckdns.org.json"))
    }

    @Test func ariWindowSetsRenewAtAndARenewalReplacesTheCertificate() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let now = Date()
        let ari = try ARIDirectoryServer(rig: rig, defaultWindow: (now.addingTimeInterval(40 * 86_400), now.addingTimeInterval(42 * 86_400)))
        defer { ari.stop() }
        let repo = try prepared(rig, hosts: ["ari"])
        repo.environment["GATEWAY_ACME_DIRECTORY"] = ari.directoryURL

        #expect(repo.gateway("reconcile").status == 0)
        let record = try #require(try certRecord(repo, "ari.duckdns.org"))
        let window = try #require(record.ari)
        #expect(ari.requestedCertIDs == [window.certID])
        #expect(window.start == Timestamp(now.addingTimeInterval(40 * 86_400)))
        let renewAt = try #require(record.renewAt)
        #expect(renewAt >= window.start && renewAt <= window.end, "renew_at is drawn from the ARI window")
        #expect(renewAt < record.notAfter!.adding(days: -30), "not the default schedule")

        // The CA asks for an early renewal (e.g. a revocation event): the next run after
        // next_check_at sees it and renews, replacing the old certificate.
        ari.setWindow(certID: window.certID, start: now.addingTimeInterval(-7200), end: now.addingTimeInterval(-3600), retryAfterSeconds: 1800)
        let early = repo.gateway("reconcile", now: window.nextCheckAt.rfc3339)
        #expect(early.status == 0, "\(early.stderr)")
        #expect(early.stdout.contains("renew  ari.duckdns.org"), "\(early.stdout)")
        let renewed = try #require(try certRecord(repo, "ari.duckdns.org"))
        #expect(renewed.serial != record.serial)
        #expect(ari.requestedCertIDs.filter { $0 == window.certID }.count == 2)
        #expect(renewed.ari?.certID != window.certID, "the new certificate has its own ARI id")
    }
}

extension ACMEResilienceTests {
    @Test func filesAnInterruptedRunWroteAreCommittedByTheNextRun() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let repo = try prepared(rig, hosts: ["cut"])
        #expect(repo.gateway("reconcile").status == 0)
        let issued = try #require(try certRecord(repo, "cut.duckdns.org"))
        // Undo the commit but keep its files: as if the process died after writing
        // the certificate and the ledger but before committing.
        let reset = Process()
        reset.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        reset.arguments = ["-C", repo.root.path, "reset", "-q", "--mixed", "HEAD~1"]
        try reset.run()
        reset.waitUntilExit()
        #expect(reset.terminationStatus == 0)
        #expect(try repo.git().dirtyPaths().contains("owners/alice/certificates/cut.duckdns.org.json"))

        let run = repo.gateway("reconcile")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Plan: 0 to claim, 0 to issue, 0 to renew, 0 to release, 0 waiting on an owner, 1 unchanged."), "the certificate on disk is used, not issued again")
        let head = try #require(try repo.git().head())
        #expect(head.message.hasPrefix("gateway reconcile: "), "\(head.message)")
        #expect(head.message.contains("from an interrupted run"))
        #expect(try repo.git().fileContent(at: "owners/alice/certificates/cut.duckdns.org.json", revision: "HEAD") != nil)
        #expect(try repo.git().dirtyPaths().filter { !$0.hasPrefix("hosts/") }.isEmpty)
        #expect(try certRecord(repo, "cut.duckdns.org") == issued)
    }
}
