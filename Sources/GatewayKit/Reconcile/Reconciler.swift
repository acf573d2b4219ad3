import Dispatch
import Foundation
import GatewayCore
import GatewayCrypto
import GatewayGit
import Synchronization

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
/// Orders for different DuckDNS domains run in parallel on up to `concurrency` threads;
/// names under one DuckDNS domain share its single TXT record, so their orders run one
/// after another on the same thread.
///
/// Write order per host makes a crash safe: the in-flight order is recorded before any
/// challenge, the wrapped certificate is stored before the ledger points at it, and the
/// commit comes last.
public final class Reconciler {
    let context: GatewayContext
    let snapshot: RepositorySnapshot
    private let declarations: [HostName: Declaration]

    public init(context: GatewayContext, snapshot: RepositorySnapshot) {
        self.context = context
        self.snapshot = snapshot
        self.declarations = Dictionary(snapshot.declarations.map { ($0.host, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func run(_ plan: Plan, concurrency: Int = 8) throws -> ReconcileReport {
        var results: [HostName: HostOutcome.Result] = [:]
        let log = context.log

        // Claims are recorded first (pending), so a failed first order still leaves the claim.
        for action in plan.actions where action.kind == .claim {
            try claim(action)
            if action.mode != .duckdns { results[action.host] = .applied("claimed; waiting for the owner's TXT record") }
        }

        let issuing = plan.actions.filter { $0.kind.issuesCertificate && results[$0.host] == nil }
        let releasing = plan.actions.filter { $0.kind == .release }
        var worker: IssuanceWorker?
        var workerError: String?
        if !issuing.isEmpty || releasing.contains(where: { snapshot.certRecords[$0.host]?.hasCertificate == true }) {
            do {
                worker = try makeWorker()
            } catch {
                // No CA, no KMS key, no account: every host that needed one fails, recorded.
                let message = describe(error)
                workerError = message
                for action in issuing {
                    log.warning("\(action.host): \(action.kind.rawValue) failed: \(message)")
                    try? IssuanceWorker.recordFailure(action, message: message, retryAfter: (error as? ACMEError)?.retryAfter,
                                                      repository: context.repository, now: context.now,
                                                      renewal: snapshot.config.renewal)
                    results[action.host] = .failed(message)
                }
            }
        }
        if let worker {
            for (host, result) in worker.issueAll(issuing.filter { results[$0.host] == nil }, concurrency: max(1, concurrency),
                                                  certRecords: snapshot.certRecords) {
                results[host] = result
            }
        }
        for action in releasing {
            do {
                results[action.host] = .applied(try release(action, worker: worker, workerError: workerError))
            } catch {
                log.warning("\(action.host): release failed: \(describe(error))")
                results[action.host] = .failed(describe(error))
            }
        }

        var outcomes: [HostOutcome] = []
        for action in plan.actions {
            let result = results[action.host] ?? (action.ipChanges.isEmpty ? .unchanged(action.reason) : .applied("recorded addresses"))
            if !action.ipChanges.isEmpty {
                try context.repository.append(RepositoryLayout.ipHistoryPath(action.host), action.ipChanges.map(\.jsonLine).joined())
            }
            outcomes.append(HostOutcome(action: action, result: result))
        }
        let leftovers = Set(try context.uncommittedManagedPaths()).subtracting(context.repository.changedPaths).sorted()
        let commit = try context.commit(paths: (context.repository.changedPaths.union(leftovers)).sorted(),
                                        message: CommitMessage.reconcile(outcomes, leftovers: leftovers))
        return ReconcileReport(plan: plan, outcomes: outcomes, commit: commit)
    }

    private func makeWorker() throws -> IssuanceWorker {
        let config = try context.loadedConfig()
        let acme = try context.acme()
        let secrets = try context.secrets()
        let account = try AccountManager(acme: acme, secrets: secrets, config: config.acme, log: context.log).account()
        return IssuanceWorker(
            repository: context.repository, secrets: secrets, acme: acme,
            issuer: CertificateIssuer(acme: acme, resolver: try context.resolver(),
                                      propagationTimeout: .seconds(config.dns.propagationTimeoutSeconds), log: context.log),
            duckDNS: try context.duckDNS(), account: account, config: config, now: context.now, log: context.log)
    }

    private func claim(_ action: PlannedAction) throws {
        guard let declaration = declarations[action.host] else { return }
        if let previous = snapshot.hostRecords[action.host], previous.status != .released, previous.owner != declaration.owner {
            try context.repository.remove(RepositoryLayout.wrappedCertificatePath(owner: previous.owner, host: action.host))
            try context.repository.remove(RepositoryLayout.certRecordPath(action.host))
        }
        let record = HostRecord(host: action.host, agentID: declaration.agentID, owner: declaration.owner, mode: declaration.mode,
                                status: .pending, claimedAt: context.now)
        try context.repository.write(RepositoryLayout.hostRecordPath(action.host), json: record.json)
    }

    private func release(_ action: PlannedAction, worker: IssuanceWorker?, workerError: String?) throws -> String {
        guard var record = snapshot.hostRecords[action.host] else { return "nothing recorded" }
        var detail = "released"
        let secrets = try context.secrets()
        if snapshot.config.release.revoke, let bundle = try secrets.certificate(owner: record.owner, host: action.host) {
            if let worker {
                detail += "; " + worker.revoke(chainPEM: bundle.chainPEM, reason: .cessationOfOperation, host: action.host)
            } else {
                context.log.warning("\(action.host): not revoked, the CA is not available: \(workerError ?? "unknown error")")
                detail += "; not revoked (CA not available)"
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
}

/// The user-facing text of an error: every Gateway error type describes itself.
func describe(_ error: Error) -> String { "\(error)" }
