import Foundation
import GatewayCrypto
import Testing

@Suite("PrivateKey")
struct PrivateKeyTests {
    static let algorithms: [KeyAlgorithm] = [.ecP256, .ecP384, .rsa(bits: 2048), .rsa(bits: 3072)]

    @Test("generate, PEM round trip, sign and verify", arguments: algorithms)
    func generateRoundTripSignVerify(algorithm: KeyAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        #expect(key.algorithm == algorithm)

        let pem = try key.pemPKCS8()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(pem.hasSuffix("-----END PRIVATE KEY-----\n"))
        let reloaded = try PrivateKey(pem: pem)
        #expect(reloaded.algorithm == algorithm)
        #expect(try reloaded.publicKeyDER() == key.publicKeyDER())
        #expect(try reloaded.pemPKCS8() == pem)

        let message = Data("eyJhbGciOiJFUzI1NiJ9.eyJuYW1lIjoiZ2F0ZXdheSJ9".utf8)
        let signature = try key.signJWS(message)
        #expect(try reloaded.verifyJWS(signature: signature, data: message))
        #expect(try !key.verifyJWS(signature: signature.flippingBit(atByte: signature.count / 2), data: message))
        #expect(try !key.verifyJWS(signature: signature, data: message.flippingBit(atByte: 0)))
        let otherKey = try PrivateKey.generate(algorithm)
        #expect(try !otherKey.verifyJWS(signature: signature, data: message))
    }

    @Test("JWS algorithm names and signature sizes", arguments: [
        (KeyAlgorithm.ecP256, "ES256", 64), (.ecP384, "ES384", 96), (.rsa(bits: 2048), "RS256", 256),
    ])
    func signatureShape(algorithm: KeyAlgorithm, jws: String, size: Int) throws {
        let key = try PrivateKey.generate(algorithm)
        #expect(key.jwsAlgorithm == jws)
        for length in [0, 1, 1000] {
            let data = Data(repeating: 0x5a, count: length)
            let signature = try key.signJWS(data)
            #expect(signature.count == size)
            #expect(try key.verifyJWS(signature: signature, data: data))
        }
    }

    @Test("ES256 is 64 raw bytes and verifies")
    func es256() throws {
        let key = try PrivateKey.generate(.ecP256)
        let data = Data("protected.payload".utf8)
        let signature = try key.signJWS(data)
        #expect(signature.count == 64)
        #expect(try key.verifyJWS(signature: signature, data: data))
        // DER-encoded or truncated signatures are not valid JWS signatures.
        #expect(try !key.verifyJWS(signature: signature.prefix(63), data: data))
        #expect(try !key.verifyJWS(signature: Data(repeating: 0, count: 64), data: data))
    }

    @Test("signatures verify with the openssl CLI", arguments: algorithms)
    func signatureVerifiesWithOpenSSL(algorithm: KeyAlgorithm) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try PrivateKey.generate(algorithm)
        let data = Data("header.payload signed for the CLI".utf8)
        let signature = try key.signJWS(data)
        let digest: String
        let cliSignature: Data
        switch algorithm {
        case .ecP256: (digest, cliSignature) = ("-sha256", Self.derECDSASignature(signature))
        case .ecP384: (digest, cliSignature) = ("-sha384", Self.derECDSASignature(signature))
        case .rsa: (digest, cliSignature) = ("-sha256", signature)
        }
        try directory.write(data, to: "data.bin")
        try directory.write(cliSignature, to: "sig.bin")
        try directory.write(try key.publicKeyDER(), to: "pub.der")
        let dir = directory.url
        try OpenSSLTool.check(["pkey", "-pubin", "-inform", "DER", "-in", "pub.der", "-out", "pub.pem"], in: dir)
        let good = try OpenSSLTool.run(["dgst", digest, "-verify", "pub.pem", "-signature", "sig.bin", "data.bin"], in: dir)
        #expect(good.status == 0, "\(good.combined)")
        #expect(good.combined.contains("Verified OK"))

        try directory.write(data.flippingBit(atByte: 3), to: "data.bin")
        let bad = try OpenSSLTool.run(["dgst", digest, "-verify", "pub.pem", "-signature", "sig.bin", "data.bin"], in: dir)
        #expect(bad.status != 0)
        #expect(bad.combined.contains("Verification failure"))
    }

    @Test("EC coordinates are fixed-length and match the SubjectPublicKeyInfo", arguments: [
        (KeyAlgorithm.ecP256, "P-256", 32), (.ecP384, "P-384", 48),
    ])
    func ecComponents(algorithm: KeyAlgorithm, curve: String, size: Int) throws {
        // Several keys so a coordinate with a leading zero byte would be caught by the padding.
        for _ in 0..<8 {
            let key = try PrivateKey.generate(algorithm)
            guard case let .ec(actualCurve, x, y) = try key.publicKeyComponents() else {
                Issue.record("expected EC components")
                return
            }
            #expect(actualCurve == curve)
            #expect(x.count == size)
            #expect(y.count == size)
            // The SPKI ends with the uncompressed point 04 || x || y.
            #expect(try key.publicKeyDER().suffix(1 + 2 * size) == Data([0x04]) + x + y)
        }
    }

    @Test("RSA modulus and exponent match the openssl CLI", arguments: [2048, 3072])
    func rsaComponents(bits: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = try PrivateKey.generate(.rsa(bits: bits))
        guard case let .rsa(modulus, exponent) = try key.publicKeyComponents() else {
            Issue.record("expected RSA components")
            return
        }
        #expect(modulus.count == bits / 8)
        #expect(modulus.first != 0)
        #expect(exponent == Data([0x01, 0x00, 0x01]))
        try directory.write(try key.publicKeyDER(), to: "pub.der")
        let output = try OpenSSLTool.check(
            ["rsa", "-pubin", "-inform", "DER", "-in", "pub.der", "-noout", "-modulus"], in: directory.url)
        let cliModulus = output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "Modulus=", with: "")
        #expect(Data(hex: cliModulus) == modulus)
    }

    @Test("RSA keys under 2048 bits are refused", arguments: [512, 1024, 2047])
    func smallRSARefused(bits: Int) throws {
        #expect(throws: CryptoError(.keyGeneration, reason: "")) {
            try PrivateKey.generate(.rsa(bits: bits))
        }
    }

    @Test("traditional PEM keys load", arguments: [
        (["ecparam", "-name", "prime256v1", "-genkey", "-noout"], "-----BEGIN EC PRIVATE KEY-----", KeyAlgorithm.ecP256),
        (["ecparam", "-name", "secp384r1", "-genkey", "-noout"], "-----BEGIN EC PRIVATE KEY-----", .ecP384),
        (["genrsa", "-traditional", "2048"], "-----BEGIN RSA PRIVATE KEY-----", .rsa(bits: 2048)),
    ])
    func traditionalPEM(command: [String], header: String, algorithm: KeyAlgorithm) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pem = try OpenSSLTool.check(command, in: directory.url).standardOutput
        #expect(pem.contains(header))
        let key = try PrivateKey(pem: "Some text before the key\n" + pem)
        #expect(key.algorithm == algorithm)
        let data = Data("payload".utf8)
        #expect(try key.verifyJWS(signature: key.signJWS(data), data: data))
        #expect(try key.pemPKCS8().hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test("unsupported, weak, encrypted and malformed keys are refused", arguments: [
        ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
        ["genpkey", "-algorithm", "ED25519"],
        ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
        ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret"],
    ])
    func refusedKeys(command: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pem = try OpenSSLTool.check(command, in: directory.url).standardOutput
        #expect(pem.contains("PRIVATE KEY-----"))
        #expect(throws: CryptoError(.invalidKey, reason: "")) {
            try PrivateKey(pem: pem)
        }
    }

    @Test("garbage is not a key")
    func garbage() throws {
        for text in ["", "hello", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"] {
            let error = #expect(throws: CryptoError.self) { try PrivateKey(pem: text) }
            #expect(error?.code == .invalidKey)
            #expect(error?.reason.isEmpty == false)
        }
    }

    @Test("one key signs from many tasks at once")
    func concurrentSigning() async throws {
        let key = try PrivateKey.generate(.ecP256)
        let verified = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var count = 0
                    for round in 0..<25 {
                        let data = Data("task \(task) round \(round)".utf8)
                        if try key.verifyJWS(signature: key.signJWS(data), data: data) { count += 1 }
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(verified == 8 * 25)
    }

    /// Encodes JWS `r‖s` as a DER ECDSA-Sig-Value, independently of GatewayCrypto.
    static func derECDSASignature(_ raw: Data) -> Data {
        func integer(_ bytes: Data) -> Data {
            var magnitude = Data(bytes.drop { $0 == 0 })
            if magnitude.isEmpty || magnitude.first! & 0x80 != 0 { magnitude.insert(0, at: 0) }
            return Data([0x02, UInt8(magnitude.count)]) + magnitude
        }
        let half = raw.count / 2
        let body = integer(raw.prefix(half)) + integer(raw.suffix(half))
        let length = body.count < 0x80 ? Data([UInt8(body.count)]) : Data([0x81, UInt8(body.count)])
        return Data([0x30]) + length + body
    }
}
