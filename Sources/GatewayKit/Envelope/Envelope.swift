import Foundation
import GatewayCore
import GatewayCrypto

/// Seals payloads into `EnvelopeFile`s and opens them again (DESIGN §3).
public struct Envelope: Sendable {
    /// Wraps new files.
    public let current: any KeyEncryptionProvider
    /// Finds the provider for a file's kek (rotation: old keys stay readable).
    private let resolve: @Sendable (EnvelopeFile.KeyReference) throws -> any KeyEncryptionProvider

    public init(current: any KeyEncryptionProvider,
                resolve: @escaping @Sendable (EnvelopeFile.KeyReference) throws -> any KeyEncryptionProvider) {
        self.current = current
        self.resolve = resolve
    }

    public func seal(_ payload: Data, kind: EnvelopeFile.Kind, path: String) throws -> EnvelopeFile {
        let dataKey = try SecureRandom.bytes(32)
        let nonce = try SecureRandom.bytes(12)
        let kek = current.reference
        let wrapped = try current.wrap(dataKey: dataKey, context: ["path": path, "kind": kind.rawValue])
        let ciphertext = try AESGCM.seal(payload, key: dataKey, nonce: nonce,
                                         authenticating: Data(EnvelopeFile.additionalData(kind: kind, path: path, kek: kek)))
        return EnvelopeFile(kind: kind, path: path, kek: kek, wrappedDEK: Array(wrapped), nonce: Array(nonce), ciphertext: Array(ciphertext))
    }

    /// Opens the wrapped file stored at `location`, expecting `kind`.
    public func open(_ bytes: Data, location: String, kind: EnvelopeFile.Kind) throws -> Data {
        let file = try EnvelopeFile.parse(bytes, location: location)
        guard file.kind == kind else {
            throw EnvelopeError(.cannotOpen, "\(location): holds a \(file.kind.rawValue), expected a \(kind.rawValue)")
        }
        let provider = try resolve(file.kek)
        let dataKey: Data
        do {
            dataKey = try provider.unwrap(wrappedKey: Data(file.wrappedDEK), context: ["path": location, "kind": kind.rawValue])
        } catch let error as EnvelopeError {
            throw EnvelopeError(error.code, "\(location): \(error.reason)")
        }
        do {
            return try AESGCM.open(Data(file.ciphertext), key: dataKey, nonce: Data(file.nonce),
                                   authenticating: Data(EnvelopeFile.additionalData(kind: kind, path: location, kek: file.kek)))
        } catch {
            throw EnvelopeError(.cannotOpen, "\(location): cannot be opened (its header was edited or it was copied from another path)")
        }
    }

    /// The embedded default: local keys, resolving any local key_id from the key directory.
    public static func local(keyID: String, environment: [String: String]) throws -> Envelope {
        let current = try LocalKeyProvider.load(keyID: keyID, configuredKeyID: keyID, environment: environment)
        return Envelope(current: current) { reference in
            guard reference.provider == "local" else {
                throw EnvelopeError(.unsupportedProvider, "files wrapped by provider \(reference.provider) need that provider configured")
            }
            if reference == current.reference { return current }
            return try LocalKeyProvider.load(keyID: reference.keyID, configuredKeyID: keyID, environment: environment)
        }
    }
}
