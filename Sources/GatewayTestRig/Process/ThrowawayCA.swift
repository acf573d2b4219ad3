import Foundation

/// A one-off certificate authority and the TLS server certificate Pebble presents,
/// made with the `openssl` command line tool.
///
/// Go refuses a server certificate without a subject alternative name, so the
/// certificate names both `IP:127.0.0.1` and `DNS:localhost`.
struct ThrowawayCA: Sendable {
    /// PEM of the CA: the bundle clients trust to reach Pebble.
    let certificatePath: String
    let serverCertificatePath: String
    let serverKeyPath: String

    static let configuration = """
        [req]
        distinguished_name = dn
        prompt = no

        [dn]
        CN = Gateway test rig

        [ca_ext]
        basicConstraints = critical, CA:TRUE
        keyUsage = critical, keyCertSign, cRLSign
        subjectKeyIdentifier = hash

        [server_ext]
        basicConstraints = critical, CA:FALSE
        keyUsage = critical, digitalSignature
        extendedKeyUsage = serverAuth
        subjectAltName = IP:127.0.0.1, DNS:localhost
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        """

    static func create(in directory: URL, openssl: Tool) throws -> ThrowawayCA {
        let tls = directory.appendingPathComponent("tls", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: tls, withIntermediateDirectories: true)
            try configuration.write(to: tls.appendingPathComponent("openssl.cnf"), atomically: true, encoding: .utf8)
        } catch {
            throw RigError(code: .fileSystem, reason: "cannot write \(tls.path)/openssl.cnf: \(error)")
        }
        let file = { (name: String) in tls.appendingPathComponent(name).path }
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let logPath = directory.appendingPathComponent("openssl.log").path
        let steps: [[String]] = [
            ["req", "-x509", "-config", file("openssl.cnf"), "-extensions", "ca_ext",
             "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "30",
             "-subj", "/CN=Gateway test rig CA \(tag)"],
            ["req", "-new", "-config", file("openssl.cnf"),
             "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", file("pebble.key"), "-out", file("pebble.csr"), "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", file("pebble.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
             "-set_serial", "0x" + String(UInt64.random(in: 1...UInt64.max >> 1), radix: 16),
             "-days", "30", "-extfile", file("openssl.cnf"), "-extensions", "server_ext",
             "-out", file("pebble.pem")],
        ]
        for arguments in steps {
            try ChildProcess.run(name: "openssl", executable: openssl.path, arguments: arguments,
                                 logPath: logPath, currentDirectory: tls)
        }
        return ThrowawayCA(certificatePath: file("ca.pem"), serverCertificatePath: file("pebble.pem"),
                           serverKeyPath: file("pebble.key"))
    }
}
