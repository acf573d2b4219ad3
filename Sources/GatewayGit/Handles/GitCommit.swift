import CGit2

/// Owns a `git_commit`.
final class GitCommit {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { git_commit_free(pointer) }

    static func lookup(_ id: git_oid, in repository: GitRepository) throws -> GitCommit {
        var out: OpaquePointer?
        var id = id
        let result = git_commit_lookup(&out, repository.pointer, &id)
        try GitError.check(result, "looking up commit \(id.hex) in \(repository.location)")
        return GitCommit(owning: out!)
    }

    var id: git_oid { git_commit_id(pointer).pointee }
    var treeID: git_oid { git_commit_tree_id(pointer).pointee }

    func tree() throws -> GitTree {
        var out: OpaquePointer?
        let result = git_commit_tree(&out, pointer)
        try GitError.check(result, "reading the tree of commit \(id.hex)")
        return GitTree(owning: out!)
    }
}
