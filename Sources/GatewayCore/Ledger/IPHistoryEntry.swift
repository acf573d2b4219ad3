/// One line of `state/ip_history/<fqdn>.jsonl`: the set of addresses of one family
/// changed. Lines are only ever appended.
public struct IPHistoryEntry: Sendable, Equatable {
    public enum Source: String, Sendable, CaseIterable { case declared, report, observed }

    public var at: Timestamp
    public var family: IPAddress.Family
    public var ips: [IPAddress]
    public var source: Source

    public init(at: Timestamp, family: IPAddress.Family, ips: [IPAddress], source: Source) {
        self.at = at
        self.family = family
        self.ips = ips.sorted()
        self.source = source
    }

    public var jsonLine: String {
        CanonicalJSON.compact(.object([
            ("at", .string(at.rfc3339)), ("family", .string(family.rawValue)),
            ("ips", .array(ips.map { .string($0.description) })), ("source", .string(source.rawValue)),
        ])) + "\n"
    }

    public init(json: JSONValue, file: String) throws(ValidationError) {
        var issues: [ValidationIssue] = []
        guard var r = ObjectReader(json, file: file, issues: &issues) else { throw ValidationError(issues) }
        let at = r.timestamp("at", required: true)
        let family = r.string("family", required: true).flatMap(IPAddress.Family.init(rawValue:))
        let ips = (r.stringArray("ips") ?? []).compactMap(IPAddress.init)
        let source = r.enumValue("source", Source.self, required: true)
        r.rejectUnknownMembers()
        guard r.issues.isEmpty, let at, let family, let source else {
            throw ValidationError(r.issues.isEmpty ? [ValidationIssue(file: file, message: "invalid ip_history line")] : r.issues)
        }
        self.init(at: at, family: family, ips: ips, source: source)
    }

    /// Parses a whole `.jsonl` file.
    public static func parseLines(_ text: String, file: String) throws(ValidationError) -> [IPHistoryEntry] {
        var entries: [IPHistoryEntry] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            do {
                entries.append(try IPHistoryEntry(json: try JSONParser.parse(String(line)), file: file))
            } catch let error as JSONParser.SyntaxError {
                throw ValidationError([ValidationIssue(file: file, message: "invalid JSON: \(error.message)", line: number + 1, column: error.column)])
            } catch let error as ValidationError {
                throw error
            } catch {
                throw ValidationError([ValidationIssue(file: file, message: "\(error)", line: number + 1)])
            }
        }
        return entries
    }

    /// The addresses per family as of the last entry of each family.
    public static func current(_ entries: [IPHistoryEntry]) -> [IPAddress.Family: [IPAddress]] {
        var result: [IPAddress.Family: [IPAddress]] = [:]
        for entry in entries { result[entry.family] = entry.ips }
        return result
    }
}
