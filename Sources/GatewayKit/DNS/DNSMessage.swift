/// Just enough of the DNS wire format (RFC 1035) to ask for TXT records.
enum DNSMessage {
    static let typeTXT: UInt16 = 16

    static func query(id: UInt16, name: String, type: UInt16) -> [UInt8] {
        var out: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]  // RD, one question
        for label in name.split(separator: ".") {
            let bytes = Array(label.utf8)
            out.append(UInt8(bytes.count))
            out += bytes
        }
        out += [0, UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
        return out
    }

    struct Answer {
        var id: UInt16
        var responseCode: Int
        var txt: [String]
    }

    /// Parses a response; TXT answers are returned with their character-strings joined.
    static func parseResponse(_ b: [UInt8]) -> Answer? {
        guard b.count >= 12 else { return nil }
        let id = UInt16(b[0]) << 8 | UInt16(b[1])
        let rcode = Int(b[3] & 0x0F)
        let qd = Int(b[4]) << 8 | Int(b[5]), an = Int(b[6]) << 8 | Int(b[7])
        var i = 12
        func skipName() -> Bool {
            while i < b.count {
                let len = Int(b[i])
                if len == 0 { i += 1; return true }
                if len & 0xC0 == 0xC0 { i += 2; return i <= b.count }
                i += 1 + len
            }
            return false
        }
        for _ in 0..<qd {
            guard skipName(), i + 4 <= b.count else { return nil }
            i += 4
        }
        var txt: [String] = []
        for _ in 0..<an {
            guard skipName(), i + 10 <= b.count else { return nil }
            let type = UInt16(b[i]) << 8 | UInt16(b[i + 1])
            let length = Int(b[i + 8]) << 8 | Int(b[i + 9])
            i += 10
            guard i + length <= b.count else { return nil }
            if type == typeTXT {
                var j = i, value = ""
                while j < i + length {
                    let l = Int(b[j])
                    guard j + 1 + l <= i + length else { return nil }
                    value += String(decoding: b[(j + 1)..<(j + 1 + l)], as: UTF8.self)
                    j += 1 + l
                }
                txt.append(value)
            }
            i += length
        }
        return Answer(id: id, responseCode: rcode, txt: txt)
    }
}
