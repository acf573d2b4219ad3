import Foundation
import GatewayCore
import GatewayCrypto

/// The CA's directory (RFC 8555 §7.1.1).
public struct ACMEDirectory: Sendable {
    public var newNonce: String
    public var newAccount: String
    public var newOrder: String
    public var revokeCert: String?
    public var keyChange: String?
    /// RFC 9773 ACME Renewal Information, when the CA offers it.
    public var renewalInfo: String?
    public var externalAccountRequired: Bool

    init(json: JSONValue, url: String) throws {
        func field(_ name: String) throws -> String {
            guard let value = json[name]?.stringValue else {
                throw ACMEError(.invalidResponse, "directory has no \(name)", url: url)
            }
            return value
        }
        newNonce = try field("newNonce")
        newAccount = try field("newAccount")
        newOrder = try field("newOrder")
        revokeCert = json["revokeCert"]?.stringValue
        keyChange = json["keyChange"]?.stringValue
        renewalInfo = json["renewalInfo"]?.stringValue
        if case .bool(true)? = json["meta"]?["externalAccountRequired"] { externalAccountRequired = true } else {
            externalAccountRequired = false
        }
    }
}

/// An ACME account: its key and the URL the CA knows it by (the JWS `kid`).
public struct ACMEAccount: Sendable {
    public let key: PrivateKey
    public let url: String
    public init(key: PrivateKey, url: String) {
        self.key = key
        self.url = url
    }
}

public struct ACMEOrder: Sendable {
    public var url: String
    public var status: String
    public var identifiers: [String]
    public var authorizations: [String]
    public var finalize: String
    public var certificate: String?
    public var error: String?

    init(json: JSONValue, url: String) throws {
        guard let status = json["status"]?.stringValue, let finalize = json["finalize"]?.stringValue,
              case let .array(authz)? = json["authorizations"] else {
            throw ACMEError(.invalidResponse, "order without status, finalize or authorizations", url: url)
        }
        self.url = url
        self.status = status
        self.finalize = finalize
        self.authorizations = authz.compactMap(\.stringValue)
        if case let .array(ids)? = json["identifiers"] { identifiers = ids.compactMap { $0["value"]?.stringValue } } else { identifiers = [] }
        certificate = json["certificate"]?.stringValue
        error = json["error"]?["detail"]?.stringValue
    }
}

public struct ACMEChallenge: Sendable {
    public var type: String
    public var url: String
    public var token: String
    public var status: String
    public var error: String?
}

public struct ACMEAuthorization: Sendable {
    public var url: String
    public var identifier: String
    public var wildcard: Bool
    public var status: String
    public var challenges: [ACMEChallenge]

    init(json: JSONValue, url: String) throws {
        guard let status = json["status"]?.stringValue, let identifier = json["identifier"]?["value"]?.stringValue else {
            throw ACMEError(.invalidResponse, "authorization without status or identifier", url: url)
        }
        self.url = url
        self.status = status
        self.identifier = identifier
        if case .bool(true)? = json["wildcard"] { wildcard = true } else { wildcard = false }
        var challenges: [ACMEChallenge] = []
        if case let .array(list)? = json["challenges"] {
            for c in list {
                guard let type = c["type"]?.stringValue, let curl = c["url"]?.stringValue else { continue }
                challenges.append(ACMEChallenge(type: type, url: curl, token: c["token"]?.stringValue ?? "",
                                                status: c["status"]?.stringValue ?? "pending",
                                                error: c["error"]?["detail"]?.stringValue))
            }
        }
        self.challenges = challenges
    }

    /// A human reason why validation failed, from the failed challenge.
    public var failureDetail: String? { challenges.compactMap(\.error).first }
}

extension ACMEChallenge {
    /// The TXT value for dns-01 (RFC 8555 §8.4): base64url(SHA-256(token "." thumbprint)).
    public static func dns01TXTValue(token: String, accountThumbprint: String) -> String {
        Base64.urlEncode(Digest.sha256(Data("\(token).\(accountThumbprint)".utf8)))
    }

    /// `_acme-challenge.<identifier>` (a wildcard's base name).
    public static func dns01RecordName(for identifier: String) -> String {
        "_acme-challenge." + (identifier.hasPrefix("*.") ? String(identifier.dropFirst(2)) : identifier)
    }
}
