import Foundation

/// An external program the rig runs, found on PATH.
struct Tool: Sendable {
    let name: String
    let path: String

    static let searchFallback = ["/usr/bin", "/usr/local/bin", "/bin"]

    /// Finds `name` on PATH (then /usr/bin); `package` names the Debian package to install.
    static func locate(_ name: String, package: String) throws -> Tool {
        let pathVariable = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = pathVariable.split(separator: ":").map(String.init) + searchFallback
        for directory in directories where !directory.isEmpty {
            let candidate = (directory as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return Tool(name: name, path: candidate)
            }
        }
        throw RigError(code: .toolMissing,
                       reason: "\(name) is not on PATH; install it with `apt-get install -y \(package)`")
    }
}
