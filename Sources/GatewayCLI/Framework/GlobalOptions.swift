import GatewayCore

/// Options that come before the command: `gateway [--repo DIR] [--now RFC3339] [-v|-q] COMMAND`.
public struct GlobalOptions: Sendable, Equatable {
    public var repo: String = "."
    public var now: Timestamp?
    public var verbosity = 1

    public init() {}

    static let helpSection = """
    Global options:
      --repo DIR                The managed repository [default: .]
      --now RFC3339             Decide as if it were this instant (renewal, backoff, days remaining)
      -v, --verbose             More detail on standard error
      -q, --quiet               Only errors on standard error

    """
}

/// A mistake in how the command was called: exit 64 with the usage line.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    /// The command the user meant, for `See 'gateway <cmd> --help'`.
    public var command: CommandSpec?

    public init(_ message: String, command: CommandSpec? = nil) {
        self.message = message
        self.command = command
    }

    public var description: String { message }

    public static func == (lhs: UsageError, rhs: UsageError) -> Bool {
        lhs.message == rhs.message && lhs.command?.name == rhs.command?.name
    }

    /// The text printed on standard error.
    public var rendered: String {
        var out = "Error: \(message)\n"
        if let command {
            out += command.usage + "\n" + "See 'gateway \(command.name) --help'.\n"
        } else {
            out += "Usage: gateway [--repo DIR] [--now RFC3339] [-v|-q] COMMAND\nSee 'gateway --help'.\n"
        }
        return out
    }
}
