import COpenSSL
import Foundation

/// One-shot message digests.
public enum Digest {
    /// SHA-256 of `data` (32 bytes).
    public static func sha256(_ data: Data) -> Data {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        data.withNonNullBytes { bytes, count in
            // The one-shot SHA256() cannot fail: it runs the built-in implementation
            // on caller-provided memory.
            _ = SHA256(bytes, count, &digest)
        }
        return Data(digest)
    }

    /// SHA-384 of `data` (48 bytes).
    public static func sha384(_ data: Data) -> Data {
        var digest = [UInt8](repeating: 0, count: Int(SHA384_DIGEST_LENGTH))
        data.withNonNullBytes { bytes, count in
            _ = SHA384(bytes, count, &digest)
        }
        return Data(digest)
    }
}
