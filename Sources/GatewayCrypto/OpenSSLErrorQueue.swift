import COpenSSL

/// OpenSSL's error queue is thread-local: each operation clears it first, and a
/// failing call is followed immediately (same thread, no suspension point) by
/// `drain()` so the Swift error carries OpenSSL's explanation.
enum OpenSSLErrorQueue {
    /// Forgets errors left over from earlier calls on this thread.
    static func clear() {
        ERR_clear_error()
    }

    /// Removes all queued errors from this thread's queue and returns them as
    /// strings such as `error:0480006C:PEM routines::no start line`, oldest first.
    static func drain() -> [String] {
        var messages: [String] = []
        while true {
            var data: UnsafePointer<CChar>?
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            var message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if flags & ERR_TXT_STRING != 0, let data, data.pointee != 0 {
                message += " (\(String(cString: data)))"
            }
            messages.append(message)
        }
        return messages
    }
}
