import Foundation
import Testing
import GatewayGit

@Suite struct GitRepositoryRemoteTests {
    let ada = GitSignature(name: "Ada Lovelace", email: "ada@example.com")

    /// A bare "server" repository made by the CLI and a work tree made by
    /// GatewayGit with one commit and `origin` pointing at the bare one.
    private func makeOriginAndClone(in directory: URL, originURL: (URL) -> String) throws -> (bare: URL, work: URL, repository: GitRepository) {
        let bare = directory.appendingPathComponent("origin.git")
        try GitCLI(directory: directory)("init", "-q", "--bare", bare.path)
        let work = directory.appendingPathComponent("work")
        let repository = try GitRepository.initialize(at: work)
        try writeFile("v1\n", to: "hosts/a.json", in: work)
        _ = try #require(try repository.commit(paths: ["hosts/a.json"], message: "first", author: ada))
        try repository.addRemote(name: "origin", url: originURL(bare))
        return (bare, work, repository)
    }

    @Test(arguments: ["file URL", "plain path"])
    func pushPublishesTheBranchToABareRepository(style: String) throws {
        try withTemporaryDirectory { directory in
            let (bare, _, repository) = try makeOriginAndClone(in: directory) { style == "file URL" ? $0.absoluteString : $0.path }
            let head = try #require(try repository.head())

            try repository.push(remote: "origin", branch: "main")

            let server = GitCLI(directory: bare)
            #expect(try server("log", "--format=%H %s", "main") == "\(head.id) first")
            #expect(try server("show", "main:hosts/a.json") == "v1")
        }
    }

    @Test func pushBehindTheRemoteIsRefusedThenFetchAndResetRecover() throws {
        try withTemporaryDirectory { directory in
            let (bare, work, repository) = try makeOriginAndClone(in: directory) { $0.absoluteString }
            try repository.push(remote: "origin", branch: "main")

            // Someone else pushes first.
            let other = directory.appendingPathComponent("other")
            try GitCLI(directory: directory)("clone", "-q", bare.path, other.path)
            let otherGit = GitCLI(directory: other)
            try writeFile("from elsewhere\n", to: "hosts/b.json", in: other)
            try otherGit("add", "hosts/b.json")
            try otherGit("commit", "-q", "-m", "elsewhere")
            try otherGit("push", "-q", "origin", "main")
            let remoteTip = try otherGit("rev-parse", "HEAD")

            try writeFile("v2\n", to: "hosts/a.json", in: work)
            _ = try #require(try repository.commit(paths: ["hosts/a.json"], message: "mine", author: ada))
            let error = try #require(throws: GitError.self) { try repository.push(remote: "origin", branch: "main") }
            #expect([GitError.Code.nonFastForward, .pushRejected].contains(error.code), "\(error)")
            #expect(error.reason.contains("refs/heads/main"), "\(error)")
            #expect(try GitCLI(directory: bare)("rev-parse", "main") == remoteTip)

            try repository.fetch(remote: "origin")
            #expect(try repository.resolve(revision: "origin/main") == remoteTip)
            try repository.resetHard(to: "origin/main")
            #expect(try repository.head()?.id == remoteTip)
            #expect(try String(contentsOf: work.appendingPathComponent("hosts/b.json"), encoding: .utf8) == "from elsewhere\n")
            #expect(try String(contentsOf: work.appendingPathComponent("hosts/a.json"), encoding: .utf8) == "v1\n")
            #expect(try repository.dirtyPaths() == [])

            try writeFile("v2\n", to: "hosts/a.json", in: work)
            let retried = try #require(try repository.commit(paths: ["hosts/a.json"], message: "mine, rebuilt", author: ada))
            #expect(retried.parentIDs == [remoteTip])
            try repository.push(remote: "origin", branch: "main")
            #expect(try GitCLI(directory: bare)("rev-parse", "main") == retried.id)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func serverHookRejectionIsReportedThroughTheCallback() throws {
        try withTemporaryDirectory { directory in
            let serverRoot = directory.appendingPathComponent("srv")
            try FileManager.default.createDirectory(at: serverRoot, withIntermediateDirectories: true)
            let bare = serverRoot.appendingPathComponent("config.git")
            try GitCLI(directory: directory)("init", "-q", "--bare", bare.path)
            let hook = bare.appendingPathComponent("hooks/pre-receive")
            try writeFile("#!/bin/sh\necho 'policy: main is protected' >&2\nexit 1\n", to: "hooks/pre-receive", in: bare)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook.path)
            let daemon = try GitDaemon(baseDirectory: serverRoot)
            defer { daemon.stop() }

            let work = directory.appendingPathComponent("work")
            let repository = try GitRepository.initialize(at: work)
            try writeFile("v1\n", to: "a.txt", in: work)
            _ = try #require(try repository.commit(paths: ["a.txt"], message: "first", author: ada))
            try repository.addRemote(name: "origin", url: daemon.url(repository: "config.git"))

            let error = try #require(throws: GitError.self) { try repository.push(remote: "origin", branch: "main") }
            #expect(error.code == .pushRejected, "\(error)")
            #expect(error.reason.contains("refs/heads/main"), "\(error)")
            #expect(error.reason.contains("hook declined"), "\(error)")
            #expect(try GitCLI(directory: bare).attempt(["rev-parse", "--verify", "main"]).status != 0)

            // Without the hook the same push goes through the daemon.
            try FileManager.default.removeItem(at: hook)
            try repository.push(remote: "origin", branch: "main")
            #expect(try GitCLI(directory: bare)("rev-parse", "main") == repository.head()?.id)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func rejectedCredentialsGiveUpAfterOneAttempt() throws {
        let server = try UnauthorizedHTTPServer()
        defer { server.stop() }
        try withTemporaryDirectory { directory in
            let repository = try GitRepository.initialize(at: directory)
            try writeFile("v1\n", to: "a.txt", in: directory)
            _ = try #require(try repository.commit(paths: ["a.txt"], message: "first", author: ada))
            try repository.addRemote(name: "origin", url: "http://gateway:wrong-secret@127.0.0.1:\(server.port)/config.git")

            let pushError = try #require(throws: GitError.self) { try repository.push(remote: "origin", branch: "main") }
            #expect(pushError.code == .auth, "\(pushError)")
            #expect(!pushError.reason.contains("wrong-secret"), "\(pushError)")
            #expect(server.requestsWithCredentials >= 1)
            #expect(server.requests <= 6, "libgit2 kept retrying: \(server.requests) requests")

            let fetchError = try #require(throws: GitError.self) { try repository.fetch(remote: "origin") }
            #expect(fetchError.code == .auth, "\(fetchError)")
        }
    }

    @Test func cloneChecksOutTheRequestedBranch() throws {
        try withTemporaryDirectory { directory in
            let (bare, _, repository) = try makeOriginAndClone(in: directory) { $0.path }
            try repository.push(remote: "origin", branch: "main")
            let serverSide = directory.appendingPathComponent("seed")
            try GitCLI(directory: directory)("clone", "-q", bare.path, serverSide.path)
            let seed = GitCLI(directory: serverSide)
            try seed("switch", "-q", "-c", "staging")
            try writeFile("staging\n", to: "env.txt", in: serverSide)
            try seed("add", "env.txt")
            try seed("commit", "-q", "-m", "staging")
            try seed("push", "-q", "origin", "staging")

            let clone = try GitRepository.clone(from: bare.absoluteString, to: directory.appendingPathComponent("clone"), branch: "staging")
            #expect(clone.currentBranch == "staging")
            #expect(try clone.head()?.id == seed("rev-parse", "HEAD"))
            #expect(try clone.remoteURL(name: "origin") == bare.absoluteString)
            let cloneDir = try #require(clone.workdir)
            #expect(try String(contentsOf: cloneDir.appendingPathComponent("env.txt"), encoding: .utf8) == "staging\n")

            let defaultClone = try GitRepository.clone(from: bare.path, to: directory.appendingPathComponent("default"))
            #expect(defaultClone.currentBranch == "main")
            #expect(throws: GitError.self) {
                try GitRepository.clone(from: directory.appendingPathComponent("missing.git").path, to: directory.appendingPathComponent("nothing"))
            }
        }
    }
}
