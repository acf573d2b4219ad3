import Foundation

/// The real `git` command line, used only to observe what GatewayGit did.
struct GitCLI {
    struct Failure: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let output: String
        let errorOutput: String
        var description: String { "git \(arguments.joined(separator: " ")) exited \(status): \(errorOutput)\(output)" }
    }

    struct Outcome {
        let status: Int32
        let output: String
        let errorOutput: String
    }

    /// Where git runs (`git -C <directory>`).
    let directory: URL

    /// Runs git and returns its standard output with the trailing newline
    /// removed; throws when git exits non-zero.
    @discardableResult
    func callAsFunction(_ arguments: String...) throws -> String {
        try run(arguments)
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let outcome = try attempt(arguments)
        guard outcome.status == 0 else {
            throw Failure(arguments: arguments, status: outcome.status, output: outcome.output, errorOutput: outcome.errorOutput)
        }
        return outcome.output.hasSuffix("\n") ? String(outcome.output.dropLast()) : outcome.output
    }

    /// Runs git and reports its exit status instead of throwing.
    func attempt(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = [
            "-C", directory.path,
            "-c", "user.name=CLI Observer", "-c", "user.email=cli@example.com",
            "-c", "init.defaultBranch=main", "-c", "advice.detachedHead=false",
        ] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment

        // Standard error goes to a file so a chatty git cannot fill a pipe
        // while this thread blocks on standard output.
        let errorURL = FileManager.default.temporaryDirectory.appendingPathComponent("git-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorURL) }
        let errorHandle = try FileHandle(forWritingTo: errorURL)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()   // before waiting: a full pipe blocks git
        process.waitUntilExit()
        try errorHandle.close()
        let errorData = (try? Data(contentsOf: errorURL)) ?? Data()
        return Outcome(
            status: process.terminationStatus,
            output: String(decoding: data, as: UTF8.self),
            errorOutput: String(decoding: errorData, as: UTF8.self)
        )
    }
}
