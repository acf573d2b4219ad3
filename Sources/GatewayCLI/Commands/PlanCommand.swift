import GatewayCore
import GatewayKit

struct PlanCommand: Command {
    static let spec = CommandSpec(
        ["plan"], abstract: "Show what reconcile would do for every host, and why. Changes nothing.",
        options: [.flag("--force", help: "Plan as if failure backoff were over.")])

    let force: Bool

    init(_ arguments: ParsedArguments) { force = arguments.flag("--force") }

    func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.makeContext()
        let (_, plan) = try context.plan(force: force)
        invocation.output.out(PlanRenderer.text(plan))
        return ExitCode.success
    }
}
