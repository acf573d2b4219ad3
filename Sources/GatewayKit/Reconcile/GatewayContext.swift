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
        let client = ACMEClient(directoryURL: try loadedConfig().acme.directory, http: try http(), log: log)
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
        try commit(paths: repository.changedPaths.sorted(), message: message)
    }

    /// Ledger and wrapped files a previous run wrote but did not commit (it was cut
    /// short between writing and committing): reconcile commits them with its own.
    public func uncommittedManagedPaths() throws -> [String] {
        try git().dirtyPaths().filter { $0.hasPrefix("state/") || $0.hasPrefix("owners/") }
    }

    public func commit(paths: [String], message: String) throws -> GitCommitInfo? {
        guard !paths.isEmpty else { return nil }
        let git = try git()
        let config = try loadedConfig()
        let signature = GitSignature(name: config.git.authorName, email: config.git.authorEmail, date: Date())
        return try git.commit(paths: paths, message: message, author: signature)
    }
}

extension GatewayContext {
    /// Loads and validates the repository and computes the plan for `now`. With
    /// `refreshRenewalInfo` (reconcile), ARI windows are fetched first.
    public func plan(force: Bool, refreshRenewalInfo: Bool = false) throws -> (snapshot: RepositorySnapshot, plan: Plan) {
        var snapshot = try snapshot()
        if refreshRenewalInfo { snapshot = RenewalInfoRefresher(context: self).refresh(snapshot) }
        return (snapshot, planner(snapshot).plan(snapshot.plannerInput(now: now, force: force)))
    }

    func planner(_ snapshot: RepositorySnapshot) -> Planner {
        Planner(renewal: snapshot.config.renewal, ownership: snapshot.config.ownership)
    }

    /// The plan with its review context: the commit it was computed on, and with
    /// `baseRef` the declaration changes since that revision and the actions they cause.
    public func planReport(force: Bool, baseRef: String?, refreshRenewalInfo: Bool = false) throws
        -> (snapshot: RepositorySnapshot, report: PlanReport)
    {
        let (snapshot, plan) = try plan(force: force, refreshRenewalInfo: refreshRenewalInfo)
        let git = try? git()
        let commit = try? git?.head()?.id
        var report = PlanReport(plan: plan, commit: commit ?? nil, releaseLimit: snapshot.config.release.maxWithoutForce)
        if let baseRef {
            guard let git else { throw RepositoryError(.notARepository, "--base needs a git repository at \(repository.root.path)") }
            let baseCommit: String
            do { baseCommit = try git.resolve(revision: baseRef) } catch {
                throw RepositoryError(.notFound, "--base \(baseRef): no such revision (fetch it first, e.g. git fetch origin main)")
            }
            let baseDeclarations = try declarations(at: baseCommit, git: git)
            var baseInput = snapshot.plannerInput(now: now, force: force)
            baseInput.declarations = baseDeclarations
            let basePlan = planner(snapshot).plan(baseInput)
            report.base = .init(ref: baseRef, commit: baseCommit,
                                changes: DeclarationChange.between(base: baseDeclarations, head: snapshot.declarations),
                                affectedHosts: Self.hostsWithDifferentActions(basePlan, plan))
        }
        return (snapshot, report)
    }

    /// The valid declarations as they are at `revision` (invalid files there are skipped:
    /// the base is what it is; this branch is what gets validated).
    func declarations(at revision: String, git: GitRepository) throws -> [Declaration] {
        var declarations: [Declaration] = []
        for file in try git.listFiles(under: RepositoryLayout.declarationsDirectory, revision: revision) where file.hasSuffix(".json") {
            guard let data = try git.fileContent(at: file, revision: revision) else { continue }
            if let declaration = DeclarationParser.parse(data, file: file).0 { declarations.append(declaration) }
        }
        return declarations
    }

    static func hostsWithDifferentActions(_ base: Plan, _ head: Plan) -> Set<HostName> {
        func key(_ a: PlannedAction) -> String { "\(a.kind.rawValue) \(a.owner) \(a.sans) \(a.key.rawValue) \(a.ipChanges.map(\.ips))" }
        let before = Dictionary(base.actions.map { ($0.host, key($0)) }, uniquingKeysWith: { a, _ in a })
        var affected = Set<HostName>()
        for action in head.actions where before[action.host] != key(action) { affected.insert(action.host) }
        let after = Set(head.actions.map(\.host))
        for action in base.actions where !after.contains(action.host) { affected.insert(action.host) }
        return affected
    }
}

extension GatewayContext {
    /// A one-action plan for `gateway cert issue|renew FQDN`: a new certificate now,
    /// whatever the schedule or backoff says. The host must be declared and verified;
    /// `renew` also needs a current certificate.
    public func forcedPlan(host: HostName, kind: PlannedAction.Kind) throws -> (snapshot: RepositorySnapshot, plan: Plan) {
        let (snapshot, plan) = try plan(force: true)
        guard let declaration = snapshot.declarations.first(where: { $0.host == host }) else {
            throw RepositoryError(.notFound, "\(host) is not declared (expected hosts/<owner>/\(host).json)")
        }
        guard declaration.mode == .duckdns else {
            throw RepositoryError(.refused, "\(host) is a custom domain: use gateway acme start \(host)")
        }
        guard let record = snapshot.hostRecords[host], record.status == .verified, record.owner == declaration.owner else {
            throw RepositoryError(.refused, "\(host) is not verified yet: run gateway reconcile first")
        }
        let cert = snapshot.certRecords[host]
        if kind == .renew && cert?.hasCertificate != true {
            throw RepositoryError(.refused, "\(host) has no certificate to renew: use gateway cert issue \(host)")
        }
        guard var action = plan.actions.first(where: { $0.host == host }) else {
            throw RepositoryError(.notFound, "\(host) is not in the plan")
        }
        action.kind = kind
        action.reason = kind == .renew ? "renewal forced by gateway cert renew" : "new certificate forced by gateway cert issue"
        action.ipChanges = []
        return (snapshot, Plan(actions: [action], now: now))
    }
}
