import COpenSSL
import Foundation

extension PrivateKey {
    /// The JWS `alg` for signatures made by `signJWS`: `ES256`, `ES384` or `RS256`.
    public var jwsAlgorithm: String {
        switch algorithm {
        case .ecP256: "ES256"
        case .ecP384: "ES384"
        case .rsa: "RS256"
        }
    }

    /// The digest that goes with `jwsAlgorithm` (and with CSR signatures).
    var messageDigest: OpaquePointer {
        switch algorithm {
        case .ecP256, .rsa: EVP_sha256()
        case .ecP384: EVP_sha384()
        }
    }

    /// A JWS signature (RFC 7518 §3) over `data`: for EC keys the raw `r‖s` with
    /// each half left-padded to the curve size (64 bytes for ES256, 96 for ES384);
    /// for RSA keys an RSASSA-PKCS1-v1_5 signature with SHA-256 (RS256).
    ///
    /// - Throws: `CryptoError(.signing)`.
    public func signJWS(_ data: Data) throws -> Data {
        OpenSSLErrorQueue.clear()
        guard let context = EVP_MD_CTX_new() else {
            throw CryptoError.openSSL(.signing, "could not allocate a digest context")
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, messageDigest, nil, handle) == 1 else {
            throw CryptoError.openSSL(.signing, "could not start a \(jwsAlgorithm) signature")
        }
        var length = Int(EVP_PKEY_get_size(handle))
        guard length > 0 else {
            throw CryptoError.openSSL(.signing, "could not size a \(jwsAlgorithm) signature")
        }
        var signature = [UInt8](repeating: 0, count: length)
        let status = data.withNonNullBytes { bytes, count in
            signature.withUnsafeMutableBufferPointer { buffer in
                EVP_DigestSign(context, buffer.baseAddress, &length, bytes, count)
            }
        }
        guard status == 1 else {
            throw CryptoError.openSSL(.signing, "could not compute a \(jwsAlgorithm) signature")
        }
        signature.removeSubrange(length...)
        guard let size = algorithm.coordinateSize else { return Data(signature) }
        return try Self.rawECDSASignature(fromDER: signature, halfSize: size)
    }

    /// Whether `signature` is a valid `signJWS` signature by this key over `data`.
    /// A malformed signature (wrong length, not on the curve) is `false`, not an error.
    ///
    /// - Throws: `CryptoError(.verification)` only when the check cannot be carried out.
    public func verifyJWS(signature: Data, data: Data) throws -> Bool {
        OpenSSLErrorQueue.clear()
        let encoded: [UInt8]
        if let size = algorithm.coordinateSize {
            guard signature.count == 2 * size else { return false }
            encoded = try Self.derECDSASignature(fromRaw: [UInt8](signature), halfSize: size)
        } else {
            encoded = [UInt8](signature)
        }
        guard let context = EVP_MD_CTX_new() else {
            throw CryptoError.openSSL(.verification, "could not allocate a digest context")
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, messageDigest, nil, handle) == 1 else {
            throw CryptoError.openSSL(.verification, "could not start verifying a \(jwsAlgorithm) signature")
        }
        let status = Data(encoded).withNonNullBytes { signatureBytes, signatureCount in
            data.withNonNullBytes { bytes, count in
                EVP_DigestVerify(context, signatureBytes, signatureCount, bytes, count)
            }
        }
        // A mismatch leaves OpenSSL errors behind; they are not errors for the caller.
        OpenSSLErrorQueue.clear()
        return status == 1
    }

    /// Converts a DER `ECDSA-Sig-Value` into JWS's fixed-size `r‖s`.
    static func rawECDSASignature(fromDER der: [UInt8], halfSize: Int) throws -> Data {
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let parsed else {
            throw CryptoError.openSSL(.signing, "OpenSSL returned an unreadable ECDSA signature")
        }
        defer { ECDSA_SIG_free(parsed) }
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(parsed, &r, &s)
        var raw = [UInt8](repeating: 0, count: 2 * halfSize)
        let ok = raw.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress, let r, let s else { return false }
            return BN_bn2binpad(r, base, Int32(halfSize)) == Int32(halfSize)
                && BN_bn2binpad(s, base + halfSize, Int32(halfSize)) == Int32(halfSize)
        }
        guard ok else {
            throw CryptoError.openSSL(.signing, "ECDSA signature does not fit \(halfSize)-byte halves")
        }
        return Data(raw)
    }

    /// Converts JWS's `r‖s` into a DER `ECDSA-Sig-Value` for OpenSSL.
    static func derECDSASignature(fromRaw raw: [UInt8], halfSize: Int) throws -> [UInt8] {
        guard let signature = ECDSA_SIG_new() else {
            throw CryptoError.openSSL(.verification, "could not allocate an ECDSA signature")
        }
        defer { ECDSA_SIG_free(signature) }
        let (r, s) = raw.withUnsafeBufferPointer { buffer -> (OpaquePointer?, OpaquePointer?) in
            guard let base = buffer.baseAddress else { return (nil, nil) }
            return (BN_bin2bn(base, Int32(halfSize), nil), BN_bin2bn(base + halfSize, Int32(halfSize), nil))
        }
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            throw CryptoError.openSSL(.verification, "could not build an ECDSA signature")
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else {
            throw CryptoError.openSSL(.verification, "could not encode an ECDSA signature")
        }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        guard written == length else {
            throw CryptoError.openSSL(.verification, "could not encode an ECDSA signature")
        }
        return der
    }
}
