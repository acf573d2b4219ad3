import Glibc

/// Small helpers over Glibc sockets bound to 127.0.0.1.
enum LoopbackSocket {
    static let streamType = Int32(SOCK_STREAM.rawValue)
    static let datagramType = Int32(SOCK_DGRAM.rawValue)

    /// Creates a close-on-exec socket of `type` bound to 127.0.0.1:`port` (0 picks a free port)
    /// and returns it with the port actually bound.
    static func bind(type: Int32, port: Int, reuseAddress: Bool = false) throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw error("socket") }
        if reuseAddress {
            var one: Int32 = 1
            _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7f00_0001).bigEndian)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let failure = error("bind 127.0.0.1:\(port)")
            close(descriptor)
            throw failure
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            let failure = error("getsockname")
            close(descriptor)
            throw failure
        }
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Sets SO_RCVTIMEO and SO_SNDTIMEO.
    static func setTimeouts(_ descriptor: Int32, seconds: Int) {
        var value = timeval(tv_sec: seconds, tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, size)
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, size)
    }

    /// Writes every byte (retrying partial writes and EINTR); false when the peer went away.
    static func sendAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// The dotted-quad form of an IPv4 socket address.
    static func addressString(_ address: sockaddr_in) -> String {
        let host = UInt32(bigEndian: address.sin_addr.s_addr)
        return "\(host >> 24).\(host >> 16 & 0xff).\(host >> 8 & 0xff).\(host & 0xff)"
    }

    static func error(_ call: String) -> RigError {
        let code = errno
        return RigError(code: code == EADDRINUSE ? .addressInUse : .socket,
                        reason: "\(call): \(String(cString: strerror(code))) (errno \(code))")
    }
}
