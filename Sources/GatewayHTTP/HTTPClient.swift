import CCurl
import CGatewayShims
import Foundation
import Synchronization

/// A blocking HTTP client over libcurl easy handles.
///
/// Handles are pooled: a finished transfer returns its handle so the next request
/// reuses the open connection (keep-alive, TLS session). `send` blocks the calling
/// thread; call it off Swift's cooperative pool.
public final class HTTPClient: Sendable {
    public struct Configuration: Sendable {
        /// PEM bundle of trusted roots; nil uses the system store.
        public var caBundlePath: String?
        public var timeout: Duration
        public var connectTimeout: Duration
        public var userAgent: String
        /// AWS SigV4 signing (`aws:amz:<region>:<service>`) with "<access key>:<secret>".
        public var awsSigV4: (provider: String, credentials: String)?

        public init(caBundlePath: String? = nil, timeout: Duration = .seconds(30),
                    connectTimeout: Duration = .seconds(10), userAgent: String = "gateway",
                    awsSigV4: (provider: String, credentials: String)? = nil) {
            self.caBundlePath = caBundlePath
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.userAgent = userAgent
            self.awsSigV4 = awsSigV4
        }
    }

    public let configuration: Configuration
    private let idleHandles = Mutex<[CurlEasyHandle]>([])
    /// Transfers performed; tests and benchmarks read it.
    private let transfers = Atomic<Int>(0)

    public init(configuration: Configuration = Configuration()) {
        HTTPClient.initializeLibrary
        self.configuration = configuration
    }

    private static let initializeLibrary: Void = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    public var transferCount: Int { transfers.load(ordering: .relaxed) }

    public func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let handle = idleHandles.withLock { $0.popLast() } ?? CurlEasyHandle()
        defer { idleHandles.withLock { $0.append(handle) } }
        transfers.add(1, ordering: .relaxed)
        return try handle.perform(request, configuration: configuration)
    }
}

/// Owns one `CURL *` easy handle. Used by one transfer at a time (the pool in
/// `HTTPClient` hands it out under a lock), which is what libcurl requires.
final class CurlEasyHandle: @unchecked Sendable {
    private let easy: UnsafeMutableRawPointer

    init() {
        guard let easy = curl_easy_init() else { fatalError("curl_easy_init failed: out of memory") }
        self.easy = easy
    }

    deinit { curl_easy_cleanup(easy) }

    func perform(_ request: HTTPRequest, configuration: HTTPClient.Configuration) throws -> HTTPResponse {
        curl_easy_reset(easy)
        let sink = ResponseSink()
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        if request.body != nil && !request.headers.contains(where: { $0.name.lowercased() == "expect" }) {
            headerList = curl_slist_append(headerList, "Expect:")
        }

        let result: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { errorPointer in
            withExtendedLifetime(sink) {
                let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
                set(CURLOPT_NOSIGNAL, 1)
                set(CURLOPT_URL, request.url)
                set(CURLOPT_USERAGENT, configuration.userAgent)
                set(CURLOPT_TIMEOUT_MS, Int(configuration.timeout.milliseconds))
                set(CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout.milliseconds))
                set(CURLOPT_ACCEPT_ENCODING, "")
                set(CURLOPT_ERRORBUFFER, UnsafeRawPointer(errorPointer.baseAddress!))
                if let bundle = configuration.caBundlePath { set(CURLOPT_CAINFO, bundle) }
                if let sigV4 = configuration.awsSigV4 {
                    set(CURLOPT_AWS_SIGV4, sigV4.provider)
                    set(CURLOPT_USERPWD, sigV4.credentials)
                }
                switch request.method {
                case "GET": set(CURLOPT_HTTPGET, 1)
                case "HEAD": set(CURLOPT_NOBODY, 1)
                default:
                    set(CURLOPT_CUSTOMREQUEST, request.method)
                }
                if let body = request.body {
                    set(CURLOPT_POSTFIELDSIZE_LARGE, Int64(body.count))
                    body.withUnsafeBytes { bytes in
                        // COPYPOSTFIELDS copies, so the buffer need not outlive this call.
                        _ = gw_curl_easy_setopt_ptr(easy, option(CURLOPT_COPYPOSTFIELDS),
                                                    bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!)
                    }
                }
                if let headerList { _ = gw_curl_easy_setopt_ptr(easy, option(CURLOPT_HTTPHEADER), headerList) }
                _ = gw_curl_easy_setopt_callback(easy, option(CURLOPT_WRITEFUNCTION)) { data, size, count, userdata in
                    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata!).takeUnretainedValue()
                    let length = size * count
                    if let data { sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
                    return length
                }
                _ = gw_curl_easy_setopt_ptr(easy, option(CURLOPT_WRITEDATA), sinkPointer)
                _ = gw_curl_easy_setopt_callback(easy, option(CURLOPT_HEADERFUNCTION)) { data, size, count, userdata in
                    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata!).takeUnretainedValue()
                    let length = size * count
                    if let data {
                        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                        sink.receiveHeaderLine(line)
                    }
                    return length
                }
                _ = gw_curl_easy_setopt_ptr(easy, option(CURLOPT_HEADERDATA), sinkPointer)
                return curl_easy_perform(easy)
            }
        }

        guard result == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail
            throw HTTPError(code: Self.errorCode(for: result), reason: message, url: request.url)
        }
        var status = 0
        _ = gw_curl_easy_getinfo_long(easy, Int32(bitPattern: CURLINFO_RESPONSE_CODE.rawValue), &status)
        return HTTPResponse(status: status, headerFields: sink.headers, body: sink.body)
    }

    private static func errorCode(for result: CURLcode) -> HTTPError.Code {
        switch result {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .couldNotConnect
        case CURLE_OPERATION_TIMEDOUT: .timedOut
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CERTPROBLEM: .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: .invalidRequest
        default: .transfer
        }
    }

    private func option(_ value: CURLoption) -> Int32 { Int32(bitPattern: value.rawValue) }

    private func set(_ name: CURLoption, _ value: Int) {
        _ = gw_curl_easy_setopt_long(easy, option(name), value)
    }

    private func set(_ name: CURLoption, _ value: Int64) {
        _ = gw_curl_easy_setopt_off_t(easy, option(name), value)
    }

    /// String options are copied by libcurl (since 7.17), so the C string may die after the call.
    private func set(_ name: CURLoption, _ value: String) {
        _ = value.withCString { gw_curl_easy_setopt_ptr(easy, option(name), $0) }
    }

    private func set(_ name: CURLoption, _ value: UnsafeRawPointer) {
        _ = gw_curl_easy_setopt_ptr(easy, option(name), value)
    }
}

/// Collects one response. After a redirect or a `100 Continue`, a new status
/// line starts the header block again.
private final class ResponseSink {
    var body = Data()
    var headers: [(name: String, value: String)] = []

    func receiveHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            headers.removeAll()
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].lowercased()
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers.append((name, value))
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
