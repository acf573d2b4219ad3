import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP server on loopback that answers every request with
/// `401 Unauthorized` and a Basic challenge, counting the requests that
/// carried credentials. Stands in for a git host rejecting a password.
///
/// After `patience` requests it answers 500 instead, so a client that keeps
/// retrying fails with a different error instead of hanging the test.
final class UnauthorizedHTTPServer: Sendable {
    let port: UInt16
    private let descriptor: Int32
    private let counts = Mutex((requests: 0, withCredentials: 0))
    private let patience = 20

    init() throws {
        (descriptor, port) = try LoopbackSocket.listen()
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    var requests: Int { counts.withLock { $0.requests } }
    var requestsWithCredentials: Int { counts.withLock { $0.withCredentials } }

    /// Stops accepting; `accept` in the serving thread returns with an error.
    func stop() {
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }

    private func serve() {
        while true {
            let connection = accept(descriptor, nil, nil)
            guard connection >= 0 else { return }
            let request = readHeaders(connection)
            let served = counts.withLock {
                $0.requests += 1
                if request.lowercased().contains("\r\nauthorization: basic ") { $0.withCredentials += 1 }
                return $0.requests
            }
            let response = served > patience
                ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                : "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"gateway-test\"\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n"
            _ = response.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            close(connection)
        }
    }

    private func readHeaders(_ connection: Int32) -> String {
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 65_536 {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[0..<count]
            if String(decoding: received, as: UTF8.self).contains("\r\n\r\n") { break }
        }
        return String(decoding: received, as: UTF8.self)
    }
}
