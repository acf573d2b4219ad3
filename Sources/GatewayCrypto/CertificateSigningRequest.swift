import CGatewayShims
import COpenSSL
import Foundation

/// PKCS#10 certificate signing requests for ACME `finalize`.
public enum CertificateSigningRequest {
    /// The longest common name X.520 allows (ub-common-name).
    static let maximumCommonNameLength = 64

    /// A DER-encoded PKCS#10 CSR signed by `key` (SHA-256 for EC P-256 and RSA,
    /// SHA-384 for EC P-384). The subject is `CN=<first DNS name>` — or empty, with
    /// a critical subjectAltName, when that name is longer than 64 bytes — and the
    /// subjectAltName holds every name as `DNS:`, in order. Wildcards such as
    /// `*.example.org` are passed through.
    ///
    /// - Throws: `CryptoError(.csr)` for an empty list, a name that is empty or not
    ///   printable ASCII (IDNs must be given as A-labels), or when OpenSSL fails.
    public static func make(key: PrivateKey, dnsNames: [String]) throws -> Data {
        guard let first = dnsNames.first else {
            throw CryptoError(.csr, reason: "a certificate request needs at least one DNS name")
        }
        for name in dnsNames {
            guard !name.isEmpty, name.utf8.allSatisfy({ (0x21...0x7e).contains($0) }) else {
                throw CryptoError(
                    .csr, reason: "DNS name '\(name)' must be non-empty printable ASCII without spaces (use punycode for IDNs)")
            }
        }
        OpenSSLErrorQueue.clear()
        guard let request = X509_REQ_new() else {
            throw CryptoError.openSSL(.csr, "could not allocate a certificate request")
        }
        defer { X509_REQ_free(request) }
        guard X509_REQ_set_version(request, 0) == 1 else {  // 0 is PKCS#10 version 1
            throw CryptoError.openSSL(.csr, "could not set the request version")
        }

        let hasCommonName = first.utf8.count <= maximumCommonNameLength
        if hasCommonName {
            guard let subject = X509_REQ_get_subject_name(request),
                  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, first, -1, -1, 0) == 1
            else {
                throw CryptoError.openSSL(.csr, "could not set the subject CN=\(first)")
            }
        }
        try addSubjectAltName(dnsNames, critical: !hasCommonName, to: request)

        guard X509_REQ_set_pubkey(request, key.handle) == 1 else {
            throw CryptoError.openSSL(.csr, "could not put the \(key.algorithm) public key into the request")
        }
        guard X509_REQ_sign(request, key.handle, key.messageDigest) > 0 else {
            throw CryptoError.openSSL(.csr, "could not sign the request with the \(key.algorithm) key")
        }

        let length = i2d_X509_REQ(request, nil)
        guard length > 0 else {
            throw CryptoError.openSSL(.csr, "could not encode the request as DER")
        }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509_REQ(request, &cursor)
        }
        guard written == length else {
            throw CryptoError.openSSL(.csr, "could not encode the request as DER")
        }
        return Data(der)
    }

    /// Adds an extensionRequest attribute holding a subjectAltName with `names`.
    private static func addSubjectAltName(_ names: [String], critical: Bool, to request: OpaquePointer) throws {
        guard let generalNames = gw_general_names_new() else {
            throw CryptoError.openSSL(.csr, "could not allocate the subjectAltName")
        }
        defer { gw_general_names_free(generalNames) }
        for name in names {
            guard let entry = GENERAL_NAME_new() else {
                throw CryptoError.openSSL(.csr, "could not allocate a subjectAltName entry")
            }
            guard let string = ASN1_IA5STRING_new() else {
                GENERAL_NAME_free(entry)
                throw CryptoError.openSSL(.csr, "could not allocate a subjectAltName entry")
            }
            let bytes = Array(name.utf8)
            guard ASN1_STRING_set(string, bytes, Int32(bytes.count)) == 1 else {
                ASN1_STRING_free(string)
                GENERAL_NAME_free(entry)
                throw CryptoError.openSSL(.csr, "could not store DNS name '\(name)'")
            }
            GENERAL_NAME_set0_value(entry, GEN_DNS, UnsafeMutableRawPointer(string))  // entry owns string
            guard gw_sk_general_name_push(generalNames, UnsafeMutableRawPointer(entry)) > 0 else {
                GENERAL_NAME_free(entry)
                throw CryptoError.openSSL(.csr, "could not add DNS name '\(name)'")
            }
        }
        guard let extensions = gw_sk_x509_extension_new_null() else {
            throw CryptoError.openSSL(.csr, "could not allocate the extension list")
        }
        defer { gw_sk_x509_extension_pop_free(extensions) }
        guard let subjectAltName = X509V3_EXT_i2d(NID_subject_alt_name, critical ? 1 : 0, generalNames) else {
            throw CryptoError.openSSL(.csr, "could not encode the subjectAltName")
        }
        guard gw_sk_x509_extension_push(extensions, UnsafeMutableRawPointer(subjectAltName)) > 0 else {
            X509_EXTENSION_free(subjectAltName)
            throw CryptoError.openSSL(.csr, "could not add the subjectAltName")
        }
        guard X509_REQ_add_extensions(request, OpaquePointer(extensions)) == 1 else {
            throw CryptoError.openSSL(.csr, "could not add the extension request to the CSR")
        }
    }
}
