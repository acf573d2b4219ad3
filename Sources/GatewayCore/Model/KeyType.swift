/// The key of a certificate, as declared in `key`.
public enum KeyType: String, Sendable, CaseIterable, Comparable {
    case ecP256 = "ec-p256"
    case ecP384 = "ec-p384"
    case rsa2048 = "rsa-2048"
    case rsa3072 = "rsa-3072"

    public static let `default` = KeyType.ecP256
    public static func < (lhs: KeyType, rhs: KeyType) -> Bool { lhs.rawValue < rhs.rawValue }
    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// How ownership of a host is proven and its DNS-01 challenges are answered.
public enum HostMode: String, Sendable, CaseIterable {
    /// A DuckDNS subdomain: the owner's DuckDNS token proves ownership and sets the TXT.
    case duckdns
    /// The owner's own domain: the owner publishes TXT records.
    case custom
}
