/// Reads the members of one JSON object strictly, collecting an issue for every
/// missing, mistyped or unknown member instead of stopping at the first.
public struct ObjectReader {
    public let file: String
    public let path: String
    public private(set) var issues: [ValidationIssue] = []
    private let members: [(key: String, value: JSONValue)]
    /// Ledger records write absent values as null; owners' files (declarations,
    /// gateway.json) must omit a field to get its default, so null is an error there.
    public var nullMeansAbsent = true
    /// Member names read so far (a handful: an array beats a set).
    private var consumed: [String] = []

    /// Returns nil (and records an issue) when `value` is not an object.
    public init?(_ value: JSONValue, file: String, path: String = "$", issues: inout [ValidationIssue]) {
        guard case let .object(members) = value else {
            issues.append(ValidationIssue(file: file, jsonPath: path == "$" ? nil : path,
                                          message: "expected a JSON object, found \(value.typeName)"))
            return nil
        }
        self.file = file
        self.path = path
        self.members = members
    }

    public func memberPath(_ key: String) -> String { "\(path).\(key)" }

    public mutating func issue(_ key: String?, _ message: String) {
        issues.append(ValidationIssue(file: file, jsonPath: key.map(memberPath) ?? path, message: message))
    }

    public mutating func appendIssue(_ issue: ValidationIssue) { issues.append(issue) }

    public mutating func value(_ key: String) -> JSONValue? {
        if !consumed.contains(key) { consumed.append(key) }
        return members.first(where: { $0.key == key })?.value
    }

    /// Reads a member that may be absent: nil when absent; null is absent too where
    /// `nullMeansAbsent` or `allowNull`, and otherwise an error.
    private mutating func present(_ key: String, allowNull: Bool) -> JSONValue? {
        guard let value = value(key) else { return nil }
        if value == .null {
            if !nullMeansAbsent && !allowNull { issue(key, "must not be null (leave the field out to get its default)") }
            return nil
        }
        return value
    }

    public mutating func string(_ key: String, required: Bool, allowEmpty: Bool = false, allowNull: Bool = false) -> String? {
        guard let value = required ? value(key) : present(key, allowNull: allowNull) else {
            if required { issue(key, "missing required field (expected a string)") }
            return nil
        }
        guard case let .string(s) = value else {
            issue(key, "expected a string, found \(value.typeName)")
            return nil
        }
        if s.isEmpty && !allowEmpty {
            issue(key, "must not be empty")
            return nil
        }
        return s
    }

    public mutating func bool(_ key: String) -> Bool? {
        guard let value = present(key, allowNull: false) else { return nil }
        guard case let .bool(b) = value else {
            issue(key, "expected true or false, found \(value.typeName)")
            return nil
        }
        return b
    }

    public mutating func integer(_ key: String, range: ClosedRange<Int>) -> Int? {
        guard let value = present(key, allowNull: false) else { return nil }
        guard case let .integer(i) = value else {
            issue(key, "expected an integer, found \(value.typeName)")
            return nil
        }
        guard range.contains(i) else {
            issue(key, "\(i) is out of range (expected \(range.lowerBound)…\(range.upperBound))")
            return nil
        }
        return i
    }

    public mutating func stringArray(_ key: String) -> [String]? {
        guard let value = present(key, allowNull: false) else { return nil }
        guard case let .array(elements) = value else {
            issue(key, "expected an array of strings, found \(value.typeName)")
            return nil
        }
        var result: [String] = []
        for (i, element) in elements.enumerated() {
            guard case let .string(s) = element else {
                issues.append(ValidationIssue(file: file, jsonPath: "\(memberPath(key))[\(i)]",
                                              message: "expected a string, found \(element.typeName)"))
                continue
            }
            result.append(s)
        }
        return result
    }

    /// A nested object; nil when absent or null.
    public mutating func object(_ key: String, allowNull: Bool = false) -> ObjectReader? {
        guard let value = present(key, allowNull: allowNull) else { return nil }
        var nestedIssues: [ValidationIssue] = []
        var reader = ObjectReader(value, file: file, path: memberPath(key), issues: &nestedIssues)
        reader?.nullMeansAbsent = nullMeansAbsent
        issues += nestedIssues
        return reader
    }

    /// Merges a nested reader's issues back (call after reading it).
    public mutating func absorb(_ nested: ObjectReader) {
        issues += nested.issues
    }

    /// Records every member that was never read as unknown.
    public mutating func rejectUnknownMembers(allowed extra: Set<String> = []) {
        for member in members where !consumed.contains(member.key) && !extra.contains(member.key) {
            let known = Set(consumed).union(extra).sorted()
            let hint = Self.closest(to: member.key, in: known).map { " (did you mean \"\($0)\"?)" } ?? ""
            issues.append(ValidationIssue(file: file, jsonPath: memberPath(member.key),
                                          message: "unknown field\(hint); expected one of: \(known.joined(separator: ", "))"))
        }
    }

    static func closest(to word: String, in candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var current = [i + 1]
                for (j, cb) in b.enumerated() {
                    current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
        let w = Array(word)
        return candidates.map { ($0, distance(w, Array($0))) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }
}
