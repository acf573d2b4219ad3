import Foundation
import Glibc
import Synchronization

/// The stand-in's accounts, records and request log, and its answer to one request.
///
/// DNS writes happen under the lock, so an update and the records it leaves in
/// challtestsrv are never interleaved with another update or a registration. The
/// request hook runs after the lock is released, so it may call back into the stand-in.
final class DuckDNSService: Sendable {
    typealias RequestHook = @Sendable (DuckDNSStandIn.Request, Int) -> Void

    struct State {
        var owners: [String: String] = [:]
        var tokens: Set<String> = []
        var txt: [String: String] = [:]
        var ipv4: [String: String] = [:]
        var ipv6: [String: String] = [:]
        var subnames: [String: [String]] = [:]
        var log: [DuckDNSStandIn.Request] = []
        /// Accepted TXT updates (sets and clears) in `log`.
        var acceptedTXTUpdates = 0
        var publishesTXT = true
    }

    private let dns: ChallengeTestServer
    private let state = Mutex(State())
    private let hook = Mutex<RequestHook?>(nil)

    init(dns: ChallengeTestServer) {
        self.dns = dns
    }

    func register(token: String, labels: [String]) {
        state.withLock { state in
            state.tokens.insert(token)
            for label in labels { state.owners[label] = token }
        }
    }

    func addSubname(_ subname: String, of label: String) throws {
        try state.withLock { state in
            guard !(state.subnames[label] ?? []).contains(subname) else { return }
            state.subnames[label, default: []].append(subname)
            let host = "\(subname).\(label).duckdns.org."
            if let value = state.txt[label] {
                for name in [host, "_acme-challenge." + host] { try dns.setTXT(name, value) }
            }
            if let address = state.ipv4[label] { try dns.addA(host, [address]) }
            if let address = state.ipv6[label] { try dns.addAAAA(host, [address]) }
        }
    }

    var requests: [DuckDNSStandIn.Request] { state.withLock { $0.log } }

    func clearRequestLog() {
        state.withLock { state in
            state.log.removeAll()
            state.acceptedTXTUpdates = 0
        }
    }

    var publishesTXT: Bool {
        get { state.withLock { $0.publishesTXT } }
        set { state.withLock { $0.publishesTXT = newValue } }
    }

    func setRequestHook(_ hook: RequestHook?) { self.hook.withLock { $0 = hook } }

    func txt(of label: String) -> String? { state.withLock { $0.txt[label] } }

    func addresses(of label: String) -> (ipv4: String?, ipv6: String?) {
        state.withLock { ($0.ipv4[label], $0.ipv6[label]) }
    }

    /// Answers one request and then, for an `/update` request, calls the request hook
    /// (before the answer is sent, so the client sees whatever the hook did).
    func respond(to request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        guard request.path == "/update" else { return .notFound }
        guard request.method == "GET" || request.method == "HEAD" else { return .methodNotAllowed(allow: "GET") }
        let (response, logged, acceptedTXTUpdates) = update(request)
        if let hook = hook.withLock({ $0 }) { hook(logged, acceptedTXTUpdates) }
        return response
    }

    private func update(_ request: LoopbackHTTPServer.Request)
        -> (LoopbackHTTPServer.Response, DuckDNSStandIn.Request, acceptedTXTUpdates: Int) {
        let token = request.query("token") ?? ""
        let requested = (request.query("domains") ?? "").split(separator: ",", omittingEmptySubsequences: false)
            .map(String.init)
        let txt = request.query("txt")
        let clear = request.query("clear")?.lowercased() == "true"
        let verbose = request.query("verbose")?.lowercased() == "true"
        let ip = request.query("ip").flatMap { $0.isEmpty ? nil : $0 }
        let ipv6 = request.query("ipv6").flatMap { $0.isEmpty ? nil : $0 }

        return state.withLock { state in
            func finish(_ answer: String, accepted: Bool, published: Bool = false, status: Int = 200)
                -> (LoopbackHTTPServer.Response, DuckDNSStandIn.Request, acceptedTXTUpdates: Int) {
                let logged = DuckDNSStandIn.Request(
                    receivedAt: Date(), domains: requested, token: token, tokenWasValid: state.tokens.contains(token),
                    accepted: accepted, published: published, txt: txt, clear: clear, ip: ip, ipv6: ipv6,
                    verbose: verbose, answer: answer)
                state.log.append(logged)
                if accepted && logged.isTXTUpdate { state.acceptedTXTUpdates += 1 }
                return (.text(answer, status: status), logged, state.acceptedTXTUpdates)
            }

            let labels = requested.map(DuckDNSStandIn.subname)
            guard !labels.isEmpty, !token.isEmpty,
                  labels.allSatisfy({ $0 != nil && state.owners[$0!] == token }) else {
                return finish("KO", accepted: false)
            }
            let domains = labels.compactMap { $0 }

            do {
                if let txt {
                    let value: String? = clear ? nil : txt
                    let changed = domains.contains { state.txt[$0] != value }
                    // With publishing off the update is answered as usual but reaches neither
                    // challtestsrv nor `state.txt`: DuckDNS accepting a value it never serves.
                    if state.publishesTXT {
                        for label in domains {
                            for name in txtNames(label, state) {
                                try dns.clearTXT(name)
                                if let value { try dns.setTXT(name, value) }
                            }
                            state.txt[label] = value
                        }
                    }
                    return finish(verbose ? "OK\n\(value ?? "")\n\(changed ? "UPDATED" : "NOCHANGE")" : "OK",
                                  accepted: true, published: state.publishesTXT)
                }

                var newIPv4: String??
                var newIPv6: String??
                if clear {
                    newIPv4 = .some(nil)
                    newIPv6 = .some(nil)
                } else {
                    if let ip {
                        if Self.isIPv4(ip) { newIPv4 = .some(ip) }
                        else if Self.isIPv6(ip) { newIPv6 = .some(ip) }
                        else { return finish("KO", accepted: false) }
                    }
                    if let ipv6 {
                        guard Self.isIPv6(ipv6) else { return finish("KO", accepted: false) }
                        newIPv6 = .some(ipv6)
                    }
                    if ip == nil && ipv6 == nil { newIPv4 = .some(request.remoteAddress) }
                }
                var changed = false
                for label in domains {
                    for name in hostNames(label, state) {
                        if let address = newIPv4 {
                            try dns.clearA(name)
                            if let address { try dns.addA(name, [address]) }
                        }
                        if let address = newIPv6 {
                            try dns.clearAAAA(name)
                            if let address { try dns.addAAAA(name, [address]) }
                        }
                    }
                    if let address = newIPv4, state.ipv4[label] != address {
                        changed = true
                        state.ipv4[label] = address
                    }
                    if let address = newIPv6, state.ipv6[label] != address {
                        changed = true
                        state.ipv6[label] = address
                    }
                }
                let first = domains[0]
                let lines = "OK\n\(state.ipv4[first] ?? "")\n\(state.ipv6[first] ?? "")\n\(changed ? "UPDATED" : "NOCHANGE")"
                return finish(verbose ? lines : "OK", accepted: true, published: true)
            } catch {
                return finish("stand-in could not publish the records: \(error)\n", accepted: false, status: 500)
            }
        }
    }

    private func hostNames(_ label: String, _ state: State) -> [String] {
        let base = "\(label).duckdns.org."
        return [base] + (state.subnames[label] ?? []).map { "\($0).\(base)" }
    }

    private func txtNames(_ label: String, _ state: State) -> [String] {
        hostNames(label, state).flatMap { [$0, "_acme-challenge." + $0] }
    }

    static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }
}
