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

    public init(directoryURL: String, http: HTTPClient, pollInterval: Duration = .milliseconds(100),
                pollTimeout: Duration = .seconds(90)) {
        self.directoryURL = directoryURL
        self.http = http
        self.pollInterval = pollInterval
        self.pollTimeout = pollTimeout
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

    /// Tells the CA the challenge is ready to be validated.
    public func respond(to challenge: ACMEChallenge, account: ACMEAccount) throws {
        _ = try post(challenge.url, payload: .object([]), account: account)
    }

    /// Polls an authorization until it is valid; an invalid one throws `.challengeFailed`.
    public func waitForAuthorization(_ url: String, account: ACMEAccount) throws -> ACMEAuthorization {
        try poll(url) {
            let authz = try authorization(url, account: account)
            switch authz.status {
            case "valid": return authz
            case "pending", "processing": return nil
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
    public func waitForOrder(_ url: String, account: ACMEAccount) throws -> ACMEOrder {
        try poll(url) {
            let order = try order(url, account: account)
            switch order.status {
            case "valid": return order
            case "pending", "processing", "ready": return nil
            default: throw ACMEError(.orderFailed, "order \(order.status): \(order.error ?? "no detail")", url: url)
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

    // MARK: Transport

    private func poll<T>(_ url: String, _ check: () throws -> T?) throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + pollTimeout
        var interval = pollInterval
        while true {
            if let result = try check() { return result }
            guard clock.now < deadline else { throw ACMEError(.timedOut, "still not done after \(pollTimeout)", url: url) }
            Thread.sleep(forTimeInterval: Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
            interval = min(interval * 2, .seconds(2))
        }
    }

    private func post(_ url: String, payload: JSONValue?, account: ACMEAccount, accept: String? = nil) throws -> HTTPResponse {
        try post(url, payload: payload, key: account.key, identification: .kid(account.url), accept: accept)
    }

    /// Signs and sends; a `badNonce` is retried with the nonce that came with the error.
    private func post(_ url: String, payload: JSONValue?, key: PrivateKey,
                      identification: JSONWebSignature.KeyIdentification, accept: String? = nil) throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            let body = try JSONWebSignature.sign(payload: payload, url: url, nonce: try takeNonce(), key: key,
                                                 identification: identification)
            var headers: [(name: String, value: String)] = [("Content-Type", "application/jose+json")]
            if let accept { headers.append(("Accept", accept)) }
            let response = try send(HTTPRequest(method: "POST", url: url, headers: headers, body: body))
            if (200..<300).contains(response.status) { return response }
            let error = ACMEError.fromProblem(Array(response.body), status: response.status, url: url,
                                              retryAfter: response.header("retry-after").flatMap { Int($0) })
            if error.code == .badNonce && attempt < 10 { continue }
            throw error
        }
    }

    private func takeNonce() throws -> String {
        if let nonce = nonces.withLock({ $0.popLast() }) { return nonce }
        let url = try directory().newNonce
        let response = try send(HTTPRequest(method: "HEAD", url: url))
        guard let nonce = response.header("replay-nonce") else {
            throw ACMEError(.invalidResponse, "newNonce answered without Replay-Nonce", url: url, status: response.status)
        }
        return nonce
    }

    private func send(_ request: HTTPRequest) throws -> HTTPResponse {
        requests.add(1, ordering: .relaxed)
        let response: HTTPResponse
        do {
            response = try http.send(request)
        } catch let error as HTTPError {
            throw ACMEError(.unreachable, "the CA cannot be reached: \(error.reason)", url: request.url)
        }
        if let nonce = response.header("replay-nonce") { nonces.withLock { $0.append(nonce) } }
        return response
    }
}

extension HTTPResponse {
    func json() throws -> JSONValue {
        do { return try JSONParser.parse(body) } catch {
            throw ACMEError(.invalidResponse, "response is not JSON: \(error)", status: status)
        }
    }
}
