/// The plan for terminals (text), machines (JSON) and pull-request comments (markdown).
/// Only host names, owners, serials, dates and reasons appear: never a secret.
public enum PlanRenderer {
    // MARK: Text

    public static func text(_ plan: Plan, includeUnchanged: Bool = true) -> String {
        text(PlanReport(plan: plan, commit: nil, releaseLimit: .max), includeUnchanged: includeUnchanged)
    }

    public static func text(_ report: PlanReport, includeUnchanged: Bool = true) -> String {
        var lines: [String] = []
        if let base = report.base {
            lines.append("Compared with \(base.ref) (\(base.commit.prefix(12))): \(changeSummary(base.changes))")
            for change in base.changes {
                let mark = change.kind == .added ? "+" : change.kind == .removed ? "-" : "~"
                let fields = change.fields.isEmpty ? "" : " (\(change.fields.joined(separator: "; ")))"
                lines.append("  \(mark) \(change.host)  \(change.file)\(fields)")
            }
            lines.append("")
        }
        let plan = report.plan
        let width = plan.actions.map { $0.kind.rawValue.count }.max() ?? 4
        for action in plan.actions where includeUnchanged || action.kind != .noop {
            let kind = action.kind.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "  \(kind)  \(action.host)  [\(action.owner), \(action.mode.rawValue)]  \(action.reason)"
            if let current = action.current, action.kind != .noop {
                line += " (current serial \(current.serial.prefix(16)), \(current.daysRemaining) days left)"
            }
            if let base = report.base, base.affectedHosts.contains(action.host) { line += "  <- this change" }
            lines.append(line)
            for change in action.ipChanges {
                let ips = change.ips.isEmpty ? "none" : change.ips.map(\.description).joined(separator: ", ")
                lines.append("      \(change.family.rawValue) → \(ips)")
            }
        }
        lines.append(plan.summaryLine)
        let guarded = report.releasesNeedingForce
        if !guarded.isEmpty {
            lines.append("Refused without --force: \(guarded.count) releases exceed release.max_without_force (\(report.releaseLimit)): "
                         + guarded.map(\.value).joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func changeSummary(_ changes: [DeclarationChange]) -> String {
        guard !changes.isEmpty else { return "no declaration changes" }
        let count = { (kind: DeclarationChange.Kind) in changes.filter { $0.kind == kind }.count }
        let parts = [(count(.added), "added"), (count(.changed), "changed"), (count(.removed), "removed")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return parts.joined(separator: ", ") + " declaration" + (changes.count == 1 ? "" : "s")
    }

    // MARK: JSON

    public static func json(_ report: PlanReport) -> String {
        let plan = report.plan
        let s = plan.summary
        var members: [(key: String, value: JSONValue)] = [
            ("format_version", .integer(PlanReport.formatVersion)),
            ("generated_at", .string(plan.now.rfc3339)),
            ("commit", report.commit.map(JSONValue.string) ?? .null),
            ("digest", .string(report.digest)),
            ("has_changes", .bool(plan.hasChanges)),
            ("summary", .object([("claims", .integer(s.claims)), ("issues", .integer(s.issues)), ("renewals", .integer(s.renewals)),
                                 ("releases", .integer(s.releases)), ("owner_actions", .integer(s.ownerActions)),
                                 ("ip_updates", .integer(s.ipUpdates)), ("unchanged", .integer(s.unchanged))])),
            ("release_guard", .object([("limit", .integer(report.releaseLimit)), ("releases", .integer(s.releases)),
                                       ("needs_force", .bool(!report.releasesNeedingForce.isEmpty))])),
            ("actions", .array(plan.actions.map { actionJSON($0, report) })),
        ]
        if let base = report.base {
            members.append(("base", .object([
                ("ref", .string(base.ref)), ("commit", .string(base.commit)),
                ("declaration_changes", .array(base.changes.map { change in
                    .object([("host", .string(change.host.value)), ("change", .string(change.kind.rawValue)),
                             ("file", .string(change.file)), ("fields", .array(change.fields.map(JSONValue.string)))])
                })),
            ])))
        }
        return CanonicalJSON.serialize(.object(members))
    }

    static func actionJSON(_ action: PlannedAction, _ report: PlanReport) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("host", .string(action.host.value)), ("owner", .string(action.owner.value)), ("mode", .string(action.mode.rawValue)),
            ("action", .string(action.kind.rawValue)), ("reason", .string(action.reason)),
            ("sans", .array(action.sans.map(JSONValue.string))), ("key", .string(action.key.rawValue)),
            ("current", action.current.map { .object([("serial", .string($0.serial)), ("not_after", .string($0.notAfter.rfc3339)),
                                                      ("days_remaining", .integer($0.daysRemaining))]) } ?? .null),
            ("ip_changes", .array(action.ipChanges.map { .object([("family", .string($0.family.rawValue)),
                                                                  ("ips", .array($0.ips.map { .string($0.description) }))]) })),
        ]
        if let base = report.base { members.append(("caused_by_change", .bool(base.affectedHosts.contains(action.host)))) }
        return .object(members)
    }

    // MARK: Markdown

    /// A pull-request comment: a summary, the declaration changes, a table of every
    /// action that changes something, and the unchanged hosts folded away. Long plans
    /// are cut (with a count of what was left out) to stay under `limit` characters.
    public static func markdown(_ report: PlanReport, limit: Int = 60_000) -> String {
        let plan = report.plan
        var out = "<!-- gateway-plan -->\n### Gateway plan: \(plan.summaryLine.dropFirst(6).dropLast())\n\n"
        if let base = report.base {
            out += "Compared with `\(base.ref)` (`\(base.commit.prefix(12))`): \(changeSummary(base.changes)).\n\n"
            for change in base.changes.prefix(200) {
                let fields = change.fields.isEmpty ? "" : ": " + change.fields.map(escape).joined(separator: "; ")
                out += "- **\(change.kind.rawValue)** `\(change.host)` (`\(change.file)`)\(fields)\n"
            }
            if base.changes.count > 200 { out += "- … and \(base.changes.count - 200) more declaration changes\n" }
            out += "\n"
        }
        let guarded = report.releasesNeedingForce
        if !guarded.isEmpty {
            out += "> [!WARNING]\n> \(guarded.count) releases exceed `release.max_without_force` (\(report.releaseLimit)): "
                + "`gateway reconcile` will refuse without `--force`.\n\n"
        }

        let footer = "\nDigest `\(report.digest)`" + (report.commit.map { " · commit `\($0.prefix(12))`" } ?? "")
            + " · apply exactly this plan with `gateway reconcile --plan-digest \(report.digest)`\n"
        let budget = limit - footer.count - 400
        let changing = plan.actions.filter { $0.kind != .noop }
        let unchanged = plan.actions.filter { $0.kind == .noop }

        // UTF-8 length is at least the character count, so budgeting on it is safe and O(1) per row.
        var used = out.utf8.count
        func table(_ actions: [PlannedAction], into text: inout String) -> Int {
            text += "| Action | Host | Owner | Mode | Current certificate | Reason |\n|---|---|---|---|---|---|\n"
            used += text.utf8.count
            var written = 0
            for action in actions {
                let current = action.current.map { "`\($0.serial.prefix(16))`, \($0.daysRemaining) days left" } ?? "–"
                var reason = escape(action.reason)
                if !action.ipChanges.isEmpty {
                    reason += "<br>" + action.ipChanges.map { "\($0.family.rawValue) → \($0.ips.isEmpty ? "none" : $0.ips.map(\.description).joined(separator: ", "))" }
                        .joined(separator: "<br>")
                }
                if let base = report.base, base.affectedHosts.contains(action.host) { reason += " *(this change)*" }
                let row = "| **\(action.kind.rawValue)** | `\(action.host)` | \(action.owner) | \(action.mode.rawValue) | \(current) | \(reason) |\n"
                guard used + row.utf8.count < budget else { break }
                used += row.utf8.count
                text += row
                written += 1
            }
            return written
        }

        if changing.isEmpty {
            out += "No certificate will be issued, renewed or released.\n"
        } else {
            var section = ""
            let written = table(changing, into: &section)
            out += section
            if written < changing.count {
                out += "\n… and **\(changing.count - written) more actions** not shown to keep this comment short: see the JSON plan (`gateway plan --format json`).\n"
            }
        }
        if !unchanged.isEmpty {
            var section = ""
            let written = table(unchanged, into: &section)
            used += 200
            out += "\n<details><summary>\(unchanged.count) unchanged host\(unchanged.count == 1 ? "" : "s")</summary>\n\n" + section
            if written < unchanged.count { out += "\n… and \(unchanged.count - written) more unchanged hosts.\n" }
            out += "\n</details>\n"
        }
        return out + footer
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
