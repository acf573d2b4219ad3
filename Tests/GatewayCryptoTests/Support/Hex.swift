import Foundation

extension Data {
    /// Decodes hex (upper or lower case; colons and whitespace ignored). Traps on
    /// malformed input: only used with literals and tool output in tests.
    init(hex: String) {
        let digits = hex.filter { $0.isHexDigit }
        precondition(digits.count.isMultiple(of: 2), "odd number of hex digits in \(hex)")
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        self.init(bytes)
    }

    var hex: String { map { String(format: "%02x", $0) }.joined() }

    /// A copy with one bit inverted.
    func flippingBit(atByte index: Int, bit: Int = 0) -> Data {
        var copy = self
        copy[copy.startIndex + index] ^= UInt8(1 << bit)
        return copy
    }
}
