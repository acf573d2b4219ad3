import Foundation

extension LoopbackHTTPServer {
    /// One parsed HTTP request.
    public struct Request: Sendable {
        public var method: String
        /// The request target as sent, e.g. `/update?domains=alice&token=t`.
        public var target: String
        /// The percent-decoded path of the target.
        public var path: String
        /// Query items in order, percent-decoded (`+` is not a space); nil value for `?flag`.
        public var queryItems: [(name: String, value: String?)]
        /// Header fields in the order received; names lower-cased.
        public var headers: [(name: String, value: String)]
        public var body: Data
        /// The peer's IPv4 address.
        public var remoteAddress: String

        public init(method: String, target: String, headers: [(name: String, value: String)] = [],
                    body: Data = Data(), remoteAddress: String = "127.0.0.1") {
            self.method = method
            self.target = target
            let components = URLComponents(string: target)
            self.path = components?.path ?? target
            self.queryItems = (components?.queryItems ?? []).map { ($0.name, $0.value) }
            self.headers = headers.map { ($0.name.lowercased(), $0.value) }
            self.body = body
            self.remoteAddress = remoteAddress
        }

        /// The first value of a query parameter; "" when present without a value, nil when absent.
        public func query(_ name: String) -> String? {
            guard let item = queryItems.first(where: { $0.name == name }) else { return nil }
            return item.value ?? ""
        }

        /// The last value of a header (names are case-insensitive).
        public func header(_ name: String) -> String? {
            let wanted = name.lowercased()
            return headers.last(where: { $0.name == wanted })?.value
        }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }
}
