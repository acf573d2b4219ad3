import GatewayCore
import GatewayKit

/// `gateway cert issue FQDN` and `gateway cert renew FQDN`: one certificate now.
struct CertIssueCommand: Command {
    static let spec = CommandSpec(
        ["cert", "issue"], abstract: "Issue a new certificate for a host now, whatever its schedule or backoff.",
        arguments: [.init("FQDN", help: "A declared, verified DuckDNS host.")])

    let host: HostName
    var kind = PlannedAction.Kind.issue

    init(_ arguments: ParsedArguments) throws(UsageError) {
        do { host = try HostName(validating: arguments.positionals[0]) } catch {
            throw arguments.usageError("invalid host '\(arguments.positionals[0])': \(error.reason)")
        }
    }

    func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.makeContext()
        let (snapshot, plan) = try context.forcedPlan(host: host, kind: kind)
        invocation.output.out(PlanRenderer.text(plan))
        let report = try Reconciler(context: context, snapshot: snapshot).run(plan)
        if let commit = report.commit {
            invocation.output.out("Committed \(commit.id.prefix(12)): \(commit.message.split(separator: "\n").first ?? "")\n")
        }
        return report.failures > 0 ? ExitCode.failure : ExitCode.success
    }
}

struct CertRenewCommand: Command {
    static let spec = CommandSpec(
        ["cert", "renew"], abstract: "Renew a host's certificate now (ARI replaces the old one when the CA offers it).",
        arguments: [.init("FQDN", help: "A declared, verified DuckDNS host with a certificate.")])

    let issue: CertIssueCommand

    init(_ arguments: ParsedArguments) throws(UsageError) {
        var command = try CertIssueCommand(arguments)
        command.kind = .renew
        issue = command
    }

    func run(_ invocation: Invocation) throws -> Int32 { try issue.run(invocation) }
}
