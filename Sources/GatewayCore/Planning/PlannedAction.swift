/// What reconcile will do for one host, and why.
public struct PlannedAction: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A new declaration: record the host, prove ownership, issue the first certificate.
        case claim
        /// The host is claimed but ownership was not proven yet: prove it, then issue.
        case verify
        /// No (usable) certificate: issue one.
        case issue
        /// The certificate is due for renewal.
        case renew
        /// An order is in flight: continue it.
        case resume
        /// Nothing can happen until the owner acts (publishes a TXT, stores a token).
        case awaitOwner = "await-owner"
        /// A custom-domain order whose TXT is published: finish it.
        case finish
        /// Only the declared addresses changed.
        case recordIPs = "record-ips"
        case noop
        /// The declaration is gone: revoke (when configured), delete wrapped files, mark released.
        case release

        /// Kinds that talk to the CA.
        public var issuesCertificate: Bool { [.claim, .verify, .issue, .renew, .resume, .finish].contains(self) }
    }

    /// The certificate the host has now, for reviewers.
    public struct CurrentCertificate: Sendable, Equatable {
        public var serial: String
        public var notAfter: Timestamp
        public var daysRemaining: Int
    }

    public var host: HostName
    public var owner: OwnerID
    public var mode: HostMode
    public var kind: Kind
    public var reason: String
    public var current: CurrentCertificate?
    /// Subject alternative names the new certificate will carry (issuing kinds only).
    public var sans: [String]
    public var key: KeyType
    /// Lines to append to the host's ip_history.
    public var ipChanges: [IPHistoryEntry]

    public init(host: HostName, owner: OwnerID, mode: HostMode, kind: Kind, reason: String,
                current: CurrentCertificate? = nil, sans: [String] = [], key: KeyType = .default,
                ipChanges: [IPHistoryEntry] = []) {
        self.host = host
        self.owner = owner
        self.mode = mode
        self.kind = kind
        self.reason = reason
        self.current = current
        self.sans = sans
        self.key = key
        self.ipChanges = ipChanges
    }

    /// True when applying this action changes the repository.
    public var changesSomething: Bool { kind != .noop && kind != .awaitOwner || !ipChanges.isEmpty }
}
