/// A transfer that did not produce an HTTP response (DNS, connect, TLS, timeout).
/// An HTTP error status is not an `HTTPError`: callers read `HTTPResponse.status`.
public struct HTTPError: Error, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable {
        let name: String
        public static let couldNotConnect = Code(name: "could not connect")
        public static let timedOut = Code(name: "timed out")
        public static let tls = Code(name: "TLS failure")
        public static let invalidRequest = Code(name: "invalid request")
        public static let transfer = Code(name: "transfer failed")
    }

    public let code: Code
    public let reason: String
    public let url: String

    public init(code: Code, reason: String, url: String) {
        self.code = code
        self.reason = reason
        self.url = url
    }

    public var description: String { "\(url): \(code.name): \(reason)" }

    public static func == (lhs: HTTPError, rhs: HTTPError) -> Bool { lhs.code == rhs.code }
}
