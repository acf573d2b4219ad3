import Testing
@testable import GatewayCore

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownAnswers(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func millionAs() {
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct PlanReportTests {
    let now = Timestamp(rfc3339: "2026-12-04T12:00:00Z")!
    let alice = OwnerID("alice")!

    func host(_ name: String) -> HostName { try! HostName(validating: name) }
    func declaration(_ name: String, wildcard: Bool = false) -> Declaration {
        Declaration(host: host(name), owner: alice, agentID: "a", mode: .duckdns, wildcard: wildcard)
    }
    func record(_ name: String) -> HostRecord {
        HostRecord(host: host(name), agentID: "a", owner: alice, mode: .duckdns, status: .verified, claimedAt: now)
    }
    func plan(_ declarations: [Declaration], hosts: [HostRecord] = [], at time: Timestamp? = nil) -> Plan {
        Planner().plan(.init(declarations: declarations, hostRecords: Dictionary(uniqueKeysWithValues: hosts.map { ($0.host, $0) }),
                             ownersWithDuckDNSToken: [alice], now: time ?? now))
    }

    @Test func digestIgnoresWordingAndTimeButNotDecisions() {
        let a = plan([declaration("a.duckdns.org")], at: now)
        let later = plan([declaration("a.duckdns.org")], at: now.adding(seconds: 3600))
        #expect(a.digest == later.digest)
        #expect(a.digest.hasPrefix("sha256:") && a.digest.count == 71)
        #expect(a.digest != plan([declaration("a.duckdns.org", wildcard: true)]).digest)
        #expect(a.digest != plan([declaration("a.duckdns.org"), declaration("b.duckdns.org")]).digest)
    }

    @Test func declarationChangesListAddedChangedRemoved() {
        let base = [declaration("a.duckdns.org"), declaration("b.duckdns.org"), declaration("c.duckdns.org")]
        let head = [declaration("a.duckdns.org"), declaration("b.duckdns.org", wildcard: true), declaration("d.duckdns.org")]
        let changes = DeclarationChange.between(base: base, head: head)
        #expect(changes.map { "\($0.kind.rawValue) \($0.host)" } == ["changed b.duckdns.org", "removed c.duckdns.org", "added d.duckdns.org"])
        #expect(changes[0].fields == ["wildcard: false → true"])
    }

    @Test func releaseGuardNamesTheHosts() {
        let hosts = (1...6).map { record("h\($0).duckdns.org") }
        let report = PlanReport(plan: plan([], hosts: hosts), commit: nil, releaseLimit: 5)
        #expect(report.releasesNeedingForce.count == 6)
        #expect(PlanRenderer.text(report).contains("Refused without --force: 6 releases exceed release.max_without_force (5): h1.duckdns.org"))
        #expect(PlanReport(plan: plan([], hosts: Array(hosts.prefix(5))), commit: nil, releaseLimit: 5).releasesNeedingForce.isEmpty)
    }

    @Test func jsonCarriesVersionCommitDigestAndEveryAction() throws {
        let report = PlanReport(plan: plan([declaration("a.duckdns.org")], hosts: [record("gone.duckdns.org")]),
                                commit: "0123456789abcdef0123456789abcdef01234567", releaseLimit: 5)
        let json = try JSONParser.parse(PlanRenderer.json(report))
        #expect(json["format_version"] == .integer(1))
        #expect(json["commit"] == .string("0123456789abcdef0123456789abcdef01234567"))
        #expect(json["digest"] == .string(report.digest))
        #expect(json["has_changes"] == .bool(true))
        #expect(json["summary"]?["claims"] == .integer(1))
        #expect(json["summary"]?["releases"] == .integer(1))
        guard case let .array(actions)? = json["actions"] else { Issue.record("no actions"); return }
        #expect(actions.compactMap { $0["action"]?.stringValue } == ["claim", "release"])
        #expect(actions[0]["owner"] == .string("alice"))
    }

    @Test func markdownIsATableThatStaysUnderTheLimitForHugePlans() {
        let declarations = (0..<20_000).map { declaration(String(format: "h%06d.duckdns.org", $0)) }
        let report = PlanReport(plan: plan(declarations), commit: "abc", releaseLimit: 5)
        let markdown = PlanRenderer.markdown(report)
        #expect(markdown.count < 60_000)
        #expect(markdown.hasPrefix("<!-- gateway-plan -->\n### Gateway plan: 20000 to claim, 0 to issue"))
        #expect(markdown.contains("| Action | Host | Owner | Mode | Current certificate | Reason |"))
        #expect(markdown.contains("more actions** not shown"))
        #expect(markdown.contains(report.digest))
    }

    @Test func markdownEscapesTableBreakingCharacters() {
        var p = plan([declaration("a.duckdns.org")])
        p.actions[0].reason = "a | b"
        #expect(PlanRenderer.markdown(PlanReport(plan: p, commit: nil, releaseLimit: 5)).contains("a \\| b"))
    }
}

import Foundation
