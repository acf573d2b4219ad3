import Foundation
import GatewayCore
import GatewayGit
import Testing

/// `plan` for pull-request review and `reconcile`'s guards, on real git repositories.
/// No CA is contacted: these runs either only plan or are refused before any action.
@Suite struct PlanReviewTests {
    func repository() throws -> ScratchRepository {
        let repo = try ScratchRepository(rig: nil)
        #expect(repo.gateway("init").status == 0)
        return repo
    }

    func writeLedger(_ repo: ScratchRepository, host: String, owner: String = "alice") throws {
        try repo.write("state/hosts/\(host).json", CanonicalJSON.serialize(HostRecord(
            host: try HostName(validating: host), agentID: "agent-1", owner: OwnerID(owner)!, mode: .duckdns, status: .verified,
            claimedAt: Timestamp(rfc3339: "2026-11-01T00:00:00Z")!).json))
    }

    @Test func baseShowsWhatTheBranchChanges() throws {
        let repo = try repository()
        try repo.declare(owner: "alice", host: "keep.duckdns.org")
        try repo.declare(owner: "alice", host: "change.duckdns.org")
        try repo.declare(owner: "alice", host: "drop.duckdns.org")
        try repo.commitDeclarations("main")
        let main = try #require(try repo.headID())

        try repo.declare(owner: "alice", host: "change.duckdns.org", #""wildcard": true"#)
        try repo.declare(owner: "bob", host: "new.duckdns.org")
        try FileManager.default.removeItem(at: repo.root.appendingPathComponent("hosts/alice/drop.duckdns.org.json"))
        try repo.commitDeclarations("branch")

        let run = repo.gateway("plan", "--base", main, "--format", "json")
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONParser.parse(run.stdout)
        #expect(json["base"]?["commit"] == .string(main))
        guard case let .array(changes)? = json["base"]?["declaration_changes"], case let .array(actions)? = json["actions"] else {
            Issue.record("missing base changes or actions"); return
        }
        #expect(changes.map { "\($0["change"]!.stringValue!) \($0["host"]!.stringValue!)" }
                == ["changed change.duckdns.org", "removed drop.duckdns.org", "added new.duckdns.org"])
        let caused = actions.filter { $0["caused_by_change"] == .bool(true) }.compactMap { $0["host"]?.stringValue }
        #expect(caused == ["change.duckdns.org", "new.duckdns.org"])
        #expect(json["commit"] == .string(try repo.headID()!))

        let markdown = repo.gateway("plan", "--base", main, "--format", "markdown")
        #expect(markdown.stdout.contains("- **changed** `change.duckdns.org` (`hosts/alice/change.duckdns.org.json`): wildcard: false → true"))
        #expect(markdown.stdout.contains("- **removed** `drop.duckdns.org`"))
        let text = repo.gateway("plan", "--base", main)
        #expect(text.stdout.contains("Compared with \(main) (\(main.prefix(12))): 1 added, 1 changed, 1 removed declarations"))

        let unknown = repo.gateway("plan", "--base", "no-such-branch")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("--base no-such-branch: no such revision"))
    }

    @Test func detailedExitCodeSaysWhetherChangesArePending() throws {
        let repo = try repository()
        #expect(repo.gateway("plan", "--detailed-exitcode").status == 0)
        try repo.declare(owner: "alice", host: "a.duckdns.org")
        // Without the owner's DuckDNS token nothing can happen yet (await-owner): no change pending.
        #expect(repo.gateway("plan", "--detailed-exitcode").status == 0)
        #expect(repo.gateway("duckdns", "set-token", "--owner", "alice", stdin: "t").status == 0)
        #expect(repo.gateway("plan", "--detailed-exitcode").status == 2)
        #expect(repo.gateway("plan").status == 0)
        try repo.write("hosts/alice/a.duckdns.org.json", "{")
        #expect(repo.gateway("plan", "--detailed-exitcode").status == 1)
    }

    @Test func reconcileRefusesAStalePlan() throws {
        let repo = try repository()
        try repo.declare(owner: "alice", host: "a.duckdns.org")
        let reviewed = try JSONParser.parse(repo.gateway("plan", "--format", "json").stdout)["digest"]!.stringValue!
        try repo.declare(owner: "alice", host: "b.duckdns.org")
        let before = try repo.fingerprint()
        let run = repo.gateway("reconcile", "--plan-digest", reviewed)
        #expect(run.status == 1)
        #expect(run.stderr.contains("the plan changed since it was reviewed (reviewed \(reviewed)"))
        #expect(try repo.fingerprint() == before)
    }

    @Test func tooManyReleasesNeedForce() throws {
        let repo = try repository()
        for i in 1...6 { try writeLedger(repo, host: "h\(i).duckdns.org") }
        let git = try repo.git()
        _ = try git.commit(paths: ["state"], message: "ledger\n", author: GitSignature(name: "t", email: "t@t"))
        let before = try repo.fingerprint()
        let head = try repo.headID()

        let refused = repo.gateway("reconcile")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("would release 6 hosts, more than release.max_without_force (5): h1.duckdns.org, h2.duckdns.org"))
        #expect(try repo.fingerprint() == before)
        #expect(try repo.headID() == head)
        #expect(repo.gateway("plan").stdout.contains("Refused without --force: 6 releases"))

        let forced = repo.gateway("reconcile", "--force")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(repo.read("state/hosts/h6.duckdns.org.json")?.contains(#""status": "released""#) == true)
        #expect(try repo.git().head()?.message.hasPrefix("gateway reconcile: 6 released") == true)
    }

    @Test func noSecretInAnyPlanFormat() throws {
        let repo = try repository()
        try repo.declare(owner: "alice", host: "a.duckdns.org")
        #expect(repo.gateway("duckdns", "set-token", "--owner", "alice", stdin: "very-secret-duckdns-token").status == 0)
        for format in ["text", "json", "markdown"] {
            let run = repo.gateway("plan", "--format", format)
            #expect(!run.stdout.contains("very-secret") && !run.stderr.contains("very-secret"))
            #expect(!run.stdout.contains("PRIVATE KEY"))
        }
    }
}
