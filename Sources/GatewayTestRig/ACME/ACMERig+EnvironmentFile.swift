import Foundation

extension ACMERig {
    /// Writes `export NAME='value'` lines of `environment` plus `extra` to `path`,
    /// sorted by name, through a temporary file and a rename (readers never see half a file).
    public func writeEnvironmentFile(to path: String, extra: [String: String] = [:]) throws {
        let variables = environment.merging(extra) { _, given in given }
        let text = Self.shellExports(variables)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RigError(code: .fileSystem, reason: "cannot write the environment file \(path): \(error)")
        }
    }

    /// The names `gateway-devrig up` writes: `environment` plus `devRigEnvironment(rootsPath:)`.
    public static let devRigVariableNames = [
        "GATEWAY_ACME_DIRECTORY", "GATEWAY_ACME_CA_BUNDLE", "GATEWAY_DUCKDNS_API", "GATEWAY_DNS_RESOLVERS",
        "GATEWAY_DEVRIG_ROOTS", "GATEWAY_DEVRIG_PEBBLE_LOG", "GATEWAY_DEVRIG_CHALLTESTSRV",
        "GATEWAY_DEVRIG_PEBBLE_MANAGEMENT",
    ]

    /// The rig's internals for scripts around `gateway-devrig` (not read by Gateway):
    /// the issuing roots file, Pebble's log, challtestsrv's and Pebble's management URLs.
    public func devRigEnvironment(rootsPath: String) -> [String: String] {
        [
            "GATEWAY_DEVRIG_ROOTS": rootsPath,
            "GATEWAY_DEVRIG_PEBBLE_LOG": pebbleLogPath,
            "GATEWAY_DEVRIG_CHALLTESTSRV": challengeServerManagementURL,
            "GATEWAY_DEVRIG_PEBBLE_MANAGEMENT": pebbleManagementURL,
        ]
    }

    /// `export NAME='value'` lines, single-quoted for POSIX shells.
    public static func shellExports(_ variables: [String: String]) -> String {
        variables.keys.sorted().map { name in
            let quoted = variables[name]!.replacingOccurrences(of: "'", with: "'\\''")
            return "export \(name)='\(quoted)'\n"
        }.joined()
    }
}
