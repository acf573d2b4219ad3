import Foundation
import GatewayHTTP
import Synchronization

/// An ACME directory with ACME Renewal Information (RFC 9773) in front of Pebble,
/// which has no `renewalInfo` of its own.
///
/// It serves, over plain HTTP on 127.0.0.1:
/// - `GET /dir`: Pebble's directory, fetched once at init, with every Pebble URL as it
///   is (so accounts, orders and certificates still go to Pebble over HTTPS) plus
///   `"renewalInfo": "http://127.0.0.1:PORT/renewal-info"`.
/// - `GET /renewal-info/<certID>`: `{"suggestedWindow": {"start", "end"}, "explanationURL"?}`
///   with RFC 3339 times and a `Retry-After` header when set, from the window set for
///   that certID, else the default window, else 404 with an ACME problem document.
///
/// The certID (RFC 9773: base64url of the AKI key identifier, `.`, base64url of the
/// serial's DER bytes) is an opaque key here. Every certID asked for is recorded.
///
/// ```swift
/// let ari = try ARIDirectoryServer(rig: rig)
/// defer { ari.stop() }
/// ari.setWindow(certID: id, start: .now, end: .now + 3600)
/// // point Gateway at ari.directoryURL instead of rig.directoryURL
/// ```
public final class ARIDirectoryServer: Sendable {
    /// A suggested renewal window and the extras of the answer.
    public struct Window: Sendable, Equatable {
        public var start: Date
        public var end: Date
        public var retryAfterSeconds: Int?
        public var explanationURL: String?

        public init(start: Date, end: Date, retryAfterSeconds: Int? = nil, explanationURL: String? = nil) {
            self.start = start
            self.end = end
            self.retryAfterSeconds = retryAfterSeconds
            self.explanationURL = explanationURL
        }
    }

    /// The served directory, the windows and the request record; shared with the
    /// server's handler (a `Mutex` cannot be captured, its owner can).
    final class Registry: Sendable {
        struct State {
            var directory = Data()
            var windows: [String: Window] = [:]
            var requestedCertIDs: [String] = []
        }

        let state = Mutex(State())
        let defaultWindow: Window?

        init(defaultWindow: Window?) {
            self.defaultWindow = defaultWindow
        }
    }

    static let renewalInfoPath = "/renewal-info"

    private let server: LoopbackHTTPServer
    private let registry: Registry

    /// Starts in front of the rig's Pebble; fetches its directory once (one `GET /dir`
    /// in `rig.acmeRequestCounts()`).
    public convenience init(rig: ACMERig, defaultWindow: (start: Date, end: Date)? = nil) throws {
        try self.init(upstreamDirectoryURL: rig.directoryURL, caBundlePath: rig.caBundlePath,
                      defaultWindow: defaultWindow)
    }

    /// Starts in front of the ACME server at `upstreamDirectoryURL`, trusting `caBundlePath`.
    /// `defaultWindow` answers certIDs without a window of their own; nil answers them 404.
    ///
    /// Throws `RigError` `.upstream` when the directory cannot be fetched or is no JSON object.
    public init(upstreamDirectoryURL: String, caBundlePath: String?,
                defaultWindow: (start: Date, end: Date)? = nil) throws {
        let upstream = try Self.fetchDirectory(upstreamDirectoryURL, caBundlePath: caBundlePath)
        let registry = Registry(defaultWindow: defaultWindow.map { Window(start: $0.start, end: $0.end) })
        self.registry = registry
        server = try LoopbackHTTPServer(name: "ARIDirectoryServer") { request in
            Self.respond(to: request, registry: registry)
        }
        var directory = upstream
        directory["renewalInfo"] = server.baseURL + Self.renewalInfoPath
        let body = try JSONSerialization.data(withJSONObject: directory,
                                              options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        registry.state.withLock { $0.directory = body }
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    public var baseURL: String { server.baseURL }

    /// `http://127.0.0.1:PORT/dir`: the directory to give the ACME client.
    public var directoryURL: String { baseURL + "/dir" }

    /// `http://127.0.0.1:PORT/renewal-info`: the directory's `renewalInfo`.
    public var renewalInfoURL: String { baseURL + Self.renewalInfoPath }

    /// Answers `GET /renewal-info/<certID>` with this window from now on.
    public func setWindow(certID: String, start: Date, end: Date, retryAfterSeconds: Int? = nil,
                          explanationURL: String? = nil) {
        let window = Window(start: start, end: end, retryAfterSeconds: retryAfterSeconds,
                            explanationURL: explanationURL)
        registry.state.withLock { $0.windows[certID] = window }
    }

    /// Forgets the certID's own window (the default window, or 404, answers it again).
    public func removeWindow(certID: String) {
        _ = registry.state.withLock { $0.windows.removeValue(forKey: certID) }
    }

    /// The certIDs of every `/renewal-info/` request, oldest first (also unknown ones).
    public var requestedCertIDs: [String] { registry.state.withLock { $0.requestedCertIDs } }

    /// Stops the HTTP server. Idempotent.
    public func stop() { server.stop() }

    /// RFC 3339 in UTC with whole seconds, e.g. `2026-12-04T16:05:41Z`.
    static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    /// The renewalInfo body for a window (no I/O; tested directly).
    static func renewalInfoBody(_ window: Window) -> Data {
        var object: [String: Any] = [
            "suggestedWindow": ["start": rfc3339(window.start), "end": rfc3339(window.end)],
        ]
        if let explanation = window.explanationURL { object["explanationURL"] = explanation }
        // A dictionary of strings always serializes.
        return try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func respond(to request: LoopbackHTTPServer.Request,
                                registry: Registry) -> LoopbackHTTPServer.Response {
        let prefix = renewalInfoPath + "/"
        guard request.path == "/dir" || request.path.hasPrefix(prefix) else { return .notFound }
        guard request.method == "GET" || request.method == "HEAD" else { return .methodNotAllowed(allow: "GET") }
        if request.path == "/dir" {
            return .json(registry.state.withLock { $0.directory })
        }
        let certID = String(request.path.dropFirst(prefix.count))
        let window = registry.state.withLock { state -> Window? in
            state.requestedCertIDs.append(certID)
            return state.windows[certID] ?? registry.defaultWindow
        }
        guard !certID.isEmpty, let window else {
            let problem: [String: Any] = [
                "type": "urn:ietf:params:acme:error:malformed",
                "detail": "no renewal information for certificate ID '\(certID)'",
                "status": 404,
            ]
            let body = try! JSONSerialization.data(withJSONObject: problem, options: [.sortedKeys])
            var response = LoopbackHTTPServer.Response.json(body, status: 404)
            response.headers = [("Content-Type", "application/problem+json")]
            return response
        }
        var headers: [(name: String, value: String)] = []
        if let seconds = window.retryAfterSeconds { headers.append(("Retry-After", String(seconds))) }
        return .json(renewalInfoBody(window), headers: headers)
    }

    private static func fetchDirectory(_ url: String, caBundlePath: String?) throws -> [String: Any] {
        let client = HTTPClient(configuration: .init(caBundlePath: caBundlePath, timeout: .seconds(10)))
        let response: HTTPResponse
        do {
            response = try client.send(HTTPRequest(url: url))
        } catch {
            throw RigError(code: .upstream, reason: "GET \(url) failed: \(error)")
        }
        guard response.status == 200,
              let directory = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            throw RigError(code: .upstream, reason: """
                GET \(url) answered \(response.status), expected a JSON object (an ACME directory): \
                \(response.bodyText.prefix(200))
                """)
        }
        return directory
    }
}
