import Foundation
import GatewayCrypto
import Testing

@Suite("ChainVerifier")
struct ChainVerifierTests {
    @Test("the chain verifies against its root, now and at a time inside the validity period")
    func verifies() throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        try ChainVerifier.verify(chain: [pki.leaf, pki.intermediate], roots: [pki.root])
        try ChainVerifier.verify(chain: [pki.leaf, pki.intermediate], roots: [pki.otherRoot, pki.root],
                                 at: pki.leaf.notAfter.addingTimeInterval(-3600))
        // The CLI agrees.
        try pki.openssl(["verify", "-no-CAfile", "-no-CApath", "-CAfile", "root.pem",
                         "-untrusted", "intermediate.pem", "leaf.pem"])
    }

    @Test("an unrelated root with the same name is not trusted")
    func unrelatedRoot() throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        #expect(pki.otherRoot.subjectName == pki.root.subjectName)
        let error = #expect(throws: CryptoError.self) {
            try ChainVerifier.verify(chain: [pki.leaf, pki.intermediate], roots: [pki.otherRoot])
        }
        #expect(error?.code == .chainVerification)
        #expect(error?.reason.contains("unable to get local issuer certificate") == true, "\(String(describing: error))")
        #expect(error?.reason.contains("(CN=Gateway Test Intermediate,O=Gateway Tests,C=US)") == true)
    }

    @Test("verification fails after notAfter and before notBefore")
    func outsideValidity() throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        let expired = #expect(throws: CryptoError.self) {
            try ChainVerifier.verify(chain: [pki.leaf, pki.intermediate], roots: [pki.root],
                                     at: pki.leaf.notAfter.addingTimeInterval(86_400))
        }
        #expect(expired?.code == .chainVerification)
        #expect(expired?.reason.contains("certificate has expired") == true, "\(String(describing: expired))")

        let early = #expect(throws: CryptoError.self) {
            try ChainVerifier.verify(chain: [pki.leaf, pki.intermediate], roots: [pki.root],
                                     at: pki.leaf.notBefore.addingTimeInterval(-86_400))
        }
        #expect(early?.code == .chainVerification)
        #expect(early?.reason.contains("not yet valid") == true, "\(String(describing: early))")
    }

    @Test("a missing intermediate, an empty chain or no roots fail")
    func incomplete() throws {
        let pki = try TestPKI.make()
        defer { pki.remove() }
        #expect(throws: CryptoError(.chainVerification, reason: "")) {
            try ChainVerifier.verify(chain: [pki.leaf], roots: [pki.root])
        }
        #expect(throws: CryptoError(.chainVerification, reason: "")) {
            try ChainVerifier.verify(chain: [], roots: [pki.root])
        }
        #expect(throws: CryptoError(.chainVerification, reason: "")) {
            try ChainVerifier.verify(chain: [pki.leaf, pki.intermediate], roots: [])
        }
        // The intermediate is not a trust anchor by itself.
        #expect(throws: CryptoError(.chainVerification, reason: "")) {
            try ChainVerifier.verify(chain: [pki.leaf], roots: [pki.intermediate])
        }
    }
}
