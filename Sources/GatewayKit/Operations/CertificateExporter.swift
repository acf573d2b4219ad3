import Foundation
import GatewayCore
import GatewayCrypto

/// `gateway cert export`: the unwrapped chain and key for a deployment target.
public enum CertificateExporter {
    public static func export(host: HostName, to directory: URL, context: GatewayContext) throws -> (fullchain: URL, key: URL) {
        let records = try context.repository.loadHostRecords()
        guard let record = records[host], record.status != .released else {
            throw RepositoryError(.notFound, "\(host) is not claimed in this repository (see gateway list)")
        }
        guard let bundle = try context.secrets().certificate(owner: record.owner, host: host) else {
            throw RepositoryError(.notFound, "\(host) has no certificate yet (run gateway reconcile)")
        }
        let key = try PrivateKey(pem: bundle.privateKeyPEM)
        guard let leaf = try Certificate.chain(fromPEM: bundle.chainPEM).first, leaf.publicKeyMatches(key) else {
            throw RepositoryError(.invalid, "\(RepositoryLayout.wrappedCertificatePath(owner: record.owner, host: host)): key and certificate do not match")
        }
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let fullchain = directory.appendingPathComponent("fullchain.pem")
        let privkey = directory.appendingPathComponent("privkey.pem")
        do {
            try FileTree.writeAtomically(Data(bundle.chainPEM.utf8), to: fullchain.path, permissions: 0o644)
            try FileTree.writeAtomically(Data(bundle.privateKeyPEM.utf8), to: privkey.path, permissions: 0o600)
        } catch {
            throw RepositoryError(.io, "cannot write \(error.path): \(error.reason)")
        }
        return (fullchain, privkey)
    }
}
