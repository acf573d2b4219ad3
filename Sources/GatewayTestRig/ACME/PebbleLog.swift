/// Reading Pebble's log (pebble 2.4.0, Debian's package). Pure functions, no I/O.
///
/// Pebble logs through Go's `log` package with the prefix `Pebble ` and the standard
/// date/time flags, one line per message, e.g.
///
///     Pebble 2026/12/04 16:06:06 POST /order-plz -> calling handler()
///     Pebble 2026/12/04 16:06:06 Added order "cVHV…" to the db
///
/// The WFE writes `<METHOD> <route> -> calling handler()` for every request it routes
/// to an ACME handler, by default (no flag or variable is needed). `<route>` is the
/// pattern the request matched, not the requested path: `POST /my-order/` for any
/// order URL, `POST /chalZ/` for any challenge. The line is written before the handler
/// runs, so it is in the file by the time the client has its answer, and requests the
/// handler then refuses (a badNonce rejected on purpose by `PEBBLE_WFE_NONCEREJECT`, a
/// malformed JWS, an unknown account) are counted too. Not logged: paths no route
/// matches (404), methods a route does not allow (405, e.g. `OPTIONS /dir`, which the
/// rig uses to probe readiness), CORS preflights, and everything on the management
/// port (`/roots/0`, `/cert-status-by-serial/…`).
enum PebbleLog {
    static let requestSuffix = " -> calling handler()"

    /// One WFE request line.
    struct RequestLine: Equatable, Sendable {
        var method: String
        /// Pebble's route pattern, e.g. `/dir`, `/my-order/`.
        var route: String
    }

    /// The ACME endpoint names `ACMERig.acmeRequestCounts()` groups by, and the Pebble
    /// routes behind them. Routes not listed (`/my-account/`, `/rollover-account-key`,
    /// `/list-orderz/`) count as `other`.
    static let endpointsByRoute: [String: String] = [
        "/dir": "directory",
        "/nonce-plz": "newNonce",
        "/sign-me-up": "newAccount",
        "/order-plz": "newOrder",
        "/authZ/": "authz",
        "/chalZ/": "challenge",
        "/finalize-order/": "finalize",
        "/my-order/": "order",
        "/certZ/": "certificate",
        "/revoke-cert": "revoke",
    ]

    static func endpoint(ofRoute route: String) -> String {
        endpointsByRoute[route] ?? "other"
    }

    /// The request in one log line, nil for any other line.
    static func requestLine(_ line: Substring) -> RequestLine? {
        guard line.hasPrefix("Pebble "), line.hasSuffix(requestSuffix) else { return nil }
        // "Pebble", date, time, method, route.
        let fields = line.dropLast(requestSuffix.count).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[4].hasPrefix("/"),
              !fields[3].isEmpty, fields[3].allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            return nil
        }
        return RequestLine(method: String(fields[3]), route: String(fields[4]))
    }

    /// The request lines in `text`. Only complete lines count: a trailing fragment without
    /// its newline is left for the next read.
    static func requestLines(in text: Substring) -> [RequestLine] {
        guard let lastNewline = text.lastIndex(of: "\n") else { return [] }
        return text[..<lastNewline].split(separator: "\n").compactMap(requestLine)
    }

    /// Requests per endpoint name; endpoints without requests are absent.
    static func counts(of lines: [RequestLine]) -> [String: Int] {
        lines.reduce(into: [:]) { counts, line in counts[endpoint(ofRoute: line.route), default: 0] += 1 }
    }
}
