import Foundation
import Testing
@testable import GatewayGit

@Suite struct GitRepositoryCommitTests {
    let ada = GitSignature(name: "Ada Lovelace", email: "ada@example.com", date: Date(timeIntervalSince1970: 1_700_000_000))

    @Test func initialCommitOfTwoFilesIsWhatGitSees() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            #expect(repository.currentBranch == "main")
            #expect(try repository.head() == nil)
            #expect(!repository.isBare)
            #expect(repository.workdir?.standardizedFileURL.path == directory.standardizedFileURL.path)
            try writeFile("alpha\n", to: "a.txt", in: directory)
            try writeFile("beta\n", to: "dir/b.txt", in: directory)

            let commit = try #require(try repository.commit(paths: ["a.txt", "dir/b.txt"], message: "Add two files\n", author: ada))

            let git = GitCLI(directory: directory)
            let log = try git("log", "--format=%H|%an|%ae|%at|%s").split(separator: "\n")
            #expect(log == ["\(commit.id)|Ada Lovelace|ada@example.com|1700000000|Add two files"])
            #expect(try git("rev-parse", "--abbrev-ref", "HEAD") == "main")
            #expect(try git("status", "--porcelain") == "")
            #expect(try git("ls-tree", "-r", "--name-only", "HEAD").split(separator: "\n") == ["a.txt", "dir/b.txt"])
            #expect(commit.message == "Add two files\n")
            #expect(commit.authorName == "Ada Lovelace")
            #expect(commit.date == ada.date)
            #expect(commit.parentIDs.isEmpty)
            #expect(try repository.head() == commit)
        }
    }

    @Test func secondCommitHasHeadAsParentAndSeparateCommitter() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            try writeFile("one\n", to: "a.txt", in: directory)
            let first = try #require(try repository.commit(paths: ["a.txt"], message: "first", author: ada))
            try writeFile("two\n", to: "a.txt", in: directory)
            let bot = GitSignature(name: "Gateway Bot", email: "bot@example.com")
            let second = try #require(try repository.commit(paths: ["a.txt"], message: "second", author: ada, committer: bot))

            #expect(second.parentIDs == [first.id])
            let git = GitCLI(directory: directory)
            #expect(try git("log", "-1", "--format=%P|%an|%cn|%ce") == "\(first.id)|Ada Lovelace|Gateway Bot|bot@example.com")
            #expect(try git("show", "HEAD:a.txt") == "two")
        }
    }

    @Test func committingWithoutChangesReturnsNilAndMakesNoCommit() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            let git = GitCLI(directory: directory)

            // Unborn HEAD and nothing to commit: no empty root commit.
            #expect(try repository.commit(paths: ["missing.txt"], message: "nothing", author: ada) == nil)
            #expect(try git.attempt(["rev-parse", "--verify", "HEAD"]).status != 0)

            try writeFile("alpha\n", to: "a.txt", in: directory)
            _ = try #require(try repository.commit(paths: ["a.txt"], message: "add", author: ada))
            #expect(try repository.commit(paths: ["a.txt"], message: "again", author: ada) == nil)
            #expect(try git("rev-list", "--count", "HEAD") == "1")
        }
    }

    enum DeletionStyle: String, CaseIterable, CustomTestStringConvertible {
        case eachFile, directoryPath
        var testDescription: String { rawValue }
    }

    @Test(arguments: DeletionStyle.allCases)
    func deletedFileAndDirectoryAreRemovedFromTheCommit(style: DeletionStyle) throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            let files = ["gone.txt", "keep.txt", "hosts/x.json", "hosts/deep/y.json"]
            for file in files { try writeFile("content of \(file)\n", to: file, in: directory) }
            _ = try #require(try repository.commit(paths: files, message: "add", author: ada))

            try removeItem("gone.txt", in: directory)
            try removeItem("hosts", in: directory)
            let paths = style == .eachFile ? ["gone.txt", "hosts/x.json", "hosts/deep/y.json"] : ["gone.txt", "hosts"]
            let commit = try #require(try repository.commit(paths: paths, message: "remove", author: ada))

            let git = GitCLI(directory: directory)
            #expect(try git("ls-tree", "-r", "--name-only", "HEAD") == "keep.txt")
            #expect(try git("status", "--porcelain") == "")
            #expect(try git("rev-parse", "HEAD") == commit.id)
        }
    }

    @Test func namingAnExistingDirectoryStagesItsNewChangedAndVanishedFiles() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            try writeFile("*.log\n", to: ".gitignore", in: directory)
            try writeFile("1\n", to: "hosts/a.json", in: directory)
            try writeFile("1\n", to: "hosts/b.json", in: directory)
            _ = try #require(try repository.commit(paths: [".gitignore", "hosts"], message: "add", author: ada))

            try writeFile("2\n", to: "hosts/a.json", in: directory)
            try removeItem("hosts/b.json", in: directory)
            try writeFile("1\n", to: "hosts/sub/c.json", in: directory)
            try writeFile("noise\n", to: "hosts/debug.log", in: directory)
            _ = try #require(try repository.commit(paths: ["hosts/"], message: "update", author: ada))

            let git = GitCLI(directory: directory)
            #expect(try git("ls-tree", "-r", "--name-only", "HEAD").split(separator: "\n") == [".gitignore", "hosts/a.json", "hosts/sub/c.json"])
            #expect(try git("show", "HEAD:hosts/a.json") == "2")
            #expect(try git("status", "--porcelain") == "")
        }
    }

    @Test func unrelatedChangesStayOutOfTheCommitAndStayDirty() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            try writeFile("*.log\n", to: ".gitignore", in: directory)
            for file in ["tracked.txt", "other.txt", "staged.txt"] { try writeFile("v1\n", to: file, in: directory) }
            _ = try #require(try repository.commit(paths: [".gitignore", "tracked.txt", "other.txt", "staged.txt"], message: "add", author: ada))
            let git = GitCLI(directory: directory)

            try writeFile("v2\n", to: "tracked.txt", in: directory)
            try writeFile("v2\n", to: "other.txt", in: directory)
            try writeFile("v2\n", to: "staged.txt", in: directory)
            try git("add", "staged.txt")   // staged by someone else: stays staged, not committed
            try writeFile("new\n", to: "untracked/new.txt", in: directory)
            try writeFile("ignored\n", to: "build.log", in: directory)
            #expect(try repository.dirtyPaths() == ["other.txt", "staged.txt", "tracked.txt", "untracked/new.txt"])

            _ = try #require(try repository.commit(paths: ["tracked.txt"], message: "only tracked", author: ada))

            #expect(try git("show", "HEAD:tracked.txt") == "v2")
            #expect(try git("show", "HEAD:other.txt") == "v1")
            #expect(try git("show", "HEAD:staged.txt") == "v1")
            #expect(try git("ls-tree", "-r", "--name-only", "HEAD").split(separator: "\n") == [".gitignore", "other.txt", "staged.txt", "tracked.txt"])
            let status = try git("status", "--porcelain").split(separator: "\n").sorted()
            #expect(status == [" M other.txt", "?? untracked/", "M  staged.txt"])
            #expect(try repository.dirtyPaths() == ["other.txt", "staged.txt", "untracked/new.txt"])
        }
    }

    @Test func pathsOutsideTheWorkTreeAreRefused() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            for path in ["../escape.txt", "/etc/passwd", "", ".git/config", "a/../b"] {
                #expect(throws: GitError(.other, reason: "")) {
                    try repository.commit(paths: [path], message: "bad", author: ada)
                }
            }
            #expect(try GitCLI(directory: directory).attempt(["rev-parse", "--verify", "HEAD"]).status != 0)
        }
    }

    @Test func bareRepositoryCannotCommitFromAWorkTree() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory.appendingPathComponent("bare.git"), bare: true)
            #expect(repository.isBare)
            #expect(repository.workdir == nil)
            #expect(throws: GitError.self) { try repository.commit(paths: ["a"], message: "m", author: ada) }
        }
    }
}
