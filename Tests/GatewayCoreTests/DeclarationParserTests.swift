import Testing
@testable import GatewayCore

@Suite struct DeclarationParserTests {
    func parse(_ text: String, file: String = "hosts/alice/alice.duckdns.org.json") -> (Declaration?, [ValidationIssue]) {
        DeclarationParser.parse(Array(text.utf8), file: file)
    }

    @Test func parsesAFullDeclaration() throws {
        let (declaration, issues) = parse("""
        {"host": "alice.duckdns.org", "agent_id": "agent-42", "mode": "duckdns", "wildcard": true, "key": "ec-p384",
         "ips": ["203.0.113.10", "2001:db8::10"], "$schema": "x"}
        """)
        #expect(issues.isEmpty)
        let d = try #require(declaration)
        #expect(d.owner.value == "alice")
        #expect(d.subjectAlternativeNames == ["alice.duckdns.org", "*.alice.duckdns.org"])
        #expect(d.key == .ecP384)
        #expect(d.ips.map(\.description) == ["203.0.113.10", "2001:db8::10"])
    }

    @Test func defaultsApply() throws {
        let (declaration, _) = parse(#"{"host": "alice.duckdns.org", "agent_id": "a", "mode": "duckdns"}"#)
        let d = try #require(declaration)
        #expect(d.wildcard == false)
        #expect(d.key == .ecP256)
        #expect(d.ips.isEmpty)
    }

    @Test(arguments: [
        (#"{"host": "alice.duckdns.org", "agent_id": "a", "mode": "duckdns", "wildcards": true}"#, "$.wildcards", "did you mean \"wildcard\""),
        (#"{"host": "alice.duckdns.org", "agent_id": "a", "mode": "duckdns", "wildcard": "yes"}"#, "$.wildcard", "expected true or false"),
        (#"{"host": "alice.duckdns.org", "mode": "duckdns"}"#, "$.agent_id", "missing required field"),
        (#"{"host": "alice.duckdns.org", "agent_id": "", "mode": "duckdns"}"#, "$.agent_id", "must not be empty"),
        (#"{"host": "Alice.duckdns.org", "agent_id": "a", "mode": "duckdns"}"#, "$.host", "lower case"),
        (#"{"host": "bob.duckdns.org", "agent_id": "a", "mode": "duckdns"}"#, "$.host", "does not match the file name"),
        (#"{"host": "alice.duckdns.org", "agent_id": "a", "mode": "dns"}"#, "$.mode", "expected duckdns or custom"),
        (#"{"host": "alice.duckdns.org", "agent_id": "a", "mode": "duckdns", "key": "rsa-1024"}"#, "$.key", "too weak"),
        (#"{"host": "alice.duckdns.org", "agent_id": "a", "mode": "duckdns", "key": "ed25519"}"#, "$.key", "unknown key type"),
        (#"{"host": "alice.duckdns.org", "agent_id": "a", "mode": "duckdns", "ips": ["1.2.3.400"]}"#, "$.ips[0]", "invalid IP"),
    ])
    func reportsFieldErrorsWithTheirPath(text: String, path: String, fragment: String) {
        let (declaration, issues) = parse(text)
        #expect(declaration == nil)
        let issue = issues.first { $0.jsonPath == path }
        #expect(issue != nil, "no issue at \(path): \(issues)")
        #expect(issue?.message.contains(fragment) == true, "\(issues)")
        #expect(issue?.file == "hosts/alice/alice.duckdns.org.json")
    }

    @Test func reportsEveryErrorNotOnlyTheFirst() {
        let (_, issues) = parse(#"{"host": "Bad", "agent_id": 7, "mode": "x", "extra": 1}"#)
        #expect(Set(issues.compactMap(\.jsonPath)) == ["$.host", "$.agent_id", "$.mode", "$.extra"])
    }

    @Test func duckDNSModeNeedsADuckDNSHost() {
        let (_, issues) = parse(#"{"host": "alice.example.org", "agent_id": "a", "mode": "duckdns"}"#,
                                file: "hosts/alice/alice.example.org.json")
        #expect(issues.contains { $0.jsonPath == "$.mode" && $0.message.contains("duckdns.org") })
    }

    @Test(arguments: [
        ("hosts/alice.duckdns.org.json", "not inside an owner folder"),
        ("hosts/Alice/alice.duckdns.org.json", "not a valid owner id"),
        ("hosts/alice/sub/alice.duckdns.org.json", "not inside an owner folder"),
    ])
    func checksTheFileLocation(file: String, fragment: String) {
        let (declaration, issues) = parse(#"{"host": "alice.duckdns.org", "agent_id": "a", "mode": "duckdns"}"#, file: file)
        #expect(declaration == nil)
        #expect(issues.contains { $0.message.contains(fragment) }, "\(issues)")
    }

    @Test func syntaxErrorsCarryLineAndColumn() {
        let (_, issues) = parse("{\n  \"host\": \"alice.duckdns.org\",\n}")
        #expect(issues.count == 1)
        #expect(issues.first?.line == 3)
        #expect(issues.first?.description.hasPrefix("hosts/alice/alice.duckdns.org.json:3:1: invalid JSON") == true)
    }

    @Test func nonObjectDocumentsAreRejected() {
        let (_, issues) = parse("[1]")
        #expect(issues.first?.message.contains("expected a JSON object") == true)
    }
}

@Suite struct RepoConfigTests {
    @Test func defaultsRoundTripThroughTheParser() throws {
        let text = CanonicalJSON.serialize(RepoConfig().json)
        let (config, issues) = RepoConfig.parse(Array(text.utf8))
        #expect(issues.isEmpty, "\(issues)")
        #expect(config == RepoConfig())
        #expect(text.contains("\"before_days\": 30"))
    }

    @Test func unknownSectionsFieldsAndValuesAreErrors() {
        let (config, issues) = RepoConfig.parse(Array(#"{"acme": {"directry": "x"}, "kms": {"provider": "vault"}, "extra": {}, "renewal": {"before_days": 0}}"#.utf8))
        #expect(config == nil)
        let paths = Set(issues.compactMap(\.jsonPath))
        #expect(paths.isSuperset(of: ["$.acme.directry", "$.kms.provider", "$.extra", "$.renewal.before_days"]), "\(issues)")
    }

    @Test func environmentOverridesEveryKindOfField() throws {
        var config = RepoConfig()
        try config.applyEnvironment([
            "GATEWAY_ACME_DIRECTORY": "https://127.0.0.1:14000/dir", "GATEWAY_DNS_RESOLVERS": "127.0.0.1:8053, [::1]:53",
            "GATEWAY_RENEWAL_BEFORE_DAYS": "10", "GATEWAY_RELEASE_REVOKE": "false", "GATEWAY_ACME_CA_BUNDLE": "/tmp/ca.pem",
        ])
        #expect(config.acme.directory == "https://127.0.0.1:14000/dir")
        #expect(config.dns.resolvers == ["127.0.0.1:8053", "[::1]:53"])
        #expect(config.renewal.beforeDays == 10)
        #expect(config.release.revoke == false)
        #expect(config.acme.caBundle == "/tmp/ca.pem")
    }

    @Test func badEnvironmentValuesNameTheVariable() {
        var config = RepoConfig()
        #expect(throws: ValidationError.self) { try config.applyEnvironment(["GATEWAY_RENEWAL_BEFORE_DAYS": "soon"]) }
        do {
            try config.applyEnvironment(["GATEWAY_DNS_RESOLVERS": "dns.example"])
        } catch {
            #expect(error.description.contains("dns.example"))
        }
    }
}
