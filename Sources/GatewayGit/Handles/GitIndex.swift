import CGit2

/// Owns a `git_index`: the repository's index file, or an in-memory index.
final class GitIndex {
    let pointer: OpaquePointer
    private let label: String

    private init(owning pointer: OpaquePointer, label: String) {
        self.pointer = pointer
        self.label = label
    }

    deinit { git_index_free(pointer) }

    /// The repository's index, re-read from disk so changes made by other
    /// processes (the git CLI) are seen.
    static func of(_ repository: GitRepository) throws -> GitIndex {
        var out: OpaquePointer?
        let result = git_repository_index(&out, repository.pointer)
        try GitError.check(result, "opening the index of \(repository.location)")
        let index = GitIndex(owning: out!, label: "the index of \(repository.location)")
        try GitError.check(git_index_read(index.pointer, 1), "reading \(index.label)")
        return index
    }

    /// An in-memory index holding exactly the files of `tree` (empty if nil).
    static func inMemory(from tree: GitTree?) throws -> GitIndex {
        var out: OpaquePointer?
        try GitError.check(git_index_new(&out), "creating an in-memory index")
        let index = GitIndex(owning: out!, label: "an in-memory index")
        if let tree {
            try GitError.check(git_index_read_tree(index.pointer, tree.pointer), "loading a tree into \(index.label)")
        }
        return index
    }

    var count: Int { git_index_entrycount(pointer) }

    /// Paths of all entries (every stage), in index order.
    var paths: [String] {
        (0..<git_index_entrycount(pointer)).compactMap { position in
            git_index_get_byindex(pointer, position).map { String(cString: $0.pointee.path) }
        }
    }

    /// Hashes the work-tree file at `path` into the object database and stages it.
    func addFromWorkTree(_ path: String) throws {
        try GitError.check(git_index_add_bypath(pointer, path), "staging '\(path)' in \(label)")
    }

    /// Stages every file under the work-tree directory `directory` that is
    /// tracked or not ignored (like `git add <directory>`).
    func addDirectoryFromWorkTree(_ directory: String) throws {
        let flags = GIT_INDEX_ADD_DEFAULT.rawValue | GIT_INDEX_ADD_DISABLE_PATHSPEC_MATCH.rawValue
        let result = [directory].withGitStrArray { pathspec in
            git_index_add_all(pointer, pathspec, flags, nil, nil)
        }
        try GitError.check(result, "staging directory '\(directory)' in \(label)")
    }

    /// Unstages `path` and, if it was a directory, everything below it.
    func remove(_ path: String) throws {
        try GitError.check(git_index_remove_bypath(pointer, path), "removing '\(path)' from \(label)")
        try GitError.check(git_index_remove_directory(pointer, path, 0), "removing '\(path)/' from \(label)")
    }

    /// Copies the stage-0 entry for `path` from `source`, or removes `path`
    /// here when `source` has none.
    func copyEntry(_ path: String, from source: GitIndex) throws {
        if let entry = git_index_get_bypath(source.pointer, path, 0) {
            try GitError.check(git_index_add(pointer, entry), "copying '\(path)' into \(label)")
        } else if git_index_get_bypath(pointer, path, 0) != nil {
            try GitError.check(git_index_remove(pointer, path, 0), "removing '\(path)' from \(label)")
        }
    }

    /// Writes the index file back to disk.
    func write() throws {
        try GitError.check(git_index_write(pointer), "writing \(label)")
    }

    /// Writes the trees for this index into `repository` and returns the root tree id.
    func writeTree(to repository: GitRepository) throws -> git_oid {
        var id = git_oid()
        try GitError.check(git_index_write_tree_to(&id, pointer, repository.pointer), "writing a tree from \(label)")
        return id
    }
}
