import COpenSSL
import Foundation

/// Cryptographically secure random bytes from OpenSSL's CSPRNG.
public enum SecureRandom {
    /// `count` random bytes.
    ///
    /// - Throws: `CryptoError(.random)` for a negative count or when the generator
    ///   cannot be seeded.
    public static func bytes(_ count: Int) throws -> Data {
        guard count >= 0, count <= Int(Int32.max) else {
            throw CryptoError(.random, reason: "cannot produce \(count) random bytes")
        }
        guard count > 0 else { return Data() }
        OpenSSLErrorQueue.clear()
        var bytes = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&bytes, Int32(count)) == 1 else {
            throw CryptoError.openSSL(.random, "RAND_bytes failed")
        }
        return Data(bytes)
    }
}
