import CGit2
import Foundation

/// A git repository on disk, opened through libgit2.
///
/// Not `Sendable`: libgit2 objects are not thread-safe, so keep a repository
/// (and everything read from it) on one task. Blocking calls (clone, fetch,
/// push) should run off the cooperative pool.
public final class GitRepository {
    let pointer: OpaquePointer
    /// The path the repository was opened at, for error messages.
    let location: String

    private init(owning pointer: OpaquePointer, location: String) {
        self.pointer = pointer
        self.location = location
    }

    deinit { git_repository_free(pointer) }

    // MARK: Creating and opening

    /// Creates a repository at `url` (creating missing directories) whose HEAD
    /// points at the unborn branch `initialBranch`. Re-initialising an existing
    /// repository is harmless and keeps its history.
    public static func initialize(at url: URL, bare: Bool = false, initialBranch: String = "main") throws -> GitRepository {
        GitLibrary.initialize()
        var options = git_repository_init_options()
        try GitError.check(
            git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
            "preparing init options for \(url.path)"
        )
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | (bare ? GIT_REPOSITORY_INIT_BARE.rawValue : 0)
        var out: OpaquePointer?
        let result = initialBranch.withCString { branch in
            options.initial_head = branch
            return git_repository_init_ext(&out, url.path, &options)
        }
        try GitError.check(result, "initialising a repository at \(url.path)")
        return GitRepository(owning: out!, location: url.path)
    }

    /// Opens the repository at exactly `url`: a work tree containing `.git`,
    /// or a bare repository. Parent directories are not searched, so a path
    /// inside a work tree is `.notFound`.
    public static func open(at url: URL) throws -> GitRepository {
        GitLibrary.initialize()
        var out: OpaquePointer?
        let result = git_repository_open_ext(&out, url.path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        try GitError.check(result, "opening the repository at \(url.path)")
        return GitRepository(owning: out!, location: url.path)
    }

    /// Clones `remoteURL` into `url` (which must not exist or be empty) and
    /// checks out `branch`, or the remote's default branch. Credentials follow
    /// the rules of ``push(remote:branch:)``.
    public static func clone(from remoteURL: String, to url: URL, branch: String? = nil) throws -> GitRepository {
        GitLibrary.initialize()
        var options = git_clone_options()
        try GitError.check(git_clone_options_init(&options, UInt32(GIT_CLONE_OPTIONS_VERSION)), "preparing clone options")
        let session = GitRemoteSession(url: remoteURL)
        session.install(into: &options.fetch_opts.callbacks)
        let branchName = branch.map { strdup($0) }
        defer { branchName.map { free($0) } }
        if let branchName { options.checkout_branch = UnsafePointer(branchName) }
        var out: OpaquePointer?
        let result = withExtendedLifetime(session) { git_clone(&out, remoteURL, url.path, &options) }
        if result < 0 {
            throw session.error(for: result, operation: "cloning \(GitCredentials.redacted(remoteURL)) into \(url.path)")
        }
        return GitRepository(owning: out!, location: url.path)
    }

    // MARK: Properties

    /// The work tree, or nil for a bare repository.
    public var workdir: URL? {
        git_repository_workdir(pointer).map { URL(fileURLWithPath: String(cString: $0), isDirectory: true) }
    }

    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    /// The branch HEAD points at ("main"), also when it has no commit yet;
    /// nil when HEAD is detached.
    public var currentBranch: String? {
        guard let head = try? GitReference.lookup("HEAD", in: self),
              let target = head.symbolicTarget, target.hasPrefix("refs/heads/") else {
            git_error_clear()
            return nil
        }
        return String(target.dropFirst("refs/heads/".count))
    }

    /// The commit at HEAD; nil when HEAD's branch has no commit yet.
    public func head() throws -> GitCommitInfo? {
        try headCommit().map(GitCommitInfo.init)
    }

    /// The commit id `revision` (any revparse spec) resolves to.
    public func resolve(revision: String) throws -> String {
        try commit(at: revision).id.hex
    }

    // MARK: Internal helpers

    /// The commit at HEAD, or nil when HEAD is unborn.
    func headCommit() throws -> GitCommit? {
        var reference: OpaquePointer?
        let result = git_repository_head(&reference, pointer)
        if result == GIT_EUNBORNBRANCH.rawValue || result == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try GitError.check(result, "reading HEAD of \(location)")
        let head = GitReference(owning: reference!)
        var peeled: OpaquePointer?
        try GitError.check(git_reference_peel(&peeled, head.pointer, GIT_OBJECT_COMMIT), "peeling HEAD of \(location) to a commit")
        return GitCommit(owning: peeled!)
    }

    /// The commit `revision` resolves to; `.notFound` if it resolves to nothing.
    func commit(at revision: String) throws -> GitCommit {
        try GitObject.revparse(revision, in: self).peelToCommit(describing: revision)
    }
}

@available(*, unavailable, message: "libgit2 repositories are not thread-safe; keep a GitRepository on one task")
extension GitRepository: Sendable {}
