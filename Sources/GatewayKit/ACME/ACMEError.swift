import GatewayCore

/// An ACME failure: an RFC 8555 problem document from the CA, or a protocol or
/// transport failure on the way to it.
public struct ACMEError: Error, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }
        /// Problem types (urn:ietf:params:acme:error:<name>).
        public static let badNonce = Code("badNonce")
        public static let rateLimited = Code("rateLimited")
        public static let accountDoesNotExist = Code("accountDoesNotExist")
        public static let unauthorized = Code("unauthorized")
        public static let malformed = Code("malformed")
        public static let externalAccountRequired = Code("externalAccountRequired")
        public static let serverInternal = Code("serverInternal")
        public static let orderNotReady = Code("orderNotReady")
        /// Gateway-side failures.
        public static let unreachable = Code("unreachable")
        public static let invalidResponse = Code("invalidResponse")
        public static let challengeFailed = Code("challengeFailed")
        public static let orderFailed = Code("orderFailed")
        public static let timedOut = Code("timedOut")
        public static let other = Code("other")
    }

    public let code: Code
    public let reason: String
    public let url: String?
    public let status: Int?
    /// Seconds from `Retry-After`, when the CA sent one.
    public let retryAfter: Int?

    public init(_ code: Code, _ reason: String, url: String? = nil, status: Int? = nil, retryAfter: Int? = nil) {
        self.code = code
        self.reason = reason
        self.url = url
        self.status = status
        self.retryAfter = retryAfter
    }

    public var description: String {
        var text = "ACME \(code): \(reason)"
        if let url { text += " (\(url))" }
        return text
    }

    public static func == (lhs: ACMEError, rhs: ACMEError) -> Bool { lhs.code == rhs.code }

    /// Reads an `application/problem+json` body.
    static func fromProblem(_ body: [UInt8], status: Int, url: String, retryAfter: Int?) -> ACMEError {
        guard let document = try? JSONParser.parse(body), case .object = document else {
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            return ACMEError(status == 503 ? .unreachable : .invalidResponse, "HTTP \(status): \(text)", url: url, status: status,
                             retryAfter: retryAfter)
        }
        let type = document["type"]?.stringValue ?? ""
        let prefix = "urn:ietf:params:acme:error:"
        let code = type.hasPrefix(prefix) ? Code(String(type.dropFirst(prefix.count))) : .other
        var detail = document["detail"]?.stringValue ?? "HTTP \(status)"
        if case let .array(subproblems)? = document["subproblems"] {
            let parts = subproblems.compactMap { sub -> String? in
                guard let d = sub["detail"]?.stringValue else { return nil }
                return (sub["identifier"]?["value"]?.stringValue).map { "\($0): \(d)" } ?? d
            }
            if !parts.isEmpty { detail += " [" + parts.joined(separator: "; ") + "]" }
        }
        return ACMEError(code, detail, url: url, status: status, retryAfter: retryAfter)
    }
}
