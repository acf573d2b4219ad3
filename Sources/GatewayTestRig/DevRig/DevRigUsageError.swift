/// A command line `gateway-devrig` cannot run; the executable prints it with the usage and exits 64.
public struct DevRigUsageError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
