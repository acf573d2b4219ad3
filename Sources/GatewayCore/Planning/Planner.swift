/// Decides what reconcile does for every host. Pure: the same input gives the same
/// plan, with no file, network or clock access (`now` is an input).
public struct Planner: Sendable {
    public struct Input: Sendable {
        public var declarations: [Declaration]
        public var hostRecords: [HostName: HostRecord]
        public var certRecords: [HostName: CertRecord]
        /// Current address sets per host from ip_history.
        public var currentIPs: [HostName: [IPAddress.Family: [IPAddress]]]
        public var ownersWithDuckDNSToken: Set<OwnerID>
        /// Hosts with an ACME order in flight (a run was cut short): resumed, not re-ordered.
        public var hostsWithOrderInFlight: Set<HostName>
        public var now: Timestamp
        /// Ignore failure backoff.
        public var force: Bool

        public init(declarations: [Declaration], hostRecords: [HostName: HostRecord] = [:],
                    certRecords: [HostName: CertRecord] = [:], currentIPs: [HostName: [IPAddress.Family: [IPAddress]]] = [:],
                    ownersWithDuckDNSToken: Set<OwnerID> = [], hostsWithOrderInFlight: Set<HostName> = [],
                    now: Timestamp, force: Bool = false) {
            self.hostsWithOrderInFlight = hostsWithOrderInFlight
            self.declarations = declarations
            self.hostRecords = hostRecords
            self.certRecords = certRecords
            self.currentIPs = currentIPs
            self.ownersWithDuckDNSToken = ownersWithDuckDNSToken
            self.now = now
            self.force = force
        }
    }

    public var renewal: RepoConfig.Renewal
    public var ownership: RepoConfig.Ownership

    public init(renewal: RepoConfig.Renewal = .init(), ownership: RepoConfig.Ownership = .init()) {
        self.renewal = renewal
        self.ownership = ownership
    }

    public func plan(_ input: Input) -> Plan {
        var actions: [PlannedAction] = []
        actions.reserveCapacity(input.declarations.count)
        var declared = Set<HostName>()
        for declaration in input.declarations {
            declared.insert(declaration.host)
            var action = action(for: declaration, input)
            if input.hostsWithOrderInFlight.contains(declaration.host), [.claim, .verify, .issue, .renew].contains(action.kind) {
                action.kind = .resume
                action.reason = "an order is in flight from an interrupted run: resume it (\(action.reason))"
            }
            actions.append(action)
        }
        for (host, record) in input.hostRecords where record.status != .released && !declared.contains(host) {
            let cert = input.certRecords[host]
            actions.append(PlannedAction(
                host: host, owner: record.owner, mode: record.mode, kind: .release,
                reason: "declaration \(RepositoryLayout.declarationPath(owner: record.owner, host: host)) was removed",
                current: current(cert, input.now), key: cert?.key ?? .default))
        }
        actions.sort { $0.host < $1.host }
        return Plan(actions: actions, now: input.now)
    }

    private func action(for declaration: Declaration, _ input: Input) -> PlannedAction {
        let host = declaration.host
        let record = input.hostRecords[host]
        let cert = input.certRecords[host]
        let now = input.now
        var action = PlannedAction(host: host, owner: declaration.owner, mode: declaration.mode, kind: .noop, reason: "",
                                   current: current(cert, now), sans: declaration.subjectAlternativeNames,
                                   key: declaration.key, ipChanges: ipChanges(declaration, input))
        func set(_ kind: PlannedAction.Kind, _ reason: String) -> PlannedAction {
            action.kind = kind
            action.reason = reason
            if kind == .noop && !action.ipChanges.isEmpty {
                action.kind = .recordIPs
                action.reason = "declared addresses changed; " + reason
            }
            return action
        }

        let missingToken = declaration.mode == .duckdns && !input.ownersWithDuckDNSToken.contains(declaration.owner)
        let tokenHint = "no DuckDNS token stored for owner \(declaration.owner) (run: gateway duckdns set-token --owner \(declaration.owner))"

        // Not claimed yet, released earlier, or moved to another owner or agent.
        guard let record, record.status != .released, record.owner == declaration.owner, record.agentID == declaration.agentID else {
            if missingToken { return set(.awaitOwner, tokenHint) }
            let why: String
            if let record, record.status != .released {
                why = record.owner != declaration.owner
                    ? "host moves from owner \(record.owner) to \(declaration.owner)"
                    : "agent changes from \(record.agentID) to \(declaration.agentID)"
            } else {
                why = record == nil ? "new declaration" : "declared again after release"
            }
            if declaration.mode == .custom {
                return set(.claim, "\(why); owner must publish TXT \(ownership.txtLabel).\(host) \"agent_id=\(declaration.agentID)\"")
            }
            return set(.claim, "\(why); first certificate for \(declaration.subjectAlternativeNames.joined(separator: ", "))")
        }

        if let failures = cert?.failures, let next = failures.nextAttemptAt, next > now, !input.force {
            return set(.noop, "backing off after \(failures.count) failure\(failures.count == 1 ? "" : "s") until \(next) (last: \(failures.lastError)); --force retries now")
        }

        if record.status == .pending {
            if declaration.mode == .custom {
                return set(.awaitOwner, "ownership not verified: publish TXT \(ownership.txtLabel).\(host) \"agent_id=\(declaration.agentID)\"")
            }
            if missingToken { return set(.awaitOwner, tokenHint) }
            return set(.verify, "ownership not verified yet; the DuckDNS token proves it while issuing")
        }

        guard let cert, cert.hasCertificate, let notAfter = cert.notAfter else {
            if missingToken { return set(.awaitOwner, tokenHint) }
            if declaration.mode == .custom {
                return set(.awaitOwner, "no certificate: run gateway acme start \(host) and publish the TXT it prints")
            }
            return set(.issue, "no certificate yet")
        }

        let days = now.wholeDays(until: notAfter)
        if Set(cert.sans) != Set(declaration.subjectAlternativeNames) {
            let added = Set(declaration.subjectAlternativeNames).subtracting(cert.sans).sorted()
            let removed = Set(cert.sans).subtracting(declaration.subjectAlternativeNames).sorted()
            var change: [String] = []
            if !added.isEmpty { change.append("adds \(added.joined(separator: ", "))") }
            if !removed.isEmpty { change.append("drops \(removed.joined(separator: ", "))") }
            return reissue(set, declaration, missingToken, tokenHint, "declaration \(change.joined(separator: " and "))")
        }
        if cert.key != declaration.key {
            return reissue(set, declaration, missingToken, tokenHint, "key type changes from \(cert.key.rawValue) to \(declaration.key.rawValue)")
        }

        let renewAt = cert.renewAt ?? RenewalPolicy.renewAt(notBefore: cert.notBefore ?? notAfter, notAfter: notAfter,
                                                             beforeDays: renewal.beforeDays)
        if now >= renewAt {
            let expiry = days < 0 ? "expired \(-days) day\(days == -1 ? "" : "s") ago" : "expires in \(days) day\(days == 1 ? "" : "s")"
            if declaration.mode == .custom {
                return set(.awaitOwner, "\(expiry): run gateway acme start \(host) and publish the TXT it prints")
            }
            if missingToken { return set(.awaitOwner, "\(expiry); " + tokenHint) }
            return set(.renew, "\(expiry) (renewal due since \(renewAt.day))")
        }
        if declaration.mode == .custom, days <= renewal.promptDays {
            return set(.awaitOwner, "expires in \(days) days: run gateway acme start \(host) and publish the TXT it prints")
        }
        return set(.noop, "certificate valid for \(days) more day\(days == 1 ? "" : "s"), renews from \(renewAt.day)")
    }

    private func reissue(_ set: (PlannedAction.Kind, String) -> PlannedAction, _ declaration: Declaration,
                         _ missingToken: Bool, _ tokenHint: String, _ reason: String) -> PlannedAction {
        if declaration.mode == .custom {
            return set(.awaitOwner, "\(reason): run gateway acme start \(declaration.host) and publish the TXT it prints")
        }
        if missingToken { return set(.awaitOwner, "\(reason); " + tokenHint) }
        return set(.issue, reason)
    }

    private func current(_ cert: CertRecord?, _ now: Timestamp) -> PlannedAction.CurrentCertificate? {
        guard let cert, let serial = cert.serial, let notAfter = cert.notAfter else { return nil }
        return .init(serial: serial, notAfter: notAfter, daysRemaining: now.wholeDays(until: notAfter))
    }

    /// ip_history lines for each address family whose declared set differs from the recorded one.
    private func ipChanges(_ declaration: Declaration, _ input: Input) -> [IPHistoryEntry] {
        let recorded = input.currentIPs[declaration.host] ?? [:]
        var entries: [IPHistoryEntry] = []
        for family in [IPAddress.Family.v4, .v6] {
            let declared = declaration.ips.filter { $0.family == family }.sorted()
            let known = recorded[family] ?? []
            if declared != known.sorted() && !(declared.isEmpty && recorded[family] == nil) {
                entries.append(IPHistoryEntry(at: input.now, family: family, ips: declared, source: .declared))
            }
        }
        return entries
    }
}
