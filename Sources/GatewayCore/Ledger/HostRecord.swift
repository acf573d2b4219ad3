/// `state/hosts/<fqdn>.json`, the ledger table gateway.hosts.
public struct HostRecord: Sendable, Equatable {
    public enum Status: String, Sendable { case pending, verified, released }
    public enum VerifiedBy: String, Sendable { case duckdnsToken = "duckdns-token", txt, cname }

    public var host: HostName
    public var agentID: String
    public var owner: OwnerID
    public var mode: HostMode
    public var status: Status
    public var claimedAt: Timestamp
    public var verifiedAt: Timestamp?
    public var verifiedBy: VerifiedBy?
    public var releasedAt: Timestamp?

    public init(host: HostName, agentID: String, owner: OwnerID, mode: HostMode, status: Status, claimedAt: Timestamp,
                verifiedAt: Timestamp? = nil, verifiedBy: VerifiedBy? = nil, releasedAt: Timestamp? = nil) {
        self.host = host
        self.agentID = agentID
        self.owner = owner
        self.mode = mode
        self.status = status
        self.claimedAt = claimedAt
        self.verifiedAt = verifiedAt
        self.verifiedBy = verifiedBy
        self.releasedAt = releasedAt
    }

    public var json: JSONValue {
        .object([
            ("host", .string(host.value)), ("agent_id", .string(agentID)), ("owner", .string(owner.value)),
            ("mode", .string(mode.rawValue)), ("status", .string(status.rawValue)),
            ("claimed_at", .string(claimedAt.rfc3339)),
            ("verified_at", verifiedAt.map { .string($0.rfc3339) } ?? .null),
            ("verified_by", verifiedBy.map { .string($0.rawValue) } ?? .null),
            ("released_at", releasedAt.map { .string($0.rfc3339) } ?? .null),
        ])
    }

    public init(json: JSONValue, file: String) throws(ValidationError) {
        var issues: [ValidationIssue] = []
        guard var r = ObjectReader(json, file: file, issues: &issues) else { throw ValidationError(issues) }
        let host = r.hostName("host")
        let agentID = r.string("agent_id", required: true)
        let owner = r.string("owner", required: true).flatMap(OwnerID.init)
        let mode = r.enumValue("mode", HostMode.self, required: true)
        let status = r.enumValue("status", Status.self, required: true)
        let claimedAt = r.timestamp("claimed_at", required: true)
        let verifiedAt = r.timestamp("verified_at", required: false)
        let verifiedBy = r.enumValue("verified_by", VerifiedBy.self, required: false)
        let releasedAt = r.timestamp("released_at", required: false)
        r.rejectUnknownMembers()
        guard r.issues.isEmpty, let host, let agentID, let owner, let mode, let status, let claimedAt else {
            throw ValidationError(r.issues.isEmpty ? [ValidationIssue(file: file, message: "invalid host record")] : r.issues)
        }
        self.init(host: host, agentID: agentID, owner: owner, mode: mode, status: status, claimedAt: claimedAt,
                  verifiedAt: verifiedAt, verifiedBy: verifiedBy, releasedAt: releasedAt)
    }
}

extension ObjectReader {
    mutating func hostName(_ key: String) -> HostName? {
        guard let text = string(key, required: true) else { return nil }
        do { return try HostName(validating: text) } catch {
            issue(key, "invalid host name \"\(text)\": \(error.reason)")
            return nil
        }
    }

    mutating func timestamp(_ key: String, required: Bool) -> Timestamp? {
        guard let text = string(key, required: required) else { return nil }
        guard let t = Timestamp(rfc3339: text) else {
            issue(key, "\"\(text)\" is not an RFC 3339 timestamp (expected e.g. 2026-12-04T15:19:00Z)")
            return nil
        }
        return t
    }

    mutating func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type, required: Bool) -> E?
        where E.RawValue == String
    {
        guard let text = string(key, required: required) else { return nil }
        guard let value = E(rawValue: text) else {
            issue(key, "unknown value \"\(text)\" (expected one of \(E.allCases.map(\.rawValue).joined(separator: ", ")))")
            return nil
        }
        return value
    }
}

extension HostRecord.Status: CaseIterable {}
extension HostRecord.VerifiedBy: CaseIterable {}
