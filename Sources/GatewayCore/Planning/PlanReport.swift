/// A plan with what reviewers need around it: the commit it was computed on, the base
/// it is compared with, which actions the branch causes, the digest that `reconcile
/// --plan-digest` checks, and the release guard.
public struct PlanReport: Sendable {
    public static let formatVersion = 1

    public struct Base: Sendable {
        public var ref: String
        public var commit: String
        public var changes: [DeclarationChange]
        /// Hosts whose action differs from what the base declarations would give.
        public var affectedHosts: Set<HostName>
        public init(ref: String, commit: String, changes: [DeclarationChange], affectedHosts: Set<HostName>) {
            self.ref = ref
            self.commit = commit
            self.changes = changes
            self.affectedHosts = affectedHosts
        }
    }

    public var plan: Plan
    public var commit: String?
    public var base: Base?
    public var releaseLimit: Int

    public init(plan: Plan, commit: String?, base: Base? = nil, releaseLimit: Int) {
        self.plan = plan
        self.commit = commit
        self.base = base
        self.releaseLimit = releaseLimit
    }

    public var digest: String { plan.digest }

    /// Hosts a run would release when that is more than the limit allows without `--force`.
    public var releasesNeedingForce: [HostName] { plan.releasesNeedingForce(limit: releaseLimit) }
}

extension Plan {
    /// `sha256:<hex>` over what the plan decides (host, owner, mode, action, SANs, key,
    /// current serial, address changes) and not over wording or timestamps, so a plan
    /// reviewed an hour ago has the same digest if it would still do the same thing.
    public var digest: String {
        var hasher = SHA256()
        for action in actions {
            let ips: [JSONValue] = action.ipChanges.map { .object([("family", .string($0.family.rawValue)),
                                                                   ("ips", .array($0.ips.map { .string($0.description) }))]) }
            let record = JSONValue.object([
                ("host", .string(action.host.value)), ("owner", .string(action.owner.value)), ("mode", .string(action.mode.rawValue)),
                ("action", .string(action.kind.rawValue)), ("sans", .array(action.sans.map(JSONValue.string))),
                ("key", .string(action.key.rawValue)), ("serial", action.current.map { .string($0.serial) } ?? .null),
                ("ip_changes", .array(ips)),
            ])
            var line = CanonicalJSON.compactBytes(record)
            line.append(0x0A)
            hasher.update(line)
        }
        return "sha256:" + SHA256.hexEncoded(hasher.finalize())
    }

    public func releasesNeedingForce(limit: Int) -> [HostName] {
        let releases = actions.filter { $0.kind == .release }.map(\.host)
        return releases.count > limit ? releases : []
    }
}
