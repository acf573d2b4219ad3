import GatewayKit

struct InitCommand: Command {
    static let spec = CommandSpec(
        ["init"], abstract: "Create a managed repository (gateway.json, layout folders, a local KMS key).",
        discussion: """
        Initialises a git repository at --repo when there is none, writes gateway.json with
        every default, and creates a local key-encryption key (0600) outside the repository
        when the local KMS provider is configured and GATEWAY_KMS_LOCAL_KEY is not set.
        An existing gateway.json is kept.
        """,
        options: [.flag("--staging", help: "Use Let's Encrypt's staging directory.")])

    let staging: Bool

    init(_ arguments: ParsedArguments) { staging = arguments.flag("--staging") }

    func run(_ invocation: Invocation) throws -> Int32 {
        let result = try RepositoryInitializer.run(root: invocation.repositoryURL, staging: staging,
                                                   environment: invocation.environment, log: invocation.logger)
        let log = invocation.logger
        log.info(result.createdConfig ? "wrote gateway.json" : "gateway.json already exists; kept")
        if let commit = result.commit { log.info("committed \(commit.id.prefix(12)) gateway init") }
        return ExitCode.success
    }
}
