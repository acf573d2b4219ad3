import CGit2
import Foundation

/// State shared with libgit2's remote callbacks during one clone, fetch or
/// push, passed through the callbacks' payload pointer (the C function
/// pointers capture nothing).
///
/// Lives only for the duration of the synchronous libgit2 call that uses it,
/// on that call's thread.
final class GitRemoteSession {
    /// The remote URL, for messages (credentials redacted).
    let displayURL: String
    let credentials: GitCredentials?
    private(set) var credentialAttempts = 0
    /// Why the credentials callback gave up, if it did.
    private(set) var authFailure: String?
    /// References the server refused, with its status text.
    private(set) var rejections: [(reference: String, status: String)] = []
    /// The tail of what the server printed ("remote: ..." lines).
    private(set) var serverMessages = ""

    init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        displayURL = GitCredentials.redacted(url)
        credentials = GitCredentials.resolve(url: url, environment: environment)
    }

    /// Points `callbacks` at this session. The session must stay alive (see
    /// `withExtendedLifetime`) until libgit2 returns.
    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { out, _, usernameFromURL, allowedTypes, payload in
            guard let out, let payload else { return GIT_EUSER.rawValue }
            let session = Unmanaged<GitRemoteSession>.fromOpaque(payload).takeUnretainedValue()
            return session.acquireCredential(out, usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowedTypes: allowedTypes)
        }
        callbacks.push_update_reference = { reference, status, payload in
            guard let payload, let reference, let status else { return 0 }
            let session = Unmanaged<GitRemoteSession>.fromOpaque(payload).takeUnretainedValue()
            session.rejections.append((String(cString: reference), String(cString: status)))
            return 0
        }
        callbacks.sideband_progress = { text, length, payload in
            guard let payload, let text, length > 0 else { return 0 }
            let session = Unmanaged<GitRemoteSession>.fromOpaque(payload).takeUnretainedValue()
            let bytes = UnsafeRawBufferPointer(start: text, count: Int(length))
            session.appendServerMessage(String(decoding: bytes, as: UTF8.self))
            return 0
        }
    }

    /// Supplies username/password once; a second request means the server
    /// rejected them, and libgit2 would ask forever, so give up with `GIT_EAUTH`.
    private func acquireCredential(
        _ out: UnsafeMutablePointer<OpaquePointer?>,
        usernameFromURL: String?,
        allowedTypes: UInt32
    ) -> Int32 {
        guard allowedTypes & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else {
            return giveUp("the server asks for a kind of credential other than username/password (SSH keys?); use an https URL with \(GitCredentials.usernameVariable)/\(GitCredentials.passwordVariable)")
        }
        guard let credentials else {
            return giveUp("the server requires authentication; set \(GitCredentials.usernameVariable) and \(GitCredentials.passwordVariable), or put user:password in the https URL")
        }
        guard credentialAttempts == 0 else {
            return giveUp("the server rejected the credentials for user '\(credentials.username)' from \(credentials.source); check them and their access to the repository")
        }
        credentialAttempts += 1
        return git_credential_userpass_plaintext_new(out, credentials.username, credentials.password)
    }

    private func giveUp(_ message: String) -> Int32 {
        authFailure = message
        git_error_set_str(Int32(GIT_ERROR_NET.rawValue), message)
        return GIT_EAUTH.rawValue
    }

    private func appendServerMessage(_ text: String) {
        serverMessages += text
        if serverMessages.utf8.count > 4096 {
            serverMessages = String(serverMessages.suffix(2048))
        }
    }

    /// The error for a failed libgit2 call that used this session; reads
    /// libgit2's last error, so call it right after the failing call.
    func error(for result: Int32, operation: String) -> GitError {
        let error = GitError.last(result, operation: { operation }, duringTransfer: true)
        if let authFailure {
            return GitError(.auth, reason: "\(operation): \(authFailure)")
        }
        let messages = trimmedServerMessages
        return messages.isEmpty ? error : GitError(error.code, reason: "\(error.reason); the server said: \(messages)")
    }

    /// The server's messages on one line, without progress lines
    /// ("Counting objects: 50% (1/2)", "..., done.").
    var trimmedServerMessages: String {
        serverMessages
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.contains("% (") && !$0.hasSuffix(", done.") }
            .joined(separator: " | ")
    }
}
