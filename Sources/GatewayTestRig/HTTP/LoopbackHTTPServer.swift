import Foundation

/// A small HTTP/1.1 server on 127.0.0.1 for test doubles (the DuckDNS stand-in,
/// an ACME directory with `renewalInfo`).
///
/// It binds a free port, accepts connections on its own thread and serves one
/// request per connection (`Connection: close`), one connection at a time. The
/// handler runs on that thread and must not call `stop()`.
///
/// ```swift
/// let server = try LoopbackHTTPServer { request in
///     request.path == "/hello" ? .text("hi") : .notFound
/// }
/// defer { server.stop() }
/// ```
public final class LoopbackHTTPServer: Sendable {
    public typealias Handler = @Sendable (Request) -> Response

    /// The bound port on 127.0.0.1.
    public let port: Int
    private let listener: LoopbackHTTPListener

    /// Binds 127.0.0.1 on a free port and starts accepting connections.
    public init(name: String = "LoopbackHTTPServer", handler: @escaping Handler) throws {
        listener = try LoopbackHTTPListener(handler: handler)
        port = listener.port
        let listener = self.listener
        let thread = Thread { listener.run() }
        thread.name = name
        thread.start()
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Requests answered so far.
    public var requestCount: Int { listener.requestCount }

    /// Closes the listening socket and waits for the accept thread to finish. Idempotent.
    public func stop() { listener.stop() }
}
