import Foundation

extension ACMERig {
    /// How the rig configures Pebble.
    public struct Options: Sendable {
        /// Pebble's environment, merged over `defaultPebbleEnvironment`
        /// (e.g. `PEBBLE_WFE_NONCEREJECT=50` to exercise badNonce retries,
        /// `PEBBLE_VA_ALWAYS_VALID=1` to skip validation). `PEBBLE_*` variables of
        /// the test process itself are not passed on.
        public var pebbleEnvironment: [String: String]
        /// Lifetime of issued certificates in seconds (Pebble's `certificateValidityPeriod`).
        public var certificateValidityPeriod: Int?
        /// External account binding keys, kid → base64url HMAC key. Setting them
        /// also sets `externalAccountBindingRequired`.
        public var externalAccountMACKeys: [String: String]?
        /// Where keys, config and logs go; nil makes a fresh temporary directory
        /// (removed by `stop()` unless `keepWorkDirectory`). A given directory is never removed.
        public var workDirectory: URL?
        /// Keep a temporary work directory after `stop()` (to read the logs).
        public var keepWorkDirectory: Bool
        /// How long Pebble and challtestsrv get to answer.
        public var startTimeout: Duration

        public static let defaultPebbleEnvironment: [String: String] = [
            "PEBBLE_VA_NOSLEEP": "1",
            "PEBBLE_WFE_NONCEREJECT": "0",
            "PEBBLE_AUTHZREUSE": "0",
        ]

        public init(pebbleEnvironment: [String: String] = [:], certificateValidityPeriod: Int? = nil,
                    externalAccountMACKeys: [String: String]? = nil, workDirectory: URL? = nil,
                    keepWorkDirectory: Bool = false, startTimeout: Duration = .seconds(20)) {
            self.pebbleEnvironment = pebbleEnvironment
            self.certificateValidityPeriod = certificateValidityPeriod
            self.externalAccountMACKeys = externalAccountMACKeys
            self.workDirectory = workDirectory
            self.keepWorkDirectory = keepWorkDirectory
            self.startTimeout = startTimeout
        }

        /// The `PEBBLE_*` variables Pebble runs with.
        public var effectivePebbleEnvironment: [String: String] {
            Self.defaultPebbleEnvironment.merging(pebbleEnvironment) { _, given in given }
        }
    }
}
