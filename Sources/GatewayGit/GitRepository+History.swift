import CGit2
import Foundation

extension GitRepository {
    /// Up to `limit` commits reachable from HEAD, newest first (children
    /// before parents); empty when HEAD is unborn.
    public func log(limit: Int = 100) throws -> [GitCommitInfo] {
        guard limit > 0, let head = try headCommit() else { return [] }
        let walk = try GitRevisionWalk(self)
        try walk.push(head.id)
        var commits: [GitCommitInfo] = []
        while commits.count < limit, let id = try walk.next() {
            commits.append(GitCommitInfo(try GitCommit.lookup(id, in: self)))
        }
        return commits
    }

    /// Calls `body` once for every blob reachable from any commit of any
    /// reference (branches, remote-tracking branches, tags, HEAD), with the
    /// path where the walk first met it. Commits are visited newest first.
    public func forEachBlobInHistory(_ body: (_ path: String, _ content: Data) throws -> Void) throws {
        let walk = try GitRevisionWalk(self)
        var pushed = 0
        for tip in try referencedCommitIDs() {
            try walk.push(tip)
            pushed += 1
        }
        guard pushed > 0 else { return }
        var seen = Set<String>()
        while let id = try walk.next() {
            let commit = try GitCommit.lookup(id, in: self)
            try visitBlobs(in: try commit.tree(), prefix: "", seen: &seen, body)
        }
    }

    /// The content of the file at `path` in `revision`; nil when the revision
    /// has no file there. `.notFound` when the revision itself does not exist.
    public func fileContent(at path: String, revision: String) throws -> Data? {
        let tree = try commit(at: revision).tree()
        let path = Self.normalized(path)
        guard !path.isEmpty, let entry = try tree.entry(atPath: path), entry.type == GIT_OBJECT_BLOB else { return nil }
        return try GitBlob.lookup(entry.id, in: self).data
    }

    /// Paths of all files below `prefix` ("" for the whole tree) in
    /// `revision`, relative to the repository root, sorted. A prefix naming a
    /// file yields that file; a missing prefix yields nothing.
    public func listFiles(under prefix: String, revision: String) throws -> [String] {
        let root = try commit(at: revision).tree()
        let prefix = Self.normalized(prefix)
        var files: [String] = []
        if prefix.isEmpty {
            try collectFiles(in: root, prefix: "", into: &files)
        } else if let entry = try root.entry(atPath: prefix) {
            if entry.type == GIT_OBJECT_TREE {
                try collectFiles(in: try GitTree.lookup(entry.id, in: self), prefix: prefix + "/", into: &files)
            } else if entry.type == GIT_OBJECT_BLOB {
                files.append(prefix)
            }
        }
        return files.sorted()
    }

    // MARK: Walking trees

    /// Commit ids of every reference and HEAD; references to non-commits
    /// (a tag of a blob) are skipped.
    private func referencedCommitIDs() throws -> [git_oid] {
        var names = git_strarray()
        try GitError.check(git_reference_list(&names, pointer), "listing the references of \(location)")
        defer { git_strarray_dispose(&names) }
        var referenceNames = (0..<names.count).compactMap { names.strings[$0].map { String(cString: $0) } }
        referenceNames.append("HEAD")
        var ids: [git_oid] = []
        for name in referenceNames {
            var object: OpaquePointer?
            guard git_revparse_single(&object, pointer, name) == 0, let object else {
                git_error_clear()   // unborn HEAD or a dangling reference
                continue
            }
            let owned = GitObject(owning: object)
            guard let commit = try? owned.peelToCommit(describing: name) else {
                git_error_clear()
                continue
            }
            ids.append(commit.id)
        }
        return ids
    }

    private func visitBlobs(
        in tree: GitTree, prefix: String, seen: inout Set<String>,
        _ body: (_ path: String, _ content: Data) throws -> Void
    ) throws {
        for entry in tree.entries {
            // Trees are recorded too: a tree seen before holds only blobs seen before.
            guard seen.insert(entry.id.hex).inserted else { continue }
            let path = prefix + entry.name
            if entry.type == GIT_OBJECT_BLOB {
                try body(path, try GitBlob.lookup(entry.id, in: self).data)
            } else if entry.type == GIT_OBJECT_TREE {
                try visitBlobs(in: try GitTree.lookup(entry.id, in: self), prefix: path + "/", seen: &seen, body)
            }
        }
    }

    private func collectFiles(in tree: GitTree, prefix: String, into files: inout [String]) throws {
        for entry in tree.entries {
            let path = prefix + entry.name
            if entry.type == GIT_OBJECT_BLOB {
                files.append(path)
            } else if entry.type == GIT_OBJECT_TREE {
                try collectFiles(in: try GitTree.lookup(entry.id, in: self), prefix: path + "/", into: &files)
            }
        }
    }

    /// `path` without "./" at the start or "/" at the end.
    static func normalized(_ path: String) -> String {
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        while path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }
}
