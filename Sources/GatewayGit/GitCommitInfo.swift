import CGit2
import Foundation

/// A commit as plain values, detached from libgit2.
public struct GitCommitInfo: Sendable, Equatable {
    /// The commit id, 40 lowercase hex digits.
    public let id: String
    /// The full message, exactly as stored.
    public let message: String
    public let authorName: String
    public let authorEmail: String
    /// The author date, with one-second precision.
    public let date: Date
    /// Parent commit ids, first parent first; empty for a root commit.
    public let parentIDs: [String]

    public init(id: String, message: String, authorName: String, authorEmail: String, date: Date, parentIDs: [String]) {
        self.id = id
        self.message = message
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.date = date
        self.parentIDs = parentIDs
    }
}

extension GitCommitInfo {
    /// Copies the values out of a commit; the borrowed author pointer is used
    /// only inside this initialiser.
    init(_ commit: GitCommit) {
        let pointer = commit.pointer
        let author = git_commit_author(pointer)
        self.init(
            id: git_commit_id(pointer).pointee.hex,
            message: git_commit_message(pointer).map { String(cString: $0) } ?? "",
            authorName: author?.pointee.name.map { String(cString: $0) } ?? "",
            authorEmail: author?.pointee.email.map { String(cString: $0) } ?? "",
            date: Date(timeIntervalSince1970: TimeInterval(author?.pointee.when.time ?? 0)),
            parentIDs: (0..<git_commit_parentcount(pointer)).compactMap { git_commit_parent_id(pointer, $0)?.pointee.hex }
        )
    }
}
