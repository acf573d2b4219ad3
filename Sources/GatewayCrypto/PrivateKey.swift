import COpenSSL
import Foundation

/// A private key (EC P-256, EC P-384 or RSA ≥ 2048 bits) held in an OpenSSL
/// `EVP_PKEY`.
///
/// `@unchecked Sendable` because the object is immutable after `init`: `handle` and
/// `algorithm` are `let`s, and no method mutates the `EVP_PKEY` — signing and
/// verifying create their own `EVP_MD_CTX` per call, encoding and parameter getters
/// only read. OpenSSL 3 allows an `EVP_PKEY` to be used concurrently for such
/// read-only operations (openssl-threads(7)); the reference count taken by each
/// operation context is atomic, and the provider-key cache OpenSSL may fill lazily
/// is guarded by the key's own lock.
public final class PrivateKey: @unchecked Sendable {
    /// The owned `EVP_PKEY *`, freed in `deinit`.
    let handle: OpaquePointer

    /// The algorithm and size of this key.
    public let algorithm: KeyAlgorithm

    /// Takes ownership of `pkey`. If the key is not one of the supported kinds the
    /// key is freed and the initialiser throws `code`.
    private init(taking pkey: OpaquePointer, failingWith code: CryptoError.Code) throws {
        switch Self.classify(pkey) {
        case .success(let algorithm):
            self.handle = pkey
            self.algorithm = algorithm
        case .failure(let error):
            EVP_PKEY_free(pkey)
            throw CryptoError(code, reason: error.reason)
        }
    }

    deinit {
        EVP_PKEY_free(handle)
    }

    /// Generates a new key.
    ///
    /// - Throws: `CryptoError(.keyGeneration)` for an RSA size outside
    ///   2048...16384 bits or when OpenSSL fails.
    public static func generate(_ algorithm: KeyAlgorithm) throws -> PrivateKey {
        OpenSSLErrorQueue.clear()
        let typeName: String
        switch algorithm {
        case .ecP256, .ecP384:
            typeName = "EC"
        case .rsa(let bits):
            guard (KeyAlgorithm.minimumRSABits...KeyAlgorithm.maximumRSABits).contains(bits) else {
                throw CryptoError(
                    .keyGeneration,
                    reason: "RSA keys must have \(KeyAlgorithm.minimumRSABits) to \(KeyAlgorithm.maximumRSABits) bits, not \(bits)")
            }
            typeName = "RSA"
        }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw CryptoError.openSSL(.keyGeneration, "could not create a key generation context for \(typeName)")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else {
            throw CryptoError.openSSL(.keyGeneration, "could not start \(algorithm) key generation")
        }
        switch algorithm {
        case .ecP256, .ecP384:
            guard EVP_PKEY_CTX_set_group_name(context, algorithm.curveName) == 1 else {
                throw CryptoError.openSSL(.keyGeneration, "could not select curve \(algorithm.curveName ?? "")")
            }
        case .rsa(let bits):
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1 else {
                throw CryptoError.openSSL(.keyGeneration, "could not set the RSA key size to \(bits) bits")
            }
        }
        var generated: OpaquePointer?
        guard EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw CryptoError.openSSL(.keyGeneration, "could not generate an \(algorithm) key")
        }
        return try PrivateKey(taking: generated, failingWith: .keyGeneration)
    }

    /// Reads an unencrypted private key from PEM: PKCS#8 (`BEGIN PRIVATE KEY`) or the
    /// traditional forms (`BEGIN EC PRIVATE KEY`, `BEGIN RSA PRIVATE KEY`). Text
    /// before the PEM block is skipped; the first key is used.
    ///
    /// - Throws: `CryptoError(.invalidKey)` for anything else, including encrypted
    ///   keys, other curves, other algorithms and RSA keys under 2048 bits.
    public convenience init(pem: String) throws {
        OpenSSLErrorQueue.clear()
        let bio = try MemoryBIO(copying: pem, failingWith: .invalidKey)
        // The callback refuses to supply a passphrase: without it OpenSSL would
        // prompt on the terminal for an encrypted key.
        guard let pkey = PEM_read_bio_PrivateKey(bio.handle, nil, { _, _, _, _ in 0 }, nil) else {
            throw CryptoError.openSSL(
                .invalidKey, "no unencrypted PEM private key (PKCS#8 or traditional EC/RSA) could be read")
        }
        try self.init(taking: pkey, failingWith: .invalidKey)
    }

    /// The key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    public func pemPKCS8() throws -> String {
        OpenSSLErrorQueue.clear()
        let bio = try MemoryBIO(failingWith: .invalidKey)
        guard PEM_write_bio_PKCS8PrivateKey(bio.handle, handle, nil, nil, 0, nil, nil) == 1 else {
            throw CryptoError.openSSL(.invalidKey, "could not encode the \(algorithm) key as PKCS#8 PEM")
        }
        return bio.text
    }

    /// The public key as DER-encoded SubjectPublicKeyInfo.
    public func publicKeyDER() throws -> Data {
        OpenSSLErrorQueue.clear()
        let length = i2d_PUBKEY(handle, nil)
        guard length > 0 else {
            throw CryptoError.openSSL(.invalidKey, "could not encode the \(algorithm) public key")
        }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(handle, &cursor)
        }
        guard written == length else {
            throw CryptoError.openSSL(.invalidKey, "could not encode the \(algorithm) public key")
        }
        return Data(der)
    }

    /// The public key's numbers, for a JWK.
    public func publicKeyComponents() throws -> PublicKeyComponents {
        OpenSSLErrorQueue.clear()
        switch algorithm {
        case .ecP256, .ecP384:
            let size = algorithm.coordinateSize ?? 0
            return .ec(
                curve: algorithm.curveName ?? "",
                x: try bigNumberParameter(OSSL_PKEY_PARAM_EC_PUB_X, paddedTo: size),
                y: try bigNumberParameter(OSSL_PKEY_PARAM_EC_PUB_Y, paddedTo: size))
        case .rsa:
            return .rsa(
                modulus: try bigNumberParameter(OSSL_PKEY_PARAM_RSA_N, paddedTo: nil),
                exponent: try bigNumberParameter(OSSL_PKEY_PARAM_RSA_E, paddedTo: nil))
        }
    }

    /// Reads a public integer parameter of the key, big-endian, left-padded to
    /// `size` bytes or minimal when `size` is nil.
    private func bigNumberParameter(_ name: String, paddedTo size: Int?) throws -> Data {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(handle, name, &number) == 1, let number else {
            throw CryptoError.openSSL(.invalidKey, "could not read parameter '\(name)' of the \(algorithm) key")
        }
        defer { BN_free(number) }
        let length = size ?? Int((BN_num_bits(number) + 7) / 8)
        var bytes = [UInt8](repeating: 0, count: length)
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return 0 }
            return size == nil ? BN_bn2bin(number, base) : BN_bn2binpad(number, base, Int32(length))
        }
        guard written == Int32(length) else {
            throw CryptoError.openSSL(.invalidKey, "parameter '\(name)' of the \(algorithm) key does not fit \(length) bytes")
        }
        return Data(bytes)
    }

    /// Works out which supported algorithm `pkey` is.
    private static func classify(_ pkey: OpaquePointer) -> Result<KeyAlgorithm, CryptoError> {
        if EVP_PKEY_is_a(pkey, "EC") == 1 {
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(pkey, &name, name.count, &length) == 1 else {
                return .failure(.openSSL(.invalidKey, "the EC key has no named curve"))
            }
            let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            var nid = OBJ_sn2nid(curve)
            if nid == NID_undef { nid = EC_curve_nist2nid(curve) }
            switch nid {
            case NID_X9_62_prime256v1: return .success(.ecP256)
            case NID_secp384r1: return .success(.ecP384)
            default: return .failure(CryptoError(.invalidKey, reason: "EC curve \(curve) is not supported (use P-256 or P-384)"))
            }
        }
        if EVP_PKEY_is_a(pkey, "RSA") == 1 {
            let bits = Int(EVP_PKEY_get_bits(pkey))
            guard bits >= KeyAlgorithm.minimumRSABits else {
                return .failure(CryptoError(
                    .invalidKey, reason: "RSA key of \(bits) bits is too small (at least \(KeyAlgorithm.minimumRSABits))"))
            }
            return .success(.rsa(bits: bits))
        }
        let type = EVP_PKEY_get0_type_name(pkey).map { String(cString: $0) } ?? "unknown"
        return .failure(CryptoError(.invalidKey, reason: "\(type) keys are not supported (use EC P-256, EC P-384 or RSA)"))
    }
}
