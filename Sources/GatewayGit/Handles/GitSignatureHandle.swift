import CGit2
import Foundation

/// Owns a `git_signature` built from a ``GitSignature``.
final class GitSignatureHandle {
    let pointer: UnsafeMutablePointer<git_signature>

    init(_ signature: GitSignature) throws {
        let seconds = signature.date.timeIntervalSince1970.rounded(.down)
        let offsetMinutes = TimeZone.current.secondsFromGMT(for: signature.date) / 60
        var out: UnsafeMutablePointer<git_signature>?
        let result = git_signature_new(&out, signature.name, signature.email, git_time_t(seconds), Int32(offsetMinutes))
        try GitError.check(result, "building the signature '\(signature.name) <\(signature.email)>'")
        pointer = out!
    }

    deinit { git_signature_free(pointer) }
}
