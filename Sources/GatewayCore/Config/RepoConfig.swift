/// `gateway.json`: how this managed repository talks to its CA, KMS, DNS and git remote.
/// Every field has an environment override (`ConfigField.all`), for CI secrets and test rigs.
public struct RepoConfig: Sendable, Equatable {
    public struct ACME: Sendable, Equatable {
        public init() {}
        public var directory = "https://acme-v02.api.letsencrypt.org/directory"
        public var contact: [String] = []
        public var caBundle: String?
        public var eabKeyID: String?
        public var eabHMACKey: String?
    }

    public struct KMS: Sendable, Equatable {
        public init() {}
        public var provider = "local"
        public var keyID = "local-1"
        public var region: String?
        public var endpoint: String?
    }

    public struct Renewal: Sendable, Equatable {
        public init() {}
        public var beforeDays = 30
        public var promptDays = 30
        public var ari = true
        /// Failure backoff: the first retry after this many seconds, doubling up to `retryMaxSeconds`.
        public var retryInitialSeconds = 3600
        public var retryMaxSeconds = 32 * 3600
        /// Revoke the previous certificate (reason superseded) after a successful renewal.
        public var revokeSuperseded = false
    }

    public struct DNS: Sendable, Equatable {
        public init() {}
        /// `host:port` of resolvers to confirm propagation against; empty means the system's.
        public var resolvers: [String] = []
        public var propagationTimeoutSeconds = 120
        public var duckDNSAPI = "https://www.duckdns.org"
    }

    public struct Ownership: Sendable, Equatable {
        public init() {}
        public var txtLabel = "_agent-gateway"
        public var cnameSuffix: String?
    }

    public struct Release: Sendable, Equatable {
        public init() {}
        public var revoke = true
        public var maxWithoutForce = 5
    }

    public struct Git: Sendable, Equatable {
        public init() {}
        public var authorName = "gateway"
        public var authorEmail = "gateway@localhost"
        public var remote = "origin"
        public var branch = "main"
    }

    public var acme = ACME()
    public var kms = KMS()
    public var renewal = Renewal()
    public var dns = DNS()
    public var ownership = Ownership()
    public var release = Release()
    public var git = Git()

    public init() {}

    public static let letsEncryptProduction = "https://acme-v02.api.letsencrypt.org/directory"
    public static let letsEncryptStaging = "https://acme-staging-v02.api.letsencrypt.org/directory"
    public static let supportedKMSProviders = ["local", "aws-kms"]
}
