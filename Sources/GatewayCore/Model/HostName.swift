/// A public DNS host name as Gateway accepts it: lower-case LDH labels (punycode
/// `xn--` allowed), at least two labels, no trailing dot, no wildcard, not an IP.
public struct HostName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init(validating text: String) throws(HostNameError) {
        if let problem = Self.problem(with: text) { throw problem }
        value = text
    }

    public var description: String { value }
    public static func < (lhs: HostName, rhs: HostName) -> Bool { lhs.value < rhs.value }

    public var labels: [Substring] { value.split(separator: ".") }

    /// True for a host under duckdns.org (`alice.duckdns.org`, `www.alice.duckdns.org`).
    public var isDuckDNS: Bool { value.hasSuffix(".duckdns.org") && labels.count >= 3 }

    /// The DuckDNS domain a host belongs to: `alice` for alice.duckdns.org and
    /// every name under it. They share one TXT record.
    public var duckDNSDomain: String? {
        guard isDuckDNS else { return nil }
        let l = labels
        return String(l[l.count - 3])
    }

    /// What is wrong with `text` as a host name, or nil when it is valid. One pass over
    /// the UTF-8 bytes for the common (valid) case; the slower checks only explain failures.
    public static func problem(with text: String) -> HostNameError? {
        let bytes = text.utf8
        if bytes.isEmpty { return .init("host name is empty") }
        var labelLength = 0, labels = 1, lastLabelAllDigits = true, valid = true
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                labelLength += 1
                lastLabelAllDigits = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                labelLength += 1
            case UInt8(ascii: "-"):
                if labelLength == 0 { valid = false }
                labelLength += 1
                lastLabelAllDigits = false
            case UInt8(ascii: "."):
                if labelLength == 0 || labelLength > 63 || previous == UInt8(ascii: "-") { valid = false }
                labels += 1
                labelLength = 0
                lastLabelAllDigits = true
            default:
                valid = false
            }
            if !valid { break }
            previous = byte
        }
        if valid, labelLength > 0, labelLength <= 63, previous != UInt8(ascii: "-"), labels >= 2, !lastLabelAllDigits,
           bytes.count <= 253 {
            return nil
        }
        return explain(text)
    }

    private static func explain(_ text: String) -> HostNameError {
        if text.utf8.count > 253 { return .init("host name is \(text.utf8.count) characters long (at most 253)") }
        if text.contains("/") || text.contains("\\") { return .init("host name contains a path separator") }
        if text.hasSuffix(".") { return .init("host name has a trailing dot (write it without)") }
        if text.contains("*") { return .init("'*' is not allowed (declare the base host with \"wildcard\": true)") }
        if IPAddress(text) != nil || text.hasPrefix("[") { return .init("an IP address is not a host name") }
        if text != text.lowercased() { return .init("host name must be lower case") }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count < 2 { return .init("a single label is not a public host name (expected e.g. name.example.org)") }
        for label in labels {
            if label.isEmpty { return .init("host name has an empty label") }
            if label.utf8.count > 63 { return .init("label '\(label.prefix(20))…' is \(label.utf8.count) characters long (at most 63)") }
            if label.hasPrefix("-") || label.hasSuffix("-") { return .init("label '\(label)' starts or ends with a hyphen") }
            for byte in label.utf8 {
                let ok = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                if !ok {
                    return .init("label '\(label)' has a character other than a-z, 0-9 and '-' (use punycode xn-- for IDNs)")
                }
            }
        }
        return .init("the top-level label must not be all digits")
    }
}

public struct HostNameError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
