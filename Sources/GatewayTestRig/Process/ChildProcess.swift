import Foundation
import Glibc
import Synchronization

/// A child process of the rig whose standard output and error go to a log file
/// (never to a pipe nobody reads).
///
/// `Foundation.Process` is kept behind a mutex, so the wrapper is `Sendable`
/// without an unchecked conformance.
final class ChildProcess: Sendable {
    let name: String
    let logPath: String
    let processIdentifier: Int32
    private let process: Mutex<Process>

    /// Starts `executable`; the log file is created (or truncated) first, or with
    /// `appendingToLog` opened for appending, so a restarted process continues the log.
    init(name: String, executable: String, arguments: [String], environment: [String: String],
         logPath: String, currentDirectory: URL, appendingToLog: Bool = false) throws {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (appendingToLog ? O_APPEND : O_TRUNC)
        let descriptor = open(logPath, flags, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            throw RigError(code: .fileSystem, reason: "cannot open the log file \(logPath) for \(name): "
                               + "\(String(cString: strerror(code))) (errno \(code))")
        }
        let log = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = currentDirectory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            try? log.close()
            throw RigError(code: .processExited, reason: "cannot start \(executable): \(error)")
        }
        // The child holds its own copy of the descriptor.
        try? log.close()
        self.name = name
        self.logPath = logPath
        self.processIdentifier = process.processIdentifier
        self.process = Mutex(process)
    }

    var isRunning: Bool { process.withLock { $0.isRunning } }

    /// The exit status, or nil while the process runs.
    var exitStatus: Int32? {
        process.withLock { $0.isRunning ? nil : $0.terminationStatus }
    }

    /// Sends SIGTERM if the process still runs.
    func requestTermination() {
        process.withLock { if $0.isRunning { $0.terminate() } }
    }

    /// Waits until the process has exited and been reaped; false on timeout.
    @discardableResult
    func waitForExit(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while isRunning {
            if ContinuousClock.now >= deadline { return false }
            usleep(20_000)
        }
        return true
    }

    /// SIGTERM, a grace period, then SIGKILL; returns once the process is gone.
    func terminate(grace: Duration = .seconds(5)) {
        requestTermination()
        if waitForExit(timeout: grace) { return }
        _ = kill(processIdentifier, SIGKILL)
        waitForExit(timeout: .seconds(10))
    }

    /// Runs a short helper command to completion and throws with its output when it fails.
    static func run(name: String, executable: String, arguments: [String], logPath: String,
                    currentDirectory: URL, timeout: Duration = .seconds(60)) throws {
        let child = try ChildProcess(name: name, executable: executable, arguments: arguments,
                                     environment: ProcessInfo.processInfo.environment,
                                     logPath: logPath, currentDirectory: currentDirectory)
        guard child.waitForExit(timeout: timeout) else {
            child.terminate(grace: .seconds(1))
            throw RigError(code: .commandFailed,
                           reason: "\(name) did not finish within \(timeout): \(executable) \(arguments.joined(separator: " "))")
        }
        let status = child.exitStatus ?? -1
        guard status == 0 else {
            throw RigError(code: .commandFailed, reason: """
                \(name) failed with status \(status): \(executable) \(arguments.joined(separator: " "))
                \(child.logTail())
                """)
        }
    }

    /// The last lines of the log, for error messages.
    func logTail(lines: Int = 20) -> String {
        guard let data = FileManager.default.contents(atPath: logPath), !data.isEmpty else {
            return "(\(logPath) is empty)"
        }
        let text = String(decoding: data, as: UTF8.self)
        let tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1)
        return "--- last lines of \(logPath) ---\n" + tail.joined(separator: "\n")
    }
}
