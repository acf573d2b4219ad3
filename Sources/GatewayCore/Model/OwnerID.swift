/// An owner id, `[a-z0-9][a-z0-9_-]{0,62}`: the folder name under `hosts/` and `owners/`.
public struct OwnerID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        value = text
    }

    public var description: String { value }
    public static func < (lhs: OwnerID, rhs: OwnerID) -> Bool { lhs.value < rhs.value }

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...63).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        guard alnum(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy { alnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    public static let rule = "[a-z0-9][a-z0-9_-]{0,62}"
}
