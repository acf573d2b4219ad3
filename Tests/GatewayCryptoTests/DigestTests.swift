import Foundation
import GatewayCrypto
import Testing

@Suite("Digest, HMAC and SecureRandom")
struct DigestTests {
    @Test("SHA-256 known answers (FIPS 180-2)")
    func sha256() {
        #expect(Digest.sha256(Data("abc".utf8)).hex
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256(Data()).hex
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("SHA-384 known answer (FIPS 180-2)")
    func sha384() {
        #expect(Digest.sha384(Data("abc".utf8)).hex
            == "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
    }

    @Test("HMAC-SHA256 RFC 4231 test case 2")
    func hmacRFC4231() {
        let mac = HMAC.sha256(key: Data("Jefe".utf8), data: Data("what do ya want for nothing?".utf8))
        #expect(mac.hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("HMAC-SHA256 with an empty key and message")
    func hmacEmpty() {
        #expect(HMAC.sha256(key: Data(), data: Data()).hex
            == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test("HMAC-SHA256 with a key longer than the block size (RFC 4231 test case 6)")
    func hmacLongKey() {
        let mac = HMAC.sha256(
            key: Data(repeating: 0xaa, count: 131),
            data: Data("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(mac.hex == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("random bytes have the requested length and differ between calls")
    func random() throws {
        #expect(try SecureRandom.bytes(0).isEmpty)
        let first = try SecureRandom.bytes(32)
        let second = try SecureRandom.bytes(32)
        #expect(first.count == 32)
        #expect(second.count == 32)
        #expect(first != second)
        #expect(throws: CryptoError(.random, reason: "")) { try SecureRandom.bytes(-1) }
    }
}
