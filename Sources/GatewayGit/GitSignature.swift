import Foundation

/// Who made a change and when, for a commit's author or committer.
public struct GitSignature: Sendable {
    public var name: String
    public var email: String
    public var date: Date

    public init(name: String, email: String, date: Date = Date()) {
        self.name = name
        self.email = email
        self.date = date
    }
}
