/// One field of `gateway.json`: its JSON location, its environment override and how
/// it is read. The parser, the defaults written by `gateway init`, the environment
/// overrides and the README's table all come from `ConfigField.all`.
public struct ConfigField: Sendable {
    public enum Kind: Sendable {
        case string(WritableKeyPath<RepoConfig, String> & Sendable)
        case optionalString(WritableKeyPath<RepoConfig, String?> & Sendable)
        case stringList(WritableKeyPath<RepoConfig, [String]> & Sendable)
        case integer(WritableKeyPath<RepoConfig, Int> & Sendable, ClosedRange<Int>)
        case bool(WritableKeyPath<RepoConfig, Bool> & Sendable)
    }

    public let section: String
    public let name: String
    public let environment: String
    public let kind: Kind
    public let help: String

    public var jsonPath: String { "$.\(section).\(name)" }

    public static let all: [ConfigField] = [
        .init(section: "acme", name: "directory", environment: "GATEWAY_ACME_DIRECTORY", kind: .string(\.acme.directory),
              help: "ACME directory URL of the CA."),
        .init(section: "acme", name: "contact", environment: "GATEWAY_ACME_CONTACT", kind: .stringList(\.acme.contact),
              help: "Account contact URLs (mailto:…); comma-separated in the environment."),
        .init(section: "acme", name: "ca_bundle", environment: "GATEWAY_ACME_CA_BUNDLE", kind: .optionalString(\.acme.caBundle),
              help: "PEM file of roots to trust for the ACME server (null: the system store)."),
        .init(section: "kms", name: "provider", environment: "GATEWAY_KMS_PROVIDER", kind: .string(\.kms.provider),
              help: "Key-encryption provider: local or aws-kms."),
        .init(section: "kms", name: "key_id", environment: "GATEWAY_KMS_KEY_ID", kind: .string(\.kms.keyID),
              help: "Name of the key-encryption key (local) or its ARN / id (aws-kms)."),
        .init(section: "kms", name: "region", environment: "GATEWAY_KMS_REGION", kind: .optionalString(\.kms.region),
              help: "AWS region (aws-kms)."),
        .init(section: "kms", name: "endpoint", environment: "GATEWAY_KMS_AWS_ENDPOINT", kind: .optionalString(\.kms.endpoint),
              help: "AWS KMS endpoint override (aws-kms)."),
        .init(section: "renewal", name: "before_days", environment: "GATEWAY_RENEWAL_BEFORE_DAYS",
              kind: .integer(\.renewal.beforeDays, 1...365), help: "Renew this many days before expiry (capped at a third of the lifetime)."),
        .init(section: "renewal", name: "prompt_days", environment: "GATEWAY_RENEWAL_PROMPT_DAYS",
              kind: .integer(\.renewal.promptDays, 1...365), help: "Custom domains: ask the owner this many days before expiry."),
        .init(section: "renewal", name: "ari", environment: "GATEWAY_RENEWAL_ARI", kind: .bool(\.renewal.ari),
              help: "Use ACME Renewal Information (RFC 9773) when the CA offers it."),
        .init(section: "renewal", name: "retry_initial_s", environment: "GATEWAY_RENEWAL_RETRY_INITIAL_S",
              kind: .integer(\.renewal.retryInitialSeconds, 60...86_400), help: "After a failure, retry a host after this many seconds, doubling each time."),
        .init(section: "renewal", name: "retry_max_s", environment: "GATEWAY_RENEWAL_RETRY_MAX_S",
              kind: .integer(\.renewal.retryMaxSeconds, 60...604_800), help: "The longest wait between retries of a failing host."),
        .init(section: "renewal", name: "revoke_superseded", environment: "GATEWAY_RENEWAL_REVOKE_SUPERSEDED",
              kind: .bool(\.renewal.revokeSuperseded), help: "Revoke the previous certificate (reason superseded) after a successful renewal."),
        .init(section: "dns", name: "resolvers", environment: "GATEWAY_DNS_RESOLVERS", kind: .stringList(\.dns.resolvers),
              help: "host:port resolvers that must see a TXT before a challenge is answered; comma-separated in the environment."),
        .init(section: "dns", name: "propagation_timeout_s", environment: "GATEWAY_DNS_PROPAGATION_TIMEOUT_S",
              kind: .integer(\.dns.propagationTimeoutSeconds, 1...3600), help: "How long to wait for a TXT to be visible."),
        .init(section: "dns", name: "duckdns_api", environment: "GATEWAY_DUCKDNS_API", kind: .string(\.dns.duckDNSAPI),
              help: "Base URL of the DuckDNS update API."),
        .init(section: "ownership", name: "txt_label", environment: "GATEWAY_OWNERSHIP_TXT_LABEL", kind: .string(\.ownership.txtLabel),
              help: "Label of the ownership TXT record (<txt_label>.<host> contains agent_id=<id>)."),
        .init(section: "ownership", name: "cname_suffix", environment: "GATEWAY_OWNERSHIP_CNAME_SUFFIX",
              kind: .optionalString(\.ownership.cnameSuffix), help: "A host whose CNAME points into <agent_id>.<cname_suffix> is verified."),
        .init(section: "release", name: "revoke", environment: "GATEWAY_RELEASE_REVOKE", kind: .bool(\.release.revoke),
              help: "Revoke the certificate when a host is released."),
        .init(section: "release", name: "max_without_force", environment: "GATEWAY_RELEASE_MAX_WITHOUT_FORCE",
              kind: .integer(\.release.maxWithoutForce, 0...100_000), help: "A run releasing more hosts than this needs --force."),
        .init(section: "git", name: "author_name", environment: "GATEWAY_GIT_AUTHOR_NAME", kind: .string(\.git.authorName),
              help: "Author of the ledger commits."),
        .init(section: "git", name: "author_email", environment: "GATEWAY_GIT_AUTHOR_EMAIL", kind: .string(\.git.authorEmail),
              help: "Author e-mail of the ledger commits."),
        .init(section: "git", name: "remote", environment: "GATEWAY_GIT_REMOTE", kind: .string(\.git.remote),
              help: "Remote that --push pushes to."),
        .init(section: "git", name: "branch", environment: "GATEWAY_GIT_BRANCH", kind: .string(\.git.branch),
              help: "Branch that reconcile commits to and pushes."),
    ]

    /// `acme.eab` is an object ({kid, hmac_key}) or null; handled beside the table.
    public static let eabEnvironment = (keyID: "GATEWAY_ACME_EAB_KID", hmacKey: "GATEWAY_ACME_EAB_HMAC_KEY")
}
