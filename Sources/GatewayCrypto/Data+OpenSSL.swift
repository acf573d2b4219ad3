import Foundation

extension Data {
    /// Calls `body` with a pointer to the bytes and their count. The pointer is never
    /// null, even for empty data: several OpenSSL functions reject NULL regardless of
    /// the length. The pointer must not escape `body`.
    func withNonNullBytes<R>(_ body: (UnsafePointer<UInt8>, Int) throws -> R) rethrows -> R {
        try withUnsafeBytes { raw in
            if let base = raw.bindMemory(to: UInt8.self).baseAddress, raw.count > 0 {
                return try body(base, raw.count)
            }
            let empty: UInt8 = 0
            return try withUnsafePointer(to: empty) { try body($0, 0) }
        }
    }

    /// Lower-case hexadecimal, two digits per byte.
    var lowercaseHex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
