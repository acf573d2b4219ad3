import Foundation

extension DuckDNSStandIn {
    /// One update request as the stand-in saw it.
    public struct Request: Sendable, Equatable {
        public let receivedAt: Date
        /// The `domains` parameter split on commas, as sent.
        public let domains: [String]
        public let token: String
        /// The token belongs to a registered account (it may still not own every domain).
        public let tokenWasValid: Bool
        /// The answer was `OK`.
        public let accepted: Bool
        /// The stand-in wrote the change to challtestsrv: false for a refused request and
        /// for a TXT update accepted while `publishTXT` was off.
        public let published: Bool
        /// The `txt` parameter; nil for an address update.
        public let txt: String?
        public let clear: Bool
        public let ip: String?
        public let ipv6: String?
        public let verbose: Bool
        /// The response body.
        public let answer: String

        /// A TXT update (the request carried a `txt` parameter).
        public var isTXTUpdate: Bool { txt != nil }
    }
}
