import Testing
@testable import GatewayCore

@Suite struct PlannerTests {
    let now = Timestamp(rfc3339: "2026-12-04T12:00:00Z")!
    let alice = OwnerID("alice")!

    func host(_ name: String) -> HostName { try! HostName(validating: name) }

    func declaration(_ name: String, wildcard: Bool = false, key: KeyType = .ecP256, ips: [String] = [],
                     mode: HostMode = .duckdns) -> Declaration {
        Declaration(host: host(name), owner: alice, agentID: "agent-1", mode: mode, wildcard: wildcard, key: key,
                    ips: ips.compactMap(IPAddress.init))
    }

    func verified(_ name: String, mode: HostMode = .duckdns) -> HostRecord {
        HostRecord(host: host(name), agentID: "agent-1", owner: alice, mode: mode, status: .verified,
                   claimedAt: now.adding(days: -60), verifiedAt: now.adding(days: -60), verifiedBy: .duckdnsToken)
    }

    func cert(_ name: String, issuedDaysAgo: Int, lifetimeDays: Int = 90, sans: [String]? = nil, key: KeyType = .ecP256) -> CertRecord {
        let notBefore = now.adding(days: -issuedDaysAgo)
        let notAfter = notBefore.adding(days: lifetimeDays)
        return CertRecord(host: host(name), serial: "0a1b", sans: sans ?? [name], key: key, issuer: "CN=test",
                          notBefore: notBefore, notAfter: notAfter, sha256: "00", issuedAt: notBefore,
                          renewAt: RenewalPolicy.renewAt(notBefore: notBefore, notAfter: notAfter, beforeDays: 30))
    }

    func plan(_ declarations: [Declaration], hosts: [HostRecord] = [], certs: [CertRecord] = [],
              tokens: Set<OwnerID>? = nil, ips: [HostName: [IPAddress.Family: [IPAddress]]] = [:], force: Bool = false) -> Plan {
        Planner().plan(.init(declarations: declarations,
                             hostRecords: Dictionary(uniqueKeysWithValues: hosts.map { ($0.host, $0) }),
                             certRecords: Dictionary(uniqueKeysWithValues: certs.map { ($0.host, $0) }),
                             currentIPs: ips, ownersWithDuckDNSToken: tokens ?? [alice], now: now, force: force))
    }

    @Test func newDeclarationIsClaimed() {
        let p = plan([declaration("alice.duckdns.org", wildcard: true)])
        #expect(p.actions.map(\.kind) == [.claim])
        #expect(p.actions[0].sans == ["alice.duckdns.org", "*.alice.duckdns.org"])
        #expect(p.actions[0].reason.contains("new declaration"))
        #expect(p.hasChanges)
    }

    @Test func duckDNSHostWithoutTokenWaitsForTheOwner() {
        let p = plan([declaration("alice.duckdns.org")], tokens: [])
        #expect(p.actions[0].kind == .awaitOwner)
        #expect(p.actions[0].reason.contains("gateway duckdns set-token --owner alice"))
        #expect(!p.hasChanges)
    }

    @Test func verifiedHostWithoutCertificateIsIssued() {
        let p = plan([declaration("alice.duckdns.org")], hosts: [verified("alice.duckdns.org")])
        #expect(p.actions[0].kind == .issue)
        #expect(p.actions[0].reason == "no certificate yet")
    }

    @Test func freshCertificateIsANoopWithDaysLeft() {
        let p = plan([declaration("alice.duckdns.org")], hosts: [verified("alice.duckdns.org")],
                     certs: [cert("alice.duckdns.org", issuedDaysAgo: 10)])
        #expect(p.actions[0].kind == .noop)
        #expect(p.actions[0].reason.contains("valid for 80 more days"))
        #expect(p.actions[0].current?.daysRemaining == 80)
        #expect(!p.hasChanges)
    }

    @Test func renewsFromRenewAt() {
        // 90-day certificate: renew_at = not_after − 30 days = day 60.
        let due = plan([declaration("alice.duckdns.org")], hosts: [verified("alice.duckdns.org")],
                       certs: [cert("alice.duckdns.org", issuedDaysAgo: 60)])
        #expect(due.actions[0].kind == .renew)
        #expect(due.actions[0].reason.contains("expires in 30 days"))
        let notYet = plan([declaration("alice.duckdns.org")], hosts: [verified("alice.duckdns.org")],
                          certs: [cert("alice.duckdns.org", issuedDaysAgo: 59)])
        #expect(notYet.actions[0].kind == .noop)
    }

    @Test func renewalMarginIsCappedAtAThirdOfTheLifetime() {
        let notBefore = now
        let renewAt = RenewalPolicy.renewAt(notBefore: notBefore, notAfter: notBefore.adding(days: 6), beforeDays: 30)
        #expect(renewAt == notBefore.adding(days: 4))
    }

    @Test func wildcardChangeReissues() {
        let p = plan([declaration("alice.duckdns.org", wildcard: true)], hosts: [verified("alice.duckdns.org")],
                     certs: [cert("alice.duckdns.org", issuedDaysAgo: 1)])
        #expect(p.actions[0].kind == .issue)
        #expect(p.actions[0].reason.contains("adds *.alice.duckdns.org"))
    }

    @Test func keyTypeChangeReissues() {
        let p = plan([declaration("alice.duckdns.org", key: .rsa2048)], hosts: [verified("alice.duckdns.org")],
                     certs: [cert("alice.duckdns.org", issuedDaysAgo: 1)])
        #expect(p.actions[0].kind == .issue)
        #expect(p.actions[0].reason.contains("ec-p256 to rsa-2048"))
    }

    @Test func removedDeclarationIsReleasedButReleasedHostsStayQuiet() {
        var old = verified("old.duckdns.org")
        let p = plan([], hosts: [old], certs: [cert("old.duckdns.org", issuedDaysAgo: 1)])
        #expect(p.actions.map(\.kind) == [.release])
        #expect(p.actions[0].reason.contains("hosts/alice/old.duckdns.org.json was removed"))
        old.status = .released
        #expect(plan([], hosts: [old]).actions.isEmpty)
    }

    @Test func backoffIsHonouredUnlessForced() {
        var c = cert("alice.duckdns.org", issuedDaysAgo: 70)
        c.failures = .init(count: 2, lastError: "rateLimited", nextAttemptAt: now.adding(seconds: 3600))
        let held = plan([declaration("alice.duckdns.org")], hosts: [verified("alice.duckdns.org")], certs: [c])
        #expect(held.actions[0].kind == .noop)
        #expect(held.actions[0].reason.contains("backing off after 2 failures"))
        let forced = plan([declaration("alice.duckdns.org")], hosts: [verified("alice.duckdns.org")], certs: [c], force: true)
        #expect(forced.actions[0].kind == .renew)
    }

    @Test func changedAddressesAreRecordedPerFamily() {
        let h = host("alice.duckdns.org")
        let p = plan([declaration("alice.duckdns.org", ips: ["203.0.113.9", "2001:db8::1"])], hosts: [verified("alice.duckdns.org")],
                     certs: [cert("alice.duckdns.org", issuedDaysAgo: 1)],
                     ips: [h: [.v4: [IPAddress("203.0.113.8")!], .v6: [IPAddress("2001:db8::1")!]]])
        #expect(p.actions[0].kind == .recordIPs)
        #expect(p.actions[0].ipChanges.map(\.family) == [.v4])
        #expect(p.actions[0].ipChanges.first?.ips.map(\.description) == ["203.0.113.9"])
    }

    @Test func customHostsWaitForTheOwnerToRenew() {
        let p = plan([declaration("shop.example.org", mode: .custom)], hosts: [verified("shop.example.org", mode: .custom)],
                     certs: [cert("shop.example.org", issuedDaysAgo: 65)])
        #expect(p.actions[0].kind == .awaitOwner)
        #expect(p.actions[0].reason.contains("acme start shop.example.org"))
    }

    @Test func orderIsStableByHost() {
        let p = plan([declaration("b.duckdns.org"), declaration("a.duckdns.org")],
                     hosts: [verified("c.duckdns.org")])
        #expect(p.actions.map(\.host.value) == ["a.duckdns.org", "b.duckdns.org", "c.duckdns.org"])
        #expect(p.summaryLine == "Plan: 2 to claim, 0 to issue, 0 to renew, 1 to release, 0 waiting on an owner, 0 unchanged.")
    }

    @Test func ownerChangeReclaims() {
        var record = verified("alice.duckdns.org")
        record = HostRecord(host: record.host, agentID: "agent-1", owner: OwnerID("bob")!, mode: .duckdns, status: .verified,
                            claimedAt: record.claimedAt)
        let p = plan([declaration("alice.duckdns.org")], hosts: [record])
        #expect(p.actions[0].kind == .claim)
        #expect(p.actions[0].reason.contains("from owner bob to alice"))
    }
}

@Suite struct LedgerRecordTests {
    @Test func certRecordRoundTripsByteStable() throws {
        let host = try HostName(validating: "alice.duckdns.org")
        let t = Timestamp(rfc3339: "2026-12-04T12:00:00Z")!
        let record = CertRecord(host: host, serial: "0abc", sans: ["alice.duckdns.org"], key: .ecP256, issuer: "CN=x",
                                notBefore: t, notAfter: t.adding(days: 90), sha256: "ff", issuedAt: t, renewAt: t.adding(days: 60),
                                orderURL: "https://ca/order/1", wrapped: "owners/alice/certificates/alice.duckdns.org.json",
                                failures: .init(count: 1, lastError: "x", nextAttemptAt: t))
        let text = CanonicalJSON.serialize(record.json)
        let parsed = try CertRecord(json: try JSONParser.parse(text), file: "state/certs/alice.duckdns.org.json")
        #expect(parsed == record)
        #expect(CanonicalJSON.serialize(parsed.json) == text)
    }

    @Test func hostRecordRejectsUnknownStatus() throws {
        let json = try JSONParser.parse(#"{"host":"a.duckdns.org","agent_id":"x","owner":"alice","mode":"duckdns","status":"gone","claimed_at":"2026-12-04T12:00:00Z"}"#)
        #expect(throws: ValidationError.self) { try HostRecord(json: json, file: "state/hosts/a.duckdns.org.json") }
    }

    @Test func ipHistoryLinesAreCompactAndSorted() {
        let entry = IPHistoryEntry(at: Timestamp(rfc3339: "2026-12-04T12:00:00Z")!, family: .v4,
                                   ips: [IPAddress("203.0.113.9")!, IPAddress("192.0.2.1")!], source: .declared)
        #expect(entry.jsonLine == #"{"at":"2026-12-04T12:00:00Z","family":"A","ips":["192.0.2.1","203.0.113.9"],"source":"declared"}"# + "\n")
    }
}

@Suite struct EnvelopeFileTests {
    @Test func headerMustMatchItsLocation() throws {
        let file = EnvelopeFile(kind: .certificate, path: "owners/alice/certificates/a.duckdns.org.json",
                                kek: .init(provider: "local", keyID: "local-1"), wrappedDEK: [1, 2], nonce: [3], ciphertext: [4])
        let bytes = Array(file.serialized.utf8)
        #expect(try EnvelopeFile.parse(bytes, location: file.path) == file)
        do {
            _ = try EnvelopeFile.parse(bytes, location: "owners/bob/certificates/a.duckdns.org.json")
            Issue.record("moved file accepted")
        } catch {
            #expect(error.description.contains("cannot be moved"))
        }
    }

    @Test func additionalDataBindsKindPathAndKey() {
        let kek = EnvelopeFile.KeyReference(provider: "local", keyID: "k")
        let a = EnvelopeFile.additionalData(kind: .certificate, path: "p", kek: kek)
        #expect(a != EnvelopeFile.additionalData(kind: .duckDNSToken, path: "p", kek: kek))
        #expect(a != EnvelopeFile.additionalData(kind: .certificate, path: "q", kek: kek))
        #expect(a != EnvelopeFile.additionalData(kind: .certificate, path: "p", kek: .init(provider: "local", keyID: "k2")))
    }
}
