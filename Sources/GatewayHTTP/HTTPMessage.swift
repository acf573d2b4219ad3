import Foundation

/// An HTTP request as Gateway sends it: small bodies, small responses.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct HTTPResponse: Sendable {
    public let status: Int
    /// Header fields in the order received; names lower-cased.
    public let headerFields: [(name: String, value: String)]
    public let body: Data

    public init(status: Int, headerFields: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headerFields = headerFields
        self.body = body
    }

    /// The last value of a header (names are case-insensitive).
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headerFields.last(where: { $0.name == wanted })?.value
    }

    /// Every value of a header, e.g. several `Link` fields.
    public func headers(named name: String) -> [String] {
        let wanted = name.lowercased()
        return headerFields.filter { $0.name == wanted }.map(\.value)
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
