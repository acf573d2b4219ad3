import Foundation
import GatewayCore
import GatewayGit
import GatewayHTTP

/// Everything a command needs, built once from the global options: the repository,
/// its configuration (with environment overrides), the clock, and lazily the network
/// clients and the KMS.
public final class GatewayContext {
    public let repository: ManagedRepository
    public let environment: [String: String]
    public let now: Timestamp
    public let log: Logger

    public init(repositoryRoot: URL, environment: [String: String], now: Timestamp, log: Logger) {
        GitLibrary.initialize()
        self.repository = ManagedRepository(root: repositoryRoot)
        self.environment = environment
        self.now = now
        self.log = log
    }

    public lazy var config: Result<RepoConfig, Error> = Result { try repository.loadConfig(environment: environment) }

    public func loadedConfig() throws -> RepoConfig { try config.get() }

    public func snapshot() throws -> RepositorySnapshot {
        var snapshot = try repository.snapshot(environment: environment)
        snapshot.config = try loadedConfig()
        return snapshot
    }

    public func http() throws -> HTTPClient {
        if let client = httpClient { return client }
        let config = try loadedConfig()
        let client = HTTPClient(configuration: .init(caBundlePath: config.acme.caBundle, userAgent: "gateway/0.1"))
        httpClient = client
        return client
    }
    private var httpClient: HTTPClient?

    public func acme() throws -> ACMEClient {
        if let client = acmeClient { return client }
        let client = ACMEClient(directoryURL: try loadedConfig().acme.directory, http: try http())
        acmeClient = client
        return client
    }
    private var acmeClient: ACMEClient?

    /// DuckDNS is a public service: it is reached with the system trust store unless the
    /// ACME bundle is the only one configured for a local rig.
    public func duckDNS() throws -> DuckDNSClient {
        DuckDNSClient(baseURL: try loadedConfig().dns.duckDNSAPI, http: try http())
    }

    public func envelope() throws -> Envelope {
        let kms = try loadedConfig().kms
        switch kms.provider {
        case "local": return try Envelope.local(keyID: kms.keyID, environment: environment)
        default:
            throw EnvelopeError(.unsupportedProvider, "kms.provider \"\(kms.provider)\" is not available in this build (use local)")
        }
    }

    public func secrets() throws -> SecretStore { SecretStore(repository: repository, envelope: try envelope()) }

    public func resolver() throws -> DNSResolver? {
        let servers = try loadedConfig().dns.resolvers.compactMap(RepoConfig.parseResolver)
        return servers.isEmpty ? nil : DNSResolver(servers: servers.map { (address: $0.0, port: $0.1) })
    }

    public func git() throws -> GitRepository {
        if let repo = gitRepository { return repo }
        do {
            let repo = try GitRepository.open(at: repository.root)
            gitRepository = repo
            return repo
        } catch {
            throw RepositoryError(.notARepository, "\(repository.root.path) is not a git work tree (run gateway init there): \(error)")
        }
    }
    private var gitRepository: GitRepository?

    /// Commits exactly the paths this run changed. Returns nil when nothing changed.
    public func commitChanges(message: String) throws -> GitCommitInfo? {
        let paths = repository.changedPaths.sorted()
        guard !paths.isEmpty else { return nil }
        let git = try git()
        let config = try loadedConfig()
        let signature = GitSignature(name: config.git.authorName, email: config.git.authorEmail, date: Date())
        return try git.commit(paths: paths, message: message, author: signature)
    }
}

extension GatewayContext {
    /// Loads and validates the repository and computes the plan for `now`.
    public func plan(force: Bool) throws -> (snapshot: RepositorySnapshot, plan: Plan) {
        let snapshot = try snapshot()
        let plan = Planner(renewal: snapshot.config.renewal, ownership: snapshot.config.ownership)
            .plan(snapshot.plannerInput(now: now, force: force))
        return (snapshot, plan)
    }
}
