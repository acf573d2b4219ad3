import Foundation
import GatewayCrypto
import Testing

@Suite("CertificateSigningRequest")
struct CertificateSigningRequestTests {
    static let names = ["a.example.org", "*.a.example.org"]

    @Test("the openssl CLI reads and verifies the CSR", arguments: [
        (KeyAlgorithm.ecP256, "ecdsa-with-SHA256"), (.ecP384, "ecdsa-with-SHA384"), (.rsa(bits: 2048), "sha256WithRSAEncryption"),
    ])
    func opensslVerifies(algorithm: KeyAlgorithm, signatureAlgorithm: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try PrivateKey.generate(algorithm)
        let csr = try CertificateSigningRequest.make(key: key, dnsNames: Self.names)
        try directory.write(csr, to: "csr.der")

        let output = try OpenSSLTool.run(
            ["req", "-inform", "DER", "-in", "csr.der", "-noout", "-text", "-verify"], in: directory.url)
        #expect(output.status == 0, "\(output.combined)")
        #expect(output.combined.contains("verify OK"))
        #expect(output.combined.contains("DNS:a.example.org, DNS:*.a.example.org"))
        #expect(output.combined.contains("Subject: CN = a.example.org"))
        #expect(output.combined.contains("Signature Algorithm: \(signatureAlgorithm)"))
        #expect(!output.combined.contains("critical"))

        // The request carries this key's public key.
        try directory.write(try key.publicKeyDER(), to: "pub.der")
        let requestKey = try OpenSSLTool.check(
            ["req", "-inform", "DER", "-in", "csr.der", "-noout", "-pubkey"], in: directory.url)
        let ownKey = try OpenSSLTool.check(["pkey", "-pubin", "-inform", "DER", "-in", "pub.der"], in: directory.url)
        #expect(requestKey.standardOutput == ownKey.standardOutput)
    }

    @Test("a tampered CSR fails the openssl CLI's verification")
    func tamperedFails() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try PrivateKey.generate(.ecP256)
        let csr = try CertificateSigningRequest.make(key: key, dnsNames: Self.names)
        // Change a letter of "a.example.org" inside the signed part.
        let range = try #require(csr.range(of: Data("a.example.org".utf8)))
        var tampered = csr
        tampered[range.lowerBound] = UInt8(ascii: "b")
        try directory.write(tampered, to: "csr.der")
        let output = try OpenSSLTool.run(
            ["req", "-inform", "DER", "-in", "csr.der", "-noout", "-verify"], in: directory.url)
        #expect(!output.combined.contains("verify OK"))
        #expect(output.combined.lowercased().contains("verify failure"))
    }

    @Test("a first name longer than 64 bytes goes only into a critical subjectAltName")
    func longName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let long = String(repeating: "a", count: 60) + ".example.org"
        let key = try PrivateKey.generate(.ecP256)
        try directory.write(try CertificateSigningRequest.make(key: key, dnsNames: [long]), to: "csr.der")
        let output = try OpenSSLTool.run(
            ["req", "-inform", "DER", "-in", "csr.der", "-noout", "-text", "-verify"], in: directory.url)
        #expect(output.status == 0, "\(output.combined)")
        #expect(output.combined.contains("verify OK"))
        #expect(output.combined.contains("X509v3 Subject Alternative Name: critical"))
        #expect(output.combined.contains("DNS:\(long)"))
        #expect(!output.combined.contains("CN = "))
    }

    @Test("no names, or names that are not printable ASCII, are refused", arguments: [
        [], [""], ["a b.example.org"], ["bücher.example"], ["ok.example.org", "tab\t.example.org"],
    ])
    func invalidNames(names: [String]) throws {
        let key = try PrivateKey.generate(.ecP256)
        #expect(throws: CryptoError(.csr, reason: "")) {
            try CertificateSigningRequest.make(key: key, dnsNames: names)
        }
    }
}
