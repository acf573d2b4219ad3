import Foundation
import GatewayCore
import GatewayKit

struct DuckDNSSetTokenCommand: Command {
    static let spec = CommandSpec(
        ["duckdns", "set-token"], abstract: "Store an owner's DuckDNS token (read from standard input), KMS-wrapped.",
        discussion: "The token is read from standard input so it never appears in a process list or shell history.",
        options: [.value("--owner", "UID", help: "Owner id (the folder under hosts/).")], required: ["--owner"])

    let owner: OwnerID

    init(_ arguments: ParsedArguments) throws(UsageError) {
        let text = arguments.value("--owner")!
        guard let owner = OwnerID(text) else {
            throw arguments.usageError("invalid owner '\(text)' (expected \(OwnerID.rule))")
        }
        self.owner = owner
    }

    func run(_ invocation: Invocation) throws -> Int32 {
        let token = String(decoding: invocation.readStandardInput(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: { $0.isWhitespace }) else {
            throw UsageError("expected the DuckDNS token on standard input (one line)", command: Self.spec)
        }
        let context = invocation.makeContext()
        _ = try context.loadedConfig()
        try context.secrets().storeDuckDNSToken(token, owner: owner)
        let commit = try context.commitChanges(message: "gateway duckdns set-token: owner \(owner)\n")
        invocation.logger.info("stored the DuckDNS token of \(owner) (wrapped)" + (commit.map { "; committed \($0.id.prefix(12))" } ?? ""))
        return ExitCode.success
    }
}
