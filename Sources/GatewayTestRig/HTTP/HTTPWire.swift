import Foundation

/// The HTTP/1.1 wire format as far as the loopback server needs it: parsing a
/// request head and a chunked body, writing a response. Pure functions, no I/O.
enum HTTPWire {
    /// A request the server answers with an error status instead of calling the handler.
    struct Failure: Error, Equatable {
        let status: Int
        let message: String
    }

    struct Head: Equatable {
        var method: String
        var target: String
        var headers: [Header]
        var contentLength: Int?
        var isChunked: Bool
        var expectsContinue: Bool

        struct Header: Equatable {
            var name: String
            var value: String
        }
    }

    static let headerTerminator: [UInt8] = Array("\r\n\r\n".utf8)

    /// The index just past the blank line that ends the head, searching from `start`.
    static func headerEnd(in bytes: [UInt8], from start: Int = 0) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = max(0, start)
        while index + 4 <= bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                return index + 4
            }
            index += 1
        }
        return nil
    }

    /// Parses the request line and header fields (the bytes up to and including the blank line).
    static func parseHead(_ bytes: ArraySlice<UInt8>) throws(Failure) -> Head {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        while lines.last == "" { lines.removeLast() }
        guard let requestLine = lines.first else { throw Failure(status: 400, message: "empty request\n") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw Failure(status: 400, message: "malformed request line\n")
        }
        guard parts[2].hasPrefix("HTTP/1.") else {
            throw Failure(status: 505, message: "only HTTP/1.x is served here\n")
        }
        var head = Head(method: String(parts[0]), target: String(parts[1]), headers: [],
                        contentLength: nil, isChunked: false, expectsContinue: false)
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else {
                throw Failure(status: 400, message: "malformed header line\n")
            }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            head.headers.append(Head.Header(name: name, value: value))
            switch name {
            case "content-length":
                guard let length = Int(value), length >= 0 else {
                    throw Failure(status: 400, message: "invalid Content-Length\n")
                }
                head.contentLength = length
            case "transfer-encoding":
                head.isChunked = value.lowercased().contains("chunked")
            case "expect":
                head.expectsContinue = value.lowercased() == "100-continue"
            default:
                break
            }
        }
        return head
    }

    /// Decodes a chunked body; nil while more bytes are needed.
    static func decodeChunked(_ bytes: ArraySlice<UInt8>) throws(Failure) -> Data? {
        var body = Data()
        var index = bytes.startIndex
        func line() -> String? {
            var cursor = index
            while cursor + 1 < bytes.endIndex {
                if bytes[cursor] == 13, bytes[cursor + 1] == 10 {
                    let text = String(decoding: bytes[index..<cursor], as: UTF8.self)
                    index = cursor + 2
                    return text
                }
                cursor += 1
            }
            return nil
        }
        while true {
            guard let sizeLine = line() else { return nil }
            let digits = sizeLine.split(separator: ";", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces)
            } ?? ""
            guard let size = Int(digits, radix: 16), size >= 0 else {
                throw Failure(status: 400, message: "malformed chunk size\n")
            }
            if size == 0 {
                // Trailer fields, then an empty line.
                while true {
                    guard let trailer = line() else { return nil }
                    if trailer.isEmpty { return body }
                }
            }
            guard bytes.endIndex - index >= size + 2 else { return nil }
            body.append(contentsOf: bytes[index..<index + size])
            index += size
            guard bytes[index] == 13, bytes[index + 1] == 10 else {
                throw Failure(status: 400, message: "chunk not followed by CRLF\n")
            }
            index += 2
        }
    }

    /// The response bytes; `Content-Length` and `Connection: close` replace any the handler set.
    static func serialize(_ response: LoopbackHTTPServer.Response, includeBody: Bool = true) -> [UInt8] {
        let managed: Set<String> = ["content-length", "connection", "transfer-encoding"]
        var head = "HTTP/1.1 \(response.status) \(reasonPhrase(response.status))\r\n"
        for (name, value) in response.headers where !managed.contains(name.lowercased()) {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\nConnection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        if includeBody { bytes.append(contentsOf: response.body) }
        return bytes
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}
