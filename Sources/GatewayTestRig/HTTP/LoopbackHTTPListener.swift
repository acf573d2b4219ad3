import Dispatch
import Foundation
import Glibc
import Synchronization

/// The socket side of `LoopbackHTTPServer`: the listening descriptor and the accept loop.
///
/// It is a separate object so that the accept thread keeps only the listener
/// alive, and the server's `deinit` can still stop it.
final class LoopbackHTTPListener: Sendable {
    static let maximumHeadBytes = 64 * 1024
    static let maximumBodyBytes = 16 * 1024 * 1024

    let port: Int
    private let descriptor: Int32
    private let handler: LoopbackHTTPServer.Handler
    private let stopping = Atomic<Bool>(false)
    private let answered = Atomic<Int>(0)
    private let stopped = Mutex<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(handler: @escaping LoopbackHTTPServer.Handler) throws {
        let bound = try LoopbackSocket.bind(type: LoopbackSocket.streamType, port: 0, reuseAddress: true)
        guard listen(bound.descriptor, 64) == 0 else {
            let failure = LoopbackSocket.error("listen")
            close(bound.descriptor)
            throw failure
        }
        descriptor = bound.descriptor
        port = bound.port
        self.handler = handler
    }

    var requestCount: Int { answered.load(ordering: .relaxed) }

    /// The accept loop; runs on the server's thread until `stop()`.
    func run() {
        defer { finished.signal() }
        while !stopping.load(ordering: .acquiring) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            if stopping.load(ordering: .acquiring) { break }
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let client = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept(descriptor, $0, &length)
                }
            }
            guard client >= 0 else {
                usleep(10_000)
                continue
            }
            // accept4 is not imported; keep the connection out of child processes.
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            serve(client, remoteAddress: LoopbackSocket.addressString(address))
            close(client)
        }
    }

    /// Stops accepting, waits for the loop to end, closes the socket. Idempotent.
    func stop() {
        let first = stopped.withLock { isStopped in
            defer { isStopped = true }
            return !isStopped
        }
        guard first else { return }
        stopping.store(true, ordering: .releasing)
        _ = shutdown(descriptor, Int32(SHUT_RDWR))
        finished.wait()
        close(descriptor)
    }

    private func serve(_ client: Int32, remoteAddress: String) {
        LoopbackSocket.setTimeouts(client, seconds: 10)
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        func readMore() -> Bool {
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
        }
        func answer(_ response: LoopbackHTTPServer.Response, includeBody: Bool = true) {
            _ = LoopbackSocket.sendAll(client, HTTPWire.serialize(response, includeBody: includeBody))
            _ = shutdown(client, Int32(SHUT_WR))
        }

        var headEnd: Int?
        var scanned = 0
        while true {
            if let end = HTTPWire.headerEnd(in: buffer, from: scanned) {
                headEnd = end
                break
            }
            scanned = max(0, buffer.count - 3)
            if buffer.count > Self.maximumHeadBytes {
                return answer(.text("request head too large\n", status: 431))
            }
            guard readMore() else { return }
        }
        guard let headEnd else { return }

        let head: HTTPWire.Head
        do {
            head = try HTTPWire.parseHead(buffer[0..<headEnd])
        } catch {
            return answer(.text(error.message, status: error.status))
        }

        var sentContinue = false
        func continueIfExpected() {
            guard head.expectsContinue, !sentContinue else { return }
            sentContinue = true
            _ = LoopbackSocket.sendAll(client, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }

        var body = Data()
        if head.isChunked {
            while true {
                do {
                    if let decoded = try HTTPWire.decodeChunked(buffer[headEnd...]) {
                        body = decoded
                        break
                    }
                } catch {
                    return answer(.text(error.message, status: error.status))
                }
                if buffer.count - headEnd > Self.maximumBodyBytes {
                    return answer(.text("request body too large\n", status: 413))
                }
                continueIfExpected()
                guard readMore() else { return }
            }
        } else if let length = head.contentLength, length > 0 {
            guard length <= Self.maximumBodyBytes else {
                return answer(.text("request body too large\n", status: 413))
            }
            while buffer.count - headEnd < length {
                continueIfExpected()
                guard readMore() else { return }
            }
            body = Data(buffer[headEnd..<headEnd + length])
        }

        let request = LoopbackHTTPServer.Request(
            method: head.method, target: head.target,
            headers: head.headers.map { ($0.name, $0.value) },
            body: body, remoteAddress: remoteAddress)
        let response = handler(request)
        answered.add(1, ordering: .relaxed)
        answer(response, includeBody: head.method != "HEAD")
    }
}
