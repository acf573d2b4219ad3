import Foundation
import GatewayCore
import GatewayCrypto

/// Before planning, asks the CA's ARI endpoint (RFC 9773) for the renewal window of
/// every certificate whose last answer is due for a refresh, and moves `renew_at` into
/// the window. Best effort: a CA without ARI, or one that cannot be reached, leaves the
/// records as they are (the default schedule applies).
public struct RenewalInfoRefresher {
    let context: GatewayContext

    public init(context: GatewayContext) { self.context = context }

    /// Returns the snapshot with refreshed certificate records (also written to the repository).
    public func refresh(_ snapshot: RepositorySnapshot) -> RepositorySnapshot {
        guard snapshot.config.renewal.ari else { return snapshot }
        let due = snapshot.certRecords.values.filter { record in
            guard record.hasCertificate, snapshot.hostRecords[record.host]?.status == .verified else { return false }
            return record.ari.map { context.now >= $0.nextCheckAt } ?? true
        }.sorted { $0.host < $1.host }
        guard !due.isEmpty else { return snapshot }
        let acme: ACMEClient
        do {
            acme = try context.acme()
            guard try acme.directory().renewalInfo != nil else { return snapshot }
        } catch {
            context.log.debug("ARI not checked: \(error)")
            return snapshot
        }
        var updated = snapshot
        var generator = SystemRandomNumberGenerator()
        for var record in due {
            do {
                guard let certID = try record.ari?.certID ?? certificateID(of: record, snapshot) else { continue }
                guard let info = try acme.renewalInfo(certID: certID) else { return updated }
                let before = record.renewAt
                let sameWindow = record.ari.map { $0.start == info.start && $0.end == info.end } ?? false
                record.apply(info, certID: certID, now: context.now, generator: &generator)
                // Keep the instant already drawn while the window stays the same.
                if sameWindow, let before { record.renewAt = before }
                try context.repository.write(RepositoryLayout.certRecordPath(record.host), json: record.json)
                updated.certRecords[record.host] = record
                context.log.debug("\(record.host): ARI window \(info.start)…\(info.end), renew at \(record.renewAt!)")
            } catch {
                context.log.warning("\(record.host): renewalInfo failed, keeping renew_at: \(error)")
            }
        }
        return updated
    }

    private func certificateID(of record: CertRecord, _ snapshot: RepositorySnapshot) throws -> String? {
        guard let owner = snapshot.hostRecords[record.host]?.owner,
              let bundle = try context.secrets().certificate(owner: owner, host: record.host) else { return nil }
        return IssuanceWorker.ariCertificateID(try Certificate(pem: bundle.chainPEM))
    }
}
