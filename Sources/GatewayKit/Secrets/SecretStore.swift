import Foundation
import GatewayCore

/// Typed access to the wrapped files of the managed repository. Payloads are JSON,
/// sealed by `Envelope`; nothing here is ever written in plaintext.
public struct SecretStore: Sendable {
    public let repository: ManagedRepository
    public let envelope: Envelope

    public init(repository: ManagedRepository, envelope: Envelope) {
        self.repository = repository
        self.envelope = envelope
    }

    // MARK: Certificates

    public struct CertificateBundle: Sendable {
        public var privateKeyPEM: String
        /// Leaf first, then intermediates.
        public var chainPEM: String
    }

    public func storeCertificate(_ bundle: CertificateBundle, owner: OwnerID, host: HostName) throws -> String {
        let path = RepositoryLayout.wrappedCertificatePath(owner: owner, host: host)
        try seal(.object([("key_pem", .string(bundle.privateKeyPEM)), ("chain_pem", .string(bundle.chainPEM))]),
                 kind: .certificate, path: path)
        return path
    }

    public func certificate(owner: OwnerID, host: HostName) throws -> CertificateBundle? {
        let path = RepositoryLayout.wrappedCertificatePath(owner: owner, host: host)
        guard let json = try open(path, kind: .certificate) else { return nil }
        guard let key = json["key_pem"]?.stringValue, let chain = json["chain_pem"]?.stringValue else {
            throw EnvelopeError(.cannotOpen, "\(path): payload lacks key_pem or chain_pem")
        }
        return CertificateBundle(privateKeyPEM: key, chainPEM: chain)
    }

    // MARK: ACME account

    public struct AccountPayload: Sendable {
        public var directory: String
        public var url: String
        public var keyPEM: String
    }

    public func storeAccount(_ account: AccountPayload) throws {
        try seal(.object([("directory", .string(account.directory)), ("url", .string(account.url)), ("key_pem", .string(account.keyPEM))]),
                 kind: .acmeAccount, path: RepositoryLayout.accountFile)
    }

    public func account() throws -> AccountPayload? {
        guard let json = try open(RepositoryLayout.accountFile, kind: .acmeAccount) else { return nil }
        guard let directory = json["directory"]?.stringValue, let url = json["url"]?.stringValue,
              let key = json["key_pem"]?.stringValue else {
            throw EnvelopeError(.cannotOpen, "\(RepositoryLayout.accountFile): payload lacks directory, url or key_pem")
        }
        return AccountPayload(directory: directory, url: url, keyPEM: key)
    }

    // MARK: DuckDNS tokens

    public func storeDuckDNSToken(_ token: String, owner: OwnerID) throws {
        try seal(.object([("token", .string(token))]), kind: .duckDNSToken, path: RepositoryLayout.duckDNSTokenPath(owner: owner))
    }

    public func duckDNSToken(owner: OwnerID) throws -> String? {
        let path = RepositoryLayout.duckDNSTokenPath(owner: owner)
        guard let json = try open(path, kind: .duckDNSToken) else { return nil }
        guard let token = json["token"]?.stringValue else { throw EnvelopeError(.cannotOpen, "\(path): payload lacks token") }
        return token
    }

    // MARK: In-flight orders

    public struct OrderPayload: Sendable {
        public var host: HostName
        public var orderURL: String
        public var accountURL: String
        public var sans: [String]
        public var keyPEM: String
        public var createdAt: Timestamp

        public init(host: HostName, orderURL: String, accountURL: String, sans: [String], keyPEM: String, createdAt: Timestamp) {
            self.host = host
            self.orderURL = orderURL
            self.accountURL = accountURL
            self.sans = sans
            self.keyPEM = keyPEM
            self.createdAt = createdAt
        }
    }

    @discardableResult
    public func storeOrder(_ order: OrderPayload, owner: OwnerID) throws -> String {
        let path = RepositoryLayout.wrappedOrderPath(owner: owner, orderID: RepositoryLayout.orderID(host: order.host, orderURL: order.orderURL))
        try seal(.object([("host", .string(order.host.value)), ("order_url", .string(order.orderURL)),
                          ("account_url", .string(order.accountURL)), ("sans", .array(order.sans.map(JSONValue.string))),
                          ("key_pem", .string(order.keyPEM)), ("created_at", .string(order.createdAt.rfc3339))]),
                 kind: .acmeOrder, path: path)
        return path
    }

    /// Every in-flight order of `owner` for `host`.
    public func orders(owner: OwnerID, host: HostName) throws -> [(path: String, order: OrderPayload)] {
        var result: [(String, OrderPayload)] = []
        for path in repository.files(under: RepositoryLayout.ownerOrdersDirectory(owner: owner))
        where RepositoryLayout.orderHost(path: path)?.host == host {
            guard let json = try open(path, kind: .acmeOrder), json["host"]?.stringValue == host.value else { continue }
            guard let url = json["order_url"]?.stringValue, let account = json["account_url"]?.stringValue,
                  let key = json["key_pem"]?.stringValue, case let .array(sans)? = json["sans"],
                  let created = json["created_at"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) else {
                throw EnvelopeError(.cannotOpen, "\(path): incomplete order payload")
            }
            result.append((path, OrderPayload(host: host, orderURL: url, accountURL: account, sans: sans.compactMap(\.stringValue),
                                              keyPEM: key, createdAt: created)))
        }
        return result.sorted { $0.1.createdAt > $1.1.createdAt }
    }

    // MARK: Sealing

    private func seal(_ payload: JSONValue, kind: EnvelopeFile.Kind, path: String) throws {
        let file = try envelope.seal(Data(CanonicalJSON.compact(payload).utf8), kind: kind, path: path)
        try repository.write(path, Data(file.serialized.utf8))
    }

    private func open(_ path: String, kind: EnvelopeFile.Kind) throws -> JSONValue? {
        guard let data = repository.read(path) else { return nil }
        let plaintext = try envelope.open(data, location: path, kind: kind)
        guard let json = try? JSONParser.parse(plaintext) else {
            throw EnvelopeError(.cannotOpen, "\(path): payload is not JSON")
        }
        return json
    }
}
