/// How a branch changes one declaration compared with a base revision (`plan --base`).
public struct DeclarationChange: Sendable, Equatable {
    public enum Kind: String, Sendable { case added, changed, removed }

    public var host: HostName
    public var kind: Kind
    /// Repository-relative path in the branch (or in the base, when removed).
    public var file: String
    /// `wildcard: false → true`, for changed declarations.
    public var fields: [String]

    /// Compares two sets of declarations by host.
    public static func between(base: [Declaration], head: [Declaration]) -> [DeclarationChange] {
        let before = Dictionary(base.map { ($0.host, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(head.map { ($0.host, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [DeclarationChange] = []
        for (host, declaration) in after {
            guard let old = before[host] else {
                changes.append(.init(host: host, kind: .added, file: declaration.file, fields: []))
                continue
            }
            let fields = differences(old, declaration)
            if !fields.isEmpty { changes.append(.init(host: host, kind: .changed, file: declaration.file, fields: fields)) }
        }
        for (host, declaration) in before where after[host] == nil {
            changes.append(.init(host: host, kind: .removed, file: declaration.file, fields: []))
        }
        return changes.sorted { $0.host < $1.host }
    }

    static func differences(_ a: Declaration, _ b: Declaration) -> [String] {
        var fields: [String] = []
        func note<T: Equatable>(_ name: String, _ x: T, _ y: T, _ show: (T) -> String) {
            if x != y { fields.append("\(name): \(show(x)) → \(show(y))") }
        }
        note("owner", a.owner, b.owner) { $0.value }
        note("agent_id", a.agentID, b.agentID) { $0 }
        note("mode", a.mode, b.mode) { $0.rawValue }
        note("wildcard", a.wildcard, b.wildcard) { String($0) }
        note("key", a.key, b.key) { $0.rawValue }
        note("ips", a.ips.sorted(), b.ips.sorted()) { $0.isEmpty ? "[]" : $0.map(\.description).joined(separator: ", ") }
        return fields
    }
}
