import CGit2

/// Owns a `git_reference`.
final class GitReference {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { git_reference_free(pointer) }

    /// The reference named exactly `name` ("HEAD", "refs/heads/main"), or nil if absent.
    static func lookup(_ name: String, in repository: GitRepository) throws -> GitReference? {
        var out: OpaquePointer?
        let result = git_reference_lookup(&out, repository.pointer, name)
        if result == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try GitError.check(result, "looking up reference \(name) in \(repository.location)")
        return GitReference(owning: out!)
    }

    /// The target of a symbolic reference ("refs/heads/main" for HEAD), or nil.
    var symbolicTarget: String? {
        git_reference_symbolic_target(pointer).map { String(cString: $0) }
    }
}
