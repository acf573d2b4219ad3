import Foundation
import GatewayCore
import GatewayKit

/// Parses `gateway …` into a command and runs it. Parsing is pure: tests call
/// `parse` on string arrays without starting a process.
public enum CommandLineInterface {
    public static let version = "0.1.0"

    public static var commands: [any Command.Type] { [
        InitCommand.self, ValidateCommand.self, PlanCommand.self, ReconcileCommand.self, ListCommand.self,
        CertIssueCommand.self, CertRenewCommand.self, CertExportCommand.self, DuckDNSSetTokenCommand.self,
    ] }

    public enum Parsed {
        case run(any Command, GlobalOptions)
        case help(String)
        case version
    }

    public static func parse(_ arguments: [String]) throws(UsageError) -> Parsed {
        var global = GlobalOptions()
        var index = 0
        // Global options come before the command.
        while index < arguments.count, arguments[index].hasPrefix("-") {
            let word = arguments[index]
            index += 1
            var name = word, inline: String?
            if word.hasPrefix("--"), let eq = word.firstIndex(of: "=") {
                name = String(word[..<eq])
                inline = String(word[word.index(after: eq)...])
            }
            func value() throws(UsageError) -> String {
                if let inline { return inline }
                guard index < arguments.count else { throw UsageError("option \(name) needs a value") }
                index += 1
                return arguments[index - 1]
            }
            switch name {
            case "--repo": global.repo = try value()
            case "--now":
                let text = try value()
                guard let now = Timestamp(rfc3339: text) else {
                    throw UsageError("--now '\(text)' is not an RFC 3339 time (expected e.g. 2026-12-04T15:00:00Z)")
                }
                global.now = now
            case "-v", "--verbose": global.verbosity = 2
            case "-q", "--quiet": global.verbosity = 0
            case "-h", "--help": return .help(overview)
            case "--version": return .version
            default: throw UsageError("unknown global option '\(name)'")
            }
        }
        guard index < arguments.count else { throw UsageError("no command given") }

        // The longest command path that matches.
        let rest = Array(arguments[index...])
        let match = commands
            .filter { rest.starts(with: $0.spec.path) }
            .max { $0.spec.path.count < $1.spec.path.count }
        guard let type = match else {
            let group = commands.filter { $0.spec.path.first == rest[0] }
            if !group.isEmpty {
                let sub = rest.count > 1 ? "'\(rest[1])' is not a '\(rest[0])' command" : "'\(rest[0])' needs a subcommand"
                throw UsageError("\(sub) (expected one of: \(group.map { $0.spec.path.dropFirst().joined(separator: " ") }.joined(separator: ", ")))")
            }
            throw UsageError("unknown command '\(rest[0])'")
        }
        let commandArguments = Array(rest.dropFirst(type.spec.path.count))
        if commandArguments.contains("--help") || commandArguments.contains("-h") {
            return .help(type.spec.help)
        }
        let parsed = try ParsedArguments.parse(commandArguments, spec: type.spec)
        return .run(try type.init(parsed), global)
    }

    public static var overview: String {
        var out = """
        gateway: GitOps reconciler for the public host names and TLS certificates of agent-hosted services.

        Usage: gateway [--repo DIR] [--now RFC3339] [-v|-q] COMMAND [options]

        Commands:

        """
        for type in commands { out += CommandSpec.row(type.spec.name, type.spec.abstract) }
        out += "\n" + GlobalOptions.helpSection + "\nSee 'gateway COMMAND --help' for a command's options.\n"
        return out
    }

    /// Runs a whole command line and returns the process exit code.
    public static func main(_ arguments: [String], environment: [String: String], output: Output,
                            readStandardInput: @escaping () -> Data) -> Int32 {
        let parsed: Parsed
        do {
            parsed = try parse(arguments)
        } catch {
            output.err(error.rendered)
            return ExitCode.usage
        }
        switch parsed {
        case let .help(text):
            output.out(text)
            return ExitCode.success
        case .version:
            output.out("gateway \(version)\n")
            return ExitCode.success
        case let .run(command, global):
            let invocation = Invocation(global: global, environment: environment, output: output, readStandardInput: readStandardInput)
            do {
                return try command.run(invocation)
            } catch let error as UsageError {
                output.err(error.rendered)
                return ExitCode.usage
            } catch let error as ValidationError {
                for issue in error.issues { output.err("error: \(issue)\n") }
                output.err("\(error.issues.count) error\(error.issues.count == 1 ? "" : "s"); nothing was changed.\n")
                return ExitCode.failure
            } catch {
                output.err("error: \(error)\n")
                return ExitCode.failure
            }
        }
    }
}
