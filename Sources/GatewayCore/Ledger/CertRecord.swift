/// `state/certs/<fqdn>.json`, the ledger table gateway.certs: metadata of the current
/// certificate (never the key), renewal timing and failure backoff.
public struct CertRecord: Sendable, Equatable {
    public struct Failures: Sendable, Equatable {
        public var count: Int
        public var lastError: String
        public var nextAttemptAt: Timestamp?
        public init(count: Int, lastError: String, nextAttemptAt: Timestamp?) {
            self.count = count
            self.lastError = lastError
            self.nextAttemptAt = nextAttemptAt
        }
    }

    /// ACME Renewal Information (RFC 9773) as last fetched for this certificate.
    public struct RenewalWindow: Sendable, Equatable {
        public var start: Timestamp
        public var end: Timestamp
        public var checkedAt: Timestamp
        /// The RFC 9773 certificate identifier: base64url(AKI keyIdentifier) "." base64url(serial).
        public var certID: String
        /// When to ask again (the CA's Retry-After, or 6 hours).
        public var nextCheckAt: Timestamp
        public init(start: Timestamp, end: Timestamp, checkedAt: Timestamp, certID: String, nextCheckAt: Timestamp) {
            self.start = start
            self.end = end
            self.checkedAt = checkedAt
            self.certID = certID
            self.nextCheckAt = nextCheckAt
        }
    }

    public var host: HostName
    /// Nil until a first certificate is issued (a record may hold only failures).
    public var serial: String?
    public var sans: [String]
    public var key: KeyType
    public var issuer: String?
    public var notBefore: Timestamp?
    public var notAfter: Timestamp?
    public var sha256: String?
    public var issuedAt: Timestamp?
    public var renewAt: Timestamp?
    public var orderURL: String?
    public var wrapped: String?
    public var ari: RenewalWindow?
    public var failures: Failures?

    public init(host: HostName, serial: String? = nil, sans: [String], key: KeyType, issuer: String? = nil,
                notBefore: Timestamp? = nil, notAfter: Timestamp? = nil, sha256: String? = nil, issuedAt: Timestamp? = nil,
                renewAt: Timestamp? = nil, orderURL: String? = nil, wrapped: String? = nil,
                ari: RenewalWindow? = nil, failures: Failures? = nil) {
        self.host = host
        self.serial = serial
        self.sans = sans
        self.key = key
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.sha256 = sha256
        self.issuedAt = issuedAt
        self.renewAt = renewAt
        self.orderURL = orderURL
        self.wrapped = wrapped
        self.ari = ari
        self.failures = failures
    }

    /// True when a certificate has been issued and recorded.
    public var hasCertificate: Bool { serial != nil && notAfter != nil }

    /// `cert_days_remaining`: whole days from `now` to not_after, floored.
    public func daysRemaining(at now: Timestamp) -> Int? {
        notAfter.map { now.wholeDays(until: $0) }
    }

    public var json: JSONValue {
        func t(_ v: Timestamp?) -> JSONValue { v.map { .string($0.rfc3339) } ?? .null }
        func s(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
        return .object([
            ("host", .string(host.value)), ("serial", s(serial)), ("sans", .array(sans.map(JSONValue.string))),
            ("key", .string(key.rawValue)), ("issuer", s(issuer)), ("not_before", t(notBefore)), ("not_after", t(notAfter)),
            ("sha256", s(sha256)), ("issued_at", t(issuedAt)), ("renew_at", t(renewAt)), ("order_url", s(orderURL)),
            ("wrapped", s(wrapped)),
            ("ari", ari.map { .object([("window", .object([("start", .string($0.start.rfc3339)), ("end", .string($0.end.rfc3339))])),
                                       ("checked_at", .string($0.checkedAt.rfc3339)), ("cert_id", .string($0.certID)),
                                       ("next_check_at", .string($0.nextCheckAt.rfc3339))]) } ?? .null),
            ("failures", failures.map { .object([("count", .integer($0.count)), ("last_error", .string($0.lastError)),
                                                 ("next_attempt_at", t($0.nextAttemptAt))]) } ?? .null),
        ])
    }

    public init(json: JSONValue, file: String) throws(ValidationError) {
        var issues: [ValidationIssue] = []
        guard var r = ObjectReader(json, file: file, issues: &issues) else { throw ValidationError(issues) }
        let host = r.hostName("host")
        let serial = r.string("serial", required: false)
        let sans = r.stringArray("sans") ?? []
        let key = r.enumValue("key", KeyType.self, required: true)
        let issuer = r.string("issuer", required: false)
        let notBefore = r.timestamp("not_before", required: false)
        let notAfter = r.timestamp("not_after", required: false)
        let sha256 = r.string("sha256", required: false)
        let issuedAt = r.timestamp("issued_at", required: false)
        let renewAt = r.timestamp("renew_at", required: false)
        let orderURL = r.string("order_url", required: false)
        let wrapped = r.string("wrapped", required: false)
        var ari: RenewalWindow?
        if var a = r.object("ari") {
            if var w = a.object("window") {
                let start = w.timestamp("start", required: true), end = w.timestamp("end", required: true)
                w.rejectUnknownMembers()
                a.absorb(w)
                let checked = a.timestamp("checked_at", required: true)
                let certID = a.string("cert_id", required: true)
                let next = a.timestamp("next_check_at", required: true)
                if let start, let end, let checked, let certID, let next {
                    ari = RenewalWindow(start: start, end: end, checkedAt: checked, certID: certID, nextCheckAt: next)
                }
            } else {
                a.issue("window", "missing required field (expected an object)")
            }
            a.rejectUnknownMembers()
            r.absorb(a)
        }
        var failures: Failures?
        if var f = r.object("failures") {
            let count = f.integer("count", range: 0...Int.max) ?? 0
            let lastError = f.string("last_error", required: false, allowEmpty: true) ?? ""
            let next = f.timestamp("next_attempt_at", required: false)
            f.rejectUnknownMembers()
            r.absorb(f)
            failures = Failures(count: count, lastError: lastError, nextAttemptAt: next)
        }
        r.rejectUnknownMembers()
        guard r.issues.isEmpty, let host, let key else {
            throw ValidationError(r.issues.isEmpty ? [ValidationIssue(file: file, message: "invalid certificate record")] : r.issues)
        }
        self.init(host: host, serial: serial, sans: sans, key: key, issuer: issuer, notBefore: notBefore, notAfter: notAfter,
                  sha256: sha256, issuedAt: issuedAt, renewAt: renewAt, orderURL: orderURL, wrapped: wrapped,
                  ari: ari, failures: failures)
    }
}
