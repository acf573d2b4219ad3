import Foundation
import GatewayCrypto
import Testing

@Suite("Certificate")
struct CertificateTests {
    @Test("leaf fields match what the openssl CLI put in and reads out")
    func leafFields() throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        let leaf = pki.leaf

        #expect(leaf.serialNumberHex == TestPKI.leafSerialHex)
        #expect(leaf.serialNumberBytes == Data([0x00]) + Data(hex: TestPKI.leafSerialHex))
        #expect(leaf.dnsNames == TestPKI.leafNames)
        #expect(leaf.subjectName == "CN=leaf.example.org")
        #expect(leaf.issuerName == "CN=Gateway Test Intermediate,O=Gateway Tests,C=US")
        #expect(pki.intermediate.subjectName == leaf.issuerName)
        #expect(pki.intermediate.dnsNames.isEmpty)

        let day: TimeInterval = 86_400
        #expect(abs(leaf.notBefore.timeIntervalSince(pki.createdAt)) < day)
        let expectedEnd = pki.createdAt.addingTimeInterval(Double(TestPKI.leafValidityDays) * day)
        #expect(abs(leaf.notAfter.timeIntervalSince(expectedEnd)) < day)
        #expect(leaf.notAfter.timeIntervalSince(leaf.notBefore) == Double(TestPKI.leafValidityDays) * day)

        let issuer = try pki.openssl(["x509", "-in", "leaf.pem", "-noout", "-issuer", "-nameopt", "RFC2253"])
        #expect("issuer=\(leaf.issuerName)\n" == issuer.standardOutput)
        let serial = try pki.openssl(["x509", "-in", "leaf.pem", "-noout", "-serial"])
        #expect("serial=\(leaf.serialNumberHex.uppercased())\n" == serial.standardOutput)

        let fingerprint = try pki.openssl(["x509", "-in", "leaf.pem", "-noout", "-fingerprint", "-sha256"])
        let cliFingerprint = try #require(fingerprint.standardOutput.split(separator: "=").last)
        #expect(leaf.sha256Fingerprint == Data(hex: String(cliFingerprint)).hex)
        #expect(leaf.sha256Fingerprint.count == 64)
    }

    @Test("the authority key identifier is the issuer's subject key identifier")
    func authorityKeyIdentifier() throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        let ski = try pki.openssl(["x509", "-in", "intermediate.pem", "-noout", "-ext", "subjectKeyIdentifier"])
        let skiHex = try #require(ski.standardOutput.split(separator: "\n").last)
        let intermediateSKI = Data(hex: String(skiHex))
        #expect(intermediateSKI.count == 20)
        #expect(pki.leaf.authorityKeyIdentifier == intermediateSKI)
        #expect(pki.intermediate.authorityKeyIdentifier != nil)
        #expect(pki.intermediate.authorityKeyIdentifier != intermediateSKI)
        #expect(pki.root.authorityKeyIdentifier == nil)  // root_ext has no AKI
    }

    @Test("public key match")
    func publicKeyMatches() throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        #expect(pki.leaf.publicKeyMatches(pki.leafKey))
        #expect(!pki.leaf.publicKeyMatches(pki.intermediateKey))
        #expect(pki.intermediate.publicKeyMatches(pki.intermediateKey))
        #expect(!pki.leaf.publicKeyMatches(try PrivateKey.generate(.ecP256)))
        #expect(!pki.leaf.publicKeyMatches(try PrivateKey.generate(.rsa(bits: 2048))))
    }

    @Test("DER, PEM and chain parsing agree")
    func encodings() throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        try pki.openssl(["x509", "-in", "leaf.pem", "-outform", "DER", "-out", "leaf.der"])
        let der = try Data(contentsOf: pki.directory.file("leaf.der"))
        #expect(pki.leaf.derBytes == der)
        #expect(try Certificate(der: der).sha256Fingerprint == pki.leaf.sha256Fingerprint)

        let pem = try pki.leaf.pem()
        #expect(pem == (try pki.directory.read("leaf.pem")))
        #expect(try Certificate(pem: pem).derBytes == der)

        let leafPEM = try pki.directory.read("leaf.pem")
        let intermediatePEM = try pki.directory.read("intermediate.pem")
        let chain = try Certificate.chain(fromPEM: leafPEM + intermediatePEM)
        #expect(chain.map(\.subjectName) == [pki.leaf.subjectName, pki.intermediate.subjectName])
        #expect(chain.map(\.derBytes) == [pki.leaf.derBytes, pki.intermediate.derBytes])

        // Text and other PEM blocks between certificates are skipped.
        let keyPEM = try pki.leafKey.pemPKCS8()
        let mixed = "Leaf:\n" + leafPEM + keyPEM + "\nIssuer:\n" + intermediatePEM + "\n"
        #expect(try Certificate.chain(fromPEM: mixed).map(\.derBytes) == chain.map(\.derBytes))
        #expect(try Certificate(pem: keyPEM + intermediatePEM).derBytes == pki.intermediate.derBytes)
    }

    @Test("malformed input is refused with .invalidCertificate")
    func malformed() throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        let leafPEM = try pki.directory.read("leaf.pem")
        let truncated = leafPEM + String(leafPEM.dropLast(40))
        for pem in ["", "garbage\n", try pki.leafKey.pemPKCS8(), truncated,
                    "-----BEGIN CERTIFICATE-----\nZm9v\n-----END CERTIFICATE-----\n"] {
            let error = #expect(throws: CryptoError.self) { try Certificate.chain(fromPEM: pem) }
            #expect(error?.code == .invalidCertificate)
        }
        #expect(throws: CryptoError(.invalidCertificate, reason: "")) { try Certificate(pem: "garbage") }
        #expect(throws: CryptoError(.invalidCertificate, reason: "")) { try Certificate(der: Data()) }
        #expect(throws: CryptoError(.invalidCertificate, reason: "")) { try Certificate(der: pki.leaf.derBytes.dropLast()) }
        #expect(throws: CryptoError(.invalidCertificate, reason: "")) { try Certificate(der: pki.leaf.derBytes + Data([0])) }
    }
}
