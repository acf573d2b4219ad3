import Foundation
import GatewayCore
import Testing

/// Every class of bad declaration gets an error naming the file and field, and
/// `reconcile` changes nothing: no file, no commit. No CA is needed to prove that.
@Suite struct InvalidRepositoryTests {
    static let cases: [(name: String, path: String, body: String, expected: String)] = [
        ("unknown field", "hosts/alice/a.duckdns.org.json",
         #"{"host": "a.duckdns.org", "agent_id": "x", "mode": "duckdns", "wildcrd": true}"#, "$.wildcrd: unknown field"),
        ("bad host", "hosts/alice/A.duckdns.org.json",
         #"{"host": "A.duckdns.org", "agent_id": "x", "mode": "duckdns"}"#, "$.host: invalid host name \"A.duckdns.org\""),
        ("path/host mismatch", "hosts/alice/a.duckdns.org.json",
         #"{"host": "b.duckdns.org", "agent_id": "x", "mode": "duckdns"}"#, "does not match the file name"),
        ("syntax", "hosts/alice/a.duckdns.org.json", "{\"host\": \"a.duckdns.org\",,}", "hosts/alice/a.duckdns.org.json:1:26: invalid JSON"),
        ("outside owner folder", "hosts/a.duckdns.org.json",
         #"{"host": "a.duckdns.org", "agent_id": "x", "mode": "duckdns"}"#, "not inside an owner folder"),
    ]

    @Test(arguments: 0..<cases.count)
    func badDeclarationIsNamedAndChangesNothing(index: Int) throws {
        let bad = Self.cases[index]
        let repo = try ScratchRepository(rig: nil)
        #expect(repo.gateway("init").status == 0)
        try repo.declare(owner: "alice", host: "ok.duckdns.org")
        try repo.write(bad.path, bad.body)
        let before = try repo.fingerprint()
        let head = try repo.headID()

        for command in ["validate", "plan", "reconcile"] {
            let run = repo.gateway(command)
            #expect(run.status == 1, "\(bad.name): \(command) exit \(run.status)")
            #expect(run.stderr.contains(bad.path), "\(bad.name): \(run.stderr)")
            #expect(run.stderr.contains(bad.expected), "\(bad.name): \(run.stderr)")
            #expect(run.stderr.contains("nothing was changed"))
        }
        #expect(try repo.fingerprint() == before)
        #expect(try repo.headID() == head)
    }

    @Test func duplicateHostAcrossOwnersIsAnError() throws {
        let repo = try ScratchRepository(rig: nil)
        #expect(repo.gateway("init").status == 0)
        try repo.declare(owner: "alice", host: "a.duckdns.org")
        try repo.declare(owner: "bob", host: "a.duckdns.org")
        let run = repo.gateway("validate")
        #expect(run.status == 1)
        #expect(run.stderr.contains("hosts/bob/a.duckdns.org.json: $.host: host a.duckdns.org is already declared in hosts/alice/a.duckdns.org.json"))
    }

    @Test func validateReportsEveryErrorAtOnce() throws {
        let repo = try ScratchRepository(rig: nil)
        #expect(repo.gateway("init").status == 0)
        try repo.write("hosts/alice/a.duckdns.org.json", #"{"host": "a.duckdns.org", "mode": "duckdns", "key": "rsa-1024"}"#)
        try repo.write("hosts/bob/b.duckdns.org.json", "[]")
        let run = repo.gateway("validate")
        #expect(run.stderr.contains("hosts/alice/a.duckdns.org.json: $.agent_id: missing required field"))
        #expect(run.stderr.contains("hosts/alice/a.duckdns.org.json: $.key: key \"rsa-1024\" is too weak"))
        #expect(run.stderr.contains("hosts/bob/b.duckdns.org.json: expected a JSON object"))
        #expect(run.stderr.contains("3 errors"))
    }

    @Test func badGatewayJSONIsNamed() throws {
        let repo = try ScratchRepository(rig: nil)
        #expect(repo.gateway("init").status == 0)
        try repo.write("gateway.json", #"{"acme": {"directory": "ftp://x"}, "kms": {"provider": "vault"}}"#)
        let run = repo.gateway("plan")
        #expect(run.status == 1)
        #expect(run.stderr.contains("gateway.json: $.kms.provider: unknown provider \"vault\""))
        #expect(run.stderr.contains("gateway.json: $.acme.directory: \"ftp://x\" is not an http(s) URL"))
    }

    @Test func missingRepositoryIsAClearError() throws {
        let repo = try ScratchRepository(rig: nil)
        let run = repo.gateway("plan")
        #expect(run.status == 1)
        #expect(run.stderr.contains("has no gateway.json (run gateway init"))
    }
}
