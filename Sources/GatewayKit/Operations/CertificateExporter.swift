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
        try writeAtomically(Data(bundle.chainPEM.utf8), to: fullchain, permissions: 0o644)
        try writeAtomically(Data(bundle.privateKeyPEM.utf8), to: privkey, permissions: 0o600)
        return (fullchain, privkey)
    }

    /// The key is created 0600 from the start (never world-readable, even briefly).
    private static func writeAtomically(_ data: Data, to url: URL, permissions: Int) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try? FileManager.default.removeItem(at: temporary)
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: permissions]) else {
            throw RepositoryError(.io, "cannot write \(url.path)")
        }
        guard rename(temporary.path, url.path) == 0 else { throw RepositoryError(.io, "cannot write \(url.path)") }
    }
}
