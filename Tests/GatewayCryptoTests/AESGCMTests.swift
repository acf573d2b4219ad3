import Foundation
import GatewayCrypto
import Testing

@Suite("AES-256-GCM")
struct AESGCMTests {
    let key = Data(hex: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
    let nonce = Data(hex: "cafebabefacedbaddecaf888")
    let aad = Data("gateway/envelope/v1".utf8)

    @Test("known answer: GCM spec test case 16 (AES-256, 96-bit IV, AAD)")
    func knownAnswer() throws {
        let key = Data(hex: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        let nonce = Data(hex: "cafebabefacedbaddecaf888")
        let aad = Data(hex: "feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let plaintext = Data(hex: """
            d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72\
            1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39
            """)
        let expected = Data(hex: """
            522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa\
            8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662\
            76fc6ece0f4e1768cddf8853bb2d551b
            """)
        #expect(try AESGCM.seal(plaintext, key: key, nonce: nonce, authenticating: aad) == expected)
        #expect(try AESGCM.open(expected, key: key, nonce: nonce, authenticating: aad) == plaintext)
    }

    @Test("round trip", arguments: [0, 1, 15, 16, 17, 4096])
    func roundTrip(length: Int) throws {
        let plaintext = try SecureRandom.bytes(length)
        for associated in [aad, Data()] {
            let sealed = try AESGCM.seal(plaintext, key: key, nonce: nonce, authenticating: associated)
            #expect(sealed.count == length + 16)
            if length > 0 { #expect(sealed.prefix(length) != plaintext) }
            #expect(try AESGCM.open(sealed, key: key, nonce: nonce, authenticating: associated) == plaintext)
        }
    }

    @Test("wrong key, nonce or AAD, or modified data, fail with .decryption")
    func tamperingIsDetected() throws {
        let plaintext = Data("the DuckDNS token".utf8)
        let sealed = try AESGCM.seal(plaintext, key: key, nonce: nonce, authenticating: aad)
        var otherKey = key
        otherKey[0] ^= 0x01
        let cases: [(String, () throws -> Data)] = [
            ("wrong key", { try AESGCM.open(sealed, key: otherKey, nonce: self.nonce, authenticating: self.aad) }),
            ("wrong nonce", {
                try AESGCM.open(sealed, key: self.key, nonce: self.nonce.flippingBit(atByte: 11), authenticating: self.aad)
            }),
            ("wrong AAD", { try AESGCM.open(sealed, key: self.key, nonce: self.nonce, authenticating: Data("other".utf8)) }),
            ("missing AAD", { try AESGCM.open(sealed, key: self.key, nonce: self.nonce, authenticating: Data()) }),
            ("flipped ciphertext bit", {
                try AESGCM.open(sealed.flippingBit(atByte: 2, bit: 5), key: self.key, nonce: self.nonce, authenticating: self.aad)
            }),
            ("flipped tag bit", {
                try AESGCM.open(sealed.flippingBit(atByte: sealed.count - 1), key: self.key, nonce: self.nonce, authenticating: self.aad)
            }),
            ("truncated", { try AESGCM.open(sealed.dropLast(), key: self.key, nonce: self.nonce, authenticating: self.aad) }),
            ("shorter than a tag", { try AESGCM.open(sealed.prefix(15), key: self.key, nonce: self.nonce, authenticating: self.aad) }),
        ]
        // The untouched input opens, so the failures below are caused by the change.
        #expect(try AESGCM.open(sealed, key: key, nonce: nonce, authenticating: aad) == plaintext)
        for (name, open) in cases {
            let error = #expect(throws: CryptoError.self, "\(name)") { try open() }
            #expect(error?.code == .decryption, "\(name): \(String(describing: error))")
        }
    }

    @Test("wrong key or nonce sizes fail with .encryption")
    func sizes() throws {
        #expect(throws: CryptoError(.encryption, reason: "")) {
            try AESGCM.seal(Data(), key: Data(count: 16), nonce: nonce, authenticating: Data())
        }
        #expect(throws: CryptoError(.encryption, reason: "")) {
            try AESGCM.seal(Data(), key: key, nonce: Data(count: 16), authenticating: Data())
        }
        #expect(throws: CryptoError(.decryption, reason: "")) {
            try AESGCM.open(Data(count: 32), key: Data(count: 31), nonce: nonce, authenticating: Data())
        }
    }
}
