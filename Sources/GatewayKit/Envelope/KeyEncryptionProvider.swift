import Foundation
import GatewayCore

/// A key-encryption key (KEK) that wraps and unwraps data keys. `context` binds the
/// wrapped key to the file it belongs to (like AWS KMS's EncryptionContext).
public protocol KeyEncryptionProvider: Sendable {
    var reference: EnvelopeFile.KeyReference { get }
    func wrap(dataKey: Data, context: [String: String]) throws -> Data
    func unwrap(wrappedKey: Data, context: [String: String]) throws -> Data
}

public struct EnvelopeError: Error, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable {
        let name: String
        public static let keyNotFound = Code(name: "key not found")
        public static let invalidKey = Code(name: "invalid key")
        public static let cannotOpen = Code(name: "cannot open")
        public static let unsupportedProvider = Code(name: "unsupported provider")
        public static let kms = Code(name: "KMS error")
    }

    public let code: Code
    public let reason: String
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
    public var description: String { reason }
    public static func == (lhs: EnvelopeError, rhs: EnvelopeError) -> Bool { lhs.code == rhs.code }
}
