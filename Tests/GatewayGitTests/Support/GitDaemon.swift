import Foundation

/// `git daemon` serving the bare repositories below `baseDirectory` over
/// git:// on loopback, with pushes enabled, so hooks run as on a real server.
final class GitDaemon {
    let port: UInt16
    private let process = Process()

    init(baseDirectory: URL) throws {
        port = try LoopbackSocket.freePort()
        // Run git-daemon itself, not through the `git` wrapper, so stopping it
        // does not leave the real daemon behind as an orphan.
        let execPath = try GitCLI(directory: baseDirectory)("--exec-path")
        process.executableURL = URL(fileURLWithPath: execPath).appendingPathComponent("git-daemon")
        process.arguments = [
            "--reuseaddr", "--listen=127.0.0.1", "--port=\(port)",
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

    /// Kills the daemon. SIGKILL, because Foundation starts children with the
    /// test thread's signal mask, in which SIGTERM may be blocked.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
