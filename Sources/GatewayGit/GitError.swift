import CGit2

/// An error from a git operation: what kind of failure (``code``) and a human
/// explanation (``reason``) naming the operation, the repository or remote, and
/// libgit2's own error class and message.
///
/// Two errors are equal when their codes are equal, so callers and tests match
/// on the kind of failure, not on the wording.
public struct GitError: Error, CustomStringConvertible, Equatable {
    /// The kind of failure. Extensible: new kinds may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A revision, reference, remote, object or repository does not exist.
        public static let notFound = Code("notFound")
        /// Something already exists (a remote of that name, a non-empty clone target).
        public static let exists = Code("exists")
        /// A reference moved while the operation ran (libgit2 `GIT_EMODIFIED`).
        public static let modified = Code("modified")
        /// The server refused to update a reference (hook, protection rule, ...).
        public static let pushRejected = Code("pushRejected")
        /// The remote branch has commits the local branch does not contain.
        public static let nonFastForward = Code("nonFastForward")
        /// Credentials were missing or rejected.
        public static let auth = Code("auth")
        /// Transport failure: connection, TLS, HTTP or SSH.
        public static let network = Code("network")
        /// HEAD names a branch that has no commit yet.
        public static let unbornBranch = Code("unbornBranch")
        /// Anything else.
        public static let other = Code("other")

        public var description: String { name }
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "GitError.\(code): \(reason)" }

    public static func == (lhs: GitError, rhs: GitError) -> Bool { lhs.code == rhs.code }
}

extension GitError {
    /// Throws the libgit2 error for `result` if it is negative. Must be called
    /// right after the libgit2 call, on the same thread, because libgit2's last
    /// error is thread-local and overwritten by the next failing call.
    @discardableResult
    static func check(_ result: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
        guard result < 0 else { return result }
        throw GitError.last(result, operation: operation)
    }

    /// Builds an error from libgit2's thread-local last error and the return code.
    /// `duringTransfer` marks clone, fetch and push, where an OS-level error is a
    /// socket failure (libgit2 reports "failed to connect" in the OS class).
    /// The operation text is built only after libgit2's error has been read,
    /// so it may itself call into libgit2.
    static func last(_ result: Int32, operation: () -> String, duringTransfer: Bool = false) -> GitError {
        var detail = "libgit2 error \(result)"
        var errorClass: Int32 = 0
        if let last = git_error_last() {
            errorClass = last.pointee.klass
            let message = last.pointee.message.map { String(cString: $0) } ?? "no message"
            detail = "\(message) [libgit2 \(className(errorClass)) error, code \(result)]"
        }
        let code = code(for: result, errorClass: errorClass, duringTransfer: duringTransfer)
        return GitError(code, reason: "\(operation()): \(detail)")
    }

    private static func code(for result: Int32, errorClass: Int32, duringTransfer: Bool) -> Code {
        switch result {
        case GIT_ENOTFOUND.rawValue: return .notFound
        case GIT_EEXISTS.rawValue: return .exists
        case GIT_EMODIFIED.rawValue: return .modified
        case GIT_ENONFASTFORWARD.rawValue: return .nonFastForward
        case GIT_EAUTH.rawValue: return .auth
        case GIT_EUNBORNBRANCH.rawValue: return .unbornBranch
        case GIT_ECERTIFICATE.rawValue: return .network
        default: break
        }
        var transportClasses: [git_error_t] = [GIT_ERROR_NET, GIT_ERROR_SSL, GIT_ERROR_HTTP, GIT_ERROR_SSH]
        if duringTransfer { transportClasses.append(GIT_ERROR_OS) }
        if result == GIT_ERROR.rawValue || result == GIT_EEOF.rawValue,
           transportClasses.contains(where: { Int32($0.rawValue) == errorClass }) {
            return .network
        }
        return .other
    }

    /// libgit2's error classes, in `git_error_t` order (`GIT_ERROR_NONE` = 0 ...).
    private static let classNames = [
        "none", "nomemory", "os", "invalid", "reference", "zlib", "repository", "config", "regex",
        "odb", "index", "object", "net", "tag", "tree", "indexer", "ssl", "submodule", "thread",
        "stash", "checkout", "fetchhead", "merge", "ssh", "filter", "revert", "callback",
        "cherrypick", "describe", "rebase", "filesystem", "patch", "worktree", "sha", "http", "internal",
    ]

    private static func className(_ errorClass: Int32) -> String {
        classNames.indices.contains(Int(errorClass)) ? classNames[Int(errorClass)] : "class \(errorClass)"
    }
}
