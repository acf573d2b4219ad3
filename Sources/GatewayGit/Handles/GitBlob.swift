import CGit2
import Foundation

/// Owns a `git_blob`.
final class GitBlob {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) { self.pointer = pointer }
    deinit { git_blob_free(pointer) }

    static func lookup(_ id: git_oid, in repository: GitRepository) throws -> GitBlob {
        var out: OpaquePointer?
        var id = id
        let result = git_blob_lookup(&out, repository.pointer, &id)
        try GitError.check(result, "looking up blob \(id.hex) in \(repository.location)")
        return GitBlob(owning: out!)
    }

    /// A copy of the content.
    var data: Data {
        let size = Int(git_blob_rawsize(pointer))
        guard size > 0, let bytes = git_blob_rawcontent(pointer) else { return Data() }
        return Data(bytes: bytes, count: size)
    }
}
