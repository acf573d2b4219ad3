/// Byte-stable JSON as every ledger and declaration file is written: keys sorted
/// (by UTF-8 bytes), two-space indent, `"key": value`, trailing newline.
/// Re-serialising an unchanged record gives the same bytes.
public enum CanonicalJSON {
    public static func serialize(_ value: JSONValue) -> String {
        var out = Writer()
        out.write(value, indent: 0)
        out.bytes.append(0x0A)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// One line, sorted keys, no spaces: JSON Lines (ip_history) and digests.
    public static func compact(_ value: JSONValue) -> String {
        String(decoding: compactBytes(value), as: UTF8.self)
    }

    public static func compactBytes(_ value: JSONValue) -> [UInt8] {
        var out = Writer()
        out.writeCompact(value)
        return out.bytes
    }

    /// Appends to a byte buffer; strings without characters to escape are copied whole.
    struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(256) }

        mutating func write(_ value: JSONValue, indent: Int) {
            switch value {
            case let .array(elements):
                guard !elements.isEmpty else { append("[]"); return }
                append("[\n")
                for (i, element) in elements.enumerated() {
                    spaces(indent + 2)
                    write(element, indent: indent + 2)
                    append(i == elements.count - 1 ? "\n" : ",\n")
                }
                spaces(indent)
                bytes.append(UInt8(ascii: "]"))
            case let .object(members):
                guard !members.isEmpty else { append("{}"); return }
                append("{\n")
                let sorted = CanonicalJSON.sorted(members)
                for (i, member) in sorted.enumerated() {
                    spaces(indent + 2)
                    writeString(member.key)
                    append(": ")
                    write(member.value, indent: indent + 2)
                    append(i == sorted.count - 1 ? "\n" : ",\n")
                }
                spaces(indent)
                bytes.append(UInt8(ascii: "}"))
            default:
                writeCompact(value)
            }
        }

        mutating func writeCompact(_ value: JSONValue) {
            switch value {
            case .null: append("null")
            case let .bool(b): append(b ? "true" : "false")
            case let .integer(i): append(String(i))
            case let .number(d):
                if d == d.rounded(), abs(d) < 1e15 { append(String(Int(d))) } else { append("\(d)") }
            case let .string(s): writeString(s)
            case let .array(elements):
                bytes.append(UInt8(ascii: "["))
                for (i, element) in elements.enumerated() {
                    if i > 0 { bytes.append(UInt8(ascii: ",")) }
                    writeCompact(element)
                }
                bytes.append(UInt8(ascii: "]"))
            case let .object(members):
                bytes.append(UInt8(ascii: "{"))
                for (i, member) in CanonicalJSON.sorted(members).enumerated() {
                    if i > 0 { bytes.append(UInt8(ascii: ",")) }
                    writeString(member.key)
                    bytes.append(UInt8(ascii: ":"))
                    writeCompact(member.value)
                }
                bytes.append(UInt8(ascii: "}"))
            }
        }

        mutating func writeString(_ s: String) {
            bytes.append(UInt8(ascii: "\""))
            var s = s
            s.withUTF8 { utf8 in
                var start = 0
                for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    bytes.append(contentsOf: utf8[start..<i])
                    switch byte {
                    case UInt8(ascii: "\""): append("\\\"")
                    case UInt8(ascii: "\\"): append("\\\\")
                    case 0x0A: append("\\n")
                    case 0x0D: append("\\r")
                    case 0x09: append("\\t")
                    case 0x08: append("\\b")
                    case 0x0C: append("\\f")
                    default:
                        let hex = String(byte, radix: 16)
                        append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    }
                    start = i + 1
                }
                bytes.append(contentsOf: utf8[start...])
            }
            bytes.append(UInt8(ascii: "\""))
        }

        mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

        mutating func spaces(_ count: Int) { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
    }

    static func sorted(_ members: [(key: String, value: JSONValue)]) -> [(key: String, value: JSONValue)] {
        // Members usually arrive sorted or nearly so; check before sorting.
        var isSorted = true
        for i in members.indices.dropFirst() where !members[i - 1].key.utf8.lexicographicallyPrecedes(members[i].key.utf8) {
            isSorted = false
            break
        }
        return isSorted ? members : members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }
}
