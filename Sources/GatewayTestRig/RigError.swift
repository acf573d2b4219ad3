/// A failure of the local ACME rig: a missing tool, a child process that did not
/// start, a management request that was refused.
///
/// Equality compares the code only, so tests assert the kind of failure.
public struct RigError: Error, CustomStringConvertible, Equatable, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        /// `openssl`, `pebble` or `pebble-challtestsrv` is not installed.
        public static let toolMissing = Code(name: "tool missing")
        /// A helper command (openssl) exited with a failure status.
        public static let commandFailed = Code(name: "command failed")
        /// A child process exited while the rig was starting.
        public static let processExited = Code(name: "process exited")
        /// A child process could not bind its port (another process took it first).
        public static let addressInUse = Code(name: "address in use")
        /// Pebble or pebble-challtestsrv did not answer in time.
        public static let startTimedOut = Code(name: "start timed out")
        /// A management API refused a request or answered something unexpected.
        public static let management = Code(name: "management request failed")
        /// A socket call failed.
        public static let socket = Code(name: "socket error")
        /// A file in the work directory could not be written.
        public static let fileSystem = Code(name: "file system error")
        /// The rig was stopped; its processes cannot be restarted.
        public static let rigStopped = Code(name: "rig stopped")
        /// Pebble's log could not be read or parsed.
        public static let log = Code(name: "log unreadable")
        /// A server the rig depends on (Pebble's directory, for a test double) answered
        /// something unusable or could not be reached.
        public static let upstream = Code(name: "upstream failure")
    }

    public let code: Code
    public let reason: String

    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "ACME rig: \(code): \(reason)" }

    public static func == (lhs: RigError, rhs: RigError) -> Bool { lhs.code == rhs.code }
}
