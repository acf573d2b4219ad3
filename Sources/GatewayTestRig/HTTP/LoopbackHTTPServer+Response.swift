import Foundation

extension LoopbackHTTPServer {
    /// The handler's answer. The server adds `Content-Length` and `Connection: close`.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: Data

        public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: Data = Data()) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public static func text(_ text: String, status: Int = 200) -> Response {
            Response(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Data(text.utf8))
        }

        public static func json(_ body: Data, status: Int = 200, headers: [(name: String, value: String)] = []) -> Response {
            Response(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
        }

        public static var notFound: Response { .text("not found\n", status: 404) }

        public static func methodNotAllowed(allow: String) -> Response {
            var response = Response.text("method not allowed\n", status: 405)
            response.headers.append(("Allow", allow))
            return response
        }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }
}
