import Foundation
import GatewayHTTP

/// A client for pebble-challtestsrv's management API, which sets the records its
/// DNS server answers with.
///
/// Host names are fully qualified with a trailing dot; `fullyQualified(_:)` adds
/// it and lower-cases the name (DNS names compare case-insensitively).
struct ChallengeTestServer: Sendable {
    let managementURL: String
    let client: HTTPClient

    init(managementURL: String, client: HTTPClient = HTTPClient(configuration: .init(timeout: .seconds(10)))) {
        self.managementURL = managementURL
        self.client = client
    }

    static func fullyQualified(_ name: String) -> String {
        let lowered = name.lowercased()
        return lowered.hasSuffix(".") ? lowered : lowered + "."
    }

    func setTXT(_ host: String, _ value: String) throws {
        try post("/set-txt", ["host": Self.fullyQualified(host), "value": value])
    }

    func clearTXT(_ host: String) throws {
        try post("/clear-txt", ["host": Self.fullyQualified(host)])
    }

    func setCNAME(_ host: String, _ target: String) throws {
        try post("/set-cname", ["host": Self.fullyQualified(host), "target": Self.fullyQualified(target)])
    }

    func clearCNAME(_ host: String) throws {
        try post("/clear-cname", ["host": Self.fullyQualified(host)])
    }

    func addA(_ host: String, _ addresses: [String]) throws {
        try post("/add-a", ["host": Self.fullyQualified(host), "addresses": addresses])
    }

    func clearA(_ host: String) throws {
        try post("/clear-a", ["host": Self.fullyQualified(host)])
    }

    func addAAAA(_ host: String, _ addresses: [String]) throws {
        try post("/add-aaaa", ["host": Self.fullyQualified(host), "addresses": addresses])
    }

    func clearAAAA(_ host: String) throws {
        try post("/clear-aaaa", ["host": Self.fullyQualified(host)])
    }

    /// True once the management port answers HTTP at all (it has no health route).
    func isAnswering() -> Bool {
        (try? client.send(HTTPRequest(url: managementURL + "/"))) != nil
    }

    private func post(_ path: String, _ object: [String: Any]) throws {
        let body = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let url = managementURL + path
        let response: HTTPResponse
        do {
            response = try client.send(HTTPRequest(method: "POST", url: url,
                                                   headers: [("Content-Type", "application/json")], body: body))
        } catch {
            throw RigError(code: .management, reason: "pebble-challtestsrv: POST \(url) failed: \(error)")
        }
        guard response.status == 200 else {
            throw RigError(code: .management, reason: """
                pebble-challtestsrv: POST \(url) \(String(decoding: body, as: UTF8.self)) \
                answered \(response.status): \(response.bodyText)
                """)
        }
    }
}
