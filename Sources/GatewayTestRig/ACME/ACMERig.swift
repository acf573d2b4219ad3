import Foundation
import GatewayHTTP
import Synchronization

/// A local ACME rig: Pebble (the ACME server), pebble-challtestsrv (the DNS server
/// Pebble validates DNS-01 against) and a DuckDNS stand-in, all on 127.0.0.1.
///
/// ```swift
/// let rig = try ACMERig.start()
/// defer { rig.stop() }
/// rig.duckDNS.register(token: "t-alice", domains: ["alice"])
/// // point Gateway at rig.environment and run it
/// ```
///
/// Pebble keeps nothing across restarts: every rig has a fresh root and no accounts.
public final class ACMERig: Sendable {
    public let options: Options
    /// `https://127.0.0.1:PORT/dir`.
    public let directoryURL: String
    /// PEM of the throwaway CA that signed Pebble's TLS certificate (not the issuing root).
    public let caBundlePath: String
    /// `127.0.0.1:PORT`: challtestsrv's DNS server, the resolver Pebble validates against.
    public let dnsResolver: String
    /// `http://127.0.0.1:PORT`.
    public let challengeServerManagementURL: String
    /// `https://127.0.0.1:PORT` (same TLS certificate as the directory).
    public let pebbleManagementURL: String
    /// Pebble's output; it logs one line per ACME request (`POST /order-plz -> calling handler()`).
    public let pebbleLogPath: String
    public let challengeServerLogPath: String
    public let pebbleConfigPath: String
    public let duckDNS: DuckDNSStandIn
    public let workDirectory: URL

    let children: [ChildProcess]
    let challengeServer: ChallengeTestServer
    let managementClient: HTTPClient
    private let removesWorkDirectory: Bool
    private let stopped = Mutex(false)

    init(options: Options, directoryURL: String, caBundlePath: String, dnsResolver: String,
         challengeServerManagementURL: String, pebbleManagementURL: String, pebbleLogPath: String,
         challengeServerLogPath: String, pebbleConfigPath: String, duckDNS: DuckDNSStandIn,
         workDirectory: URL, children: [ChildProcess], removesWorkDirectory: Bool) {
        self.options = options
        self.directoryURL = directoryURL
        self.caBundlePath = caBundlePath
        self.dnsResolver = dnsResolver
        self.challengeServerManagementURL = challengeServerManagementURL
        self.pebbleManagementURL = pebbleManagementURL
        self.pebbleLogPath = pebbleLogPath
        self.challengeServerLogPath = challengeServerLogPath
        self.pebbleConfigPath = pebbleConfigPath
        self.duckDNS = duckDNS
        self.workDirectory = workDirectory
        self.children = children
        self.removesWorkDirectory = removesWorkDirectory
        challengeServer = ChallengeTestServer(managementURL: challengeServerManagementURL)
        managementClient = HTTPClient(configuration: .init(caBundlePath: caBundlePath, timeout: .seconds(10)))
    }

    deinit { stop() }

    /// The variables that point Gateway at this rig.
    public var environment: [String: String] {
        [
            "GATEWAY_ACME_DIRECTORY": directoryURL,
            "GATEWAY_ACME_CA_BUNDLE": caBundlePath,
            "GATEWAY_DUCKDNS_API": duckDNS.baseURL,
            "GATEWAY_DNS_RESOLVERS": dnsResolver,
        ]
    }

    /// Process ids of Pebble and pebble-challtestsrv.
    public var processIdentifiers: [Int32] { children.map(\.processIdentifier) }

    /// Both child processes are still running (false after `stop()` or a crash).
    public var isRunning: Bool { children.allSatisfy(\.isRunning) }

    /// Stops the DuckDNS stand-in, terminates Pebble and challtestsrv (SIGTERM, then
    /// SIGKILL after 5 s) and waits until they are gone; removes a temporary work
    /// directory. Idempotent; also called on deinit.
    public func stop() {
        let first = stopped.withLock { isStopped in
            defer { isStopped = true }
            return !isStopped
        }
        guard first else { return }
        duckDNS.stop()
        for child in children { child.requestTermination() }
        for child in children { child.terminate(grace: .seconds(5)) }
        if removesWorkDirectory {
            try? FileManager.default.removeItem(at: workDirectory)
        }
    }
}
