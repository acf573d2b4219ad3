/// Every host's action for one reconcile run, in a stable order (by host name).
public struct Plan: Sendable, Equatable {
    public var actions: [PlannedAction]
    public var now: Timestamp

    public init(actions: [PlannedAction], now: Timestamp) {
        self.actions = actions
        self.now = now
    }

    public var hasChanges: Bool { actions.contains(where: \.changesSomething) }

    public struct Summary: Sendable, Equatable {
        public var claims = 0, issues = 0, renewals = 0, releases = 0, ownerActions = 0, ipUpdates = 0, unchanged = 0
    }

    public var summary: Summary {
        var s = Summary()
        for action in actions {
            switch action.kind {
            case .claim: s.claims += 1
            case .verify, .issue, .resume, .finish: s.issues += 1
            case .renew: s.renewals += 1
            case .release: s.releases += 1
            case .awaitOwner: s.ownerActions += 1
            case .recordIPs: s.ipUpdates += 1
            case .noop: s.unchanged += 1
            }
        }
        return s
    }

    /// Every count, always, like Terraform's `Plan: 1 to add, 0 to change, 0 to destroy.`:
    /// `Plan: 3 to claim, 0 to issue, 1 to renew, 1 to release, 1 waiting on an owner, 4 unchanged.`
    /// (hosts whose only change is their addresses are added when there are any).
    public var summaryLine: String {
        let s = summary
        var parts = ["\(s.claims) to claim", "\(s.issues) to issue", "\(s.renewals) to renew", "\(s.releases) to release"]
        if s.ipUpdates > 0 { parts.append("\(s.ipUpdates) with new addresses") }
        parts += ["\(s.ownerActions) waiting on an owner", "\(s.unchanged) unchanged"]
        return "Plan: " + parts.joined(separator: ", ") + "."
    }
}
