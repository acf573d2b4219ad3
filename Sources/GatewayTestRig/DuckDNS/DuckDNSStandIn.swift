import Foundation

/// A test double for DuckDNS that speaks its update API and publishes the records
/// through pebble-challtestsrv, so Pebble's DNS-01 validation sees them.
///
/// `GET {baseURL}/update?domains=alice[,bob]&token=T[&txt=V][&clear=true][&ip=A][&ipv6=B][&verbose=true]`
/// answers `OK` or `KO` (text/plain, HTTP 200) like the real service:
/// - A token must own every requested domain, otherwise `KO` and nothing changes.
///   Domains are subnames (`alice`) or full names (`alice.duckdns.org`); anything
///   else (`_acme-challenge.alice.duckdns.org`) is `KO`, as on the real service.
/// - With a `txt` parameter the request sets that domain's single TXT value
///   (replacing the previous one) or, with `clear=true`, removes it. The value is
///   published at `alice.duckdns.org.` and `_acme-challenge.alice.duckdns.org.`,
///   the name ACME queries for both `alice.duckdns.org` and `*.alice.duckdns.org`.
/// - Without `txt` it updates the A/AAAA records; no `ip` and no `ipv6` means
///   the caller's address, `clear=true` removes both.
/// - `verbose=true` adds lines after `OK`: `OK\n<ip>\n<ipv6>\nUPDATED` (or
///   `NOCHANGE`) for addresses, `OK\n<txt>\nUPDATED` for TXT.
///
/// The real service answers every name under a domain; challtestsrv has no
/// wildcards, so `addSubname(_:of:)` declares the deeper names a test queries.
///
/// For failure tests, `publishTXT = false` accepts TXT updates without publishing them,
/// and `setRequestHook(_:)` runs code after each update (e.g. stop Pebble after the Nth).
public final class DuckDNSStandIn: Sendable {
    private let server: LoopbackHTTPServer
    private let service: DuckDNSService

    /// Starts the stand-in on a free 127.0.0.1 port, writing records through the
    /// pebble-challtestsrv management API at `challengeServerManagementURL`.
    public init(challengeServerManagementURL: String) throws {
        let service = DuckDNSService(dns: ChallengeTestServer(managementURL: challengeServerManagementURL))
        self.service = service
        server = try LoopbackHTTPServer(name: "DuckDNSStandIn") { request in service.respond(to: request) }
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`: what `GATEWAY_DUCKDNS_API` points at (the real one is `https://www.duckdns.org`).
    public var baseURL: String { server.baseURL }

    /// Gives `token` the domains (subnames or `x.duckdns.org`); a domain has one owner, the last registered.
    /// An invalid domain name is a programming error in the test.
    public func register(token: String, domains: [String]) {
        let labels = domains.map { domain in
            guard let label = Self.subname(domain) else {
                preconditionFailure("'\(domain)' is not a DuckDNS domain (a subname like 'alice' or 'alice.duckdns.org')")
            }
            return label
        }
        service.register(token: token, labels: labels)
    }

    /// Makes `subname.<domain>.duckdns.org` (and its `_acme-challenge` name) answer with the
    /// domain's TXT and addresses, as the real service does for every name under a domain.
    public func addSubname(_ subname: String, of domain: String) throws {
        guard let label = Self.subname(domain) else {
            preconditionFailure("'\(domain)' is not a DuckDNS domain")
        }
        try service.addSubname(subname.lowercased(), of: label)
    }

    /// Every update request received, oldest first.
    public var requests: [Request] { service.requests }
    public var requestCount: Int { service.requests.count }
    public var acceptedCount: Int { service.requests.filter(\.accepted).count }
    public var rejectedCount: Int { service.requests.filter { !$0.accepted }.count }

    /// Forgets the request log and restarts the hook's count of TXT updates (accounts and records stay).
    public func clearRequestLog() { service.clearRequestLog() }

    /// Whether accepted TXT updates reach DNS (default true). When false the stand-in
    /// still answers `OK` (and the verbose lines) but writes nothing to challtestsrv and
    /// leaves `txt(of:)` as it was, like a DuckDNS outage that accepts updates and never
    /// serves them: an ACME DNS-01 validation then fails. Address updates still publish.
    public var publishTXT: Bool {
        get { service.publishesTXT }
        set { service.publishesTXT = newValue }
    }

    /// Sets (or with nil removes) a hook called after each `/update` request was handled
    /// and logged, with that request and the number of accepted TXT updates (sets and
    /// clears, this one included) since start or `clearRequestLog()`.
    ///
    /// The hook runs on the stand-in's server thread before the answer is sent, so the
    /// client waits for it: a hook that calls `ACMERig.stopPebble()` after the Nth TXT
    /// update has stopped Pebble before the client can tell Pebble to validate. It may
    /// read the stand-in and change `publishTXT`, but must not call `stop()` (which waits
    /// for this thread) and should finish within the client's timeout.
    public func setRequestHook(_ hook: (@Sendable (DuckDNSStandIn.Request, Int) -> Void)?) {
        service.setRequestHook(hook)
    }

    /// The domain's current TXT value, as the stand-in last published it.
    public func txt(of domain: String) -> String? {
        Self.subname(domain).flatMap { service.txt(of: $0) }
    }

    /// The domain's current addresses, as the stand-in last published them.
    public func addresses(of domain: String) -> (ipv4: String?, ipv6: String?) {
        guard let label = Self.subname(domain) else { return (nil, nil) }
        return service.addresses(of: label)
    }

    /// Stops the HTTP server. Idempotent.
    public func stop() { server.stop() }

    /// The DuckDNS subname of `domain` (`alice` for `alice`, `Alice.duckdns.org`), nil when it is none.
    public static func subname(_ domain: String) -> String? {
        var name = domain.trimmingCharacters(in: .whitespaces).lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if name.hasSuffix(".duckdns.org") { name.removeLast(".duckdns.org".count) }
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        guard !name.isEmpty, name.count <= 63, allowed, !name.hasPrefix("-"), !name.hasSuffix("-") else {
            return nil
        }
        return name
    }

    /// `_acme-challenge.<subname>.duckdns.org.`: where ACME looks for the domain's DNS-01 TXT.
    public static func challengeName(of domain: String) -> String? {
        subname(domain).map { "_acme-challenge.\($0).duckdns.org." }
    }
}
