/// Human-readable plan for terminals and logs. Contains no secrets: only host names,
/// serials, dates and reasons.
public enum PlanRenderer {
    public static func text(_ plan: Plan, includeUnchanged: Bool = true) -> String {
        var lines: [String] = []
        let width = plan.actions.map { $0.kind.rawValue.count }.max() ?? 4
        for action in plan.actions where includeUnchanged || action.kind != .noop {
            let kind = action.kind.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "  \(kind)  \(action.host)  [\(action.owner), \(action.mode.rawValue)]  \(action.reason)"
            if let current = action.current, action.kind != .noop {
                line += " (current serial \(current.serial.prefix(16)), \(current.daysRemaining) days left)"
            }
            lines.append(line)
            for change in action.ipChanges {
                let ips = change.ips.isEmpty ? "none" : change.ips.map(\.description).joined(separator: ", ")
                lines.append("      \(change.family.rawValue) → \(ips)")
            }
        }
        lines.append(plan.summaryLine)
        return lines.joined(separator: "\n") + "\n"
    }
}
