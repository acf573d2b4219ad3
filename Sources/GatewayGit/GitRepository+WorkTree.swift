import CGit2
import Foundation

extension GitRepository {
    /// Points the current branch, the index and the work tree at `revision`
    /// (`git reset --hard`). Untracked files are left alone.
    public func resetHard(to revision: String) throws {
        let target = try commit(at: revision)
        var options = git_checkout_options()
        try GitError.check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "preparing checkout options")
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
        let result = git_reset(pointer, target.pointer, GIT_RESET_HARD, &options)
        try GitError.check(result, "resetting \(location) to '\(revision)'")
    }

    /// Paths, relative to the work tree and sorted, whose index or work-tree
    /// state differs from HEAD: modified, added, deleted, renamed, untracked.
    /// Files ignored by `.gitignore` are not listed.
    public func dirtyPaths() throws -> [String] {
        Array(Set(try GitStatusList(self).changedPaths)).sorted()
    }
}
