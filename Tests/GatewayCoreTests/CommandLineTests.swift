import Testing
@testable import GatewayCLI
@testable import GatewayCore

@Suite struct CommandLineTests {
    func parse(_ words: [String]) throws(UsageError) -> CommandLineInterface.Parsed {
        try CommandLineInterface.parse(words)
    }

    @Test func parsesGlobalOptionsBeforeTheCommand() throws {
        guard case let .run(command, global) = try parse(["--repo", "/tmp/r", "--now", "2026-12-04T00:00:00Z", "-v", "plan"]) else {
            Issue.record("expected a command"); return
        }
        #expect(command is PlanCommand)
        #expect(global.repo == "/tmp/r")
        #expect(global.now == Timestamp(rfc3339: "2026-12-04T00:00:00Z"))
        #expect(global.verbosity == 2)
    }

    @Test func parsesSubcommandsOptionsAndArguments() throws {
        guard case let .run(command, _) = try parse(["cert", "export", "alice.duckdns.org", "--out=/tmp/x"]) else {
            Issue.record("expected a command"); return
        }
        let export = try #require(command as? CertExportCommand)
        #expect(export.host.value == "alice.duckdns.org")
        #expect(export.directory == "/tmp/x")
    }

    @Test(arguments: [
        (["plan", "--bogus"], "unknown option '--bogus'", "plan"),
        (["cert", "export", "a.duckdns.org"], "missing required option --out", "cert export"),
        (["cert", "export", "--out", "d"], "missing argument FQDN", "cert export"),
        (["cert", "export", "A..b", "--out", "d"], "invalid host", "cert export"),
        (["list", "--format", "xml"], "invalid value 'xml'", "list"),
        (["duckdns", "set-token", "--owner", "Bad"], "invalid owner", "duckdns set-token"),
        (["validate", "extra"], "unexpected argument 'extra'", "validate"),
    ])
    func usageErrorsNameTheCommand(words: [String], fragment: String, command: String) {
        do {
            _ = try parse(words)
            Issue.record("accepted \(words)")
        } catch {
            #expect(error.message.contains(fragment), "\(error.message)")
            #expect(error.command?.name == command)
            #expect(error.rendered.contains("See 'gateway \(command) --help'."))
        }
    }

    @Test func unknownCommandsAndBadGlobalsAreUsageErrors() {
        #expect(throws: UsageError.self) { try parse(["frobnicate"]) }
        #expect(throws: UsageError.self) { try parse(["--now", "yesterday", "plan"]) }
        #expect(throws: UsageError.self) { try parse([]) }
        #expect(throws: UsageError.self) { try parse(["cert"]) }
    }

    @Test func everyCommandHasGeneratedHelp() throws {
        for type in CommandLineInterface.commands {
            guard case let .help(text) = try parse(type.spec.path + ["--help"]) else {
                Issue.record("no help for \(type.spec.name)"); continue
            }
            #expect(text.contains(type.spec.usage))
            for option in type.spec.options { #expect(text.contains(option.name)) }
        }
    }

    @Test func mainReturns64OnUsageErrors() {
        let code = CommandLineInterface.main(["plan", "--nope"], environment: [:], output: Output(out: { _ in }, err: { _ in }),
                                             readStandardInput: { .init() })
        #expect(code == 64)
    }
}

import Foundation
