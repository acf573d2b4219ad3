import Foundation
import GatewayCore
import GatewayCrypto
import GatewayHTTP
import Synchronization

/// An RFC 8555 client over libcurl. Blocking calls; safe to use from several threads
/// (the nonce pool and the directory sit behind locks; HTTP handles are pooled).
public final class ACMEClient: Sendable {
    public let directoryURL: String
    private let http: HTTPClient
    private let cachedDirectory = Mutex<ACMEDirectory?>(nil)
    /// Replay-Nonce values collected from every response, used before asking newNonce.
    private let nonces = Mutex<[String]>([])
    private let requests = Atomic<Int>(0)
    public let pollInterval: Duration
    public let pollTimeout: Duration
    /// How long validation and signing usually take: waited before the first look.
    public let validationGrace: Duration
    public let issuanceGrace: Duration
    /// The longest Retry-After (seconds) waited out inside one run; longer ones fail the
    /// host and the ledger's backoff takes over.
    public let maximumRetryWait: Int

    let log: Logger

    public init(directoryURL: String, http: HTTPClient, pollInterval: Duration = .milliseconds(100),
                pollTimeout: Duration = .seconds(90), maximumRetryWait: Int = 30,
                validationGrace: Duration = .milliseconds(250), issuanceGrace: Duration = .milliseconds(150), log: Logger = .silent) {
        self.log = log
        self.validationGrace = validationGrace
        self.issuanceGrace = issuanceGrace
        self.directoryURL = directoryURL
        self.http = http
        self.pollInterval = pollInterval
        self.pollTimeout = pollTimeout
        self.maximumRetryWait = maximumRetryWait
    }

    /// Requests sent to the CA by this client.
    public var requestCount: Int { requests.load(ordering: .relaxed) }

    public func directory() throws -> ACMEDirectory {
        if let directory = cachedDirectory.withLock({ $0 }) { return directory }
        let response = try send(HTTPRequest(url: directoryURL))
        guard response.status == 200, let json = try? JSONParser.parse(response.body) else {
            throw ACMEError(.invalidResponse, "directory answered HTTP \(response.status)", url: directoryURL, status: response.status)
        }
        let directory = try ACMEDirectory(json: json, url: directoryURL)
        cachedDirectory.withLock { $0 = directory }
        return directory
    }

    // MARK: Accounts

    /// Creates (or finds, for a known key) the account for `key`; returns its URL.
    public func registerAccount(key: PrivateKey, contact: [String], eab: (keyID: String, macKey: Data)?) throws -> ACMEAccount {
        let directory = try directory()
        var payload: [(key: String, value: JSONValue)] = [("termsOfServiceAgreed", .bool(true))]
        if !contact.isEmpty { payload.append(("contact", .array(contact.map(JSONValue.string)))) }
        if let eab {
            payload.append(("externalAccountBinding",
                            try JSONWebSignature.externalAccountBinding(accountKey: key, keyID: eab.keyID, macKey: eab.macKey,
                                                                        url: directory.newAccount)))
        } else if directory.externalAccountRequired {
            throw ACMEError(.externalAccountRequired, "the CA requires external account binding: set acme.eab or GATEWAY_ACME_EAB_KID/GATEWAY_ACME_EAB_HMAC_KEY",
                            url: directory.newAccount)
        }
        let response = try post(directory.newAccount, payload: .object(payload), key: key, identification: .jwk)
        guard let location = response.header("location") else {
            throw ACMEError(.invalidResponse, "newAccount answered without a Location", url: directory.newAccount)
        }
        return ACMEAccount(key: key, url: location)
    }

    /// Looks up the account of `key` without creating one (`onlyReturnExisting`).
    public func findAccount(key: PrivateKey) throws -> ACMEAccount? {
        let directory = try directory()
        do {
            let response = try post(directory.newAccount, payload: .object([("onlyReturnExisting", .bool(true))]),
                                    key: key, identification: .jwk)
            return response.header("location").map { ACMEAccount(key: key, url: $0) }
        } catch let error as ACMEError where error.code == .accountDoesNotExist {
            return nil
        }
    }

    // MARK: Orders

    public func newOrder(account: ACMEAccount, dnsNames: [String], replaces: String? = nil) throws -> ACMEOrder {
        let directory = try directory()
        var payload: [(key: String, value: JSONValue)] = [
            ("identifiers", .array(dnsNames.map { .object([("type", .string("dns")), ("value", .string($0))]) })),
        ]
        if let replaces { payload.append(("replaces", .string(replaces))) }
        let response = try post(directory.newOrder, payload: .object(payload), account: account)
        guard let location = response.header("location") else {
            throw ACMEError(.invalidResponse, "newOrder answered without a Location", url: directory.newOrder)
        }
        return try ACMEOrder(json: try response.json(), url: location)
    }

    public func order(_ url: String, account: ACMEAccount) throws -> ACMEOrder {
        try ACMEOrder(json: try post(url, payload: nil, account: account).json(), url: url)
    }

    public func authorization(_ url: String, account: ACMEAccount) throws -> ACMEAuthorization {
        try ACMEAuthorization(json: try post(url, payload: nil, account: account).json(), url: url)
    }

    /// Tells the CA the challenge is ready to be validated; returns the challenge's status
    /// in the answer ("valid" saves polling the authorization).
    @discardableResult
    public func respond(to challenge: ACMEChallenge, account: ACMEAccount) throws -> String {
        let response = try post(challenge.url, payload: .object([]), account: account)
        return (try? response.json())?["status"]?.stringValue ?? "pending"
    }

    /// Polls an authorization until it is valid; an invalid one throws `.challengeFailed`.
    public func waitForAuthorization(_ url: String, account: ACMEAccount) throws -> ACMEAuthorization {
        try poll(url, firstAfter: validationGrace) {
            let response = try post(url, payload: nil, account: account)
            let authz = try ACMEAuthorization(json: try response.json(), url: url)
            switch authz.status {
            case "valid": return (authz, nil)
            case "pending", "processing": return (nil, Self.retryAfter(response))
            default:
                throw ACMEError(.challengeFailed, "\(authz.identifier): authorization \(authz.status): \(authz.failureDetail ?? "no detail")", url: url)
            }
        }
    }

    public func finalize(_ order: ACMEOrder, csrDER: Data, account: ACMEAccount) throws -> ACMEOrder {
        let response = try post(order.finalize, payload: .object([("csr", .string(Base64.urlEncode(csrDER)))]), account: account)
        return try ACMEOrder(json: try response.json(), url: order.url)
    }

    /// Polls an order until it is valid (certificate ready); invalid throws `.orderFailed`.
    /// The first look comes after `issuanceGrace`: a CA signs within a moment of finalize,
    /// so one well-timed request usually finds the certificate.
    public func waitForOrder(_ url: String, account: ACMEAccount) throws -> ACMEOrder {
        try poll(url, firstAfter: issuanceGrace) {
            let response = try post(url, payload: nil, account: account)
            let order = try ACMEOrder(json: try response.json(), url: url)
            switch order.status {
            case "valid": return (order, nil)
            case "pending", "processing", "ready": return (nil, Self.retryAfter(response))
            default: throw ACMEError(.orderFailed, "order \(order.status): \(order.error ?? "no detail")", url: url)
            }
        }
    }

    /// Polls an order until it is ready to finalize (or already past that). An invalid
    /// order throws `.challengeFailed` with the failed authorization's detail.
    public func waitForOrderReady(_ url: String, account: ACMEAccount) throws -> ACMEOrder {
        try poll(url) {
            let response = try post(url, payload: nil, account: account)
            let order = try ACMEOrder(json: try response.json(), url: url)
            switch order.status {
            case "ready", "processing", "valid": return (order, nil)
            case "pending": return (nil, Self.retryAfter(response))
            default:
                for authzURL in order.authorizations {
                    if let authz = try? authorization(authzURL, account: account), authz.status == "invalid" {
                        throw ACMEError(.challengeFailed, "\(authz.identifier): authorization invalid: \(authz.failureDetail ?? "no detail")", url: authzURL)
                    }
                }
                throw ACMEError(.orderFailed, "order \(order.status): \(order.error ?? "no detail")", url: url)
            }
        }
    }

    /// Downloads the PEM chain (leaf first).
    public func downloadCertificate(_ url: String, account: ACMEAccount) throws -> String {
        let response = try post(url, payload: nil, account: account, accept: "application/pem-certificate-chain")
        return response.bodyText
    }

    /// Revokes a certificate with the account key (RFC 8555 §7.6). reason 5 = cessationOfOperation.
    public func revoke(certificateDER: Data, reason: Int, account: ACMEAccount) throws {
        guard let url = try directory().revokeCert else {
            throw ACMEError(.invalidResponse, "the CA does not offer revokeCert", url: directoryURL)
        }
        _ = try post(url, payload: .object([("certificate", .string(Base64.urlEncode(certificateDER))), ("reason", .integer(reason))]),
                     account: account)
    }

    // MARK: Renewal information (RFC 9773)

    /// The CA's suggested renewal window for `certID`; nil when the directory offers no ARI.
    public func renewalInfo(certID: String) throws -> RenewalInfo? {
        guard let base = try directory().renewalInfo else { return nil }
        let url = (base.hasSuffix("/") ? base : base + "/") + certID
        let response = try send(HTTPRequest(url: url))
        guard response.status == 200 else {
            throw ACMEError.fromProblem(Array(response.body), status: response.status, url: url,
                                        retryAfter: Self.retryAfter(response))
        }
        let json = try response.json()
        guard let start = json["suggestedWindow"]?["start"]?.stringValue.flatMap(Timestamp.init(rfc3339:)),
              let end = json["suggestedWindow"]?["end"]?.stringValue.flatMap(Timestamp.init(rfc3339:)), start <= end else {
            throw ACMEError(.invalidResponse, "renewalInfo without a valid suggestedWindow", url: url)
        }
        return RenewalInfo(start: start, end: end, retryAfter: Self.retryAfter(response),
                           explanationURL: json["explanationURL"]?.stringValue)
    }

    // MARK: Transport

    /// Polls `url` with `check` until it returns a value: first after `pollInterval`, then
    /// doubling up to 2 s, or after the server's Retry-After when it sends one.
    private func poll<T>(_ url: String, firstAfter: Duration? = nil, _ check: () throws -> (T?, retryAfter: Int?)) throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + pollTimeout
        var interval = pollInterval
        if let firstAfter { Thread.sleep(forTimeInterval: firstAfter.seconds) }
        while true {
            let (result, retryAfter) = try check()
            if let result { return result }
            guard clock.now < deadline else { throw ACMEError(.timedOut, "still not done after \(pollTimeout)", url: url) }
            let wait = retryAfter.map { Duration.seconds(min($0, 60)) } ?? interval
            Thread.sleep(forTimeInterval: wait.seconds)
            interval = min(interval * 2, .seconds(2))
        }
    }

    private func post(_ url: String, payload: JSONValue?, account: ACMEAccount, accept: String? = nil) throws -> HTTPResponse {
        try post(url, payload: payload, key: account.key, identification: .kid(account.url), accept: accept)
    }

    /// Signs and sends. A `badNonce` is retried at once (up to 32 times: a CA rejecting half
    /// of all nonces still gets through) with the nonce that came with the
    /// error; a 429 or 503 with a short Retry-After is retried after waiting it out. Other
    /// problems become typed `ACMEError`s carrying Retry-After for the ledger's backoff.
    private func post(_ url: String, payload: JSONValue?, key: PrivateKey,
                      identification: JSONWebSignature.KeyIdentification, accept: String? = nil) throws -> HTTPResponse {
        var badNonces = 0
        var waits = 0
        while true {
            let body = try JSONWebSignature.sign(payload: payload, url: url, nonce: try takeNonce(), key: key,
                                                 identification: identification)
            var headers: [(name: String, value: String)] = [("Content-Type", "application/jose+json")]
            if let accept { headers.append(("Accept", accept)) }
            let response = try send(HTTPRequest(method: "POST", url: url, headers: headers, body: body))
            if (200..<300).contains(response.status) { return response }
            let retryAfter = Self.retryAfter(response)
            let error = ACMEError.fromProblem(Array(response.body), status: response.status, url: url, retryAfter: retryAfter)
            if error.code == .badNonce && badNonces < 32 {
                badNonces += 1
                log.debug("ACME \(url): badNonce (\(error.reason)), retrying with a fresh nonce")
                continue
            }
            log.debug("ACME \(url): HTTP \(response.status) \(error.code): \(error.reason)")
            if (response.status == 429 || response.status == 503), let retryAfter, retryAfter <= maximumRetryWait, waits < 3 {
                waits += 1
                Thread.sleep(forTimeInterval: Double(max(retryAfter, 1)))
                continue
            }
            throw error
        }
    }

    /// Retry-After as seconds from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3).
    static func retryAfter(_ response: HTTPResponse) -> Int? {
        guard let value = response.header("retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(value) { return max(seconds, 0) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(Int(date.timeIntervalSinceNow.rounded(.up)), 0)
    }

    private func takeNonce() throws -> String {
        if let nonce = nonces.withLock({ $0.popLast() }) { return nonce }
        let url = try directory().newNonce
        // This nonce is used right away, so it must not also go into the pool.
        let response = try send(HTTPRequest(method: "HEAD", url: url), poolingNonce: false)
        guard let nonce = response.header("replay-nonce") else {
            throw ACMEError(.invalidResponse, "newNonce answered without Replay-Nonce", url: url, status: response.status)
        }
        return nonce
    }

    /// Sends a request; the Replay-Nonce of every answer goes into the pool for the next POST.
    private func send(_ request: HTTPRequest, poolingNonce: Bool = true) throws -> HTTPResponse {
        requests.add(1, ordering: .relaxed)
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch let error as HTTPError {
            throw ACMEError(.unreachable, "the CA cannot be reached: \(error.reason)", url: request.url)
        }
        if poolingNonce, let nonce = response.header("replay-nonce") { nonces.withLock { $0.append(nonce) } }
        return response
    }
}

/// RFC 9773 renewalInfo: when the CA would like this certificate renewed.
public struct RenewalInfo: Sendable, Equatable {
    public var start: Timestamp
    public var end: Timestamp
    public var retryAfter: Int?
    public var explanationURL: String?

    /// A uniformly random instant inside the window (RFC 9773 §4.2), as the RFC asks so
    /// that renewals of many certificates spread out.
    public func randomInstant<G: RandomNumberGenerator>(using generator: inout G) -> Timestamp {
        let span = start.seconds(until: end)
        return span <= 0 ? start : start.adding(seconds: Int64.random(in: 0...span, using: &generator))
    }
}

extension HTTPResponse {
    func json() throws -> JSONValue {
        do { return try JSONParser.parse(body) } catch {
            throw ACMEError(.invalidResponse, "response is not JSON: \(error)", status: status)
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
