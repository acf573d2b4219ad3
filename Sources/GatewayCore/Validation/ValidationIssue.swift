/// One thing wrong with one file of the managed repository, phrased as
/// `path: JSON-path: what is wrong (expected …)`.
public struct ValidationIssue: Sendable, Equatable, CustomStringConvertible {
    /// Repository-relative path of the file.
    public var file: String
    /// JSON path inside the file (`$.host`), or nil for the file as a whole.
    public var jsonPath: String?
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(file: String, jsonPath: String? = nil, message: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.jsonPath = jsonPath
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        var out = file
        if let line, let column { out += ":\(line):\(column)" }
        if let jsonPath { out += ": \(jsonPath)" }
        return out + ": " + message
    }
}

/// Thrown when a file or the repository as a whole does not validate; carries every issue.
public struct ValidationError: Error, CustomStringConvertible, Sendable {
    public let issues: [ValidationIssue]
    public init(_ issues: [ValidationIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
