import Foundation
import GatewayCrypto

/// A throwaway PKI made with the `openssl` CLI: root CA → intermediate CA → leaf,
/// plus an unrelated root. Call `remove()` in `defer`.
struct TestPKI {
    static let leafSerialHex = "8badf00ddeadbeef01"  // high bit set: DER content gets a leading 0x00
    static let leafNames = ["leaf.example.org", "*.leaf.example.org"]
    static let leafValidityDays = 30

    let directory: TemporaryDirectory
    let root: Certificate
    let intermediate: Certificate
    let leaf: Certificate
    let otherRoot: Certificate
    /// The leaf's key, written by `openssl ecparam` in traditional `EC PRIVATE KEY` form.
    let leafKey: PrivateKey
    let intermediateKey: PrivateKey
    /// When the fixture was made (the leaf's notBefore is about now).
    let createdAt: Date

    static func make() throws -> TestPKI {
        let directory = try TemporaryDirectory()
        do {
            return try make(in: directory)
        } catch {
            directory.remove()
            throw error
        }
    }

    private static func make(in directory: TemporaryDirectory) throws -> TestPKI {
        let createdAt = Date()
        try directory.write(
            """
            [ req ]
            distinguished_name = dn
            [ dn ]
            [ root_ext ]
            basicConstraints = critical, CA:TRUE
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            [ intermediate_ext ]
            basicConstraints = critical, CA:TRUE, pathlen:0
            keyUsage = critical, keyCertSign, cRLSign
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid:always
            [ leaf_ext ]
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth
            subjectKeyIdentifier = hash
            authorityKeyIdentifier = keyid:always
            subjectAltName = \(leafNames.map { "DNS:\($0)" }.joined(separator: ", "))

            """, to: "pki.cnf")
        let dir = directory.url
        func ecKey(_ name: String) throws {
            try OpenSSLTool.check(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name], in: dir)
        }
        func selfSigned(key: String, subject: String, out: String) throws {
            try OpenSSLTool.check(
                ["req", "-x509", "-new", "-config", "pki.cnf", "-extensions", "root_ext", "-key", key,
                 "-subj", subject, "-days", "3650", "-sha256", "-out", out], in: dir)
        }
        func issue(key: String, subject: String, caCert: String, caKey: String, serial: String,
                   days: Int, extensions: String, out: String) throws {
            try OpenSSLTool.check(
                ["req", "-new", "-config", "pki.cnf", "-key", key, "-subj", subject, "-out", "\(out).csr"], in: dir)
            try OpenSSLTool.check(
                ["x509", "-req", "-in", "\(out).csr", "-CA", caCert, "-CAkey", caKey, "-set_serial", serial,
                 "-days", String(days), "-sha256", "-extfile", "pki.cnf", "-extensions", extensions, "-out", out],
                in: dir)
        }

        try ecKey("root.key")
        try selfSigned(key: "root.key", subject: "/CN=Gateway Test Root", out: "root.pem")
        try ecKey("other-root.key")
        try selfSigned(key: "other-root.key", subject: "/CN=Gateway Test Root", out: "other-root.pem")
        try ecKey("intermediate.key")
        try issue(key: "intermediate.key", subject: "/C=US/O=Gateway Tests/CN=Gateway Test Intermediate",
                  caCert: "root.pem", caKey: "root.key", serial: "0x1001", days: 1825,
                  extensions: "intermediate_ext", out: "intermediate.pem")
        try OpenSSLTool.check(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "leaf.key"], in: dir)
        try issue(key: "leaf.key", subject: "/CN=\(leafNames[0])", caCert: "intermediate.pem",
                  caKey: "intermediate.key", serial: "0x\(leafSerialHex.uppercased())", days: leafValidityDays,
                  extensions: "leaf_ext", out: "leaf.pem")

        return TestPKI(
            directory: directory,
            root: try Certificate(pem: directory.read("root.pem")),
            intermediate: try Certificate(pem: directory.read("intermediate.pem")),
            leaf: try Certificate(pem: directory.read("leaf.pem")),
            otherRoot: try Certificate(pem: directory.read("other-root.pem")),
            leafKey: try PrivateKey(pem: directory.read("leaf.key")),
            intermediateKey: try PrivateKey(pem: directory.read("intermediate.key")),
            createdAt: createdAt)
    }

    func remove() { directory.remove() }

    /// Runs `openssl arguments…` in the fixture directory.
    @discardableResult
    func openssl(_ arguments: [String]) throws -> ToolOutput {
        try OpenSSLTool.check(arguments, in: directory.url)
    }
}
