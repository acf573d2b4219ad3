import Foundation

extension ACMERig {
    /// The endpoint names `acmeRequestCounts()` uses, in the order of an issuance.
    public static let acmeEndpointNames = [
        "directory", "newNonce", "newAccount", "newOrder", "authz", "challenge", "finalize", "order",
        "certificate", "revoke", "other",
    ]

    /// ACME requests Pebble has handled since start (or `resetRequestCounts()`), per
    /// endpoint: `directory`, `newNonce` (GET and HEAD), `newAccount`, `newOrder`,
    /// `authz`, `challenge`, `finalize`, `order`, `certificate`, `revoke`, and `other`
    /// (account updates, key rollover, order lists). Endpoints without requests are absent.
    ///
    /// Read from `pebbleLogPath`, where Pebble logs every request it routes (see
    /// `PebbleLog`), including ones it refuses such as a rejected nonce; a request is in
    /// the log once its answer has arrived. Counting goes on across `restartPebble()`.
    /// The rig's own readiness probes are not logged, but other doubles' requests are:
    /// `ARIDirectoryServer` fetches `GET /dir` once when it starts.
    public func acmeRequestCounts() throws -> [String: Int] {
        PebbleLog.counts(of: try acmeRequestLines())
    }

    /// The sum of `acmeRequestCounts()`.
    public func acmeRequestTotal() throws -> Int {
        try acmeRequestLines().count
    }

    /// Starts counting afresh: later counts include only requests logged from now on.
    public func resetRequestCounts() throws {
        let (data, start) = try pebbleLogSinceCountOffset()
        // Up to the last complete line; a fragment (never seen in practice) is counted later.
        let consumed = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 - data.startIndex + 1 } ?? 0
        requestCountOffset.withLock { $0 = start + UInt64(consumed) }
    }

    func acmeRequestLines() throws -> [PebbleLog.RequestLine] {
        let (data, _) = try pebbleLogSinceCountOffset()
        return PebbleLog.requestLines(in: String(decoding: data, as: UTF8.self)[...])
    }

    private func pebbleLogSinceCountOffset() throws -> (data: Data, start: UInt64) {
        let start = requestCountOffset.withLock { $0 }
        guard let handle = FileHandle(forReadingAtPath: pebbleLogPath) else {
            throw RigError(code: .log, reason: "cannot open Pebble's log \(pebbleLogPath)")
        }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: start)
            return (try handle.readToEnd() ?? Data(), start)
        } catch {
            throw RigError(code: .log, reason: "cannot read Pebble's log \(pebbleLogPath) from byte \(start): \(error)")
        }
    }
}
