import CGit2

/// Owns a `git_revwalk`, walking commits newest first (children before parents).
final class GitRevisionWalk {
    let pointer: OpaquePointer
    private let repository: GitRepository

    init(_ repository: GitRepository) throws {
        var out: OpaquePointer?
        try GitError.check(git_revwalk_new(&out, repository.pointer), "starting a history walk in \(repository.location)")
        pointer = out!
        self.repository = repository
        let sorting = GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue
        try GitError.check(git_revwalk_sorting(pointer, sorting), "sorting a history walk in \(repository.location)")
    }

    deinit { git_revwalk_free(pointer) }

    func push(_ id: git_oid) throws {
        var id = id
        try GitError.check(git_revwalk_push(pointer, &id), "adding commit \(id.hex) to a history walk")
    }

    /// The next commit id, or nil at the end.
    func next() throws -> git_oid? {
        var id = git_oid()
        let result = git_revwalk_next(&id, pointer)
        if result == GIT_ITEROVER.rawValue {
            git_error_clear()
            return nil
        }
        try GitError.check(result, "walking the history of \(repository.location)")
        return id
    }
}
