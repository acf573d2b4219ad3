import Foundation
import GatewayCore
@testable import GatewayHTTP
@testable import GatewayKit
import GatewayTestRig
import Synchronization
import Testing

/// Counts requests per path and answers from a script.
final class BusyCA: Sendable {
    final class Counts: Sendable {
        let byPath = Mutex<[String: Int]>([:])
        let base = Mutex("")
    }
    let counts = Counts()
    let server: LoopbackHTTPServer

    init() throws {
        let counts = self.counts
        server = try LoopbackHTTPServer(name: "busy-ca") { request in
            let n = counts.byPath.withLock { byPath -> Int in
                byPath[request.path, default: 0] += 1
                return byPath[request.path]!
            }
            let root = counts.base.withLock { $0 }
            let nonce: [(name: String, value: String)] = [("Replay-Nonce", "nonce-\(request.path.count)-\(n)")]
            func problem(_ status: Int, _ type: String, retryAfter: String) -> LoopbackHTTPServer.Response {
                .init(status: status, headers: nonce + [("Content-Type", "application/problem+json"), ("Retry-After", retryAfter)],
                      body: Data(#"{"type": "urn:ietf:params:acme:error:\#(type)", "detail": "busy, try later"}"#.utf8))
            }
            switch request.path {
            case "/dir":
                return .json(Data(#"{"newNonce": "\#(root)/nonce", "newAccount": "\#(root)/account", "newOrder": "\#(root)/order"}"#.utf8))
            case "/nonce":
                return .init(status: 200, headers: nonce)
            case "/account":
                if n == 1 { return problem(503, "serverInternal", retryAfter: "1") }
                return .init(status: 200, headers: nonce + [("Location", "\(root)/acct/1"), ("Content-Type", "application/json")],
                             body: Data(#"{"status": "valid"}"#.utf8))
            case "/authz/1":
                let status = n == 1 ? "pending" : "valid"
                return .init(status: 200, headers: nonce + [("Retry-After", "1"), ("Content-Type", "application/json")],
                             body: Data(#"{"status": "\#(status)", "identifier": {"type": "dns", "value": "a.duckdns.org"}, "challenges": []}"#.utf8))
            case "/order":
                return problem(429, "rateLimited", retryAfter: "7200")
            default:
                return .init(status: 404)
            }
        }
        let url = server.baseURL
        counts.base.withLock { $0 = url }
    }

    func count(_ path: String) -> Int { counts.byPath.withLock { $0[path] ?? 0 } }
}

/// Retry-After and rate limits. Pebble sends no Retry-After and has no rate limits, so
/// these run against a small scripted ACME server on loopback that answers like a busy
/// CA: 503 with Retry-After, a pending authorization with Retry-After, 429 rateLimited.
@Suite(.serialized)
struct RetryAfterTests {
    @Test func a503WithRetryAfterIsWaitedOutAndPollingHonoursIt() throws {
        let ca = try BusyCA()
        defer { ca.server.stop() }
        let client = ACMEClient(directoryURL: ca.server.baseURL + "/dir", http: HTTPClient())
        let clock = ContinuousClock()

        let start = clock.now
        let account = try client.registerAccount(key: try .generate(.ecP256), contact: [], eab: nil)
        #expect(account.url == ca.server.baseURL + "/acct/1")
        #expect(ca.count("/account") == 2, "retried once after the 503")
        #expect(clock.now - start >= .seconds(1), "waited the Retry-After second")

        let pollStart = clock.now
        let authz = try client.waitForAuthorization(ca.server.baseURL + "/authz/1", account: account)
        #expect(authz.status == "valid")
        #expect(ca.count("/authz/1") == 2)
        #expect(clock.now - pollStart >= .seconds(1), "the second poll waited for Retry-After, not the 100 ms default")

        let error = try #require(throws: ACMEError.self) { try client.newOrder(account: account, dnsNames: ["a.duckdns.org"]) }
        #expect(error.code == .rateLimited)
        #expect(error.retryAfter == 7200)
        #expect(ca.count("/order") == 1, "a long Retry-After is not waited out inside the run")
    }

    @Test func rateLimitedBacksOffAtLeastAsLongAsTheCAAsks() throws {
        let ca = try BusyCA()
        defer { ca.server.stop() }
        let repo = try ScratchRepository(rig: nil)
        repo.environment["GATEWAY_ACME_DIRECTORY"] = ca.server.baseURL + "/dir"
        #expect(repo.gateway("init").status == 0)
        try repo.declare(owner: "alice", host: "limited.duckdns.org")
        #expect(repo.gateway("duckdns", "set-token", "--owner", "alice", stdin: "t").status == 0)

        let now = Timestamp(rfc3339: "2026-12-04T12:00:00Z")!
        let run = repo.gateway("reconcile", now: now.rfc3339)
        #expect(run.status == 1)
        #expect(run.stderr.contains("rateLimited"), "\(run.stderr)")
        let record = try #require(try repo.certRecord("limited.duckdns.org"))
        #expect(record.failures?.nextAttemptAt == now.adding(seconds: 7200), "Retry-After (2 h) beats the first backoff step (1 h)")
        #expect(repo.gateway("plan", now: now.adding(seconds: 7199).rfc3339).stdout.contains("backing off"))
    }
}
