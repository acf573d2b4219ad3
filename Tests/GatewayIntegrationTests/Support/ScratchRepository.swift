import Foundation
import GatewayCLI
import GatewayCore
import GatewayGit
import GatewayTestRig
import Synchronization

/// A managed repository in a temporary directory, driven through the real CLI entry
/// point (in process) with an explicit environment pointing at a local rig.
final class ScratchRepository {
    let root: URL
    let keyDirectory: URL
    var environment: [String: String]

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    init(rig: ACMERig?) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-test-\(UUID().uuidString)")
        root = base.appendingPathComponent("repo")
        keyDirectory = base.appendingPathComponent("keys")
        environment = ["GATEWAY_KMS_LOCAL_KEY_DIR": keyDirectory.path, "HOME": base.path]
        if let rig { environment.merge(rig.environment) { $1 } }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }

    @discardableResult
    func gateway(_ arguments: String..., stdin: String = "", now: String? = nil) -> Run {
        gateway(arguments, stdin: stdin, now: now)
    }

    func gateway(_ arguments: [String], stdin: String = "", now: String? = nil) -> Run {
        let out = Mutex(""), err = Mutex("")
        let output = Output(out: { text in out.withLock { $0 += text } }, err: { text in err.withLock { $0 += text } })
        var words = ["--repo", root.path]
        if let now { words += ["--now", now] }
        let status = CommandLineInterface.main(words + arguments, environment: environment, output: output,
                                               readStandardInput: { Data(stdin.utf8) })
        return Run(status: status, stdout: out.withLock { $0 }, stderr: err.withLock { $0 })
    }

    func declare(owner: String, host: String, _ extra: String = "", agent: String = "agent-1") throws {
        try write("hosts/\(owner)/\(host).json",
                  #"{"host": "\#(host)", "agent_id": "\#(agent)", "mode": "duckdns"\#(extra.isEmpty ? "" : ", " + extra)}"# + "\n")
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ path: String) -> String? {
        (try? Data(contentsOf: root.appendingPathComponent(path))).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The ledger's certificate record of `host`; nil when there is none.
    func certRecord(_ host: String) throws -> CertRecord? {
        let path = "state/certs/\(host).json"
        guard let text = read(path) else { return nil }
        return try CertRecord(json: try JSONParser.parse(text), file: path)
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) }

    /// Commits the owners' declarations, as a merged pull request would.
    func commitDeclarations(_ message: String = "declare hosts") throws {
        let git = try GitRepository.open(at: root)
        let paths = try git.dirtyPaths().filter { $0.hasPrefix("hosts/") }
        _ = try git.commit(paths: paths, message: message + "\n",
                           author: GitSignature(name: "owner", email: "owner@example.test", date: Date()))
    }

    func git() throws -> GitRepository { try GitRepository.open(at: root) }
    func headID() throws -> String? { try git().head()?.id }
    func commitCount() throws -> Int { try git().log(limit: 1000).count }

    /// Every file under the work tree except .git, with its bytes, to prove "nothing changed".
    func fingerprint() throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where !url.path.contains("/.git/") && !url.path.hasSuffix("/.git") {
            if let data = try? Data(contentsOf: url) { files[String(url.path.dropFirst(root.path.count + 1))] = data }
        }
        return files
    }
}
