import CGit2

/// Owns a `git_status_list`.
final class GitStatusList {
    let pointer: OpaquePointer

    /// Status of index and work tree against HEAD, including untracked files
    /// (recursively) and excluding ignored ones.
    init(_ repository: GitRepository) throws {
        var options = git_status_options()
        try GitError.check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "preparing status options")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue
            | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var out: OpaquePointer?
        let result = git_status_list_new(&out, repository.pointer, &options)
        try GitError.check(result, "reading the status of \(repository.location)")
        pointer = out!
    }

    deinit { git_status_list_free(pointer) }

    /// Paths whose status is anything but current or ignored, as reported by
    /// the index or work-tree side (both old and new names for renames).
    var changedPaths: [String] {
        var paths: [String] = []
        for position in 0..<git_status_list_entrycount(pointer) {
            guard let entry = git_status_byindex(pointer, position)?.pointee else { continue }
            if entry.status == GIT_STATUS_CURRENT || entry.status.rawValue & GIT_STATUS_IGNORED.rawValue != 0 { continue }
            for delta in [entry.head_to_index, entry.index_to_workdir] {
                guard let delta = delta?.pointee else { continue }
                if let path = delta.old_file.path { paths.append(String(cString: path)) }
                if let path = delta.new_file.path { paths.append(String(cString: path)) }
            }
        }
        return paths
    }
}
