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
    public static func ownerOrdersDirectory(owner: OwnerID) -> String { "owners/\(owner)/acmeOrders" }
    public static func duckDNSTokenPath(owner: OwnerID) -> String { "owners/\(owner)/secrets/duckdns-token.json" }
}
