import GatewayCore
import GatewayKit

struct ReconcileCommand: Command {
    static let spec = CommandSpec(
        ["reconcile"], abstract: "Issue, renew and release certificates to match the declarations; commit once.",
        discussion: """
        Computes the plan, applies it host by host (a failing host does not stop the others),
        and ends with one commit of the ledger and wrapped files. Exit 1 when a host failed.
        """,
        options: [.flag("--force", help: "Ignore failure backoff.")])

    let force: Bool

    init(_ arguments: ParsedArguments) { force = arguments.flag("--force") }

    func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.makeContext()
        let (snapshot, plan) = try context.plan(force: force)
        invocation.output.out(PlanRenderer.text(plan, includeUnchanged: false))
        let report = try Reconciler(context: context, snapshot: snapshot).run(plan)
        if let commit = report.commit {
            invocation.output.out("Committed \(commit.id.prefix(12)): \(commit.message.split(separator: "\n").first ?? "")\n")
        } else {
            invocation.output.out("Nothing to commit.\n")
        }
        return report.failures > 0 ? ExitCode.failure : ExitCode.success
    }
}
