import Foundation

extension ACMERig {
    /// Writes `export NAME='value'` lines of `environment` plus `extra` to `path`,
    /// sorted by name, through a temporary file and a rename (readers never see half a file).
    public func writeEnvironmentFile(to path: String, extra: [String: String] = [:]) throws {
        let variables = environment.merging(extra) { _, given in given }
        let text = Self.shellExports(variables)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RigError(code: .fileSystem, reason: "cannot write the environment file \(path): \(error)")
        }
    }

    /// `export NAME='value'` lines, single-quoted for POSIX shells.
    public static func shellExports(_ variables: [String: String]) -> String {
        variables.keys.sorted().map { name in
            let quoted = variables[name]!.replacingOccurrences(of: "'", with: "'\\''")
            return "export \(name)='\(quoted)'\n"
        }.joined()
    }
}
