import CGit2
import Foundation

extension GitRepository {
    /// Commits exactly `paths` (relative to the work tree) as they are on disk.
    ///
    /// Each path is staged through the index: a present file is added or
    /// updated, a present directory has its files added (ignored untracked
    /// files excepted) and its vanished files removed, and a missing path is
    /// removed from the index along with everything below it, so paths under
    /// a deleted directory work too. The index is written, so `git status` is
    /// clean for these paths afterwards.
    ///
    /// The commit's tree is HEAD's tree with only these paths replaced: other
    /// changes in the work tree, staged or not, stay out of the commit and
    /// keep their state (like `git commit --only -- <paths>`).
    ///
    /// - Returns: the new commit on the current branch, with HEAD as parent;
    ///   nil, without committing, when the tree equals HEAD's tree, or when
    ///   HEAD is unborn and the tree is empty.
    /// - Throws: `.modified` when the branch moved while committing.
    public func commit(paths: [String], message: String, author: GitSignature, committer: GitSignature? = nil) throws -> GitCommitInfo? {
        guard let workdir else {
            throw GitError(.other, reason: "committing in \(location): a bare repository has no work tree to take files from")
        }
        let selection = try Set(paths.map { try Self.validatedWorkTreePath($0, in: location) })

        let index = try GitIndex.of(self)
        for path in selection.sorted() {
            try stage(path, workdir: workdir, in: index)
        }
        try index.write()

        // HEAD's tree with only the selected paths taken from the index.
        let parent = try headCommit()
        let snapshot = try GitIndex.inMemory(from: try parent?.tree())
        let affected = Set((index.paths + snapshot.paths).filter { Self.path($0, isWithin: selection) })
        for path in affected.sorted() {
            try snapshot.copyEntry(path, from: index)
        }
        if parent == nil && snapshot.count == 0 { return nil }
        let treeID = try snapshot.writeTree(to: self)
        if let parent, parent.treeID.hex == treeID.hex { return nil }

        let tree = try GitTree.lookup(treeID, in: self)
        let authorSignature = try GitSignatureHandle(author)
        let committerSignature = try GitSignatureHandle(committer ?? author)
        let branch = currentBranch ?? "HEAD"
        var commitID = git_oid()
        var parents: [OpaquePointer?] = parent.map { [$0.pointer] } ?? []
        // Updating "HEAD" moves the current branch (creating it when unborn);
        // libgit2 refuses with GIT_EMODIFIED if the branch no longer points at
        // the parent read above.
        let result = withExtendedLifetime((parent, tree, authorSignature, committerSignature)) {
            git_commit_create(
                &commitID, pointer, "HEAD", authorSignature.pointer, committerSignature.pointer,
                nil, message, tree.pointer, parents.count, &parents
            )
        }
        try GitError.check(result, "committing \(selection.count) path(s) to \(branch) in \(location)")
        return GitCommitInfo(try GitCommit.lookup(commitID, in: self))
    }

    /// Brings the index entry (or entries, for a directory) for `path` in line
    /// with the work tree.
    private func stage(_ path: String, workdir: URL, in index: GitIndex) throws {
        let fileURL = workdir.appendingPathComponent(path)
        let type = (try? FileManager.default.attributesOfItem(atPath: fileURL.path))?[.type] as? FileAttributeType
        switch type {
        case nil:
            try index.remove(path)
        case .typeDirectory?:
            // Drop tracked files that vanished below the directory, then add
            // everything present (`git add` semantics, ignored files skipped).
            for tracked in index.paths where tracked.hasPrefix(path + "/") {
                let trackedURL = workdir.appendingPathComponent(tracked)
                if (try? FileManager.default.attributesOfItem(atPath: trackedURL.path)) == nil {
                    try index.remove(tracked)
                }
            }
            if git_index_get_bypath(index.pointer, path, 0) != nil {
                try index.remove(path)   // was a file, now a directory
            }
            try index.addDirectoryFromWorkTree(path)
        default:
            try index.addFromWorkTree(path)
        }
    }

    /// `path` normalised, or `.other` when it is empty, absolute or leaves the work tree.
    static func validatedWorkTreePath(_ path: String, in location: String) throws -> String {
        let normalized = normalized(path)
        let components = normalized.split(separator: "/", omittingEmptySubsequences: false)
        guard !normalized.isEmpty, !normalized.hasPrefix("/"),
              !components.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty || $0 == ".git" }) else {
            throw GitError(.other, reason: "committing in \(location): '\(path)' is not a path relative to the work tree")
        }
        return normalized
    }

    /// Whether `path` is one of `selection` or below one of them.
    static func path(_ path: String, isWithin selection: Set<String>) -> Bool {
        if selection.contains(path) { return true }
        var ancestor = Substring(path)
        while let slash = ancestor.lastIndex(of: "/") {
            ancestor = ancestor[..<slash]
            if selection.contains(String(ancestor)) { return true }
        }
        return false
    }
}
