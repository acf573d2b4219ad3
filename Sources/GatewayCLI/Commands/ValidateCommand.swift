import GatewayCore
import GatewayKit

struct ValidateCommand: Command {
    static let spec = CommandSpec(
        ["validate"], abstract: "Check gateway.json and every declaration; report every error at once.")

    init(_ arguments: ParsedArguments) {}

    func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.makeContext()
        var issues: [ValidationIssue] = []
        do { _ = try context.loadedConfig() } catch let error as ValidationError { issues += error.issues }
        let (declarations, declarationIssues) = context.repository.loadDeclarations()
        issues += declarationIssues
        if !issues.isEmpty { throw ValidationError(issues) }
        invocation.logger.info("ok: gateway.json and \(declarations.count) declaration\(declarations.count == 1 ? "" : "s") are valid")
        return ExitCode.success
    }
}
