import GatewayCore

/// One row of `gateway list`.
public struct HostListing: Sendable, Equatable {
    public var host: HostName
    public var owner: OwnerID
    public var mode: HostMode
    public var status: String
    public var serial: String?
    public var notAfter: Timestamp?
    public var daysRemaining: Int?
    public var renewAt: Timestamp?
    public var failures: Int

    /// Every declared or recorded host, by name.
    public static func rows(_ snapshot: RepositorySnapshot, now: Timestamp) -> [HostListing] {
        var rows: [HostName: HostListing] = [:]
        for declaration in snapshot.declarations {
            rows[declaration.host] = HostListing(host: declaration.host, owner: declaration.owner, mode: declaration.mode,
                                                 status: "declared", failures: 0)
        }
        for (host, record) in snapshot.hostRecords {
            var row = rows[host] ?? HostListing(host: host, owner: record.owner, mode: record.mode, status: "", failures: 0)
            row.status = record.status.rawValue
            rows[host] = row
        }
        for (host, cert) in snapshot.certRecords {
            guard var row = rows[host] else { continue }
            row.serial = cert.serial
            row.notAfter = cert.notAfter
            row.daysRemaining = cert.daysRemaining(at: now)
            row.renewAt = cert.renewAt
            row.failures = cert.failures?.count ?? 0
            rows[host] = row
        }
        return rows.values.sorted { $0.host < $1.host }
    }

    public static func text(_ rows: [HostListing]) -> String {
        let header = ["HOST", "OWNER", "MODE", "STATUS", "DAYS", "EXPIRES", "SERIAL"]
        let table = rows.map { row in
            [row.host.value, row.owner.value, row.mode.rawValue, row.status + (row.failures > 0 ? " (\(row.failures) failures)" : ""),
             row.daysRemaining.map(String.init) ?? "-", row.notAfter?.day ?? "-", row.serial.map { String($0.prefix(16)) } ?? "-"]
        }
        let widths = header.indices.map { i in ([header] + table).map { $0[i].count }.max() ?? 0 }
        return ([header] + table).map { cells in
            cells.enumerated().map { i, cell in i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    public var json: JSONValue {
        .object([("host", .string(host.value)), ("owner", .string(owner.value)), ("mode", .string(mode.rawValue)),
                 ("status", .string(status)), ("serial", serial.map(JSONValue.string) ?? .null),
                 ("not_after", notAfter.map { .string($0.rfc3339) } ?? .null),
                 ("days_remaining", daysRemaining.map(JSONValue.integer) ?? .null),
                 ("renew_at", renewAt.map { .string($0.rfc3339) } ?? .null), ("failures", .integer(failures))])
    }
}
