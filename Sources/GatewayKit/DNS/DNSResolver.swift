import Foundation
import GatewayCore
#if canImport(Glibc)
import Glibc
#endif

public struct DNSError: Error, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable {
        let name: String
        public static let timedOut = Code(name: "timed out")
        public static let network = Code(name: "network")
        public static let serverFailure = Code(name: "server failure")
        public static let notPropagated = Code(name: "not propagated")
    }
    public let code: Code
    public let reason: String
    public var description: String { reason }
    public static func == (lhs: DNSError, rhs: DNSError) -> Bool { lhs.code == rhs.code }
}

/// Asks explicit resolvers for TXT records over UDP, to confirm a DNS-01 value is
/// visible before the CA is told to look.
public struct DNSResolver: Sendable {
    public let servers: [(address: IPAddress, port: Int)]
    public let timeout: Duration

    public init(servers: [(address: IPAddress, port: Int)], timeout: Duration = .seconds(2)) {
        self.servers = servers
        self.timeout = timeout
    }

    /// The TXT values of `name` according to `server`. NXDOMAIN gives [].
    public func txt(_ name: String, server: (address: IPAddress, port: Int)) throws -> [String] {
        let family = server.address.family == .v4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw DNSError(code: .network, reason: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let id = UInt16.random(in: 0...UInt16.max)
        let query = DNSMessage.query(id: id, name: name, type: DNSMessage.typeTXT)
        let sent: Int = withSocketAddress(server) { address, length in
            query.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, address, length) }
        }
        guard sent == query.count else {
            throw DNSError(code: .network, reason: "cannot send to \(server.address):\(server.port): \(String(cString: strerror(errno)))")
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard received > 0 else {
                throw DNSError(code: .timedOut, reason: "no answer from \(server.address):\(server.port) for \(name) TXT")
            }
            guard let answer = DNSMessage.parseResponse(Array(buffer[0..<received])), answer.id == id else { continue }
            switch answer.responseCode {
            case 0, 3: return answer.txt
            default:
                throw DNSError(code: .serverFailure, reason: "\(server.address):\(server.port) answered rcode \(answer.responseCode) for \(name) TXT")
            }
        }
    }

    /// Waits until every server returns `value` among the TXT values of `name`.
    public func waitForTXT(_ name: String, value: String, timeout total: Duration) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + total
        var pending = servers
        var delay = 0.05
        while true {
            pending = pending.filter { server in
                (try? txt(name, server: server).contains(value)) != true
            }
            if pending.isEmpty { return }
            guard clock.now < deadline else {
                let where_ = pending.map { "\($0.address):\($0.port)" }.joined(separator: ", ")
                throw DNSError(code: .notPropagated, reason: "TXT \(name) not visible at \(where_) after \(total)")
            }
            Thread.sleep(forTimeInterval: delay)
            delay = min(delay * 2, 1)
        }
    }

    private func withSocketAddress<T>(_ server: (address: IPAddress, port: Int),
                                      _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        if server.address.family == .v4 {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = in_port_t(UInt16(server.port).bigEndian)
            withUnsafeMutableBytes(of: &a.sin_addr) { $0.copyBytes(from: server.address.bytes) }
            return withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        var a = sockaddr_in6()
        a.sin6_family = sa_family_t(AF_INET6)
        a.sin6_port = in_port_t(UInt16(server.port).bigEndian)
        withUnsafeMutableBytes(of: &a.sin6_addr) { $0.copyBytes(from: server.address.bytes) }
        return withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }
}
