import Foundation

/// Diagnostics for humans, on standard error. Never given a secret.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case quiet = 0, normal = 1, verbose = 2
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public let level: Level
    private let sink: @Sendable (String) -> Void

    public init(level: Level, sink: @escaping @Sendable (String) -> Void) {
        self.level = level
        self.sink = sink
    }

    public static func standardError(level: Level) -> Logger {
        Logger(level: level) { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    public static let silent = Logger(level: .quiet) { _ in }

    public func info(_ message: @autoclosure () -> String) { if level >= .normal { sink(message()) } }
    public func debug(_ message: @autoclosure () -> String) { if level >= .verbose { sink(message()) } }
    public func warning(_ message: @autoclosure () -> String) { sink("warning: " + message()) }
}
