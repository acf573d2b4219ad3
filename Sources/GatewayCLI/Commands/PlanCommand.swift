import GatewayCore
import GatewayKit

struct PlanCommand: Command {
    static let spec = CommandSpec(
        ["plan"], abstract: "Show what reconcile would do for every host, and why. Changes nothing.",
        discussion: """
        With --base REF (for pull requests), also lists the declarations this branch adds,
        changes or removes compared with REF, and marks the actions they cause.
        The JSON and markdown forms carry a digest: `gateway reconcile --plan-digest D`
        applies the plan only if it still is exactly this one.
        """,
        options: [
            .value("--format", "FORMAT", help: "Output format.", default: "text", allowed: ["text", "json", "markdown"]),
            .value("--base", "REF", help: "Compare the declarations with this git revision (e.g. origin/main)."),
            .flag("--detailed-exitcode", help: "Exit 0 when there is nothing to do, 2 when changes are pending, 1 on error."),
            .flag("--force", help: "Plan as if failure backoff were over."),
        ])

    let format: String
    let base: String?
    let detailedExitCode: Bool
    let force: Bool

    init(_ arguments: ParsedArguments) {
        format = arguments.value("--format") ?? "text"
        base = arguments.value("--base")
        detailedExitCode = arguments.flag("--detailed-exitcode")
        force = arguments.flag("--force")
    }

    func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.makeContext()
        let (_, report) = try context.planReport(force: force, baseRef: base)
        switch format {
        case "json": invocation.output.out(PlanRenderer.json(report))
        case "markdown": invocation.output.out(PlanRenderer.markdown(report))
        default: invocation.output.out(PlanRenderer.text(report))
        }
        return detailedExitCode && report.plan.hasChanges ? ExitCode.changesPending : ExitCode.success
    }
}
