import GatewayCore
import GatewayKit

struct ListCommand: Command {
    static let spec = CommandSpec(
        ["list"], abstract: "List hosts with their status and the days their certificate has left.",
        options: [.value("--format", "FORMAT", help: "Output format.", default: "text", allowed: ["text", "json"])])

    let format: String

    init(_ arguments: ParsedArguments) { format = arguments.value("--format") ?? "text" }

    func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.makeContext()
        let rows = HostListing.rows(try context.snapshot(), now: context.now)
        if format == "json" {
            invocation.output.out(CanonicalJSON.serialize(.object([("format_version", .integer(1)),
                                                                   ("hosts", .array(rows.map(\.json)))])))
        } else {
            invocation.output.out(HostListing.text(rows))
        }
        return ExitCode.success
    }
}
