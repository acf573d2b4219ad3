import Foundation
import Testing
import GatewayGit

@Suite struct GitRepositoryHistoryTests {
    let ada = GitSignature(name: "Ada Lovelace", email: "ada@example.com")

    @Test func fileContentAndListFilesReadOlderRevisions() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            try writeFile("one\n", to: "a.txt", in: directory)
            try writeFile("bee\n", to: "dir/b.txt", in: directory)
            try writeFile("sea\n", to: "dir/sub/c.txt", in: directory)
            let first = try #require(try repository.commit(paths: ["a.txt", "dir"], message: "first", author: ada))
            try writeFile("two\n", to: "a.txt", in: directory)
            try removeItem("dir/b.txt", in: directory)
            try writeFile("dee\n", to: "d.txt", in: directory)
            let second = try #require(try repository.commit(paths: ["a.txt", "dir/b.txt", "d.txt"], message: "second", author: ada))

            #expect(try repository.fileContent(at: "a.txt", revision: "HEAD~1") == Data("one\n".utf8))
            #expect(try repository.fileContent(at: "a.txt", revision: "HEAD") == Data("two\n".utf8))
            #expect(try repository.fileContent(at: "a.txt", revision: first.id) == Data("one\n".utf8))
            #expect(try repository.fileContent(at: "dir/b.txt", revision: "HEAD~1") == Data("bee\n".utf8))
            #expect(try repository.fileContent(at: "dir/b.txt", revision: "main") == nil)
            #expect(try repository.fileContent(at: "d.txt", revision: "HEAD~1") == nil)
            #expect(try repository.fileContent(at: "dir", revision: "HEAD") == nil)

            #expect(try repository.listFiles(under: "", revision: "HEAD~1") == ["a.txt", "dir/b.txt", "dir/sub/c.txt"])
            #expect(try repository.listFiles(under: "dir", revision: "HEAD~1") == ["dir/b.txt", "dir/sub/c.txt"])
            #expect(try repository.listFiles(under: "dir/", revision: "HEAD") == ["dir/sub/c.txt"])
            #expect(try repository.listFiles(under: "", revision: "HEAD") == ["a.txt", "d.txt", "dir/sub/c.txt"])
            #expect(try repository.listFiles(under: "nowhere", revision: "HEAD") == [])

            let git = GitCLI(directory: directory)
            #expect(try repository.resolve(revision: "HEAD~1") == git("rev-parse", "HEAD~1"))
            #expect(try repository.resolve(revision: "main") == second.id)
        }
    }

    @Test func unknownRevisionIsNotFound() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            try writeFile("x\n", to: "a.txt", in: directory)
            _ = try #require(try repository.commit(paths: ["a.txt"], message: "m", author: ada))
            #expect(throws: GitError(.notFound, reason: "")) { try repository.fileContent(at: "a.txt", revision: "no-such-branch") }
            #expect(throws: GitError(.notFound, reason: "")) { try repository.resolve(revision: "HEAD~5") }
            #expect(throws: GitError(.notFound, reason: "")) { try repository.listFiles(under: "", revision: "origin/main") }
        }
    }

    @Test func logListsCommitsNewestFirstWithParents() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            #expect(try repository.log() == [])
            var made: [GitCommitInfo] = []
            for number in 1...3 {
                try writeFile("\(number)\n", to: "n.txt", in: directory)
                made.append(try #require(try repository.commit(paths: ["n.txt"], message: "commit \(number)", author: ada)))
            }
            let log = try repository.log()
            #expect(log == made.reversed())
            #expect(log.map(\.parentIDs) == [[made[1].id], [made[0].id], []])
            #expect(try repository.log(limit: 2).map(\.message) == ["commit 3", "commit 2"])
        }
    }

    @Test func forEachBlobInHistorySeesDeletedFilesAndOtherBranchesOnce() throws {
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            let git = GitCLI(directory: directory)
            try writeFile("secret v1\n", to: "secrets/token.txt", in: directory)
            try writeFile("same\n", to: "copy1.txt", in: directory)
            try writeFile("same\n", to: "copy2.txt", in: directory)
            _ = try #require(try repository.commit(paths: ["secrets", "copy1.txt", "copy2.txt"], message: "add", author: ada))
            try removeItem("secrets", in: directory)
            _ = try #require(try repository.commit(paths: ["secrets"], message: "remove secret", author: ada))
            // A blob only reachable from another branch, committed by the CLI.
            try git("switch", "-q", "-c", "side")
            try writeFile("side only\n", to: "side.txt", in: directory)
            try git("add", "side.txt")
            try git("commit", "-q", "-m", "side")
            try git("switch", "-q", "main")

            var seen: [(path: String, content: String)] = []
            try repository.forEachBlobInHistory { path, content in
                seen.append((path, String(decoding: content, as: UTF8.self)))
            }

            #expect(seen.contains { $0 == ("secrets/token.txt", "secret v1\n") })
            #expect(seen.contains { $0.path == "side.txt" && $0.content == "side only\n" })
            #expect(seen.filter { $0.content == "same\n" }.count == 1)
            let blobCount = try git("rev-list", "--objects", "--all").split(separator: "\n")
                .map { String($0.prefix(40)) }
                .filter { (try? git("cat-file", "-t", $0)) == "blob" }
                .count
            #expect(seen.count == blobCount)
        }
    }

    @Test func forEachBlobInHistoryPropagatesTheBodysError() throws {
        struct Stop: Error {}
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            try repository.forEachBlobInHistory { _, _ in Issue.record("an unborn repository has no blobs") }
            try writeFile("x\n", to: "a.txt", in: directory)
            _ = try #require(try repository.commit(paths: ["a.txt"], message: "m", author: ada))
            #expect(throws: Stop.self) { try repository.forEachBlobInHistory { _, _ in throw Stop() } }
        }
    }
}
