import Foundation
import GatewayCore
import Synchronization

/// The managed repository's work tree: reads declarations, ledger and wrapped files,
/// and writes them atomically (temporary file + rename), remembering every path it
/// changed so the run can commit exactly those. Safe to use from several threads as
/// long as they write different paths (orders for different hosts do).
public final class ManagedRepository: Sendable {
    public let root: URL
    private let changed = Mutex<Set<String>>([])
    private var fileManager: FileManager { FileManager.default }

    public var changedPaths: Set<String> { changed.withLock { $0 } }

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    public func exists(_ path: String) -> Bool { fileManager.fileExists(atPath: url(path).path) }

    public func read(_ path: String) -> Data? { readBytes(path).map { Data($0) } }

    /// The bytes of `path`, through POSIX reads (fast for many small files).
    public func readBytes(_ path: String) -> [UInt8]? {
        FileTree.read(root.path + "/" + path)
    }

    /// The JSON document at `path`; nil when the file is missing or not JSON.
    public func readJSON(_ path: String) -> JSONValue? {
        readBytes(path).flatMap { try? JSONParser.parse($0) }
    }

    /// Writes `data` at `path` atomically unless the file already holds exactly these bytes.
    public func write(_ path: String, _ data: Data, permissions: Int? = nil) throws {
        let target = url(path)
        if let existing = readBytes(path), existing.elementsEqual(data) { return }
        try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            try FileTree.writeAtomically(data, to: target.path, permissions: permissions)
        } catch {
            throw RepositoryError(.io, "cannot write \(path): \(error.reason)")
        }
        changed.withLock { _ = $0.insert(path) }
    }

    public func write(_ path: String, json: JSONValue) throws {
        try write(path, Data(CanonicalJSON.serialize(json).utf8))
    }

    /// Appends lines (ip_history is append-only).
    public func append(_ path: String, _ text: String) throws {
        var data = read(path) ?? Data()
        if let last = data.last, last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        data.append(contentsOf: Array(text.utf8))
        try write(path, data)
    }

    public func remove(_ path: String) throws {
        guard exists(path) else { return }
        try fileManager.removeItem(at: url(path))
        changed.withLock { _ = $0.insert(path) }
        // Drop directories this leaves empty, up to the top-level folder.
        var directory = url(path).deletingLastPathComponent()
        while directory.path.count > root.path.count + 1,
              let contents = try? fileManager.contentsOfDirectory(atPath: directory.path), contents.isEmpty {
            try? fileManager.removeItem(at: directory)
            directory = directory.deletingLastPathComponent()
        }
    }

    /// Repository-relative paths of the regular files under `directory`, sorted (hidden files skipped).
    public func files(under directory: String) -> [String] {
        FileTree.regularFiles(root: root.path, under: directory)
    }
}

public struct RepositoryError: Error, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable {
        let name: String
        public static let io = Code(name: "io")
        public static let notARepository = Code(name: "not a repository")
        public static let invalid = Code(name: "invalid")
        public static let notFound = Code(name: "not found")
        public static let refused = Code(name: "refused")
    }
    public let code: Code
    public let reason: String
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
    public var description: String { reason }
    public static func == (lhs: RepositoryError, rhs: RepositoryError) -> Bool { lhs.code == rhs.code }
}
