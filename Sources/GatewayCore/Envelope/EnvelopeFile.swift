/// The on-disk form of a wrapped secret (DESIGN §3): one JSON object holding the
/// AES-256-GCM ciphertext of the payload and the data key wrapped by the KMS key.
///
/// The additional authenticated data binds format, kind, path and the key-encryption
/// key, so a file copied to another path or with an edited header fails to open.
public struct EnvelopeFile: Sendable, Equatable {
    public static let format = "gateway-envelope/1"

    public enum Kind: String, Sendable, CaseIterable {
        case certificate
        case acmeAccount = "acme-account"
        case acmeOrder = "acme-order"
        case duckDNSToken = "duckdns-token"
    }

    public struct KeyReference: Sendable, Hashable {
        public var provider: String
        public var keyID: String
        public init(provider: String, keyID: String) {
            self.provider = provider
            self.keyID = keyID
        }
    }

    public var kind: Kind
    public var path: String
    public var kek: KeyReference
    public var wrappedDEK: [UInt8]
    public var nonce: [UInt8]
    public var ciphertext: [UInt8]

    public init(kind: Kind, path: String, kek: KeyReference, wrappedDEK: [UInt8], nonce: [UInt8], ciphertext: [UInt8]) {
        self.kind = kind
        self.path = path
        self.kek = kek
        self.wrappedDEK = wrappedDEK
        self.nonce = nonce
        self.ciphertext = ciphertext
    }

    /// The AAD for a payload of `kind` stored at `path` under `kek`.
    public static func additionalData(kind: Kind, path: String, kek: KeyReference) -> [UInt8] {
        Array(CanonicalJSON.compact(.object([
            ("format", .string(format)), ("kind", .string(kind.rawValue)), ("path", .string(path)),
            ("kek", .object([("provider", .string(kek.provider)), ("key_id", .string(kek.keyID))])),
        ])).utf8)
    }

    public var serialized: String {
        CanonicalJSON.serialize(.object([
            ("format", .string(Self.format)), ("kind", .string(kind.rawValue)), ("path", .string(path)),
            ("kek", .object([("provider", .string(kek.provider)), ("key_id", .string(kek.keyID)),
                             ("wrapped_dek", .string(Base64.encode(wrappedDEK)))])),
            ("nonce", .string(Base64.encode(nonce))), ("ciphertext", .string(Base64.encode(ciphertext))),
        ]))
    }

    /// Parses a wrapped file found at `location`. Checks the header only; opening the
    /// ciphertext (in GatewayKit) proves it was not moved or edited.
    public static func parse(_ bytes: some Collection<UInt8>, location: String) throws(ValidationError) -> EnvelopeFile {
        var issues: [ValidationIssue] = []
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch {
            throw ValidationError([ValidationIssue(file: location, message: "not a wrapped file: invalid JSON: \(error.message)",
                                                   line: error.line, column: error.column)])
        }
        guard var r = ObjectReader(document, file: location, issues: &issues) else { throw ValidationError(issues) }
        let format = r.string("format", required: true)
        let kind = r.enumValue("kind", Kind.self, required: true)
        let path = r.string("path", required: true)
        var kek: KeyReference?
        var wrapped: [UInt8]?
        if var k = r.object("kek") {
            if let provider = k.string("provider", required: true), let keyID = k.string("key_id", required: true) {
                kek = KeyReference(provider: provider, keyID: keyID)
            }
            wrapped = k.base64("wrapped_dek")
            k.rejectUnknownMembers()
            r.absorb(k)
        } else {
            r.issue("kek", "missing required field (expected an object)")
        }
        let nonce = r.base64("nonce")
        let ciphertext = r.base64("ciphertext")
        r.rejectUnknownMembers()
        if let format, format != Self.format { r.issue("format", "unsupported format \"\(format)\" (expected \(Self.format))") }
        if let path, path != location {
            r.issue("path", "this file was written for \(path) but is stored at \(location); a wrapped file cannot be moved")
        }
        guard r.issues.isEmpty, let kind, let path, let kek, let wrapped, let nonce, let ciphertext else { throw ValidationError(r.issues) }
        return EnvelopeFile(kind: kind, path: path, kek: kek, wrappedDEK: wrapped, nonce: nonce, ciphertext: ciphertext)
    }
}

extension ObjectReader {
    mutating func base64(_ key: String) -> [UInt8]? {
        guard let text = string(key, required: true) else { return nil }
        guard let bytes = Base64.decode(text) else {
            issue(key, "invalid base64")
            return nil
        }
        return bytes
    }
}
