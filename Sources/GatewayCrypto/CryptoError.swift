/// An error from a cryptographic operation: generating or parsing keys, signing,
/// sealing data, building certificate requests, reading certificates or verifying
/// a chain.
///
/// Modelled on swift-certificates' `CertificateError`: `code` says what kind of
/// failure it was and is the only thing compared by `==`, so callers and tests can
/// match the kind; `reason` is for humans and carries OpenSSL's own error strings.
public struct CryptoError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure. Extensible: new codes can be added without breaking
    /// callers that switch over the ones they know.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        private init(_ name: String) { self.name = name }

        /// A new key could not be generated (including unsupported parameters).
        public static let keyGeneration = Code("keyGeneration")
        /// A private key could not be read, written or used (bad PEM, unsupported algorithm).
        public static let invalidKey = Code("invalidKey")
        /// Producing a signature failed.
        public static let signing = Code("signing")
        /// Checking a signature could not be carried out (not: the signature was wrong).
        public static let verification = Code("verification")
        /// Sealing data failed (including a key or nonce of the wrong size).
        public static let encryption = Code("encryption")
        /// Opening sealed data failed: wrong key, wrong associated data, tampered or
        /// truncated ciphertext.
        public static let decryption = Code("decryption")
        /// A certificate could not be parsed or encoded.
        public static let invalidCertificate = Code("invalidCertificate")
        /// A certificate signing request could not be built.
        public static let csr = Code("csr")
        /// A certificate chain did not verify against the given roots.
        public static let chainVerification = Code("chainVerification")
        /// The random number generator failed.
        public static let random = Code("random")

        public var description: String { name }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What went wrong, including the OpenSSL error strings drained right after the
    /// failing call.
    public let reason: String
    /// Where the error was raised (`#fileID`), for diagnostics.
    public let file: String
    /// The line where the error was raised, for diagnostics.
    public let line: UInt

    public init(_ code: Code, reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "CryptoError.\(code): \(reason)" }

    /// Equality on the code only, so tests and callers compare the kind of failure.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }

    /// Makes an error for a failed OpenSSL call, draining the calling thread's OpenSSL
    /// error queue into `reason`. Call it right after the failing call.
    static func openSSL(_ code: Code, _ message: String, file: String = #fileID, line: UInt = #line) -> CryptoError {
        let details = OpenSSLErrorQueue.drain()
        let reason = details.isEmpty ? message : "\(message): \(details.joined(separator: "; "))"
        return CryptoError(code, reason: reason, file: file, line: line)
    }
}
