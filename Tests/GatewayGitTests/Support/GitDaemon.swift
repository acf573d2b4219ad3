import Foundation

/// `git daemon` serving the bare repositories below `baseDirectory` over
/// git:// on loopback, with pushes enabled, so hooks run as on a real server.
final class GitDaemon {
    let port: UInt16
    private let process = Process()

    init(baseDirectory: URL) throws {
        port = try LoopbackSocket.freePort()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = [
            "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=\(port)",
            "--base-path=\(baseDirectory.path)", "--export-all", "--enable=receive-pack",
            "--informative-errors", baseDirectory.path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while !LoopbackSocket.isAccepting(port: port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw LoopbackSocket.Failure(description: "git daemon did not start listening on 127.0.0.1:\(port)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func url(repository: String) -> String { "git://127.0.0.1:\(port)/\(repository)" }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
