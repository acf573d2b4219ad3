import Foundation
import GatewayCore
import GatewayCrypto

/// The embedded default KMS: a 32-byte key named by key_id, from
/// `GATEWAY_KMS_LOCAL_KEY` (base64) or `GATEWAY_KMS_LOCAL_KEY_DIR/<key_id>.key`.
/// Data keys are wrapped with AES-256-GCM under it.
public struct LocalKeyProvider: KeyEncryptionProvider {
    public let reference: EnvelopeFile.KeyReference
    private let key: Data

    public init(keyID: String, key: Data) throws {
        guard key.count == 32 else { throw EnvelopeError(.invalidKey, "local key \(keyID) has \(key.count) bytes (expected 32)") }
        self.reference = .init(provider: "local", keyID: keyID)
        self.key = key
    }

    /// Where local keys live when `GATEWAY_KMS_LOCAL_KEY_DIR` is not set.
    public static func keyDirectory(environment: [String: String]) -> URL {
        if let dir = environment["GATEWAY_KMS_LOCAL_KEY_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        let base = environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        return base.appendingPathComponent("gateway/keys")
    }

    public static func keyFile(keyID: String, environment: [String: String]) -> URL {
        keyDirectory(environment: environment).appendingPathComponent("\(keyID).key")
    }

    /// Loads `keyID`: `GATEWAY_KMS_LOCAL_KEY` when `configuredKeyID` matches, else the key file.
    public static func load(keyID: String, configuredKeyID: String, environment: [String: String]) throws -> LocalKeyProvider {
        if keyID == configuredKeyID, let text = environment["GATEWAY_KMS_LOCAL_KEY"], !text.isEmpty {
            guard let bytes = decodeBase64Key(text) else {
                throw EnvelopeError(.invalidKey, "GATEWAY_KMS_LOCAL_KEY is not base64 (expected base64 of 32 bytes)")
            }
            return try LocalKeyProvider(keyID: keyID, key: Data(bytes))
        }
        let file = keyFile(keyID: keyID, environment: environment)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw EnvelopeError(.keyNotFound,
                                "local KMS key \(keyID) not found: set GATEWAY_KMS_LOCAL_KEY or create \(file.path) (gateway init does)")
        }
        // A key file holds the 32 raw bytes, or their base64 on one line (what init writes).
        if data.count == 32 { return try LocalKeyProvider(keyID: keyID, key: data) }
        guard let bytes = decodeBase64Key(String(decoding: data, as: UTF8.self)) else {
            throw EnvelopeError(.invalidKey, "\(file.path) is neither 32 raw bytes nor base64 of 32 bytes")
        }
        return try LocalKeyProvider(keyID: keyID, key: Data(bytes))
    }

    /// Standard or URL-safe base64, surrounding whitespace ignored.
    private static func decodeBase64Key(_ text: String) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return Base64.decode(trimmed) ?? Base64.urlDecode(trimmed)
    }

    /// Creates a new random key file (0600, directory 0700). Refuses to overwrite.
    @discardableResult
    public static func createKeyFile(keyID: String, environment: [String: String]) throws -> URL {
        let file = keyFile(keyID: keyID, environment: environment)
        let fm = FileManager.default
        try fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                               attributes: [.posixPermissions: 0o700])
        guard !fm.fileExists(atPath: file.path) else { return file }
        let key = try SecureRandom.bytes(32)
        guard fm.createFile(atPath: file.path, contents: Data((Base64.encode(key) + "\n").utf8),
                            attributes: [.posixPermissions: 0o600]) else {
            throw EnvelopeError(.keyNotFound, "cannot create \(file.path)")
        }
        return file
    }

    public func wrap(dataKey: Data, context: [String: String]) throws -> Data {
        let nonce = try SecureRandom.bytes(12)
        return nonce + (try AESGCM.seal(dataKey, key: key, nonce: nonce, authenticating: Self.aad(context)))
    }

    public func unwrap(wrappedKey: Data, context: [String: String]) throws -> Data {
        guard wrappedKey.count == 12 + 32 + 16 else {
            throw EnvelopeError(.cannotOpen, "wrapped data key has \(wrappedKey.count) bytes (expected 60)")
        }
        do {
            return try AESGCM.open(wrappedKey.dropFirst(12), key: key, nonce: wrappedKey.prefix(12), authenticating: Self.aad(context))
        } catch {
            throw EnvelopeError(.cannotOpen, "local key \(reference.keyID) does not unwrap this data key (wrong key, or the file was moved or edited)")
        }
    }

    private static func aad(_ context: [String: String]) -> Data {
        Data(CanonicalJSON.compact(.object(context.map { ($0.key, .string($0.value)) })).utf8)
    }
}
