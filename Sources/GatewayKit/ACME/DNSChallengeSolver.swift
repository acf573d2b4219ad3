import Foundation
import GatewayCore

/// Publishes and removes DNS-01 TXT values for one host's order.
public protocol DNSChallengeSolver {
    /// Makes `value` the TXT answer of `recordName` (e.g. `_acme-challenge.alice.duckdns.org`).
    func present(recordName: String, value: String) throws
    /// Removes what `present` published.
    func cleanUp(recordName: String) throws
}

/// DuckDNS: one TXT value per DuckDNS domain, set through the update API with the
/// owner's token. Names under one domain must therefore be validated one at a time.
public struct DuckDNSSolver: DNSChallengeSolver {
    public let client: DuckDNSClient
    public let domain: String
    public let token: String

    public func present(recordName: String, value: String) throws {
        try client.setTXT(domain: domain, value: value, token: token)
    }

    public func cleanUp(recordName: String) throws {
        try client.clearTXT(domain: domain, token: token)
    }
}
