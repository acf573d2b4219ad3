import Dispatch
import Foundation
import GatewayCore
import GatewayCrypto
import Synchronization

/// Issues and renews certificates for a batch of hosts, in parallel where DNS allows,
/// and records each result in the repository. Every dependency is `Sendable` and every
/// host writes only its own files, so worker threads share nothing else.
struct IssuanceWorker: Sendable {
    let repository: ManagedRepository
    let secrets: SecretStore
    let acme: ACMEClient
    let issuer: CertificateIssuer
    let duckDNS: DuckDNSClient
    let account: ACMEAccount
    let config: RepoConfig
    let now: Timestamp
    let log: Logger

    enum RevocationReason: Int { case superseded = 4, cessationOfOperation = 5 }

    /// Runs `actions` on up to `concurrency` threads; actions under one DuckDNS domain
    /// stay on one thread, in plan order.
    func issueAll(_ actions: [PlannedAction], concurrency: Int, certRecords: [HostName: CertRecord]) -> [HostName: HostOutcome.Result] {
        var groups: [[PlannedAction]] = []
        var groupOfDomain: [String: Int] = [:]
        for action in actions {
            let domain = action.host.duckDNSDomain ?? action.host.value
            if let index = groupOfDomain[domain] {
                groups[index].append(action)
            } else {
                groupOfDomain[domain] = groups.count
                groups.append([action])
            }
        }
        let results = Mutex<[HostName: HostOutcome.Result]>([:])
        let next = Atomic<Int>(0)
        let threads = min(concurrency, groups.count)
        let done = DispatchGroup()
        let frozen = groups
        for _ in 0..<threads {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                while true {
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < frozen.count else { return }
                    for action in frozen[index] {
                        let result = issue(action, previous: certRecords[action.host])
                        results.withLock { $0[action.host] = result }
                    }
                }
            }
        }
        done.wait()
        return results.withLock { $0 }
    }

    /// One host: order, validate, store, record. Failures are recorded with backoff.
    func issue(_ action: PlannedAction, previous: CertRecord?) -> HostOutcome.Result {
        do {
            let detail = try issueOrThrow(action, previous: previous)
            log.info("\(action.kind.rawValue) \(action.host): \(detail)")
            return .applied(detail)
        } catch {
            let message = describe(error)
            log.warning("\(action.host): \(action.kind.rawValue) failed: \(message)")
            do {
                try Self.recordFailure(action, message: message, retryAfter: (error as? ACMEError)?.retryAfter,
                                       repository: repository, now: now, renewal: config.renewal)
            } catch {
                log.warning("\(action.host): could not record the failure: \(describe(error))")
            }
            return .failed(message)
        }
    }

    private func issueOrThrow(_ action: PlannedAction, previous: CertRecord?) throws -> String {
        guard action.mode == .duckdns, let domain = action.host.duckDNSDomain else {
            throw RepositoryError(.refused, "custom domains are issued with gateway acme start/finish")
        }
        guard let token = try secrets.duckDNSToken(owner: action.owner) else {
            throw RepositoryError(.notFound, "no DuckDNS token for owner \(action.owner) (gateway duckdns set-token --owner \(action.owner))")
        }
        let superseded = config.renewal.revokeSuperseded && previous?.hasCertificate == true
            ? try secrets.certificate(owner: action.owner, host: action.host) : nil
        let solver = DuckDNSSolver(client: duckDNS, domain: domain, token: token)
        let replaces = action.kind == .renew ? previous?.ari?.certID : nil
        let issued = try obtain(action, solver: solver, replaces: replaces)

        // 1. the secret, 2. the ledger that points at it.
        let wrapped = try secrets.storeCertificate(issued.bundle, owner: action.owner, host: action.host)
        let leaf = issued.leaf
        let notBefore = Timestamp(leaf.notBefore), notAfter = Timestamp(leaf.notAfter)
        var record = CertRecord(host: action.host, serial: leaf.serialNumberHex, sans: leaf.dnsNames, key: action.key,
                                issuer: leaf.issuerName, notBefore: notBefore, notAfter: notAfter, sha256: leaf.sha256Fingerprint,
                                issuedAt: now,
                                renewAt: RenewalPolicy.renewAt(notBefore: notBefore, notAfter: notAfter, beforeDays: config.renewal.beforeDays),
                                orderURL: issued.orderURL, wrapped: wrapped)
        if config.renewal.ari, let certID = Self.ariCertificateID(leaf) {
            do {
                if let info = try acme.renewalInfo(certID: certID) {
                    var generator = SystemRandomNumberGenerator()
                    record.apply(info, certID: certID, now: now, generator: &generator)
                }
            } catch {
                log.warning("\(action.host): renewalInfo unavailable, renewing on the default schedule: \(describe(error))")
            }
        }
        try repository.write(RepositoryLayout.certRecordPath(action.host), json: record.json)

        let hostPath = RepositoryLayout.hostRecordPath(action.host)
        if var host = repository.readJSON(hostPath).flatMap({ try? HostRecord(json: $0, file: hostPath) }),
           host.status != .verified {
            host.status = .verified
            host.verifiedAt = now
            host.verifiedBy = .duckdnsToken
            try repository.write(hostPath, json: host.json)
        }
        var detail = "issued serial \(leaf.serialNumberHex) for \(leaf.dnsNames.joined(separator: ", ")), expires \(notAfter.day)"
        if let superseded {
            detail += "; previous " + revoke(chainPEM: superseded.chainPEM, reason: .superseded, host: action.host)
        }
        return detail
    }

    /// Resumes the host's in-flight order when there is one, else orders anew. Order files
    /// are removed once the certificate is stored or the order is dead; a transient failure
    /// (CA unreachable, timeout) keeps them so the next run resumes instead of re-ordering.
    private func obtain(_ action: PlannedAction, solver: DuckDNSSolver, replaces: String?) throws -> IssuedCertificate {
        var orderPaths: [String] = []
        var keepOrders = false
        defer { if !keepOrders { for path in orderPaths { try? repository.remove(path) } } }
        do {
            for (path, order) in try secrets.orders(owner: action.owner, host: action.host) {
                orderPaths.append(path)
                guard order.accountURL == account.url, Set(order.sans) == Set(action.sans) else { continue }
                do {
                    return try issuer.resume(orderURL: order.orderURL, key: try PrivateKey(pem: order.keyPEM), host: action.host,
                                             sans: action.sans, account: account, solver: solver)
                } catch let error as ACMEError where error.code == .orderFailed || error.code == .challengeFailed {
                    log.info("\(action.host): \(error.reason); ordering anew")
                }
            }
            return try issuer.issue(host: action.host, sans: action.sans, keyType: action.key, account: account, solver: solver,
                                    replaces: replaces) { order, key in
                orderPaths.append(try secrets.storeOrder(.init(host: action.host, orderURL: order.url, accountURL: account.url,
                                                               sans: action.sans, keyPEM: try key.pemPKCS8(), createdAt: now),
                                                         owner: action.owner))
            }
        } catch let error as ACMEError where error.code == .unreachable || error.code == .timedOut {
            keepOrders = true
            throw error
        }
    }

    /// Revokes the leaf of `chainPEM` with the account key. A failure is a warning: the
    /// host's new state matters more than the old certificate.
    func revoke(chainPEM: String, reason: RevocationReason, host: HostName) -> String {
        do {
            let leaf = try Certificate(pem: chainPEM)
            try acme.revoke(certificateDER: leaf.derBytes, reason: reason.rawValue, account: account)
            return "certificate \(leaf.serialNumberHex) revoked"
        } catch {
            log.warning("\(host): revocation failed: \(describe(error))")
            return "revocation failed"
        }
    }

    /// RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial DER content).
    static func ariCertificateID(_ certificate: Certificate) -> String? {
        certificate.authorityKeyIdentifier.map { ariCertificateID(authorityKeyIdentifier: $0, serial: certificate.serialNumberBytes) }
    }

    static func ariCertificateID(authorityKeyIdentifier: Data, serial: Data) -> String {
        Base64.urlEncode(authorityKeyIdentifier) + "." + Base64.urlEncode(serial)
    }

    /// Counts the failure in the host's certificate record and schedules the next attempt:
    /// `retry_initial_s` doubling up to `retry_max_s` (cert-manager's 1 h → 32 h by default),
    /// and never sooner than the CA's Retry-After.
    static func recordFailure(_ action: PlannedAction, message: String, retryAfter: Int?, repository: ManagedRepository,
                              now: Timestamp, renewal: RepoConfig.Renewal) throws {
        guard action.kind.issuesCertificate else { return }
        let path = RepositoryLayout.certRecordPath(action.host)
        var record = repository.readJSON(path).flatMap { try? CertRecord(json: $0, file: path) }
            ?? CertRecord(host: action.host, sans: action.sans, key: action.key)
        let count = (record.failures?.count ?? 0) + 1
        let delay = RetrySchedule(initial: renewal.retryInitialSeconds, maximum: renewal.retryMaxSeconds).delay(afterFailures: count)
        let wait = max(Int64(delay), Int64(retryAfter ?? 0))
        record.failures = .init(count: count, lastError: String(message.prefix(500)), nextAttemptAt: now.adding(seconds: wait))
        try repository.write(path, json: record.json)
    }
}

extension CertRecord {
    /// Takes the CA's window: renew at a random instant inside it; ask again after Retry-After
    /// (6 hours when the CA gives none).
    mutating func apply<G: RandomNumberGenerator>(_ info: RenewalInfo, certID: String, now: Timestamp, generator: inout G) {
        let next = now.adding(seconds: Int64(info.retryAfter ?? 6 * 3600))
        ari = .init(start: info.start, end: info.end, checkedAt: now, certID: certID, nextCheckAt: next)
        renewAt = info.randomInstant(using: &generator)
    }
}
