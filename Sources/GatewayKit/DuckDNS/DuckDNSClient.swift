import Foundation
import GatewayCore
import GatewayHTTP

public struct DuckDNSError: Error, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable {
        let name: String
        public static let rejected = Code(name: "rejected")
        public static let unreachable = Code(name: "unreachable")
    }
    public let code: Code
    public let reason: String
    public var description: String { reason }
    public static func == (lhs: DuckDNSError, rhs: DuckDNSError) -> Bool { lhs.code == rhs.code }
}

/// The DuckDNS update API: `GET {base}/update?domains=D&token=T&txt=V&verbose=true`,
/// answering `OK` or `KO`. A domain has one TXT value shared by every name under it.
public struct DuckDNSClient: Sendable {
    public let baseURL: String
    private let http: HTTPClient

    public init(baseURL: String, http: HTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = http
    }

    public func setTXT(domain: String, value: String, token: String) throws {
        try update(domain: domain, token: token, extra: [("txt", value)])
    }

    public func clearTXT(domain: String, token: String) throws {
        try update(domain: domain, token: token, extra: [("txt", "cleared"), ("clear", "true")])
    }

    private func update(domain: String, token: String, extra: [(String, String)]) throws {
        var components = URLComponents(string: baseURL + "/update")!
        components.queryItems = [URLQueryItem(name: "domains", value: domain), URLQueryItem(name: "token", value: token)]
            + extra.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "verbose", value: "true")]
        let url = components.url!.absoluteString
        let response: HTTPResponse
        do {
            response = try http.send(HTTPRequest(url: url))
        } catch let error as HTTPError {
            // The URL carries the token: never repeat it.
            throw DuckDNSError(code: .unreachable, reason: "DuckDNS at \(baseURL) cannot be reached: \(error.reason)")
        }
        let firstLine = response.bodyText.split(separator: "\n").first.map(String.init) ?? ""
        guard response.status == 200, firstLine == "OK" else {
            throw DuckDNSError(code: .rejected,
                               reason: "DuckDNS refused the update of \(domain).duckdns.org (HTTP \(response.status), \(firstLine.isEmpty ? "empty answer" : firstLine)): is the owner's token valid for this domain?")
        }
    }
}
