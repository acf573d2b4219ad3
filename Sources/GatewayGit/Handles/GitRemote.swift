import CGit2

/// Owns a `git_remote`.
final class GitRemote {
    let pointer: OpaquePointer
    let name: String

    private init(owning pointer: OpaquePointer, name: String) {
        self.pointer = pointer
        self.name = name
    }

    deinit { git_remote_free(pointer) }

    /// The configured remote `name`, or nil if there is none.
    static func lookup(_ name: String, in repository: GitRepository) throws -> GitRemote? {
        var out: OpaquePointer?
        let result = git_remote_lookup(&out, repository.pointer, name)
        if result == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        try GitError.check(result, "looking up remote '\(name)' in \(repository.location)")
        return GitRemote(owning: out!, name: name)
    }

    /// The configured remote `name`; `.notFound` names the repository if absent.
    static func require(_ name: String, in repository: GitRepository) throws -> GitRemote {
        guard let remote = try lookup(name, in: repository) else {
            throw GitError(.notFound, reason: "no remote named '\(name)' in \(repository.location); add it with addRemote(name:url:) or `git remote add`")
        }
        return remote
    }

    /// Adds remote `name` with the default fetch refspec to the repository's config.
    static func create(_ name: String, url: String, in repository: GitRepository) throws -> GitRemote {
        var out: OpaquePointer?
        let result = git_remote_create(&out, repository.pointer, name, url)
        try GitError.check(result, "adding remote '\(name)' (\(url)) to \(repository.location)")
        return GitRemote(owning: out!, name: name)
    }

    var url: String? { git_remote_url(pointer).map { String(cString: $0) } }
    /// The push URL: `pushurl` if configured, else `url`.
    var pushURL: String? { git_remote_pushurl(pointer).map { String(cString: $0) } ?? url }
}
