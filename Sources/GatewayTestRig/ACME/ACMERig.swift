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
/// Pebble keeps nothing across restarts: every rig has a fresh root and no accounts,
/// and so has Pebble after `restartPebble()`, which keeps its URLs. `acmeRequestCounts()`
/// tells which ACME requests Pebble handled, from its log.
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
    /// Pebble's output (standard output and error). Besides start-up and issuance
    /// messages it logs one line per ACME request the WFE handles, which
    /// `acmeRequestCounts()` reads. A restarted Pebble appends to the same file.
    public let pebbleLogPath: String
    public let challengeServerLogPath: String
    public let pebbleConfigPath: String
    public let duckDNS: DuckDNSStandIn
    public let workDirectory: URL

    let challengeServerProcess: ChildProcess
    let pebbleLaunch: PebbleLaunch
    let challengeServer: ChallengeTestServer
    let managementClient: HTTPClient
    private let removesWorkDirectory: Bool
    private let stopped = Mutex(false)
    /// The running Pebble, nil while stopped. Read under a short lock; replaced only
    /// while `pebbleLifecycle` is held.
    let pebbleProcess: Mutex<ChildProcess?>
    /// Held for the whole of `stopPebble()`, `restartPebble()` and the Pebble part of
    /// `stop()`, so they never interleave; the value counts restarts.
    let pebbleLifecycle = Mutex(0)
    /// Where in `pebbleLogPath` request counting starts (`resetRequestCounts()`).
    let requestCountOffset = Mutex<UInt64>(0)

    init(options: Options, directoryURL: String, caBundlePath: String, dnsResolver: String,
         challengeServerManagementURL: String, pebbleManagementURL: String, pebbleConfigPath: String,
         duckDNS: DuckDNSStandIn, workDirectory: URL, challengeServerProcess: ChildProcess,
         pebbleProcess: ChildProcess, pebbleLaunch: PebbleLaunch, removesWorkDirectory: Bool) {
        self.options = options
        self.directoryURL = directoryURL
        self.caBundlePath = caBundlePath
        self.dnsResolver = dnsResolver
        self.challengeServerManagementURL = challengeServerManagementURL
        self.pebbleManagementURL = pebbleManagementURL
        self.pebbleLogPath = pebbleLaunch.logPath
        self.challengeServerLogPath = challengeServerProcess.logPath
        self.pebbleConfigPath = pebbleConfigPath
        self.duckDNS = duckDNS
        self.workDirectory = workDirectory
        self.challengeServerProcess = challengeServerProcess
        self.pebbleProcess = Mutex(pebbleProcess)
        self.pebbleLaunch = pebbleLaunch
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

    /// Process ids of pebble-challtestsrv and, while it runs, Pebble.
    public var processIdentifiers: [Int32] {
        [challengeServerProcess.processIdentifier] + (pebbleProcessIdentifier.map { [$0] } ?? [])
    }

    /// Pebble's process id; nil after `stopPebble()` or `stop()`. A restart gives a new one.
    public var pebbleProcessIdentifier: Int32? {
        pebbleProcess.withLock { $0?.processIdentifier }
    }

    public var challengeServerProcessIdentifier: Int32 { challengeServerProcess.processIdentifier }

    /// Both child processes are running (false after `stopPebble()`, `stop()` or a crash).
    public var isRunning: Bool { isPebbleRunning && challengeServerProcess.isRunning }

    /// Pebble's process is running (false after `stopPebble()`, `stop()` or a crash).
    public var isPebbleRunning: Bool {
        pebbleProcess.withLock { $0?.isRunning ?? false }
    }

    /// How often `restartPebble()` has started a new Pebble.
    public var pebbleRestartCount: Int { pebbleLifecycle.withLock { $0 } }

    /// Stops the DuckDNS stand-in, terminates Pebble and challtestsrv (SIGTERM, then
    /// SIGKILL after 5 s) and waits until they are gone; removes a temporary work
    /// directory. Idempotent; also called on deinit.
    public func stop() {
        let first = stopped.withLock { isStopped in
            defer { isStopped = true }
            return !isStopped
        }
        guard first else { return }
        // First, and outside `pebbleLifecycle`: a request hook of the stand-in may be
        // inside `stopPebble()` or `restartPebble()`, and `duckDNS.stop()` waits for it.
        duckDNS.stop()
        challengeServerProcess.requestTermination()
        pebbleLifecycle.withLock { _ in
            let pebble = pebbleProcess.withLock { process in
                defer { process = nil }
                return process
            }
            pebble?.terminate(grace: .seconds(5))
        }
        challengeServerProcess.terminate(grace: .seconds(5))
        if removesWorkDirectory {
            try? FileManager.default.removeItem(at: workDirectory)
        }
    }

    var isStopped: Bool { stopped.withLock { $0 } }
}
