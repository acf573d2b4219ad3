import CGit2

/// Owns a `git_tree`.
final class GitTree {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { git_tree_free(pointer) }

    static func lookup(_ id: git_oid, in repository: GitRepository) throws -> GitTree {
        var out: OpaquePointer?
        var id = id
        let result = git_tree_lookup(&out, repository.pointer, &id)
        try GitError.check(result, "looking up tree \(id.hex) in \(repository.location)")
        return GitTree(owning: out!)
    }

    /// One entry of a tree, copied out of libgit2's borrowed entry.
    struct Entry {
        let name: String
        let type: git_object_t
        let id: git_oid
    }

    /// The direct entries, in tree order.
    var entries: [Entry] {
        (0..<git_tree_entrycount(pointer)).compactMap { index in
            guard let entry = git_tree_entry_byindex(pointer, index) else { return nil }
            return Entry(
                name: String(cString: git_tree_entry_name(entry)),
                type: git_tree_entry_type(entry),
                id: git_tree_entry_id(entry).pointee
            )
        }
    }

    /// The entry at a slash-separated path below this tree, or nil if absent.
    func entry(atPath path: String) throws -> Entry? {
        var out: OpaquePointer?
        let result = git_tree_entry_bypath(&out, pointer, path)
        if result == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try GitError.check(result, "looking up '\(path)' in tree \(git_tree_id(pointer).pointee.hex)")
        defer { git_tree_entry_free(out) }
        return Entry(name: String(cString: git_tree_entry_name(out)), type: git_tree_entry_type(out), id: git_tree_entry_id(out).pointee)
    }
}
