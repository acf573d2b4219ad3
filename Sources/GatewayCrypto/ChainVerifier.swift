import CGatewayShims
import COpenSSL
import Foundation

/// Verifies certificate chains against an explicit set of trust anchors.
public enum ChainVerifier {
    /// Verifies `chain[0]` (the leaf) using `chain[1...]` as untrusted intermediates
    /// and `roots` as the only trust anchors — the system store is never consulted.
    /// Signatures, validity periods at `date` (now when `nil`), CA constraints and
    /// path length are checked; the key usage purpose is not.
    ///
    /// - Throws: `CryptoError(.chainVerification)` with OpenSSL's verification error,
    ///   the depth and the subject of the certificate that failed.
    public static func verify(chain: [Certificate], roots: [Certificate], at date: Date? = nil) throws {
        guard let leaf = chain.first else {
            throw CryptoError(.chainVerification, reason: "the chain is empty")
        }
        guard !roots.isEmpty else {
            throw CryptoError(.chainVerification, reason: "no trusted root certificates were given")
        }
        OpenSSLErrorQueue.clear()
        guard let store = X509_STORE_new() else {
            throw CryptoError.openSSL(.chainVerification, "could not allocate a certificate store")
        }
        defer { X509_STORE_free(store) }
        for root in roots {
            guard X509_STORE_add_cert(store, root.handle) == 1 else {  // takes its own reference
                throw CryptoError.openSSL(.chainVerification, "could not add root \(root.subjectName)")
            }
        }

        guard let untrusted = gw_sk_x509_new_null() else {
            throw CryptoError.openSSL(.chainVerification, "could not allocate the intermediate list")
        }
        defer { gw_sk_x509_pop_free(untrusted) }  // drops the references taken below
        for intermediate in chain.dropFirst() {
            X509_up_ref(intermediate.handle)
            guard gw_sk_x509_push(untrusted, UnsafeMutableRawPointer(intermediate.handle)) > 0 else {
                X509_free(intermediate.handle)
                throw CryptoError.openSSL(.chainVerification, "could not add intermediate \(intermediate.subjectName)")
            }
        }

        guard let context = X509_STORE_CTX_new() else {
            throw CryptoError.openSSL(.chainVerification, "could not allocate a verification context")
        }
        defer { X509_STORE_CTX_free(context) }
        guard X509_STORE_CTX_init(context, store, leaf.handle, OpaquePointer(untrusted)) == 1 else {
            throw CryptoError.openSSL(.chainVerification, "could not set up chain verification")
        }
        if let date {
            X509_STORE_CTX_set_time(context, 0, time_t(date.timeIntervalSince1970.rounded(.down)))
        }
        guard X509_verify_cert(context) == 1 else {
            let code = X509_STORE_CTX_get_error(context)
            let message = String(cString: X509_verify_cert_error_string(Int(code)))
            let depth = X509_STORE_CTX_get_error_depth(context)
            let subject = X509_STORE_CTX_get_current_cert(context)
                .flatMap { try? Certificate.oneLine(X509_get_subject_name($0)) }
                .map { " (\($0))" } ?? ""
            throw CryptoError.openSSL(
                .chainVerification, "certificate at depth \(depth)\(subject) failed verification: \(message)")
        }
        OpenSSLErrorQueue.clear()
    }
}
