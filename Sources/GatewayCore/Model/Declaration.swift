/// An owner's wish for one public host name: `hosts/<uid>/<fqdn>.json`.
public struct Declaration: Sendable, Equatable {
    public var host: HostName
    public var owner: OwnerID
    public var agentID: String
    public var mode: HostMode
    public var wildcard: Bool
    public var key: KeyType
    public var ips: [IPAddress]
    /// Repository-relative path of the declaring file.
    public var file: String

    public init(host: HostName, owner: OwnerID, agentID: String, mode: HostMode, wildcard: Bool = false,
                key: KeyType = .default, ips: [IPAddress] = [], file: String? = nil) {
        self.host = host
        self.owner = owner
        self.agentID = agentID
        self.mode = mode
        self.wildcard = wildcard
        self.key = key
        self.ips = ips
        self.file = file ?? RepositoryLayout.declarationPath(owner: owner, host: host)
    }

    /// Subject alternative names of the certificate: the host, and `*.host` with `wildcard`.
    public var subjectAlternativeNames: [String] {
        wildcard ? [host.value, "*." + host.value] : [host.value]
    }

    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("host", .string(host.value)), ("agent_id", .string(agentID)), ("mode", .string(mode.rawValue)),
        ]
        if wildcard { members.append(("wildcard", .bool(true))) }
        if key != .default { members.append(("key", .string(key.rawValue))) }
        if !ips.isEmpty { members.append(("ips", .array(ips.map { .string($0.description) }))) }
        return .object(members)
    }

    /// `agent_id`: 1–128 characters of `[A-Za-z0-9._-]`, starting with a letter or digit
    /// (it is published inside a TXT record as `agent_id=<id>`).
    public static func isValidAgentID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...128).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) }
        return alnum(bytes[0]) && bytes.allSatisfy { alnum($0) || $0 == 46 || $0 == 95 || $0 == 45 }
    }
}
