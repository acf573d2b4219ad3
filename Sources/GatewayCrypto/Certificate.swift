import CGatewayShims
import COpenSSL
import Foundation

/// An X.509 certificate held in an OpenSSL `X509`, with the fields the gateway
/// reads decoded once at initialisation.
///
/// `@unchecked Sendable` because the object is immutable after `init`: every
/// stored property is a `let`, and the `X509` is never modified afterwards — it is
/// only encoded, compared and handed to `X509_STORE_CTX` for verification, which
/// reads it. Those read paths touch two pieces of shared state inside the `X509`:
/// its reference count (atomic) and its decoded-extension cache, which is filled
/// during `init` here (by `X509_get0_authority_key_id`) and is guarded by the
/// `X509`'s own lock in OpenSSL 3 in any case.
public final class Certificate: @unchecked Sendable {
    /// The owned `X509 *`, freed in `deinit`.
    let handle: OpaquePointer

    /// The certificate in DER.
    public let derBytes: Data
    /// The serial number as lower-case hex of its big-endian magnitude, leading zero
    /// bytes stripped (`"00"` for a zero serial).
    public let serialNumberHex: String
    /// The content bytes of the DER `INTEGER` serial number (including a leading
    /// 0x00 when the high bit is set), as ACME renewal information (RFC 9773) needs.
    public let serialNumberBytes: Data
    /// Start of the validity period.
    public let notBefore: Date
    /// End of the validity period.
    public let notAfter: Date
    /// The `DNS:` entries of the subjectAltName extension, in order; empty without one.
    public let dnsNames: [String]
    /// The issuer in one-line RFC 2253 form, e.g. `CN=Pebble Intermediate CA 645fc5`.
    public let issuerName: String
    /// The subject in one-line RFC 2253 form.
    public let subjectName: String
    /// Lower-case hex SHA-256 of `derBytes`, without separators.
    public let sha256Fingerprint: String
    /// The keyIdentifier of the authorityKeyIdentifier extension, if present.
    public let authorityKeyIdentifier: Data?

    /// Takes ownership of `x509`; frees it and throws if a field cannot be read.
    init(taking x509: OpaquePointer) throws {
        do {
            let der = try Self.encode(x509)
            let serial = try Self.serialNumber(of: x509)
            derBytes = der
            serialNumberHex = serial.hex
            serialNumberBytes = serial.contentBytes
            notBefore = try Self.date(X509_get0_notBefore(x509), field: "notBefore")
            notAfter = try Self.date(X509_get0_notAfter(x509), field: "notAfter")
            dnsNames = try Self.dnsNames(of: x509)
            issuerName = try Self.oneLine(X509_get_issuer_name(x509))
            subjectName = try Self.oneLine(X509_get_subject_name(x509))
            sha256Fingerprint = Digest.sha256(der).lowercaseHex
            authorityKeyIdentifier = X509_get0_authority_key_id(x509).map(Self.data(of:))
        } catch {
            X509_free(x509)
            throw error
        }
        handle = x509
    }

    deinit {
        X509_free(handle)
    }

    /// Reads one DER-encoded certificate; trailing bytes are an error.
    ///
    /// - Throws: `CryptoError(.invalidCertificate)`.
    public convenience init(der: Data) throws {
        OpenSSLErrorQueue.clear()
        var consumed = 0
        let parsed = [UInt8](der).withUnsafeBufferPointer { buffer -> OpaquePointer? in
            guard let start = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = start
            let x509 = d2i_X509(nil, &cursor, buffer.count)
            consumed = cursor.map { $0 - start } ?? 0
            return x509
        }
        guard let parsed else {
            throw CryptoError.openSSL(.invalidCertificate, "the \(der.count) bytes are not a DER X.509 certificate")
        }
        guard consumed == der.count else {
            X509_free(parsed)
            throw CryptoError(
                .invalidCertificate, reason: "\(der.count - consumed) unexpected bytes follow the DER certificate")
        }
        try self.init(taking: parsed)
    }

    /// Reads the first `CERTIFICATE` block of `pem`; other text and PEM blocks before
    /// it are skipped.
    ///
    /// - Throws: `CryptoError(.invalidCertificate)`.
    public convenience init(pem: String) throws {
        OpenSSLErrorQueue.clear()
        let bio = try MemoryBIO(copying: pem, failingWith: .invalidCertificate)
        guard let parsed = PEM_read_bio_X509(bio.handle, nil, nil, nil) else {
            throw CryptoError.openSSL(.invalidCertificate, "no PEM certificate could be read")
        }
        try self.init(taking: parsed)
    }

    /// Every `CERTIFICATE` block of `pem`, in order (leaf first in a served chain).
    ///
    /// - Throws: `CryptoError(.invalidCertificate)` when there is none or a block is
    ///   malformed.
    public static func chain(fromPEM pem: String) throws -> [Certificate] {
        OpenSSLErrorQueue.clear()
        let bio = try MemoryBIO(copying: pem, failingWith: .invalidCertificate)
        var certificates: [Certificate] = []
        while true {
            guard let parsed = PEM_read_bio_X509(bio.handle, nil, nil, nil) else {
                let last = ERR_peek_last_error()
                let endOfInput = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE
                if endOfInput && !certificates.isEmpty {
                    OpenSSLErrorQueue.clear()
                    return certificates
                }
                throw CryptoError.openSSL(
                    .invalidCertificate,
                    certificates.isEmpty
                        ? "no PEM certificate could be read"
                        : "PEM certificate #\(certificates.count + 1) could not be read")
            }
            certificates.append(try Certificate(taking: parsed))
        }
    }

    /// The certificate as a PEM `CERTIFICATE` block.
    public func pem() throws -> String {
        OpenSSLErrorQueue.clear()
        let bio = try MemoryBIO(failingWith: .invalidCertificate)
        guard PEM_write_bio_X509(bio.handle, handle) == 1 else {
            throw CryptoError.openSSL(.invalidCertificate, "could not encode the certificate as PEM")
        }
        return bio.text
    }

    /// Whether the certificate's public key is the public half of `key`.
    public func publicKeyMatches(_ key: PrivateKey) -> Bool {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard let publicKey = X509_get0_pubkey(handle) else { return false }
        return EVP_PKEY_eq(publicKey, key.handle) == 1
    }

    // MARK: - Decoding fields

    private static func encode(_ x509: OpaquePointer) throws -> Data {
        let length = i2d_X509(x509, nil)
        guard length > 0 else {
            throw CryptoError.openSSL(.invalidCertificate, "could not encode the certificate as DER")
        }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509(x509, &cursor)
        }
        guard written == length else {
            throw CryptoError.openSSL(.invalidCertificate, "could not encode the certificate as DER")
        }
        return Data(der)
    }

    private static func serialNumber(of x509: OpaquePointer) throws -> (hex: String, contentBytes: Data) {
        guard let serial = X509_get0_serialNumber(x509) else {
            throw CryptoError.openSSL(.invalidCertificate, "the certificate has no serial number")
        }
        var magnitude = data(of: serial)
        if let firstNonZero = magnitude.firstIndex(where: { $0 != 0 }) {
            magnitude = magnitude[firstNonZero...]
        } else {
            magnitude = Data([0])
        }
        // The DER encoding is tag 0x02, a length, then the content bytes.
        let length = i2d_ASN1_INTEGER(serial, nil)
        var der = [UInt8](repeating: 0, count: max(Int(length), 0))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ASN1_INTEGER(serial, &cursor)
        }
        guard length > 2, written == length, der[0] == 0x02 else {
            throw CryptoError.openSSL(.invalidCertificate, "could not encode the serial number")
        }
        let headerLength = der[1] < 0x80 ? 2 : 2 + Int(der[1] & 0x7f)
        guard headerLength < der.count else {
            throw CryptoError(.invalidCertificate, reason: "malformed serial number encoding")
        }
        return (Data(magnitude).lowercaseHex, Data(der[headerLength...]))
    }

    private static func date(_ time: UnsafePointer<ASN1_TIME>?, field: String) throws -> Date {
        var components = tm()
        guard let time, ASN1_TIME_to_tm(time, &components) == 1 else {
            throw CryptoError.openSSL(.invalidCertificate, "the certificate's \(field) time cannot be read")
        }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&components)))
    }

    private static func dnsNames(of x509: OpaquePointer) throws -> [String] {
        var found: Int32 = 0
        guard let names = X509_get_ext_d2i(x509, NID_subject_alt_name, &found, nil) else {
            // -1: no subjectAltName. Otherwise the extension is malformed or repeated.
            guard found == -1 else {
                throw CryptoError.openSSL(.invalidCertificate, "the subjectAltName extension cannot be read")
            }
            return []
        }
        defer { gw_general_names_free(names) }
        var result: [String] = []
        for index in 0..<gw_sk_general_name_num(names) {
            guard let name = gw_sk_general_name_value(names, index) else { continue }
            var type: Int32 = 0
            let value = GENERAL_NAME_get0_value(name.assumingMemoryBound(to: GENERAL_NAME.self), &type)
            guard type == GEN_DNS, let value else { continue }
            let string = value.assumingMemoryBound(to: ASN1_STRING.self)
            result.append(String(decoding: data(of: string), as: UTF8.self))
        }
        return result
    }

    /// Prints a name in RFC 2253 form, keeping UTF-8 characters unescaped.
    static func oneLine(_ name: OpaquePointer?) throws -> String {
        guard let name else {
            throw CryptoError.openSSL(.invalidCertificate, "the certificate has no issuer or subject name")
        }
        let bio = try MemoryBIO(failingWith: .invalidCertificate)
        // XN_FLAG_RFC2253 (a macro Swift cannot import) without ASN1_STRFLGS_ESC_MSB.
        let stringFlags = ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL | ASN1_STRFLGS_UTF8_CONVERT
            | ASN1_STRFLGS_DUMP_UNKNOWN | ASN1_STRFLGS_DUMP_DER
        let nameFlags = XN_FLAG_SEP_COMMA_PLUS | XN_FLAG_DN_REV | XN_FLAG_FN_SN | XN_FLAG_DUMP_UNKNOWN_FIELDS
        let flags = UInt(stringFlags) | UInt(nameFlags)
        guard X509_NAME_print_ex(bio.handle, name, 0, flags) >= 0 else {
            throw CryptoError.openSSL(.invalidCertificate, "could not print a certificate name")
        }
        return bio.text
    }

    private static func data(of string: UnsafePointer<ASN1_STRING>) -> Data {
        let length = Int(ASN1_STRING_length(string))
        guard length > 0, let bytes = ASN1_STRING_get0_data(string) else { return Data() }
        return Data(bytes: bytes, count: length)
    }

    private static func data(of string: UnsafeMutablePointer<ASN1_STRING>) -> Data {
        data(of: UnsafePointer(string))
    }
}
