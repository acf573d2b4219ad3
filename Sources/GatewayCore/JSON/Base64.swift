/// Standard base64 and the URL-safe, unpadded form ACME uses (RFC 4648 §5).
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public static func encode(_ bytes: some Collection<UInt8>) -> String { encode(Array(bytes), alphabet: alphabet, pad: true) }
    public static func urlEncode(_ bytes: some Collection<UInt8>) -> String { encode(Array(bytes), alphabet: urlAlphabet, pad: false) }

    public static func decode(_ text: String) -> [UInt8]? { decode(text, url: false) }
    public static func urlDecode(_ text: String) -> [UInt8]? { decode(text, url: true) }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], pad: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(v >> 18 & 63)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)], alphabet[Int(v & 63)]]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let v = UInt32(bytes[i]) << 16
            out += [alphabet[Int(v >> 18 & 63)], alphabet[Int(v >> 12 & 63)]]
            if pad { out += [61, 61] }
        } else if rest == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(v >> 18 & 63)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)]]
            if pad { out += [61] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func decode(_ text: String, url: Bool) -> [UInt8]? {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        var padding = 0
        for byte in text.utf8 {
            let v: UInt8
            switch byte {
            case 65...90: v = byte - 65
            case 97...122: v = byte - 71
            case 48...57: v = byte + 4
            case 43 where !url, 45 where url: v = 62
            case 47 where !url, 95 where url: v = 63
            case 61 where !url: padding += 1; continue
            default: return nil
            }
            if padding > 0 { return nil }
            values.append(v)
        }
        if !url && (values.count + padding) % 4 != 0 { return nil }
        if values.count % 4 == 1 { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(values.count * 3 / 4)
        var i = 0
        while i + 4 <= values.count {
            let v = UInt32(values[i]) << 18 | UInt32(values[i + 1]) << 12 | UInt32(values[i + 2]) << 6 | UInt32(values[i + 3])
            out += [UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]
            i += 4
        }
        let rest = values.count - i
        if rest == 2 {
            out.append(UInt8((UInt32(values[i]) << 18 | UInt32(values[i + 1]) << 12) >> 16 & 255))
        } else if rest == 3 {
            let v = UInt32(values[i]) << 18 | UInt32(values[i + 1]) << 12 | UInt32(values[i + 2]) << 6
            out += [UInt8(v >> 16 & 255), UInt8(v >> 8 & 255)]
        }
        return out
    }
}
