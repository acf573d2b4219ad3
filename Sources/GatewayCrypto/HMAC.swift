import COpenSSL
import Foundation

/// Keyed message authentication codes.
public enum HMAC {
    /// HMAC-SHA256 of `data` under `key` (32 bytes); JWS `HS256`, as used for ACME
    /// external account binding. Any key length is allowed, including empty.
    public static func sha256(key: Data, data: Data) -> Data {
        OpenSSLErrorQueue.clear()
        var mac = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length = 0
        let result = key.withNonNullBytes { keyBytes, keyCount in
            data.withNonNullBytes { bytes, count in
                EVP_Q_mac(nil, "HMAC", nil, "SHA256", nil, keyBytes, keyCount, bytes, count, &mac, mac.count, &length)
            }
        }
        // With the default provider HMAC-SHA256 fails only when memory cannot be
        // allocated, which a caller cannot handle either.
        guard result != nil, length == 32 else {
            preconditionFailure("HMAC-SHA256 failed: \(OpenSSLErrorQueue.drain().joined(separator: "; "))")
        }
        return Data(mac.prefix(length))
    }
}
