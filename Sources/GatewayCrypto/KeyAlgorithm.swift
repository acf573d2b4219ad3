/// The kinds of private key this module creates and accepts.
public enum KeyAlgorithm: Sendable, Hashable, CustomStringConvertible {
    /// ECDSA on NIST P-256 (secp256r1); JWS `ES256`.
    case ecP256
    /// ECDSA on NIST P-384 (secp384r1); JWS `ES384`.
    case ecP384
    /// RSA with a modulus of `bits` bits (at least 2048); JWS `RS256`.
    case rsa(bits: Int)

    /// The smallest RSA modulus accepted for new and loaded keys.
    public static let minimumRSABits = 2048
    /// The largest RSA modulus OpenSSL will generate.
    public static let maximumRSABits = 16384

    /// `ec-p256`, `ec-p384` or `rsa-<bits>`.
    public var description: String {
        switch self {
        case .ecP256: "ec-p256"
        case .ecP384: "ec-p384"
        case .rsa(let bits): "rsa-\(bits)"
        }
    }

    /// The JOSE curve name for EC keys, `nil` for RSA.
    var curveName: String? {
        switch self {
        case .ecP256: "P-256"
        case .ecP384: "P-384"
        case .rsa: nil
        }
    }

    /// Bytes per coordinate and per signature half for EC keys, `nil` for RSA.
    var coordinateSize: Int? {
        switch self {
        case .ecP256: 32
        case .ecP384: 48
        case .rsa: nil
        }
    }
}
