import Foundation
import GatewayCore
import GatewayCrypto
import GatewayGit

/// What happened to one host in a reconcile run.
public struct HostOutcome: Sendable {
    public enum Result: Sendable, Equatable {
        case applied(String)
        case unchanged(String)
        case failed(String)
    }
    public var action: PlannedAction
    public var result: Result

    public var failed: Bool { if case .failed = result { true } else { false } }
}

public struct ReconcileReport: Sendable {
    public var plan: Plan
    public var outcomes: [HostOutcome]
    public var commit: GitCommitInfo?
    public var failures: Int { outcomes.filter(\.failed).count }
}

/// Applies a plan: issues, renews and releases through ACME, writes the wrapped files
/// and the ledger, and ends with exactly one commit (none when nothing changed).
///
/// Write order per host makes a crash safe: the wrapped certificate is stored before
/// the ledger points at it, and the in-flight order is recorded before any challenge.
public final class Reconciler {
    let context: GatewayContext
    let snapshot: RepositorySnapshot
    private let declarations: [HostName: Declaration]
    private var account: ACMEAccount?

    public init(context: GatewayContext, snapshot: RepositorySnapshot) {
        self.context = context
        self.snapshot = snapshot
        self.declarations = Dictionary(snapshot.declarations.map { ($0.host, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func run(_ plan: Plan) throws -> ReconcileReport {
        var outcomes: [HostOutcome] = []
        for action in plan.actions {
            let result: HostOutcome.Result
            do {
                result = try apply(action)
                if case let .applied(detail) = result { context.log.info("\(action.kind.rawValue) \(action.host): \(detail)") }
            } catch {
                let message = Self.describe(error)
                context.log.warning("\(action.host): \(action.kind.rawValue) failed: \(message)")
                try recordFailure(action, message: message)
                result = .failed(message)
            }
            if !action.ipChanges.isEmpty {
                let path = RepositoryLayout.ipHistoryPath(action.host)
                try context.repository.append(path, action.ipChanges.map(\.jsonLine).joined())
            }
            outcomes.append(HostOutcome(action: action, result: result))
        }
        let commit = try context.commitChanges(message: CommitMessage.reconcile(outcomes))
        return ReconcileReport(plan: plan, outcomes: outcomes, commit: commit)
    }

    private func apply(_ action: PlannedAction) throws -> HostOutcome.Result {
        switch action.kind {
        case .noop, .recordIPs:
            return action.ipChanges.isEmpty ? .unchanged(action.reason) : .applied("recorded addresses")
        case .awaitOwner:
            return .unchanged(action.reason)
        case .claim:
            try claim(action)
            guard action.mode == .duckdns else { return .applied("claimed; waiting for the owner's TXT record") }
            return .applied(try issue(action))
        case .verify, .issue, .renew, .resume, .finish:
            return .applied(try issue(action))
        case .release:
            return .applied(try release(action))
        }
    }

    private func declaration(_ host: HostName) -> Declaration? { declarations[host] }

    private func claim(_ action: PlannedAction) throws {
        guard let declaration = declaration(action.host) else { return }
        if let previous = snapshot.hostRecords[action.host], previous.status != .released, previous.owner != declaration.owner {
            try context.repository.remove(RepositoryLayout.wrappedCertificatePath(owner: previous.owner, host: action.host))
            try context.repository.remove(RepositoryLayout.certRecordPath(action.host))
        }
        let record = HostRecord(host: action.host, agentID: declaration.agentID, owner: declaration.owner, mode: declaration.mode,
                                status: .pending, claimedAt: context.now)
        try context.repository.write(RepositoryLayout.hostRecordPath(action.host), json: record.json)
    }

    private func acmeAccount() throws -> ACMEAccount {
        if let account { return account }
        let config = try context.loadedConfig()
        let made = try AccountManager(acme: try context.acme(), secrets: try context.secrets(), config: config.acme,
                                      log: context.log).account()
        account = made
        return made
    }

    /// Issues (or renews) the host's certificate through DNS-01.
    private func issue(_ action: PlannedAction) throws -> String {
        guard action.mode == .duckdns, let domain = action.host.duckDNSDomain else {
            throw RepositoryError(.refused, "custom domains are issued with gateway acme start/finish")
        }
        let secrets = try context.secrets()
        guard let token = try secrets.duckDNSToken(owner: action.owner) else {
            throw RepositoryError(.notFound, "no DuckDNS token for owner \(action.owner) (gateway duckdns set-token --owner \(action.owner))")
        }
        let config = try context.loadedConfig()
        let account = try acmeAccount()
        let issuer = CertificateIssuer(acme: try context.acme(), resolver: try context.resolver(),
                                       propagationTimeout: .seconds(config.dns.propagationTimeoutSeconds), log: context.log)
        let solver = DuckDNSSolver(client: try context.duckDNS(), domain: domain, token: token)
        var orderPath: String?
        defer { if let orderPath { try? context.repository.remove(orderPath) } }
        let issued = try issuer.issue(host: action.host, sans: action.sans, keyType: action.key, account: account, solver: solver) { order, key in
            orderPath = try secrets.storeOrder(.init(host: action.host, orderURL: order.url, accountURL: account.url, sans: action.sans,
                                                     keyPEM: try key.pemPKCS8(), createdAt: context.now), owner: action.owner)
        }

        // 1. the secret, 2. the ledger that points at it.
        let wrapped = try secrets.storeCertificate(issued.bundle, owner: action.owner, host: action.host)
        let leaf = issued.leaf
        let notBefore = Timestamp(leaf.notBefore), notAfter = Timestamp(leaf.notAfter)
        let record = CertRecord(host: action.host, serial: leaf.serialNumberHex, sans: leaf.dnsNames, key: action.key,
                                issuer: leaf.issuerName, notBefore: notBefore, notAfter: notAfter, sha256: leaf.sha256Fingerprint,
                                issuedAt: context.now,
                                renewAt: RenewalPolicy.renewAt(notBefore: notBefore, notAfter: notAfter, beforeDays: config.renewal.beforeDays),
                                orderURL: issued.orderURL, wrapped: wrapped)
        try context.repository.write(RepositoryLayout.certRecordPath(action.host), json: record.json)

        if var host = currentHostRecord(action.host) ?? snapshot.hostRecords[action.host], host.status != .verified || host.owner != action.owner {
            host.status = .verified
            host.verifiedAt = context.now
            host.verifiedBy = .duckdnsToken
            try context.repository.write(RepositoryLayout.hostRecordPath(action.host), json: host.json)
        }
        return "issued serial \(leaf.serialNumberHex) for \(leaf.dnsNames.joined(separator: ", ")), expires \(notAfter.day)"
    }

    /// The host record as written so far in this run (a claim rewrites it).
    private func currentHostRecord(_ host: HostName) -> HostRecord? {
        guard let data = context.repository.read(RepositoryLayout.hostRecordPath(host)),
              let json = try? JSONParser.parse(data) else { return nil }
        return try? HostRecord(json: json, file: RepositoryLayout.hostRecordPath(host))
    }

    private func release(_ action: PlannedAction) throws -> String {
        guard var record = snapshot.hostRecords[action.host] else { return "nothing recorded" }
        let config = try context.loadedConfig()
        var detail = "released"
        let secrets = try context.secrets()
        if config.release.revoke, let bundle = try secrets.certificate(owner: record.owner, host: action.host) {
            do {
                let leaf = try Certificate(pem: bundle.chainPEM)
                try context.acme().revoke(certificateDER: leaf.derBytes, reason: 5, account: try acmeAccount())
                detail += "; certificate \(leaf.serialNumberHex) revoked"
            } catch {
                context.log.warning("\(action.host): revocation failed, releasing anyway: \(Self.describe(error))")
                detail += "; revocation failed"
            }
        }
        try context.repository.remove(RepositoryLayout.wrappedCertificatePath(owner: record.owner, host: action.host))
        try context.repository.remove(RepositoryLayout.certRecordPath(action.host))
        for (path, _) in (try? secrets.orders(owner: record.owner, host: action.host)) ?? [] {
            try context.repository.remove(path)
        }
        record.status = .released
        record.releasedAt = context.now
        try context.repository.write(RepositoryLayout.hostRecordPath(action.host), json: record.json)
        return detail
    }

    /// Counts the failure in the host's certificate record and schedules the next
    /// attempt: 1 hour, doubling up to 32 hours (cert-manager's backoff).
    private func recordFailure(_ action: PlannedAction, message: String) throws {
        guard action.kind.issuesCertificate else { return }
        let path = RepositoryLayout.certRecordPath(action.host)
        var record = (context.repository.read(path).flatMap { try? JSONParser.parse($0) }).flatMap { try? CertRecord(json: $0, file: path) }
            ?? CertRecord(host: action.host, sans: action.sans, key: action.key)
        let count = (record.failures?.count ?? 0) + 1
        let delay = Int64(3600) << Int64(min(count - 1, 5))
        record.failures = .init(count: count, lastError: String(message.prefix(500)), nextAttemptAt: context.now.adding(seconds: delay))
        try context.repository.write(path, json: record.json)
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let error as CustomStringConvertible: error.description
        default: "\(error)"
        }
    }
}
