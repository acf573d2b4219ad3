import Foundation
import GatewayHTTP

/// Everything needed to start Pebble, kept so that `ACMERig.restartPebble()` starts it
/// again with the same configuration file, ports, DNS resolver and environment.
struct PebbleLaunch: Sendable {
    let executable: String
    let arguments: [String]
    let environment: [String: String]
    let logPath: String
    let currentDirectory: URL
    let directoryURL: String
    let caBundlePath: String

    /// Starts Pebble; `appendingToLog` continues the log of an earlier run instead of truncating it.
    func start(appendingToLog: Bool) throws -> ChildProcess {
        try ChildProcess(name: "pebble", executable: executable, arguments: arguments, environment: environment,
                         logPath: logPath, currentDirectory: currentDirectory, appendingToLog: appendingToLog)
    }

    /// A client that trusts Pebble's TLS certificate and gives up quickly, for readiness probes.
    func probeClient() -> HTTPClient {
        HTTPClient(configuration: .init(caBundlePath: caBundlePath, timeout: .seconds(2), connectTimeout: .seconds(1)))
    }

    /// Whether the WFE serves the directory yet, probed without leaving a request line in
    /// Pebble's log: Pebble answers a method it does not route (`OPTIONS /dir` without an
    /// `Origin`) with 405 before it logs `… -> calling handler()`, from the same handler
    /// that serves `GET /dir`. So the rig's own probes never show up in `acmeRequestCounts()`.
    static func directoryAnswers(_ directoryURL: String, client: HTTPClient) -> (answers: Bool, detail: String) {
        do {
            let response = try client.send(HTTPRequest(method: "OPTIONS", url: directoryURL))
            let answers = response.status == 405 || response.status == 200
            return (answers, "OPTIONS \(directoryURL) answered \(response.status)")
        } catch {
            return (false, "\(error)")
        }
    }
}
