import GatewayCore
import GatewayKit

struct CertExportCommand: Command {
    static let spec = CommandSpec(
        ["cert", "export"], abstract: "Write a host's fullchain.pem (leaf first) and privkey.pem (0600) to a directory.",
        options: [.value("--out", "DIR", help: "Directory to write into (created if missing).")],
        arguments: [.init("FQDN", help: "The host.")], required: ["--out"])

    let host: HostName
    let directory: String

    init(_ arguments: ParsedArguments) throws(UsageError) {
        do { host = try HostName(validating: arguments.positionals[0]) } catch {
            throw arguments.usageError("invalid host '\(arguments.positionals[0])': \(error.reason)")
        }
        directory = arguments.value("--out")!
    }

    func run(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.makeContext()
        let target = URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let written = try CertificateExporter.export(host: host, to: target.standardizedFileURL, context: context)
        invocation.logger.info("wrote \(written.fullchain.path) and \(written.key.path)")
        return ExitCode.success
    }
}

import Foundation
