import CGit2
import Foundation

extension Array where Element == String {
    /// Lends the strings to libgit2 as a `git_strarray` valid only inside `body`.
    func withGitStrArray<Result>(_ body: (UnsafePointer<git_strarray>) throws -> Result) rethrows -> Result {
        var cStrings: [UnsafeMutablePointer<CChar>?] = map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        return try cStrings.withUnsafeMutableBufferPointer { buffer in
            let array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
            return try withUnsafePointer(to: array) { try body($0) }
        }
    }
}
