import Foundation
import GatewayCore
import GatewayKit

/// Where a command writes: data to `out`, diagnostics to `err`.
public struct Output: Sendable {
    public let out: @Sendable (String) -> Void
    public let err: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.err = err
    }

    public static let standard = Output(
        out: { FileHandle.standardOutput.write(Data($0.utf8)) },
        err: { FileHandle.standardError.write(Data($0.utf8)) })
}

/// What a running command gets besides its arguments.
public struct Invocation {
    public var global: GlobalOptions
    public var environment: [String: String]
    public var output: Output
    /// Standard input, read only by commands that take a secret from it.
    public var readStandardInput: () -> Data

    public var repositoryURL: URL {
        URL(fileURLWithPath: global.repo, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }

    public var now: Timestamp { global.now ?? Timestamp(Date()) }

    public var logger: Logger {
        let level: Logger.Level = global.verbosity <= 0 ? .quiet : global.verbosity == 1 ? .normal : .verbose
        let err = output.err
        return Logger(level: level) { err($0 + "\n") }
    }

    public func makeContext() -> GatewayContext {
        GatewayContext(repositoryRoot: repositoryURL, environment: environment, now: now, log: logger)
    }
}

/// A command: a declared spec, a constructor that validates the parsed arguments
/// (throwing `UsageError`), and `run`, which returns the exit code.
public protocol Command {
    static var spec: CommandSpec { get }
    init(_ arguments: ParsedArguments) throws(UsageError)
    func run(_ invocation: Invocation) throws -> Int32
}

public enum ExitCode {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    public static let changesPending: Int32 = 2
    public static let usage: Int32 = 64
}
