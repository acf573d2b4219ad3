import Glibc

/// Picks free ports on 127.0.0.1 for the child processes.
///
/// Every port stays bound until all are chosen, so the ports are distinct; they
/// are released just before the children bind them, which leaves a small window
/// in which another process could take one (the rig retries start-up then).
enum LoopbackPorts {
    enum Kind: Sendable {
        case tcp
        /// Free for both TCP and UDP (a DNS server binds both).
        case tcpAndUDP
    }

    static func reserve(_ kinds: [Kind]) throws -> [Int] {
        var held: [Int32] = []
        defer { for descriptor in held { close(descriptor) } }
        var ports: [Int] = []
        for kind in kinds {
            var attempts = 0
            while true {
                attempts += 1
                let tcp = try LoopbackSocket.bind(type: LoopbackSocket.streamType, port: 0)
                held.append(tcp.descriptor)
                if kind == .tcpAndUDP {
                    guard let udp = try? LoopbackSocket.bind(type: LoopbackSocket.datagramType, port: tcp.port) else {
                        if attempts > 50 {
                            throw RigError(code: .socket, reason: "found no port free for both TCP and UDP on 127.0.0.1")
                        }
                        continue
                    }
                    held.append(udp.descriptor)
                }
                ports.append(tcp.port)
                break
            }
        }
        return ports
    }
}
