import Foundation

/// The public half of a key as the numbers JWK (RFC 7517/7518) needs.
public enum PublicKeyComponents: Sendable, Equatable {
    /// An EC point: `curve` is `"P-256"` or `"P-384"`; `x` and `y` are big-endian and
    /// left-padded to the curve size (32 or 48 bytes).
    case ec(curve: String, x: Data, y: Data)
    /// An RSA public key: modulus and public exponent, big-endian, without leading
    /// zero bytes.
    case rsa(modulus: Data, exponent: Data)
}
