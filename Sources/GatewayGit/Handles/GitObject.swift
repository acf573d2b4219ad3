import CGit2

/// Owns a `git_object` of any type, as returned by revparse or peel.
final class GitObject {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { git_object_free(pointer) }

    /// Resolves any revparse spec ("HEAD~1", "origin/main", an id).
    static func revparse(_ spec: String, in repository: GitRepository) throws -> GitObject {
        var out: OpaquePointer?
        let result = git_revparse_single(&out, repository.pointer, spec)
        try GitError.check(result, "resolving revision '\(spec)' in \(repository.location)")
        return GitObject(owning: out!)
    }

    /// Peels tags and references down to the commit.
    func peelToCommit(describing spec: String) throws -> GitCommit {
        var out: OpaquePointer?
        let result = git_object_peel(&out, pointer, GIT_OBJECT_COMMIT)
        try GitError.check(result, "revision '\(spec)' does not name a commit")
        return GitCommit(owning: out!)
    }
}
