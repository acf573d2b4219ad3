/// Where everything lives in the managed repository (DESIGN §1). All paths are
/// relative to the repository root and use `/`.
public enum RepositoryLayout {
    public static let configFile = "gateway.json"
    public static let declarationsDirectory = "hosts"
    public static let hostLedgerDirectory = "state/hosts"
    public static let certLedgerDirectory = "state/certs"
    public static let ipHistoryDirectory = "state/ip_history"
    public static let accountFile = "state/acme/account.json"
    public static let ownersDirectory = "owners"

    public static func declarationPath(owner: OwnerID, host: HostName) -> String { "hosts/\(owner)/\(host).json" }
    public static func hostRecordPath(_ host: HostName) -> String { "state/hosts/\(host).json" }
    public static func certRecordPath(_ host: HostName) -> String { "state/certs/\(host).json" }
    public static func ipHistoryPath(_ host: HostName) -> String { "state/ip_history/\(host).jsonl" }
    public static func wrappedCertificatePath(owner: OwnerID, host: HostName) -> String {
        "owners/\(owner)/certificates/\(host).json"
    }
    public static func wrappedOrderPath(owner: OwnerID, orderID: String) -> String { "owners/\(owner)/acmeOrders/\(orderID).json" }

    /// An order id is `<fqdn>_<id from the CA's order URL>`: `_` cannot occur in a host name,
    /// so the host of an in-flight order is known without opening the wrapped file.
    public static func orderID(host: HostName, orderURL: String) -> String {
        let last = orderURL.split(separator: "/").last.map(String.init) ?? "order"
        let safe = String(last.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
            .map(Character.init))
        return "\(host)_\(safe.isEmpty ? "order" : safe)"
    }

    /// The host of an order file `owners/<uid>/acmeOrders/<fqdn>_<id>.json`.
    public static func orderHost(path: String) -> (owner: OwnerID, host: HostName)? {
        let parts = path.split(separator: "/")
        guard parts.count == 4, parts[0] == "owners", parts[2] == "acmeOrders", parts[3].hasSuffix(".json"),
              let owner = OwnerID(String(parts[1])), let underscore = parts[3].firstIndex(of: "_"),
              let host = try? HostName(validating: String(parts[3][..<underscore])) else { return nil }
        return (owner, host)
    }
    public static func ownerOrdersDirectory(owner: OwnerID) -> String { "owners/\(owner)/acmeOrders" }
    public static func duckDNSTokenPath(owner: OwnerID) -> String { "owners/\(owner)/secrets/duckdns-token.json" }
}
