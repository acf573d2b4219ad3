import Foundation
import GatewayCore
import GatewayCrypto

/// A certificate fresh from the CA, checked against its key and the requested names.
public struct IssuedCertificate: Sendable {
    public var bundle: SecretStore.CertificateBundle
    public var leaf: Certificate
    public var orderURL: String
}

/// Runs one ACME order end to end with DNS-01 (RFC 8555 §7.4): new order, each
/// authorization answered one after another (DuckDNS has one TXT per domain), CSR,
/// finalize, download, verify.
public struct CertificateIssuer: Sendable {
    let acme: ACMEClient
    let resolver: DNSResolver?
    let propagationTimeout: Duration
    let log: Logger

    public init(acme: ACMEClient, resolver: DNSResolver?, propagationTimeout: Duration, log: Logger) {
        self.acme = acme
        self.resolver = resolver
        self.propagationTimeout = propagationTimeout
        self.log = log
    }

    /// `persistOrder` is called with the order and its new key before any challenge is
    /// answered, so a crash leaves a resumable record.
    /// `replaces` is the ARI certificate ID of the certificate this one renews (RFC 9773 §5).
    public func issue(host: HostName, sans: [String], keyType: KeyType, account: ACMEAccount,
                      solver: DNSChallengeSolver, replaces: String? = nil,
                      persistOrder: (ACMEOrder, PrivateKey) throws -> Void) throws -> IssuedCertificate {
        let key = try PrivateKey.generate(keyType.algorithm)
        let order = try acme.newOrder(account: account, dnsNames: sans, replaces: replaces)
        try persistOrder(order, key)
        log.debug("\(host): order \(order.url) (\(order.authorizations.count) authorizations)")
        return try complete(order, key: key, host: host, sans: sans, account: account, solver: solver)
    }

    /// Continues an order a previous run left in flight, from whatever state it is in:
    /// pending (answer the challenges), ready (finalize), processing, or valid (download
    /// the certificate that run did not get to store). An invalid or forgotten order
    /// throws `.orderFailed`; the caller then starts a new one.
    public func resume(orderURL: String, key: PrivateKey, host: HostName, sans: [String], account: ACMEAccount,
                       solver: DNSChallengeSolver) throws -> IssuedCertificate {
        let order: ACMEOrder
        do {
            order = try acme.order(orderURL, account: account)
        } catch let error as ACMEError where error.code != .unreachable && error.code != .timedOut {
            throw ACMEError(.orderFailed, "the in-flight order cannot be resumed: \(error.reason)", url: orderURL)
        }
        guard order.status != "invalid" else {
            throw ACMEError(.orderFailed, "the in-flight order is invalid: \(order.error ?? "no detail")", url: orderURL)
        }
        log.debug("\(host): resuming order \(orderURL) (\(order.status))")
        return try complete(order, key: key, host: host, sans: sans, account: account, solver: solver)
    }

    private func complete(_ order: ACMEOrder, key: PrivateKey, host: HostName, sans: [String], account: ACMEAccount,
                          solver: DNSChallengeSolver) throws -> IssuedCertificate {
        var order = order
        var presented: [String] = []
        defer { cleanUp(presented, host: host, solver: solver) }
        if order.status == "pending" {
            presented = try authorize(order, host: host, account: account, solver: solver)
            // The last challenge is not polled: after the usual validation time the order
            // is finalized, and a CA that is not done yet answers orderNotReady. That saves
            // one request per certificate; the TXT stays up until the order is finalized.
            Thread.sleep(forTimeInterval: acme.validationGrace.seconds)
        }
        if order.status == "pending" || order.status == "ready" {
            let csr = try CertificateSigningRequest.make(key: key, dnsNames: sans)
            do {
                order = try acme.finalize(order, csrDER: csr, account: account)
            } catch let error as ACMEError where error.code == .orderNotReady {
                order = try acme.waitForOrderReady(order.url, account: account)
                if order.status == "ready" { order = try acme.finalize(order, csrDER: csr, account: account) }
            }
        }
        if order.status != "valid" { order = try acme.waitForOrder(order.url, account: account) }
        guard let certificateURL = order.certificate else {
            throw ACMEError(.invalidResponse, "valid order without a certificate URL", url: order.url)
        }
        let chainPEM = try acme.downloadCertificate(certificateURL, account: account)
        let chain = try Certificate.chain(fromPEM: chainPEM)
        guard let leaf = chain.first else { throw ACMEError(.invalidResponse, "empty certificate chain", url: certificateURL) }
        guard leaf.publicKeyMatches(key) else {
            throw ACMEError(.invalidResponse, "the CA returned a certificate for another key", url: certificateURL)
        }
        guard Set(leaf.dnsNames) == Set(sans) else {
            throw ACMEError(.invalidResponse, "certificate names \(leaf.dnsNames) differ from the order \(sans)", url: certificateURL)
        }
        return IssuedCertificate(bundle: .init(privateKeyPEM: try key.pemPKCS8(), chainPEM: chainPEM), leaf: leaf,
                                 orderURL: order.url)
    }

    /// Answers each pending authorization's dns-01 challenge, one after another (one
    /// DuckDNS domain has one TXT value). Every challenge but the last is confirmed before
    /// the TXT changes; the last is confirmed by finalizing. Returns the names presented.
    private func authorize(_ order: ACMEOrder, host: HostName, account: ACMEAccount, solver: DNSChallengeSolver) throws -> [String] {
        let thumbprint = try JSONWebSignature.thumbprint(account.key)
        var presented: [String] = []
        do {
            var pending: [ACMEAuthorization] = []
            for url in order.authorizations {
                let authz = try acme.authorization(url, account: account)
                if authz.status == "valid" { continue }
                guard authz.status == "pending" else {
                    throw ACMEError(.challengeFailed, "\(authz.identifier): authorization \(authz.status): \(authz.failureDetail ?? "no detail")", url: url)
                }
                pending.append(authz)
            }
            for (index, authz) in pending.enumerated() {
                guard let challenge = authz.challenges.first(where: { $0.type == "dns-01" }) else {
                    throw ACMEError(.challengeFailed, "\(authz.identifier): the CA offers no dns-01 challenge", url: authz.url)
                }
                let name = ACMEChallenge.dns01RecordName(for: authz.wildcard ? "*." + authz.identifier : authz.identifier)
                let value = ACMEChallenge.dns01TXTValue(token: challenge.token, accountThumbprint: thumbprint)
                try solver.present(recordName: name, value: value)
                presented.append(name)
                if let resolver {
                    try resolver.waitForTXT(name, value: value, timeout: propagationTimeout)
                }
                let status = try acme.respond(to: challenge, account: account)
                if status != "valid" && index < pending.count - 1 {
                    _ = try acme.waitForAuthorization(authz.url, account: account)
                }
                log.debug("\(host): \(authz.wildcard ? "*." : "")\(authz.identifier) challenge answered")
            }
        } catch {
            cleanUp(presented, host: host, solver: solver)
            throw error
        }
        return presented
    }

    private func cleanUp(_ names: [String], host: HostName, solver: DNSChallengeSolver) {
        for name in Set(names) {
            do { try solver.cleanUp(recordName: name) } catch { log.warning("\(host): could not clear TXT \(name): \(error)") }
        }
    }
}

extension KeyType {
    var algorithm: KeyAlgorithm {
        switch self {
        case .ecP256: .ecP256
        case .ecP384: .ecP384
        case .rsa2048: .rsa(bits: 2048)
        case .rsa3072: .rsa(bits: 3072)
        }
    }
}
