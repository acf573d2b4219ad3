import COpenSSL
import Foundation

/// AES-256-GCM authenticated encryption.
///
/// The caller must never use the same nonce twice with the same key: that breaks
/// both confidentiality and authenticity. A random 12-byte nonce from
/// `SecureRandom.bytes(12)` per message is the usual choice.
public enum AESGCM {
    public static let keySize = 32
    public static let nonceSize = 12
    public static let tagSize = 16

    /// Encrypts `plaintext` and authenticates it together with `aad`.
    ///
    /// - Parameters:
    ///   - key: 32 bytes.
    ///   - nonce: 12 bytes, unique per key.
    /// - Returns: ciphertext (same length as the plaintext) followed by the 16-byte tag.
    /// - Throws: `CryptoError(.encryption)`.
    public static func seal(_ plaintext: Data, key: Data, nonce: Data, authenticating aad: Data) throws -> Data {
        try checkSizes(key: key, nonce: nonce, plaintext: plaintext, aad: aad, code: .encryption)
        OpenSSLErrorQueue.clear()
        let context = try Context(code: .encryption)
        try context.start(encrypting: true, key: key, nonce: nonce, code: .encryption)
        try context.authenticate(aad, encrypting: true, code: .encryption)

        var output = [UInt8](repeating: 0, count: plaintext.count + tagSize)
        var written: Int32 = 0
        var final: Int32 = 0
        let ok = plaintext.withNonNullBytes { input, count in
            output.withUnsafeMutableBufferPointer { buffer -> Bool in
                guard let base = buffer.baseAddress else { return false }
                if count > 0, EVP_EncryptUpdate(context.handle, base, &written, input, Int32(count)) != 1 { return false }
                guard EVP_EncryptFinal_ex(context.handle, base + Int(written), &final) == 1 else { return false }
                let end = Int(written + final)
                return end == count
                    && EVP_CIPHER_CTX_ctrl(context.handle, EVP_CTRL_GCM_GET_TAG, Int32(tagSize), base + end) == 1
            }
        }
        guard ok else {
            throw CryptoError.openSSL(.encryption, "AES-256-GCM encryption failed")
        }
        return Data(output)
    }

    /// Decrypts and authenticates the output of `seal`.
    ///
    /// - Throws: `CryptoError(.decryption)` when the key, nonce or `aad` differ from
    ///   those used to seal, or the data was changed or truncated.
    public static func open(_ sealed: Data, key: Data, nonce: Data, authenticating aad: Data) throws -> Data {
        guard sealed.count >= tagSize else {
            throw CryptoError(.decryption, reason: "sealed data of \(sealed.count) bytes is shorter than the \(tagSize)-byte tag")
        }
        try checkSizes(key: key, nonce: nonce, plaintext: sealed, aad: aad, code: .decryption)
        OpenSSLErrorQueue.clear()
        let context = try Context(code: .decryption)
        try context.start(encrypting: false, key: key, nonce: nonce, code: .decryption)
        try context.authenticate(aad, encrypting: false, code: .decryption)

        let ciphertext = sealed.prefix(sealed.count - tagSize)
        var tag = [UInt8](sealed.suffix(tagSize))
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        var written: Int32 = 0
        var final: Int32 = 0
        let decrypted = ciphertext.isEmpty || ciphertext.withNonNullBytes { input, count in
            plaintext.withUnsafeMutableBufferPointer { buffer in
                EVP_DecryptUpdate(context.handle, buffer.baseAddress, &written, input, Int32(count)) == 1
            }
        }
        guard decrypted, Int(written) == ciphertext.count else {
            throw CryptoError.openSSL(.decryption, "AES-256-GCM decryption failed")
        }
        guard EVP_CIPHER_CTX_ctrl(context.handle, EVP_CTRL_GCM_SET_TAG, Int32(tagSize), &tag) == 1 else {
            throw CryptoError.openSSL(.decryption, "could not set the AES-256-GCM tag")
        }
        // Final writes no bytes for GCM; it only compares the tag.
        var scratch = [UInt8](repeating: 0, count: 16)
        guard EVP_DecryptFinal_ex(context.handle, &scratch, &final) > 0 else {
            plaintext.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            throw CryptoError.openSSL(
                .decryption, "authentication failed: wrong key, nonce or associated data, or the data was modified")
        }
        return Data(plaintext.prefix(Int(written + final)))
    }

    private static func checkSizes(key: Data, nonce: Data, plaintext: Data, aad: Data, code: CryptoError.Code) throws {
        guard key.count == keySize else {
            throw CryptoError(code, reason: "AES-256-GCM needs a \(keySize)-byte key, got \(key.count) bytes")
        }
        guard nonce.count == nonceSize else {
            throw CryptoError(code, reason: "AES-256-GCM needs a \(nonceSize)-byte nonce, got \(nonce.count) bytes")
        }
        guard plaintext.count <= Int(Int32.max) - tagSize, aad.count <= Int(Int32.max) else {
            throw CryptoError(code, reason: "input too large for one AES-256-GCM call")
        }
    }

    /// Owns an `EVP_CIPHER_CTX` for one seal or open.
    private final class Context {
        let handle: OpaquePointer

        init(code: CryptoError.Code) throws {
            guard let context = EVP_CIPHER_CTX_new() else {
                throw CryptoError.openSSL(code, "could not allocate a cipher context")
            }
            handle = context
        }

        deinit {
            EVP_CIPHER_CTX_free(handle)
        }

        func start(encrypting: Bool, key: Data, nonce: Data, code: CryptoError.Code) throws {
            let initialise = encrypting ? EVP_EncryptInit_ex : EVP_DecryptInit_ex
            guard initialise(handle, EVP_aes_256_gcm(), nil, nil, nil) == 1,
                  EVP_CIPHER_CTX_ctrl(handle, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceSize), nil) == 1
            else {
                throw CryptoError.openSSL(code, "could not set up AES-256-GCM")
            }
            let ok = key.withNonNullBytes { keyBytes, _ in
                nonce.withNonNullBytes { nonceBytes, _ in
                    initialise(handle, nil, nil, keyBytes, nonceBytes) == 1
                }
            }
            guard ok else {
                throw CryptoError.openSSL(code, "could not set the AES-256-GCM key and nonce")
            }
        }

        func authenticate(_ aad: Data, encrypting: Bool, code: CryptoError.Code) throws {
            guard !aad.isEmpty else { return }
            var ignored: Int32 = 0
            let ok = aad.withNonNullBytes { bytes, count in
                encrypting
                    ? EVP_EncryptUpdate(handle, nil, &ignored, bytes, Int32(count)) == 1
                    : EVP_DecryptUpdate(handle, nil, &ignored, bytes, Int32(count)) == 1
            }
            guard ok else {
                throw CryptoError.openSSL(code, "could not add the associated data")
            }
        }
    }
}
