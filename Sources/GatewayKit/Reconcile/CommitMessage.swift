import GatewayCore

/// Commit messages of the ledger: a summary line, then one line per host that changed.
/// Built from host names, serials, dates and reasons only: never a secret.
public enum CommitMessage {
    /// `leftovers`: files an interrupted run wrote and did not commit, committed now.
    public static func reconcile(_ outcomes: [HostOutcome], leftovers: [String] = []) -> String {
        var counts: [String: Int] = [:]
        var lines: [String] = []
        for outcome in outcomes {
            switch outcome.result {
            case let .applied(detail):
                counts[pastTense(outcome.action.kind), default: 0] += 1
                lines.append("\(outcome.action.kind.rawValue) \(outcome.action.host): \(detail)")
            case let .failed(error):
                counts["failed", default: 0] += 1
                lines.append("failed \(outcome.action.host) (\(outcome.action.kind.rawValue)): \(error)")
            case .unchanged:
                continue
            }
        }
        let order = ["claimed", "verified", "issued", "renewed", "released", "recorded addresses", "failed"]
        var summary = order.compactMap { key in counts[key].map { "\($0) \(key)" } }.joined(separator: ", ")
        if !leftovers.isEmpty {
            summary += (summary.isEmpty ? "" : ", ") + "\(leftovers.count) file\(leftovers.count == 1 ? "" : "s") from an interrupted run"
            lines.append("committed files an interrupted run left: " + leftovers.joined(separator: ", "))
        }
        return "gateway reconcile: \(summary.isEmpty ? "no changes" : summary)\n\n" + lines.joined(separator: "\n") + "\n"
    }

    static func pastTense(_ kind: PlannedAction.Kind) -> String {
        switch kind {
        case .claim: "claimed"
        case .verify: "verified"
        case .issue, .resume, .finish: "issued"
        case .renew: "renewed"
        case .release: "released"
        case .recordIPs, .noop, .awaitOwner: "recorded addresses"
        }
    }
}
