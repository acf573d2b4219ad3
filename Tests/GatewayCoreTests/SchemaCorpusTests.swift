import Foundation
import Testing
@testable import GatewayCore

/// One case of the shared corpus in `Tests/Corpus/`, read by this suite (the Swift
/// parsers) and by `scripts/check-schemas.py --self-test` (the JSON Schemas in `state/`).
/// See `Tests/Corpus/README.md` for the format.
struct SchemaCorpusCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    /// Repository-relative path the file is parsed as (declarations only).
    let path: String?
    let text: String?
    let base64: String?
    /// The Swift parser's verdict.
    let valid: Bool
    /// A substring of some issue's `description` (invalid cases only).
    let error: String?

    var testDescription: String { name }

    var bytes: [UInt8]? {
        if let text { return Array(text.utf8) }
        if let base64, let data = Data(base64Encoded: base64) { return Array(data) }
        return nil
    }
}

enum SchemaCorpus {
    /// `Tests/Corpus/`, found from this file so the suite runs from any working directory.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpus")
    static let exampleRepository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/repository")

    static func load(_ name: String) throws -> [SchemaCorpusCase] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        return try JSONDecoder().decode([SchemaCorpusCase].self, from: data)
    }

    // A corpus that fails to load yields no arguments here; `corpusFilesAreWellFormed` then fails.
    static let declarations = (try? load("declarations.json")) ?? []
    static let gatewayConfigs = (try? load("gateway-configs.json")) ?? []
}

@Suite struct SchemaCorpusTests {
    /// Compares one parser verdict with the case; `issues` is empty exactly when the parser accepted the file.
    func check(_ testCase: SchemaCorpusCase, issues: [ValidationIssue], parsed: Bool) {
        let listing = issues.isEmpty ? "(no issues)" : issues.map { "  \($0.description)" }.joined(separator: "\n")
        #expect(parsed == issues.isEmpty, "a result must come with no issues, and no result with at least one:\n\(listing)")
        #expect(issues.isEmpty == testCase.valid,
                "\(testCase.name): the corpus says \(testCase.valid ? "valid" : "invalid"), the parser reported:\n\(listing)")
        if !testCase.valid, issues.isEmpty == false, let error = testCase.error {
            #expect(issues.contains { $0.description.contains(error) },
                    "\(testCase.name): no issue contains \"\(error)\":\n\(listing)")
        }
    }

    @Test(arguments: SchemaCorpus.declarations)
    func declaration(_ testCase: SchemaCorpusCase) throws {
        let bytes = try #require(testCase.bytes, "case has neither text nor valid base64")
        let path = try #require(testCase.path, "a declaration case needs a path")
        let (declaration, issues) = DeclarationParser.parse(bytes, file: path)
        check(testCase, issues: issues, parsed: declaration != nil)
        for issue in issues { #expect(issue.file == path) }
    }

    @Test(arguments: SchemaCorpus.gatewayConfigs)
    func gatewayConfig(_ testCase: SchemaCorpusCase) throws {
        let bytes = try #require(testCase.bytes, "case has neither text nor valid base64")
        let (config, issues) = RepoConfig.parse(bytes, file: "gateway.json")
        check(testCase, issues: issues, parsed: config != nil)
    }

    /// The corpus itself: loads, names are unique, every invalid case says which error it expects.
    @Test(arguments: ["declarations.json", "gateway-configs.json"])
    func corpusFilesAreWellFormed(_ file: String) throws {
        let cases = try SchemaCorpus.load(file)
        #expect(cases.count >= 50)
        var names = Set<String>()
        for testCase in cases {
            #expect(names.insert(testCase.name).inserted, "duplicate case name \"\(testCase.name)\"")
            #expect((testCase.text == nil) != (testCase.base64 == nil), "\(testCase.name): exactly one of text and base64")
            #expect(testCase.bytes != nil, "\(testCase.name): base64 does not decode")
            #expect(testCase.valid == (testCase.error == nil), "\(testCase.name): an invalid case needs an error, a valid one none")
            #expect((file == "declarations.json") == (testCase.path != nil), "\(testCase.name): path is for declarations only")
        }
        #expect(cases.contains { $0.valid } && cases.contains { !$0.valid })
    }

    @Test func exampleDeclarationsParseWithoutIssues() throws {
        let hosts = SchemaCorpus.exampleRepository.appendingPathComponent("hosts")
        let enumerator = try #require(FileManager.default.enumerator(at: hosts, includingPropertiesForKeys: nil))
        var checked = 0
        for case let url as URL in enumerator where url.pathExtension == "json" {
            let relative = "hosts/" + url.path.dropFirst(hosts.path.count + 1)
            let (declaration, issues) = DeclarationParser.parse(Array(try Data(contentsOf: url)), file: relative)
            #expect(issues.isEmpty, "\(relative): \(issues.map(\.description))")
            #expect(declaration?.file == relative)
            checked += 1
        }
        #expect(checked >= 3, "expected the example declarations under \(hosts.path)")
    }

    @Test func exampleGatewayJSONParsesWithoutIssues() throws {
        let url = SchemaCorpus.exampleRepository.appendingPathComponent("gateway.json")
        let (config, issues) = RepoConfig.parse(Array(try Data(contentsOf: url)), file: "gateway.json")
        #expect(issues.isEmpty, "\(issues.map(\.description))")
        #expect(config == RepoConfig(), "the example gateway.json is the defaults gateway init writes")
    }
}
