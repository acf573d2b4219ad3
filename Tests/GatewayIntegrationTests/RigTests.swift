import Foundation
import GatewayCore
import GatewayCrypto
import GatewayHTTP
@testable import GatewayKit
@testable import GatewayTestRig
import Glibc
import Synchronization
import Testing

/// The local ACME rig itself: Pebble, pebble-challtestsrv, the DuckDNS stand-in and
/// the loopback HTTP server. Each test starts its own rig and stops it in `defer`.
@Suite(.serialized)
struct RigTests {
    // MARK: Pebble

    @Test func directoryIsServedOverTheThrowawayCA() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }

        let client = HTTPClient(configuration: .init(caBundlePath: rig.caBundlePath, timeout: .seconds(10)))
        let response = try client.send(HTTPRequest(url: rig.directoryURL))
        #expect(response.status == 200)
        let directory = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        for resource in ["newNonce", "newAccount", "newOrder"] {
            let url = try #require(directory[resource] as? String, "directory lacks \(resource): \(response.bodyText)")
            #expect(url.hasPrefix("https://127.0.0.1:"))
        }

        // Pebble's certificate chains to the throwaway CA, not to a system root.
        let untrusting = HTTPClient(configuration: .init(caBundlePath: "/dev/null", timeout: .seconds(10)))
        let error = try #require(throws: HTTPError.self) { try untrusting.send(HTTPRequest(url: rig.directoryURL)) }
        #expect(error.code == .tls)

        #expect(rig.environment == [
            "GATEWAY_ACME_DIRECTORY": rig.directoryURL,
            "GATEWAY_ACME_CA_BUNDLE": rig.caBundlePath,
            "GATEWAY_DUCKDNS_API": rig.duckDNS.baseURL,
            "GATEWAY_DNS_RESOLVERS": rig.dnsResolver,
        ])
        #expect(rig.directoryURL.hasSuffix("/dir"))
    }

    @Test func managementAPIGivesIssuingCertificatesAndStatus() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }

        let roots = try rig.issuingRoots()
        let intermediates = try rig.issuingIntermediates()
        #expect(roots.count == 1)
        #expect(intermediates.count == 1)
        for pem in roots + intermediates {
            #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        }
        #expect(roots.first != intermediates.first)
        // The issuing root is Pebble's own, not the CA that signed its TLS certificate.
        let tlsCA = try String(contentsOfFile: rig.caBundlePath, encoding: .utf8)
        #expect(roots.first != tlsCA)
        #expect(try rig.certificateStatus(serialHex: "00:0A:BC:DE:F1:23") == nil)
    }

    @Test(arguments: [("0x00ABcd", "abcd"), ("00:01:ff", "1ff"), ("0", "0"), ("66317d2e02f5d3d6", "66317d2e02f5d3d6")])
    func serialsAreNamedAsPebbleNamesThem(given: String, expected: String) {
        #expect(ACMERig.pebbleSerial(given) == expected)
    }

    @Test func optionsReachPebble() throws {
        let rig = try ACMERig.start(.init(pebbleEnvironment: ["PEBBLE_WFE_NONCEREJECT": "50"],
                                          certificateValidityPeriod: 3600,
                                          externalAccountMACKeys: ["kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"]))
        defer { rig.stop() }

        let client = HTTPClient(configuration: .init(caBundlePath: rig.caBundlePath, timeout: .seconds(10)))
        let response = try client.send(HTTPRequest(url: rig.directoryURL))
        let directory = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        let meta = try #require(directory["meta"] as? [String: Any])
        #expect(meta["externalAccountRequired"] as? Bool == true)

        let log = try String(contentsOfFile: rig.pebbleLogPath, encoding: .utf8)
        #expect(log.contains("certificate validity period of 3600 seconds"))
        #expect(log.contains("reject 50% of good nonces"))
        #expect(log.contains("Disabling random VA sleeps"))
    }

    @Test func stopLeavesNoChildProcess() throws {
        let rig = try ACMERig.start()
        let identifiers = rig.processIdentifiers
        #expect(identifiers.count == 2)
        for pid in identifiers { #expect(kill(pid, 0) == 0, "child \(pid) should run before stop()") }
        #expect(!ProcessTable.commandLines(containing: rig.pebbleConfigPath).isEmpty)
        #expect(!ProcessTable.commandLines(containing: "-dns01 \(rig.dnsResolver)").isEmpty)
        #expect(rig.isRunning)

        rig.stop()

        for pid in identifiers {
            let result = kill(pid, 0)
            #expect(result == -1 && errno == ESRCH, "child \(pid) still exists after stop()")
        }
        #expect(ProcessTable.commandLines(containing: rig.pebbleConfigPath).isEmpty)
        #expect(ProcessTable.commandLines(containing: "-dns01 \(rig.dnsResolver)").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: rig.workDirectory.path))
        #expect(!rig.isRunning)
        let client = HTTPClient(configuration: .init(timeout: .seconds(2)))
        #expect(throws: HTTPError.self) { try client.send(HTTPRequest(url: rig.duckDNS.baseURL + "/update")) }
        rig.stop()  // idempotent
    }

    @Test func givenWorkDirectoryIsKept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rig-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rig = try ACMERig.start(.init(workDirectory: directory))
        #expect(rig.pebbleLogPath.hasPrefix(directory.path))
        rig.stop()
        #expect(FileManager.default.fileExists(atPath: rig.pebbleLogPath))
        #expect(FileManager.default.fileExists(atPath: rig.pebbleConfigPath))
    }

    // MARK: Pebble stop and restart

    @Test func restartedPebbleKeepsItsURLsButNotItsState() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let http = HTTPClient(configuration: .init(caBundlePath: rig.caBundlePath, timeout: .seconds(10)))
        let key = try PrivateKey.generate(.ecP256)
        _ = try ACMEClient(directoryURL: rig.directoryURL, http: http).registerAccount(key: key, contact: [], eab: nil)
        #expect(try ACMEClient(directoryURL: rig.directoryURL, http: http).findAccount(key: key) != nil)
        let rootsBefore = try rig.issuingRoots()
        let pebbleBefore = try #require(rig.pebbleProcessIdentifier)
        let challengeServer = rig.challengeServerProcessIdentifier
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=before-stop") == "OK")
        let directoryRequestsBefore = try rig.acmeRequestCounts()["directory", default: 0]

        rig.stopPebble()
        #expect(!rig.isPebbleRunning)
        #expect(!rig.isRunning)
        #expect(rig.pebbleProcessIdentifier == nil)
        #expect(rig.processIdentifiers == [challengeServer])
        let gone = kill(pebbleBefore, 0)
        #expect(gone == -1 && errno == ESRCH, "pebble \(pebbleBefore) still exists after stopPebble()")
        let refused = try #require(throws: HTTPError.self) { try http.send(HTTPRequest(url: rig.directoryURL)) }
        #expect(refused.code == .couldNotConnect)
        // challtestsrv and the DuckDNS stand-in keep serving meanwhile.
        #expect(try DNSProbe.query("_acme-challenge.alice.duckdns.org", .txt, server: rig.dnsResolver) == ["before-stop"])
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=while-down") == "OK")
        rig.stopPebble()  // idempotent

        try rig.restartPebble()
        #expect(rig.isPebbleRunning)
        #expect(rig.isRunning)
        let pebbleAfter = try #require(rig.pebbleProcessIdentifier)
        #expect(pebbleAfter != pebbleBefore)
        #expect(rig.challengeServerProcessIdentifier == challengeServer)
        #expect(kill(challengeServer, 0) == 0)
        #expect(rig.pebbleRestartCount == 1)
        // The same URL answers again; the restart's readiness probe is no counted request.
        #expect(try http.send(HTTPRequest(url: rig.directoryURL)).status == 200)
        #expect(try rig.acmeRequestCounts()["directory", default: 0] == directoryRequestsBefore + 1)
        // Fresh state, as after any Pebble start: a new root, the account unknown.
        let rootsAfter = try rig.issuingRoots()
        #expect(rootsAfter.count == 1)
        #expect(rootsAfter != rootsBefore)
        #expect(try ACMEClient(directoryURL: rig.directoryURL, http: http).findAccount(key: key) == nil)
        #expect(try DNSProbe.query("_acme-challenge.alice.duckdns.org", .txt, server: rig.dnsResolver) == ["while-down"])
        let log = try String(contentsOfFile: rig.pebbleLogPath, encoding: .utf8)
        #expect(log.components(separatedBy: "Starting Pebble ACME server").count == 3,
                "the restarted Pebble appends to the log of the first")

        // Restarting a running Pebble replaces it.
        try rig.restartPebble()
        #expect(rig.pebbleProcessIdentifier != pebbleAfter)
        #expect(kill(pebbleAfter, 0) == -1)
        #expect(rig.pebbleRestartCount == 2)
        #expect(try http.send(HTTPRequest(url: rig.directoryURL)).status == 200)

        rig.stop()
        #expect(throws: RigError(code: .rigStopped, reason: "")) { try rig.restartPebble() }
        #expect(!rig.isPebbleRunning)
    }

    @Test func pebbleEnvironmentReachesTheProcess() throws {
        let rig = try ACMERig.start(.init(pebbleEnvironment: ["PEBBLE_WFE_NONCEREJECT": "50"]))
        defer { rig.stop() }
        let environment = try ProcessTable.environment(of: try #require(rig.pebbleProcessIdentifier))
        #expect(environment["PEBBLE_WFE_NONCEREJECT"] == "50")
        #expect(environment["PEBBLE_VA_NOSLEEP"] == "1", "the defaults stay")
        #expect(environment["PEBBLE_AUTHZREUSE"] == "0")
        try rig.restartPebble()
        let restarted = try ProcessTable.environment(of: try #require(rig.pebbleProcessIdentifier))
        #expect(restarted["PEBBLE_WFE_NONCEREJECT"] == "50", "a restarted Pebble has the same environment")

        // Pebble acts on it: it refuses about half of the good nonces, and the client
        // retries. Twenty lookups without a single refusal would have probability 2^-20.
        try rig.resetRequestCounts()
        let http = HTTPClient(configuration: .init(caBundlePath: rig.caBundlePath, timeout: .seconds(10)))
        let client = ACMEClient(directoryURL: rig.directoryURL, http: http)
        let key = try PrivateKey.generate(.ecP256)
        for _ in 0..<20 { _ = try? client.findAccount(key: key) }
        #expect(try rig.acmeRequestCounts()["newAccount", default: 0] > 20)
    }

    // MARK: Counting ACME requests

    @Test func acmeRequestCountsFollowAnIssuance() throws {
        let rig = try ACMERig.start(.init(pebbleEnvironment: ["PEBBLE_VA_ALWAYS_VALID": "1"]))
        defer { rig.stop() }
        // The rig's own readiness probes are not requests.
        #expect(try rig.acmeRequestCounts() == [:])
        #expect(try rig.acmeRequestTotal() == 0)

        let http = HTTPClient(configuration: .init(caBundlePath: rig.caBundlePath, timeout: .seconds(10)))
        let client = ACMEClient(directoryURL: rig.directoryURL, http: http)
        let account = try client.registerAccount(key: try PrivateKey.generate(.ecP256), contact: [], eab: nil)
        #expect(try rig.acmeRequestCounts() == ["directory": 1, "newNonce": 1, "newAccount": 1])

        let name = "counted.example.test"
        let order = try client.newOrder(account: account, dnsNames: [name])
        let authorization = try client.authorization(try #require(order.authorizations.first), account: account)
        let challenge = try #require(authorization.challenges.first { $0.type == "dns-01" })
        try client.respond(to: challenge, account: account)
        _ = try client.waitForAuthorization(authorization.url, account: account)
        let csr = try CertificateSigningRequest.make(key: try PrivateKey.generate(.ecP256), dnsNames: [name])
        _ = try client.finalize(order, csrDER: csr, account: account)
        let issued = try client.waitForOrder(order.url, account: account)
        let chain = try client.downloadCertificate(try #require(issued.certificate), account: account)
        #expect(chain.contains("-----BEGIN CERTIFICATE-----"))
        // Refused (no certificate), and still a request.
        #expect(throws: ACMEError.self) { try client.revoke(certificateDER: Data([0x30, 0x00]), reason: 0, account: account) }

        let counts = try rig.acmeRequestCounts()
        #expect(counts["directory"] == 1)
        #expect(counts["newNonce"] == 1, "later nonces come with the answers")
        #expect(counts["newAccount"] == 1)
        #expect(counts["newOrder"] == 1)
        #expect(counts["challenge"] == 1)
        #expect(counts["finalize"] == 1)
        #expect(counts["certificate"] == 1)
        #expect(counts["revoke"] == 1)
        #expect(counts["authz", default: 0] >= 2, "one read, then polls until valid: \(counts)")
        #expect(counts["order", default: 0] >= 1, "polls until valid: \(counts)")
        #expect(counts["other"] == nil)
        #expect(try rig.acmeRequestTotal() == counts.values.reduce(0, +))
        #expect(try rig.acmeRequestTotal() == client.requestCount, "every request the client sent, and no other")

        try rig.resetRequestCounts()
        #expect(try rig.acmeRequestCounts() == [:])
        #expect(try http.send(HTTPRequest(url: rig.directoryURL)).status == 200)
        // An account URL is no endpoint of its own.
        let malformed = try http.send(HTTPRequest(method: "POST", url: account.url,
                                                  headers: [("Content-Type", "application/jose+json")],
                                                  body: Data("{}".utf8)))
        #expect(malformed.status == 400)
        // Not routed, so not logged: an unknown path, a method the route refuses.
        #expect(try http.send(HTTPRequest(url: rig.directoryURL + "-nothing-here")).status == 404)
        #expect(try http.send(HTTPRequest(method: "PUT", url: rig.directoryURL)).status == 405)
        #expect(try rig.acmeRequestCounts() == ["directory": 1, "other": 1])
        #expect(try rig.acmeRequestTotal() == 2)
    }

    @Test func pebbleLogRequestLinesAreRecognised() {
        let log = """
            Pebble 2026/12/04 16:05:41 Starting Pebble ACME server
            Pebble 2026/12/04 16:05:41 Configured to reject 0% of good nonces
            Pebble 2026/12/04 16:06:06 HEAD /nonce-plz -> calling handler()
            Pebble 2026/12/04 16:06:06 POST /sign-me-up -> calling handler()
            Pebble 2026/12/04 16:06:06 There are now 1 accounts in memory
            --- gateway test rig: restarting pebble (restart 1) ---
            Pebble 2026/12/04 16:06:07 GET /nonce-plz -> calling handler()
            Pebble 2026/12/04 16:06:07 Added order "x" to the db -> calling handler()
            Pebble 2026/12/04 16:06:07 POST /my-order/ -> calling handler()
            Pebble 2026/12/04 16:06:07 POST /my-account/ -> calling handler()
            Pebble 2026/12/04 16:06:07 POST /chalZ/ -> calling handler()
            """
        // The last line has no newline yet: it is left for a later read.
        let lines = PebbleLog.requestLines(in: log[...])
        #expect(lines.map { "\($0.method) \($0.route)" }
                == ["HEAD /nonce-plz", "POST /sign-me-up", "GET /nonce-plz", "POST /my-order/", "POST /my-account/"])
        #expect(PebbleLog.counts(of: lines) == ["newNonce": 2, "newAccount": 1, "order": 1, "other": 1])
        #expect(PebbleLog.requestLines(in: (log + "\n")[...]).last == .init(method: "POST", route: "/chalZ/"))
    }

    @Test(arguments: [
        ("/dir", "directory"), ("/nonce-plz", "newNonce"), ("/sign-me-up", "newAccount"), ("/order-plz", "newOrder"),
        ("/authZ/", "authz"), ("/chalZ/", "challenge"), ("/finalize-order/", "finalize"), ("/my-order/", "order"),
        ("/certZ/", "certificate"), ("/revoke-cert", "revoke"), ("/my-account/", "other"),
        ("/rollover-account-key", "other"), ("/list-orderz/", "other"),
    ])
    func pebbleRoutesMapToEndpointNames(route: String, endpoint: String) {
        #expect(PebbleLog.endpoint(ofRoute: route) == endpoint)
        #expect(ACMERig.acmeEndpointNames.contains(endpoint))
    }

    // MARK: challtestsrv helpers

    @Test func challengeDNSHelpersPublishRecords() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }

        try rig.setTXT("_acme-challenge.example.test", "first")
        try rig.setTXT("_acme-challenge.example.test.", "second")
        #expect(try DNSProbe.query("_acme-challenge.example.test", .txt, server: rig.dnsResolver).sorted()
                == ["first", "second"])
        try rig.clearTXT("_acme-challenge.example.test")
        #expect(try DNSProbe.query("_acme-challenge.example.test", .txt, server: rig.dnsResolver) == [])

        try rig.addA("www.example.test", "192.0.2.7")
        #expect(try DNSProbe.query("www.example.test", .a, server: rig.dnsResolver) == ["192.0.2.7"])
        try rig.clearA("www.example.test")
        // challtestsrv runs without default addresses: an unknown name has none.
        #expect(try DNSProbe.query("www.example.test", .a, server: rig.dnsResolver) == [])
    }

    // MARK: DuckDNS stand-in

    @Test func duckDNSTXTUpdateIsVisibleInDNS() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        let challenge = "_acme-challenge.alice.duckdns.org"

        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=first-value&verbose=true") == "OK\nfirst-value\nUPDATED")
        #expect(try DNSProbe.query(challenge, .txt, server: rig.dnsResolver) == ["first-value"])

        // One value per domain: a new value replaces the old one; the full name is accepted too.
        #expect(try duckDNS(rig, "domains=alice.duckdns.org&token=t-alice&txt=second-value") == "OK")
        #expect(try DNSProbe.query(challenge, .txt, server: rig.dnsResolver) == ["second-value"])
        #expect(try DNSProbe.query("alice.duckdns.org", .txt, server: rig.dnsResolver) == ["second-value"])
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=second-value&verbose=true")
                == "OK\nsecond-value\nNOCHANGE")

        #expect(rig.duckDNS.txt(of: "alice") == "second-value")
        #expect(rig.duckDNS.requestCount == 3)
        #expect(rig.duckDNS.acceptedCount == 3)
        #expect(rig.duckDNS.requests.map(\.txt) == ["first-value", "second-value", "second-value"])
    }

    @Test func duckDNSRefusesTokensThatDoNotOwnEveryDomain() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        rig.duckDNS.register(token: "t-bob", domains: ["bob"])
        let challenge = "_acme-challenge.alice.duckdns.org"
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=kept") == "OK")

        #expect(try duckDNS(rig, "domains=alice&token=wrong&txt=evil&verbose=true") == "KO")
        #expect(try duckDNS(rig, "domains=alice&token=t-bob&txt=evil") == "KO")
        #expect(try duckDNS(rig, "domains=alice,bob&token=t-alice&txt=evil") == "KO")
        #expect(try duckDNS(rig, "domains=_acme-challenge.alice.duckdns.org&token=t-alice&txt=evil") == "KO")
        #expect(try duckDNS(rig, "domains=alice&txt=evil") == "KO")

        #expect(try DNSProbe.query(challenge, .txt, server: rig.dnsResolver) == ["kept"])
        #expect(try DNSProbe.query("_acme-challenge.bob.duckdns.org", .txt, server: rig.dnsResolver) == [])
        #expect(rig.duckDNS.txt(of: "alice") == "kept")
        #expect(rig.duckDNS.rejectedCount == 5)
        #expect(rig.duckDNS.requests.map(\.tokenWasValid) == [true, false, true, true, true, false])
    }

    @Test func duckDNSClearRemovesTheTXT() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        let challenge = "_acme-challenge.alice.duckdns.org"
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=to-clear") == "OK")
        #expect(try DNSProbe.query(challenge, .txt, server: rig.dnsResolver) == ["to-clear"])

        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=&clear=true&verbose=true") == "OK\n\nUPDATED")
        #expect(try DNSProbe.query(challenge, .txt, server: rig.dnsResolver) == [])
        #expect(rig.duckDNS.txt(of: "alice") == nil)
        #expect(rig.duckDNS.requests.last?.clear == true)
    }

    @Test func duckDNSAddressUpdatesPublishRecords() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        try rig.duckDNS.addSubname("api", of: "alice")

        #expect(try duckDNS(rig, "domains=alice&token=t-alice&ip=203.0.113.10&ipv6=2001:db8::10&verbose=true")
                == "OK\n203.0.113.10\n2001:db8::10\nUPDATED")
        #expect(try DNSProbe.query("alice.duckdns.org", .a, server: rig.dnsResolver) == ["203.0.113.10"])
        #expect(try DNSProbe.query("alice.duckdns.org", .aaaa, server: rig.dnsResolver) == ["2001:db8::10"])
        #expect(try DNSProbe.query("api.alice.duckdns.org", .a, server: rig.dnsResolver) == ["203.0.113.10"])
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&ip=203.0.113.10&verbose=true")
                == "OK\n203.0.113.10\n2001:db8::10\nNOCHANGE")

        // Without ip or ipv6 the caller's address is taken, as DuckDNS does.
        #expect(try duckDNS(rig, "domains=alice&token=t-alice") == "OK")
        #expect(try DNSProbe.query("alice.duckdns.org", .a, server: rig.dnsResolver) == ["127.0.0.1"])

        #expect(try duckDNS(rig, "domains=alice&token=t-alice&ip=not-an-ip") == "KO")
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&clear=true") == "OK")
        #expect(try DNSProbe.query("alice.duckdns.org", .a, server: rig.dnsResolver) == [])
        #expect(try DNSProbe.query("alice.duckdns.org", .aaaa, server: rig.dnsResolver) == [])
    }

    @Test func duckDNSSubnameSharesTheDomainTXT() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=shared") == "OK")
        try rig.duckDNS.addSubname("api", of: "alice.duckdns.org")
        #expect(try DNSProbe.query("_acme-challenge.api.alice.duckdns.org", .txt, server: rig.dnsResolver) == ["shared"])
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=next") == "OK")
        #expect(try DNSProbe.query("_acme-challenge.api.alice.duckdns.org", .txt, server: rig.dnsResolver) == ["next"])
    }

    @Test func duckDNSThatDoesNotPublishMakesDNS01Fail() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        #expect(rig.duckDNS.publishTXT, "publishing is on by default")
        let http = HTTPClient(configuration: .init(caBundlePath: rig.caBundlePath, timeout: .seconds(10)))
        let client = ACMEClient(directoryURL: rig.directoryURL, http: http)
        let account = try client.registerAccount(key: try PrivateKey.generate(.ecP256), contact: [], eab: nil)
        let thumbprint = try JSONWebSignature.thumbprint(account.key)
        let challengeName = "_acme-challenge.alice.duckdns.org"

        func dns01() throws -> (authorization: String, challenge: ACMEChallenge, value: String) {
            let order = try client.newOrder(account: account, dnsNames: ["alice.duckdns.org"])
            let url = try #require(order.authorizations.first)
            let challenge = try #require(try client.authorization(url, account: account).challenges
                .first { $0.type == "dns-01" })
            return (url, challenge, ACMEChallenge.dns01TXTValue(token: challenge.token, accountThumbprint: thumbprint))
        }

        rig.duckDNS.publishTXT = false
        let failing = try dns01()
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=\(failing.value)&verbose=true")
                == "OK\n\(failing.value)\nUPDATED")
        #expect(try DNSProbe.query(challengeName, .txt, server: rig.dnsResolver) == [])
        #expect(rig.duckDNS.txt(of: "alice") == nil)
        let unpublished = try #require(rig.duckDNS.requests.last)
        #expect(unpublished.accepted)
        #expect(!unpublished.published)
        try client.respond(to: failing.challenge, account: account)
        let failure = try #require(throws: ACMEError.self) {
            try client.waitForAuthorization(failing.authorization, account: account)
        }
        #expect(failure.code == .challengeFailed)

        // Publishing again, the same kind of update reaches DNS and validation passes.
        rig.duckDNS.publishTXT = true
        let passing = try dns01()
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=\(passing.value)") == "OK")
        #expect(try DNSProbe.query(challengeName, .txt, server: rig.dnsResolver) == [passing.value])
        #expect(rig.duckDNS.requests.last?.published == true)
        try client.respond(to: passing.challenge, account: account)
        #expect(try client.waitForAuthorization(passing.authorization, account: account).status == "valid")
    }

    @Test func duckDNSRequestHookCanStopPebbleAfterTheNthTXTUpdate() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        struct Call: Equatable, Sendable {
            var txt: String?
            var accepted: Bool
            var acceptedTXTUpdates: Int
            var loggedRequests: Int
        }
        let calls = Collected<Call>()
        rig.duckDNS.setRequestHook { request, acceptedTXTUpdates in
            // The stand-in is readable from the hook: the request is logged, no lock is held.
            calls.append(Call(txt: request.txt, accepted: request.accepted, acceptedTXTUpdates: acceptedTXTUpdates,
                              loggedRequests: rig.duckDNS.requestCount))
            if request.isTXTUpdate && request.accepted && acceptedTXTUpdates == 2 { rig.stopPebble() }
        }
        defer { rig.duckDNS.setRequestHook(nil) }

        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=one") == "OK")
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&ip=203.0.113.1") == "OK")
        #expect(try duckDNS(rig, "domains=alice&token=wrong&txt=evil") == "KO")
        #expect(rig.isPebbleRunning)
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=two") == "OK")
        // The hook ran before the answer went out: Pebble was gone when the client heard OK.
        #expect(!rig.isPebbleRunning)
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=&clear=true") == "OK")
        #expect(calls.all == [
            Call(txt: "one", accepted: true, acceptedTXTUpdates: 1, loggedRequests: 1),
            Call(txt: nil, accepted: true, acceptedTXTUpdates: 1, loggedRequests: 2),
            Call(txt: "evil", accepted: false, acceptedTXTUpdates: 1, loggedRequests: 3),
            Call(txt: "two", accepted: true, acceptedTXTUpdates: 2, loggedRequests: 4),
            Call(txt: "", accepted: true, acceptedTXTUpdates: 3, loggedRequests: 5),
        ])

        // Clearing the log restarts the count; a nil hook is no longer called.
        rig.duckDNS.clearRequestLog()
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=three") == "OK")
        #expect(calls.all.last == Call(txt: "three", accepted: true, acceptedTXTUpdates: 1, loggedRequests: 1))
        rig.duckDNS.setRequestHook(nil)
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=four") == "OK")
        #expect(calls.all.count == 6)
    }

    // MARK: ARI directory

    @Test func ariDirectoryAddsRenewalInfoToPebblesDirectory() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let ari = try ARIDirectoryServer(rig: rig)
        defer { ari.stop() }
        #expect(ari.directoryURL.hasPrefix("http://127.0.0.1:"))
        #expect(ari.directoryURL == ari.baseURL + "/dir")
        #expect(ari.renewalInfoURL == ari.baseURL + "/renewal-info")

        let http = HTTPClient(configuration: .init(caBundlePath: rig.caBundlePath, timeout: .seconds(10)))
        let pebble = try #require(try JSONSerialization.jsonObject(
            with: http.send(HTTPRequest(url: rig.directoryURL)).body) as? [String: Any])
        let served = try http.send(HTTPRequest(url: ari.directoryURL))
        #expect(served.status == 200)
        #expect(served.header("content-type") == "application/json")
        let directory = try #require(try JSONSerialization.jsonObject(with: served.body) as? [String: Any])
        #expect(directory["renewalInfo"] as? String == ari.renewalInfoURL)
        for resource in ["newNonce", "newAccount", "newOrder", "revokeCert", "keyChange"] {
            let url = try #require(pebble[resource] as? String)
            #expect(directory[resource] as? String == url, "\(resource) stays Pebble's")
        }
        #expect(Set(directory.keys) == Set(pebble.keys).union(["renewalInfo"]))
        // Fetched from Pebble once, at init (our own GET above is the other).
        _ = try http.send(HTTPRequest(url: ari.directoryURL))
        #expect(try rig.acmeRequestCounts()["directory"] == 2)

        let certID = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"
        let start = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        ari.setWindow(certID: certID, start: start, end: start + 86_400, retryAfterSeconds: 21_600,
                      explanationURL: "https://ca.example/why")
        let answer = try http.send(HTTPRequest(url: "\(ari.renewalInfoURL)/\(certID)"))
        #expect(answer.status == 200)
        #expect(answer.header("retry-after") == "21600")
        #expect(answer.bodyText == #"{"explanationURL":"https://ca.example/why","#
                + #""suggestedWindow":{"end":"2026-01-02T00:00:00Z","start":"2026-01-01T00:00:00Z"}}"#)

        // Gateway's ACME client finds it through the directory.
        let client = ACMEClient(directoryURL: ari.directoryURL, http: http)
        let info = try #require(try client.renewalInfo(certID: certID))
        #expect(info == RenewalInfo(start: Timestamp(start), end: Timestamp(start + 86_400), retryAfter: 21_600,
                                    explanationURL: "https://ca.example/why"))

        // Without a window (and no default), 404 with a problem document.
        let missing = try http.send(HTTPRequest(url: "\(ari.renewalInfoURL)/unknown.AQ"))
        #expect(missing.status == 404)
        #expect(missing.header("content-type") == "application/problem+json")
        #expect(throws: ACMEError.self) { try client.renewalInfo(certID: "unknown.AQ") }
        #expect(try http.send(HTTPRequest(method: "POST", url: "\(ari.renewalInfoURL)/\(certID)", body: Data())).status
                == 405)
        ari.removeWindow(certID: certID)
        #expect(try http.send(HTTPRequest(url: "\(ari.renewalInfoURL)/\(certID)")).status == 404)
        #expect(ari.requestedCertIDs == [certID, certID, "unknown.AQ", "unknown.AQ", certID])

        // ACME itself still goes to Pebble.
        try rig.resetRequestCounts()
        _ = try client.registerAccount(key: try PrivateKey.generate(.ecP256), contact: [], eab: nil)
        #expect(try rig.acmeRequestCounts() == ["newNonce": 1, "newAccount": 1])
    }

    @Test func ariDefaultWindowAnswersEveryOtherCertID() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let ari = try ARIDirectoryServer(rig: rig, defaultWindow: (start: start, end: start + 3_600))
        defer { ari.stop() }
        let http = HTTPClient(configuration: .init(timeout: .seconds(10)))

        let fallback = try http.send(HTTPRequest(url: "\(ari.renewalInfoURL)/any.AQ"))
        #expect(fallback.status == 200)
        #expect(fallback.header("retry-after") == nil)
        #expect(fallback.bodyText == #"{"suggestedWindow":{"end":"2026-01-01T01:00:00Z","start":"2026-01-01T00:00:00Z"}}"#)
        ari.setWindow(certID: "own.AQ", start: start + 7_200, end: start + 10_800)
        #expect(try http.send(HTTPRequest(url: "\(ari.renewalInfoURL)/own.AQ")).bodyText
                == #"{"suggestedWindow":{"end":"2026-01-01T03:00:00Z","start":"2026-01-01T02:00:00Z"}}"#)
        #expect(ari.requestedCertIDs == ["any.AQ", "own.AQ"])

        // An upstream that is no ACME directory is refused at init.
        #expect(throws: RigError(code: .upstream, reason: "")) {
            try ARIDirectoryServer(upstreamDirectoryURL: rig.duckDNS.baseURL + "/update", caBundlePath: nil)
        }
    }

    // MARK: Loopback HTTP server

    @Test func loopbackServerPassesRequestsThrough() throws {
        let server = try LoopbackHTTPServer { request in
            guard request.path == "/echo/a b" else { return .notFound }
            let echo: [String: String] = [
                "method": request.method,
                "query": request.query("q") ?? "<none>",
                "flag": request.query("flag") ?? "<none>",
                "header": request.header("X-Test") ?? "<none>",
                "body": request.bodyText,
            ]
            let body = try! JSONSerialization.data(withJSONObject: echo, options: [.sortedKeys])
            return .json(body, status: 201, headers: [("X-Echo", "yes")])
        }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(timeout: .seconds(5)))

        let response = try client.send(HTTPRequest(
            method: "POST", url: server.baseURL + "/echo/a%20b?q=x%2By%26z&flag",
            headers: [("X-Test", "42"), ("Content-Type", "application/json")], body: Data(#"{"k":1}"#.utf8)))
        #expect(response.status == 201)
        #expect(response.header("x-echo") == "yes")
        #expect(response.header("connection") == "close")
        let echo = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: String])
        #expect(echo == ["method": "POST", "query": "x+y&z", "flag": "", "header": "42", "body": #"{"k":1}"#])

        #expect(try client.send(HTTPRequest(url: server.baseURL + "/elsewhere")).status == 404)
        #expect(server.requestCount == 2)

        server.stop()
        #expect(throws: HTTPError.self) { try client.send(HTTPRequest(url: server.baseURL + "/echo/a%20b")) }
    }

    @Test func chunkedBodiesAreDecoded() throws {
        let chunked = Array("4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\nTrailer: x\r\n\r\n".utf8)
        #expect(try HTTPWire.decodeChunked(chunked[...]) == Data("Wikipedia ".utf8))
        #expect(try HTTPWire.decodeChunked(chunked.dropLast(2)) == nil)
        #expect(throws: HTTPWire.Failure.self) { try HTTPWire.decodeChunked(Array("zz\r\n".utf8)[...]) }
    }

    // MARK: gateway-devrig command line

    @Test func devRigParsesUp() throws {
        let action = try DevRigCommand.parse(["up", "--env-file", "/tmp/rig.env",
                                              "--duckdns-account", "t1=alice,Bob.duckdns.org",
                                              "--duckdns-account=t2=carol", "--work-dir=/tmp/w",
                                              "--pebble-env", "PEBBLE_WFE_NONCEREJECT=50",
                                              "--pebble-env=PEBBLE_VA_ALWAYS_VALID=1", "--pebble-env", "EMPTY_1="])
        #expect(action == .up(.init(environmentFile: "/tmp/rig.env",
                                    accounts: [.init(token: "t1", domains: ["alice", "bob"]),
                                               .init(token: "t2", domains: ["carol"])],
                                    workDirectory: "/tmp/w",
                                    pebbleEnvironment: ["PEBBLE_WFE_NONCEREJECT": "50", "PEBBLE_VA_ALWAYS_VALID": "1",
                                                        "EMPTY_1": ""])))
        #expect(try DevRigCommand.parse(["--help"]) == .help)
        #expect(try DevRigCommand.parse(["up", "--help"]) == .help)
        #expect(DevRigCommand.help.contains("--duckdns-account TOKEN=DOMAIN[,DOMAIN...]"))
        #expect(DevRigCommand.usageLine.contains("[--pebble-env NAME=VALUE]..."))
        #expect(DevRigCommand.help.contains("  --pebble-env NAME=VALUE  "))
        for name in ACMERig.devRigVariableNames { #expect(DevRigCommand.help.contains(name)) }
    }

    @Test(arguments: [
        (["up"], "--env-file PATH is required"),
        ([], "missing command `up`"),
        (["down"], "unknown command 'down'; expected `up`"),
        (["up", "--env-file"], "--env-file needs a value (PATH)"),
        (["up", "--env-file", "x", "--port", "1"], "unknown option '--port'"),
        (["up", "--env-file", "x", "--duckdns-account", "alice"], "--duckdns-account expects TOKEN=DOMAIN[,DOMAIN...], got 'alice'"),
        (["up", "--env-file", "x", "--duckdns-account", "t=_acme-challenge.alice"],
         "--duckdns-account: '_acme-challenge.alice' is not a DuckDNS domain (a subname like 'alice' or 'alice.duckdns.org')"),
        (["up", "--env-file", "x", "--pebble-env", "PEBBLE_X"], "--pebble-env expects NAME=VALUE, got 'PEBBLE_X'"),
        (["up", "--env-file", "x", "--pebble-env", "9X=1"],
         "--pebble-env: '9X' is not an environment variable name (letters, digits and _, not starting with a digit)"),
        (["up", "--env-file", "x", "--pebble-env", "=1"],
         "--pebble-env: '' is not an environment variable name (letters, digits and _, not starting with a digit)"),
        (["up", "--env-file", "x", "--pebble-env", "A=1", "--pebble-env", "A=2"], "--pebble-env A given twice"),
    ])
    func devRigRejectsBadCommandLines(arguments: [String], message: String) {
        #expect(throws: DevRigUsageError(message)) { try DevRigCommand.parse(arguments) }
    }

    @Test func devRigUpWritesTheRigInternals() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("devrig-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let environmentFile = directory.appendingPathComponent("rig.env").path
        let rig = try DevRigCommand.start(.init(
            environmentFile: environmentFile, accounts: [.init(token: "t-alice", domains: ["alice"])],
            workDirectory: directory.appendingPathComponent("work").path,
            pebbleEnvironment: ["PEBBLE_WFE_NONCEREJECT": "50"]))
        defer { rig.stop() }

        let variables = try ShellExports.parse(try String(contentsOfFile: environmentFile, encoding: .utf8))
        #expect(Set(variables.keys) == Set(ACMERig.devRigVariableNames))
        #expect(variables["GATEWAY_ACME_DIRECTORY"] == rig.directoryURL)

        let logPath = try #require(variables["GATEWAY_DEVRIG_PEBBLE_LOG"])
        #expect(logPath == rig.pebbleLogPath)
        #expect(try String(contentsOfFile: logPath, encoding: .utf8).contains("Configured to reject 50% of good nonces"))
        let pid = try #require(rig.pebbleProcessIdentifier)
        #expect(try ProcessTable.environment(of: pid)["PEBBLE_WFE_NONCEREJECT"] == "50")

        // challtestsrv's management API answers at the written URL.
        let challengeServer = try #require(variables["GATEWAY_DEVRIG_CHALLTESTSRV"])
        let plain = HTTPClient(configuration: .init(timeout: .seconds(10)))
        let set = try plain.send(HTTPRequest(method: "POST", url: challengeServer + "/set-txt",
                                             body: Data(#"{"host":"_acme-challenge.devrig.test.","value":"via-env"}"#.utf8)))
        #expect(set.status == 200)
        #expect(try DNSProbe.query("_acme-challenge.devrig.test", .txt, server: rig.dnsResolver) == ["via-env"])

        // Pebble's management API gives the root written to GATEWAY_DEVRIG_ROOTS.
        let management = try #require(variables["GATEWAY_DEVRIG_PEBBLE_MANAGEMENT"])
        let tls = HTTPClient(configuration: .init(caBundlePath: variables["GATEWAY_ACME_CA_BUNDLE"], timeout: .seconds(10)))
        let root = try tls.send(HTTPRequest(url: management + "/roots/0"))
        #expect(root.status == 200)
        let rootsFile = try String(contentsOfFile: try #require(variables["GATEWAY_DEVRIG_ROOTS"]), encoding: .utf8)
        #expect(root.bodyText == rootsFile)
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=x") == "OK")
    }

    @Test func environmentFileQuotesForTheShell() {
        #expect(ACMERig.shellExports(["B": "it's", "A": "/x y"]) == "export A='/x y'\nexport B='it'\\''s'\n")
    }

    // MARK: Helpers

    private func duckDNS(_ rig: ACMERig, _ query: String) throws -> String {
        let client = HTTPClient(configuration: .init(timeout: .seconds(10)))
        let response = try client.send(HTTPRequest(url: "\(rig.duckDNS.baseURL)/update?\(query)"))
        #expect(response.status == 200)
        #expect(response.header("content-type")?.hasPrefix("text/plain") == true)
        return response.bodyText
    }
}

/// Command lines of running processes (what `pgrep -f` matches), read from /proc.
enum ProcessTable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The environment a process started with, from /proc/PID/environ.
    static func environment(of pid: Int32) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else {
            throw Failure(description: "cannot read /proc/\(pid)/environ")
        }
        var variables: [String: String] = [:]
        for entry in data.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            variables[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return variables
    }

    static func commandLines(containing needle: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> String? in
            guard Int32(entry) != nil,
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty else {
                return nil
            }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return line.contains(needle) && !line.contains("swiftpm-testing-helper") ? line : nil
        }
    }
}

/// A minimal DNS client: one question over UDP, the answers of the asked type as text.
enum DNSProbe {
    enum RecordType: UInt16 {
        case a = 1
        case txt = 16
        case aaaa = 28
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func query(_ name: String, _ type: RecordType, server: String) throws -> [String] {
        let parts = server.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw Failure(description: "bad server \(server)") }
        let id = UInt16.random(in: 0...UInt16.max)
        var packet: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.lowercased().split(separator: ".") {
            packet.append(UInt8(label.utf8.count))
            packet.append(contentsOf: label.utf8)
        }
        packet += [0, UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xff), 0, 1]

        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(String(parts[0]))
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(descriptor, packet, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == packet.count else { throw Failure(description: "sendto: errno \(errno)") }
        var reply = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &reply, reply.count, 0)
        guard count >= 12 else { throw Failure(description: "no DNS answer from \(server) for \(name)") }
        return try parseAnswers(Array(reply[0..<count]), id: id, type: type)
    }

    static func parseAnswers(_ message: [UInt8], id: UInt16, type: RecordType) throws -> [String] {
        func u16(_ offset: Int) throws -> Int {
            guard offset + 2 <= message.count else { throw Failure(description: "truncated DNS message") }
            return Int(message[offset]) << 8 | Int(message[offset + 1])
        }
        func skipName(_ start: Int) throws -> Int {
            var offset = start
            while true {
                guard offset < message.count else { throw Failure(description: "truncated name") }
                let length = Int(message[offset])
                if length == 0 { return offset + 1 }
                if length & 0xc0 == 0xc0 { return offset + 2 }
                offset += 1 + length
            }
        }
        guard try u16(0) == Int(id) else { throw Failure(description: "answer to another query") }
        let flags = try u16(2)
        guard flags & 0x8000 != 0 else { throw Failure(description: "not a response") }
        let rcode = flags & 0x000f
        guard rcode == 0 || rcode == 3 else { throw Failure(description: "DNS rcode \(rcode)") }
        var offset = 12
        for _ in 0..<(try u16(4)) { offset = try skipName(offset) + 4 }
        var answers: [String] = []
        for _ in 0..<(try u16(6)) {
            offset = try skipName(offset)
            let recordType = try u16(offset)
            let length = try u16(offset + 8)
            let data = offset + 10
            guard data + length <= message.count else { throw Failure(description: "truncated record") }
            let rdata = Array(message[data..<data + length])
            offset = data + length
            guard recordType == Int(type.rawValue) else { continue }
            switch type {
            case .txt:
                var text = "", index = 0
                while index < rdata.count {
                    let size = Int(rdata[index])
                    text += String(decoding: rdata[(index + 1)..<min(rdata.count, index + 1 + size)], as: UTF8.self)
                    index += 1 + size
                }
                answers.append(text)
            case .a:
                answers.append(rdata.map(String.init).joined(separator: "."))
            case .aaaa:
                var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                _ = inet_ntop(AF_INET6, rdata, &buffer, socklen_t(buffer.count))
                answers.append(String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
                                      as: UTF8.self))
            }
        }
        return answers
    }
}

/// Reads back what `ACMERig.shellExports` writes.
enum ShellExports {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ text: String) throws -> [String: String] {
        var variables: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("export "), let equals = line.firstIndex(of: "=") else {
                throw Failure(description: "not an export line: \(line)")
            }
            let name = String(line[line.index(line.startIndex, offsetBy: 7)..<equals])
            var value = String(line[line.index(after: equals)...])
            guard value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") else {
                throw Failure(description: "value not single-quoted: \(line)")
            }
            value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "'\\''", with: "'")
            variables[name] = value
        }
        return variables
    }
}

/// Values appended from another thread (a request hook), read by the test.
final class Collected<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])

    func append(_ element: Element) { storage.withLock { $0.append(element) } }

    var all: [Element] { storage.withLock { $0 } }
}
