import CGit2

extension git_oid {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The 40-digit lowercase hex form.
    var hex: String {
        withUnsafeBytes(of: id) { bytes in
            var digits: [UInt8] = []
            digits.reserveCapacity(bytes.count * 2)
            for byte in bytes {
                digits.append(Self.hexDigits[Int(byte >> 4)])
                digits.append(Self.hexDigits[Int(byte & 0x0f)])
            }
            return String(decoding: digits, as: UTF8.self)
        }
    }
}
