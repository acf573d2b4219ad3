import Foundation

/// The result of running a command-line tool.
struct ToolOutput {
    let status: Int32
    let standardOutput: String
    let standardError: String

    /// Both streams: OpenSSL 3 prints some results ("verify OK") on stderr.
    var combined: String { standardOutput + standardError }
}

/// Error thrown when a fixture command fails.
struct ToolFailure: Error, CustomStringConvertible {
    let command: [String]
    let output: ToolOutput
    var description: String {
        "`openssl \(command.joined(separator: " "))` exited \(output.status): \(output.combined)"
    }
}

/// Runs `/usr/bin/openssl`, the independent implementation the tests check
/// GatewayCrypto against.
enum OpenSSLTool {
    static let executable = URL(fileURLWithPath: "/usr/bin/openssl")

    /// Runs `openssl arguments…` in `directory` and returns its exit status and output,
    /// whatever the status.
    static func run(_ arguments: [String], in directory: URL) throws -> ToolOutput {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        try process.run()

        // Drain both pipes before waiting: a child blocked on a full pipe never exits.
        let errorReader = errorPipe.fileHandleForReading
        let errorData = CollectedData()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            errorData.value = errorReader.readDataToEndOfFile()
        }
        let outputData = outputPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ToolOutput(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.value, as: UTF8.self))
    }

    /// Runs `openssl arguments…` and throws unless it exits 0.
    @discardableResult
    static func check(_ arguments: [String], in directory: URL) throws -> ToolOutput {
        let output = try run(arguments, in: directory)
        guard output.status == 0 else { throw ToolFailure(command: arguments, output: output) }
        return output
    }
}

/// Bytes read on a background queue. `@unchecked Sendable`: written once by the
/// reader, read only after `DispatchGroup.wait()` has ordered that write before it.
private final class CollectedData: @unchecked Sendable {
    var value = Data()
}

/// A fresh directory under the system temporary directory; remove it in `defer`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("gateway-crypto-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func write(_ data: Data, to name: String) throws { try data.write(to: file(name)) }

    func write(_ text: String, to name: String) throws { try Data(text.utf8).write(to: file(name)) }

    func read(_ name: String) throws -> String { String(decoding: try Data(contentsOf: file(name)), as: UTF8.self) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
