import Foundation
import GatewayHTTP
@testable import GatewayTestRig
import Glibc
import Testing

/// The local ACME rig itself: Pebble, pebble-challtestsrv, the DuckDNS stand-in and
/// the loopback HTTP server. Each test starts its own rig and stops it in `defer`.
@Suite(.serialized)
struct RigTests {
    // MARK: Pebble

    @Test func directoryIsServedOverTheThrowawayCA() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }

        let client = HTTPClient(configuration: .init(caBundlePath: rig.caBundlePath, timeout: .seconds(10)))
        let response = try client.send(HTTPRequest(url: rig.directoryURL))
        #expect(response.status == 200)
        let directory = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        for resource in ["newNonce", "newAccount", "newOrder"] {
            let url = try #require(directory[resource] as? String, "directory lacks \(resource): \(response.bodyText)")
            #expect(url.hasPrefix("https://127.0.0.1:"))
        }

        // Pebble's certificate chains to the throwaway CA, not to a system root.
        let untrusting = HTTPClient(configuration: .init(caBundlePath: "/dev/null", timeout: .seconds(10)))
        let error = try #require(throws: HTTPError.self) { try untrusting.send(HTTPRequest(url: rig.directoryURL)) }
        #expect(error.code == .tls)

        #expect(rig.environment == [
            "GATEWAY_ACME_DIRECTORY": rig.directoryURL,
            "GATEWAY_ACME_CA_BUNDLE": rig.caBundlePath,
            "GATEWAY_DUCKDNS_API": rig.duckDNS.baseURL,
            "GATEWAY_DNS_RESOLVERS": rig.dnsResolver,
        ])
        #expect(rig.directoryURL.hasSuffix("/dir"))
    }

    @Test func managementAPIGivesIssuingCertificatesAndStatus() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }

        let roots = try rig.issuingRoots()
        let intermediates = try rig.issuingIntermediates()
        #expect(roots.count == 1)
        #expect(intermediates.count == 1)
        for pem in roots + intermediates {
            #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        }
        #expect(roots.first != intermediates.first)
        // The issuing root is Pebble's own, not the CA that signed its TLS certificate.
        let tlsCA = try String(contentsOfFile: rig.caBundlePath, encoding: .utf8)
        #expect(roots.first != tlsCA)
        #expect(try rig.certificateStatus(serialHex: "00:0A:BC:DE:F1:23") == nil)
    }

    @Test(arguments: [("0x00ABcd", "abcd"), ("00:01:ff", "1ff"), ("0", "0"), ("66317d2e02f5d3d6", "66317d2e02f5d3d6")])
    func serialsAreNamedAsPebbleNamesThem(given: String, expected: String) {
        #expect(ACMERig.pebbleSerial(given) == expected)
    }

    @Test func optionsReachPebble() throws {
        let rig = try ACMERig.start(.init(pebbleEnvironment: ["PEBBLE_WFE_NONCEREJECT": "50"],
                                          certificateValidityPeriod: 3600,
                                          externalAccountMACKeys: ["kid-1": "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W"]))
        defer { rig.stop() }

        let client = HTTPClient(configuration: .init(caBundlePath: rig.caBundlePath, timeout: .seconds(10)))
        let response = try client.send(HTTPRequest(url: rig.directoryURL))
        let directory = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
        let meta = try #require(directory["meta"] as? [String: Any])
        #expect(meta["externalAccountRequired"] as? Bool == true)

        let log = try String(contentsOfFile: rig.pebbleLogPath, encoding: .utf8)
        #expect(log.contains("certificate validity period of 3600 seconds"))
        #expect(log.contains("reject 50% of good nonces"))
        #expect(log.contains("Disabling random VA sleeps"))
    }

    @Test func stopLeavesNoChildProcess() throws {
        let rig = try ACMERig.start()
        let identifiers = rig.processIdentifiers
        #expect(identifiers.count == 2)
        for pid in identifiers { #expect(kill(pid, 0) == 0, "child \(pid) should run before stop()") }
        #expect(!ProcessTable.commandLines(containing: rig.pebbleConfigPath).isEmpty)
        #expect(!ProcessTable.commandLines(containing: "-dns01 \(rig.dnsResolver)").isEmpty)
        #expect(rig.isRunning)

        rig.stop()

        for pid in identifiers {
            let result = kill(pid, 0)
            #expect(result == -1 && errno == ESRCH, "child \(pid) still exists after stop()")
        }
        #expect(ProcessTable.commandLines(containing: rig.pebbleConfigPath).isEmpty)
        #expect(ProcessTable.commandLines(containing: "-dns01 \(rig.dnsResolver)").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: rig.workDirectory.path))
        #expect(!rig.isRunning)
        let client = HTTPClient(configuration: .init(timeout: .seconds(2)))
        #expect(throws: HTTPError.self) { try client.send(HTTPRequest(url: rig.duckDNS.baseURL + "/update")) }
        rig.stop()  // idempotent
    }

    @Test func givenWorkDirectoryIsKept() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rig-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rig = try ACMERig.start(.init(workDirectory: directory))
        #expect(rig.pebbleLogPath.hasPrefix(directory.path))
        rig.stop()
        #expect(FileManager.default.fileExists(atPath: rig.pebbleLogPath))
        #expect(FileManager.default.fileExists(atPath: rig.pebbleConfigPath))
    }

    // MARK: challtestsrv helpers

    @Test func challengeDNSHelpersPublishRecords() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }

        try rig.setTXT("_acme-challenge.example.test", "first")
        try rig.setTXT("_acme-challenge.example.test.", "second")
        #expect(try DNSProbe.query("_acme-challenge.example.test", .txt, server: rig.dnsResolver).sorted()
                == ["first", "second"])
        try rig.clearTXT("_acme-challenge.example.test")
        #expect(try DNSProbe.query("_acme-challenge.example.test", .txt, server: rig.dnsResolver) == [])

        try rig.addA("www.example.test", "192.0.2.7")
        #expect(try DNSProbe.query("www.example.test", .a, server: rig.dnsResolver) == ["192.0.2.7"])
        try rig.clearA("www.example.test")
        // challtestsrv runs without default addresses: an unknown name has none.
        #expect(try DNSProbe.query("www.example.test", .a, server: rig.dnsResolver) == [])
    }

    // MARK: DuckDNS stand-in

    @Test func duckDNSTXTUpdateIsVisibleInDNS() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        let challenge = "_acme-challenge.alice.duckdns.org"

        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=first-value&verbose=true") == "OK\nfirst-value\nUPDATED")
        #expect(try DNSProbe.query(challenge, .txt, server: rig.dnsResolver) == ["first-value"])

        // One value per domain: a new value replaces the old one; the full name is accepted too.
        #expect(try duckDNS(rig, "domains=alice.duckdns.org&token=t-alice&txt=second-value") == "OK")
        #expect(try DNSProbe.query(challenge, .txt, server: rig.dnsResolver) == ["second-value"])
        #expect(try DNSProbe.query("alice.duckdns.org", .txt, server: rig.dnsResolver) == ["second-value"])
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=second-value&verbose=true")
                == "OK\nsecond-value\nNOCHANGE")

        #expect(rig.duckDNS.txt(of: "alice") == "second-value")
        #expect(rig.duckDNS.requestCount == 3)
        #expect(rig.duckDNS.acceptedCount == 3)
        #expect(rig.duckDNS.requests.map(\.txt) == ["first-value", "second-value", "second-value"])
    }

    @Test func duckDNSRefusesTokensThatDoNotOwnEveryDomain() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        rig.duckDNS.register(token: "t-bob", domains: ["bob"])
        let challenge = "_acme-challenge.alice.duckdns.org"
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=kept") == "OK")

        #expect(try duckDNS(rig, "domains=alice&token=wrong&txt=evil&verbose=true") == "KO")
        #expect(try duckDNS(rig, "domains=alice&token=t-bob&txt=evil") == "KO")
        #expect(try duckDNS(rig, "domains=alice,bob&token=t-alice&txt=evil") == "KO")
        #expect(try duckDNS(rig, "domains=_acme-challenge.alice.duckdns.org&token=t-alice&txt=evil") == "KO")
        #expect(try duckDNS(rig, "domains=alice&txt=evil") == "KO")

        #expect(try DNSProbe.query(challenge, .txt, server: rig.dnsResolver) == ["kept"])
        #expect(try DNSProbe.query("_acme-challenge.bob.duckdns.org", .txt, server: rig.dnsResolver) == [])
        #expect(rig.duckDNS.txt(of: "alice") == "kept")
        #expect(rig.duckDNS.rejectedCount == 5)
        #expect(rig.duckDNS.requests.map(\.tokenWasValid) == [true, false, true, true, true, false])
    }

    @Test func duckDNSClearRemovesTheTXT() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        let challenge = "_acme-challenge.alice.duckdns.org"
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=to-clear") == "OK")
        #expect(try DNSProbe.query(challenge, .txt, server: rig.dnsResolver) == ["to-clear"])

        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=&clear=true&verbose=true") == "OK\n\nUPDATED")
        #expect(try DNSProbe.query(challenge, .txt, server: rig.dnsResolver) == [])
        #expect(rig.duckDNS.txt(of: "alice") == nil)
        #expect(rig.duckDNS.requests.last?.clear == true)
    }

    @Test func duckDNSAddressUpdatesPublishRecords() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        try rig.duckDNS.addSubname("api", of: "alice")

        #expect(try duckDNS(rig, "domains=alice&token=t-alice&ip=203.0.113.10&ipv6=2001:db8::10&verbose=true")
                == "OK\n203.0.113.10\n2001:db8::10\nUPDATED")
        #expect(try DNSProbe.query("alice.duckdns.org", .a, server: rig.dnsResolver) == ["203.0.113.10"])
        #expect(try DNSProbe.query("alice.duckdns.org", .aaaa, server: rig.dnsResolver) == ["2001:db8::10"])
        #expect(try DNSProbe.query("api.alice.duckdns.org", .a, server: rig.dnsResolver) == ["203.0.113.10"])
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&ip=203.0.113.10&verbose=true")
                == "OK\n203.0.113.10\n2001:db8::10\nNOCHANGE")

        // Without ip or ipv6 the caller's address is taken, as DuckDNS does.
        #expect(try duckDNS(rig, "domains=alice&token=t-alice") == "OK")
        #expect(try DNSProbe.query("alice.duckdns.org", .a, server: rig.dnsResolver) == ["127.0.0.1"])

        #expect(try duckDNS(rig, "domains=alice&token=t-alice&ip=not-an-ip") == "KO")
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&clear=true") == "OK")
        #expect(try DNSProbe.query("alice.duckdns.org", .a, server: rig.dnsResolver) == [])
        #expect(try DNSProbe.query("alice.duckdns.org", .aaaa, server: rig.dnsResolver) == [])
    }

    @Test func duckDNSSubnameSharesTheDomainTXT() throws {
        let rig = try ACMERig.start()
        defer { rig.stop() }
        rig.duckDNS.register(token: "t-alice", domains: ["alice"])
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=shared") == "OK")
        try rig.duckDNS.addSubname("api", of: "alice.duckdns.org")
        #expect(try DNSProbe.query("_acme-challenge.api.alice.duckdns.org", .txt, server: rig.dnsResolver) == ["shared"])
        #expect(try duckDNS(rig, "domains=alice&token=t-alice&txt=next") == "OK")
        #expect(try DNSProbe.query("_acme-challenge.api.alice.duckdns.org", .txt, server: rig.dnsResolver) == ["next"])
    }

    // MARK: Loopback HTTP server

    @Test func loopbackServerPassesRequestsThrough() throws {
        let server = try LoopbackHTTPServer { request in
            guard request.path == "/echo/a b" else { return .notFound }
            let echo: [String: String] = [
                "method": request.method,
                "query": request.query("q") ?? "<none>",
                "flag": request.query("flag") ?? "<none>",
                "header": request.header("X-Test") ?? "<none>",
                "body": request.bodyText,
            ]
            let body = try! JSONSerialization.data(withJSONObject: echo, options: [.sortedKeys])
            return .json(body, status: 201, headers: [("X-Echo", "yes")])
        }
        defer { server.stop() }
        let client = HTTPClient(configuration: .init(timeout: .seconds(5)))

        let response = try client.send(HTTPRequest(
            method: "POST", url: server.baseURL + "/echo/a%20b?q=x%2By%26z&flag",
            headers: [("X-Test", "42"), ("Content-Type", "application/json")], body: Data(#"{"k":1}"#.utf8)))
        #expect(response.status == 201)
        #expect(response.header("x-echo") == "yes")
        #expect(response.header("connection") == "close")
        let echo = try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: String])
        #expect(echo == ["method": "POST", "query": "x+y&z", "flag": "", "header": "42", "body": #"{"k":1}"#])

        #expect(try client.send(HTTPRequest(url: server.baseURL + "/elsewhere")).status == 404)
        #expect(server.requestCount == 2)

        server.stop()
        #expect(throws: HTTPError.self) { try client.send(HTTPRequest(url: server.baseURL + "/echo/a%20b")) }
    }

    @Test func chunkedBodiesAreDecoded() throws {
        let chunked = Array("4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\nTrailer: x\r\n\r\n".utf8)
        #expect(try HTTPWire.decodeChunked(chunked[...]) == Data("Wikipedia ".utf8))
        #expect(try HTTPWire.decodeChunked(chunked.dropLast(2)) == nil)
        #expect(throws: HTTPWire.Failure.self) { try HTTPWire.decodeChunked(Array("zz\r\n".utf8)[...]) }
    }

    // MARK: gateway-devrig command line

    @Test func devRigParsesUp() throws {
        let action = try DevRigCommand.parse(["up", "--env-file", "/tmp/rig.env",
                                              "--duckdns-account", "t1=alice,Bob.duckdns.org",
                                              "--duckdns-account=t2=carol", "--work-dir=/tmp/w"])
        #expect(action == .up(.init(environmentFile: "/tmp/rig.env",
                                    accounts: [.init(token: "t1", domains: ["alice", "bob"]),
                                               .init(token: "t2", domains: ["carol"])],
                                    workDirectory: "/tmp/w")))
        #expect(try DevRigCommand.parse(["--help"]) == .help)
        #expect(try DevRigCommand.parse(["up", "--help"]) == .help)
        #expect(DevRigCommand.help.contains("--duckdns-account TOKEN=DOMAIN[,DOMAIN...]"))
    }

    @Test(arguments: [
        (["up"], "--env-file PATH is required"),
        ([], "missing command `up`"),
        (["down"], "unknown command 'down'; expected `up`"),
        (["up", "--env-file"], "--env-file needs a value (PATH)"),
        (["up", "--env-file", "x", "--port", "1"], "unknown option '--port'"),
        (["up", "--env-file", "x", "--duckdns-account", "alice"], "--duckdns-account expects TOKEN=DOMAIN[,DOMAIN...], got 'alice'"),
        (["up", "--env-file", "x", "--duckdns-account", "t=_acme-challenge.alice"],
         "--duckdns-account: '_acme-challenge.alice' is not a DuckDNS domain (a subname like 'alice' or 'alice.duckdns.org')"),
    ])
    func devRigRejectsBadCommandLines(arguments: [String], message: String) {
        #expect(throws: DevRigUsageError(message)) { try DevRigCommand.parse(arguments) }
    }

    @Test func environmentFileQuotesForTheShell() {
        #expect(ACMERig.shellExports(["B": "it's", "A": "/x y"]) == "export A='/x y'\nexport B='it'\\''s'\n")
    }

    // MARK: Helpers

    private func duckDNS(_ rig: ACMERig, _ query: String) throws -> String {
        let client = HTTPClient(configuration: .init(timeout: .seconds(10)))
        let response = try client.send(HTTPRequest(url: "\(rig.duckDNS.baseURL)/update?\(query)"))
        #expect(response.status == 200)
        #expect(response.header("content-type")?.hasPrefix("text/plain") == true)
        return response.bodyText
    }
}

/// Command lines of running processes (what `pgrep -f` matches), read from /proc.
enum ProcessTable {
    static func commandLines(containing needle: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> String? in
            guard Int32(entry) != nil,
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"), !data.isEmpty else {
                return nil
            }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return line.contains(needle) && !line.contains("swiftpm-testing-helper") ? line : nil
        }
    }
}

/// A minimal DNS client: one question over UDP, the answers of the asked type as text.
enum DNSProbe {
    enum RecordType: UInt16 {
        case a = 1
        case txt = 16
        case aaaa = 28
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func query(_ name: String, _ type: RecordType, server: String) throws -> [String] {
        let parts = server.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw Failure(description: "bad server \(server)") }
        let id = UInt16.random(in: 0...UInt16.max)
        var packet: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.lowercased().split(separator: ".") {
            packet.append(UInt8(label.utf8.count))
            packet.append(contentsOf: label.utf8)
        }
        packet += [0, UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xff), 0, 1]

        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(String(parts[0]))
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(descriptor, packet, packet.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == packet.count else { throw Failure(description: "sendto: errno \(errno)") }
        var reply = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &reply, reply.count, 0)
        guard count >= 12 else { throw Failure(description: "no DNS answer from \(server) for \(name)") }
        return try parseAnswers(Array(reply[0..<count]), id: id, type: type)
    }

    static func parseAnswers(_ message: [UInt8], id: UInt16, type: RecordType) throws -> [String] {
        func u16(_ offset: Int) throws -> Int {
            guard offset + 2 <= message.count else { throw Failure(description: "truncated DNS message") }
            return Int(message[offset]) << 8 | Int(message[offset + 1])
        }
        func skipName(_ start: Int) throws -> Int {
            var offset = start
            while true {
                guard offset < message.count else { throw Failure(description: "truncated name") }
                let length = Int(message[offset])
                if length == 0 { return offset + 1 }
                if length & 0xc0 == 0xc0 { return offset + 2 }
                offset += 1 + length
            }
        }
        guard try u16(0) == Int(id) else { throw Failure(description: "answer to another query") }
        let flags = try u16(2)
        guard flags & 0x8000 != 0 else { throw Failure(description: "not a response") }
        let rcode = flags & 0x000f
        guard rcode == 0 || rcode == 3 else { throw Failure(description: "DNS rcode \(rcode)") }
        var offset = 12
        for _ in 0..<(try u16(4)) { offset = try skipName(offset) + 4 }
        var answers: [String] = []
        for _ in 0..<(try u16(6)) {
            offset = try skipName(offset)
            let recordType = try u16(offset)
            let length = try u16(offset + 8)
            let data = offset + 10
            guard data + length <= message.count else { throw Failure(description: "truncated record") }
            let rdata = Array(message[data..<data + length])
            offset = data + length
            guard recordType == Int(type.rawValue) else { continue }
            switch type {
            case .txt:
                var text = "", index = 0
                while index < rdata.count {
                    let size = Int(rdata[index])
                    text += String(decoding: rdata[(index + 1)..<min(rdata.count, index + 1 + size)], as: UTF8.self)
                    index += 1 + size
                }
                answers.append(text)
            case .a:
                answers.append(rdata.map(String.init).joined(separator: "."))
            case .aaaa:
                var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
                _ = inet_ntop(AF_INET6, rdata, &buffer, socklen_t(buffer.count))
                answers.append(String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
                                      as: UTF8.self))
            }
        }
        return answers
    }
}
