import GatewayCore
import GatewayKit

struct ReconcileCommand: Command {
    static let spec = CommandSpec(
        ["reconcile"], abstract: "Issue, renew and release certificates to match the declarations; commit once.",
        discussion: """
        Computes the plan, applies it host by host (a failing host does not stop the others),
        and ends with one commit of the ledger and wrapped files. Exit 1 when a host failed.
        A run that would release more than release.max_without_force hosts is refused
        without --force, and so is a plan whose digest differs from --plan-digest.
        """,
        options: [
            .value("--plan-digest", "DIGEST", help: "Apply only if the plan's digest is this one (from a reviewed plan)."),
            .value("--concurrency", "N", help: "Orders for different DuckDNS domains run in parallel, at most N at once.", default: "8"),
            .flag("--force", help: "Ignore failure backoff and the release limit."),
        ])

    let planDigest: String?
    let concurrency: Int
    let force: Bool

    init(_ arguments: ParsedArguments) throws(UsageError) {
        planDigest = arguments.value("--plan-digest")
        force = arguments.flag("--force")
        guard let n = Int(arguments.value("--concurrency") ?? "8"), (1...64).contains(n) else {
            throw arguments.usageError("--concurrency must be a number from 1 to 64")
        }
        concurrency = n
    }

    func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.makeContext()
        let (snapshot, report) = try context.planReport(force: force, baseRef: nil, refreshRenewalInfo: planDigest == nil)
        let plan = report.plan
        if let planDigest, planDigest != report.digest {
            throw RepositoryError(.refused, """
                the plan changed since it was reviewed (reviewed \(planDigest), now \(report.digest)); nothing was changed. \
                Run gateway plan again and review the new plan.
                """)
        }
        let guarded = report.releasesNeedingForce
        if !guarded.isEmpty && !force {
            throw RepositoryError(.refused, """
                this run would release \(guarded.count) hosts, more than release.max_without_force (\(report.releaseLimit)): \
                \(guarded.map(\.value).joined(separator: ", ")). Nothing was changed; check the declarations, then run with --force.
                """)
        }
        invocation.output.out(PlanRenderer.text(report, includeUnchanged: false))
        let outcome = try Reconciler(context: context, snapshot: snapshot).run(plan, concurrency: concurrency)
        if let commit = outcome.commit {
            invocation.output.out("Committed \(commit.id.prefix(12)): \(commit.message.split(separator: "\n").first ?? "")\n")
        } else {
            invocation.output.out("Nothing to commit.\n")
        }
        return outcome.failures > 0 ? ExitCode.failure : ExitCode.success
    }
}
