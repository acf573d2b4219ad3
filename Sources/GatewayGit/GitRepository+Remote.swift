import CGit2
import Foundation

extension GitRepository {
    /// Adds remote `name` with the default fetch refspec; `.exists` if a
    /// remote of that name is configured already.
    public func addRemote(name: String, url: String) throws {
        _ = try GitRemote.create(name, url: url, in: self)
    }

    /// The fetch URL of remote `name`, or nil if there is no such remote.
    public func remoteURL(name: String) throws -> String? {
        try GitRemote.lookup(name, in: self)?.url
    }

    /// Pushes `refs/heads/<branch>` to the same name on `remote`, never forcing.
    ///
    /// - Throws: `.nonFastForward` when the remote branch has commits this
    ///   branch lacks (fetch, rebuild on the new tip, retry); `.pushRejected`
    ///   when the server refuses the update (hooks, protection rules), naming
    ///   the ref and the server's message; `.auth` when credentials are
    ///   missing or rejected (one attempt only); `.network` for transport errors.
    public func push(remote name: String, branch: String) throws {
        let remote = try GitRemote.require(name, in: self)
        let url = remote.pushURL ?? name
        var options = git_push_options()
        try GitError.check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "preparing push options")
        let session = GitRemoteSession(url: url)
        session.install(into: &options.callbacks)
        let reference = "refs/heads/\(branch)"
        let operation = "pushing \(reference) to remote '\(name)' (\(session.displayURL))"
        let result = withExtendedLifetime(session) {
            ["\(reference):\(reference)"].withGitStrArray { refspecs in
                git_remote_push(remote.pointer, refspecs, &options)
            }
        }
        if result < 0 {
            let error = session.error(for: result, operation: operation)
            guard error.code == .nonFastForward else { throw error }
            throw GitError(.nonFastForward, reason: error.reason + "; \(Self.nonFastForwardAdvice)")
        }
        // git_remote_push returns 0 even when the server refused a ref: the
        // refusal only reaches the push_update_reference callback.
        guard session.rejections.isEmpty else {
            throw rejectionError(session, operation: operation)
        }
    }

    /// `git fetch <remote>` with the remote's configured refspecs, updating
    /// its remote-tracking branches. Credentials as for ``push(remote:branch:)``.
    public func fetch(remote name: String) throws {
        let remote = try GitRemote.require(name, in: self)
        var options = git_fetch_options()
        try GitError.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "preparing fetch options")
        let session = GitRemoteSession(url: remote.url ?? name)
        session.install(into: &options.callbacks)
        let result = withExtendedLifetime(session) { git_remote_fetch(remote.pointer, nil, &options, nil) }
        if result < 0 {
            throw session.error(for: result, operation: "fetching remote '\(name)' (\(session.displayURL)) into \(location)")
        }
    }

    private static let nonFastForwardAdvice = "the remote branch has commits this branch lacks: fetch, rebuild on the new tip and push again"

    private func rejectionError(_ session: GitRemoteSession, operation: String) -> GitError {
        let nonFastForwardHints = ["non-fast-forward", "fetch first", "stale info", "rejected as non-fast forward"]
        let isNonFastForward = session.rejections.contains { rejection in
            nonFastForwardHints.contains { rejection.status.localizedCaseInsensitiveContains($0) }
        }
        let refused = session.rejections.map { "\($0.reference): \($0.status)" }.joined(separator: "; ")
        var reason = "\(operation): the server rejected \(refused)"
        let messages = session.trimmedServerMessages
        if !messages.isEmpty { reason += " (server said: \(messages))" }
        if isNonFastForward {
            reason += "; \(Self.nonFastForwardAdvice)"
        }
        return GitError(isNonFastForward ? .nonFastForward : .pushRejected, reason: reason)
    }
}
