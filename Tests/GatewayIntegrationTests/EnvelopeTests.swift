import Foundation
import GatewayCore
import GatewayKit
import Testing

/// Wrapped files open only where they were written, under the key that wrapped them.
@Suite struct EnvelopeTests {
    func store() throws -> (ScratchRepository, SecretStore) {
        let repo = try ScratchRepository(rig: nil)
        #expect(repo.gateway("init").status == 0)
        let envelope = try Envelope.local(keyID: "local-1", environment: repo.environment)
        return (repo, SecretStore(repository: ManagedRepository(root: repo.root), envelope: envelope))
    }

    @Test func initCreatesA0600KeyOutsideTheRepository() throws {
        let (repo, _) = try store()
        let key = repo.keyDirectory.appendingPathComponent("local-1.key")
        let mode = try FileManager.default.attributesOfItem(atPath: key.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!key.path.hasPrefix(repo.root.path))
    }

    @Test func roundTripsAndKeepsThePlaintextOut() throws {
        let (repo, secrets) = try store()
        let alice = OwnerID("alice")!
        try secrets.storeDuckDNSToken("s3cret-token-value", owner: alice)
        #expect(try secrets.duckDNSToken(owner: alice) == "s3cret-token-value")
        let onDisk = try #require(repo.read("owners/alice/secrets/duckdns-token.json"))
        #expect(!onDisk.contains("s3cret"))
        #expect(onDisk.contains(#""format": "gateway-envelope/1""#))
        #expect(onDisk.hasSuffix("}\n"))
    }

    @Test func aFileCopiedToAnotherOwnerDoesNotOpen() throws {
        let (repo, secrets) = try store()
        try secrets.storeDuckDNSToken("alice-token", owner: OwnerID("alice")!)
        try repo.write("owners/bob/secrets/duckdns-token.json", repo.read("owners/alice/secrets/duckdns-token.json")!)
        #expect(throws: (any Error).self) { try secrets.duckDNSToken(owner: OwnerID("bob")!) }
        // Even with the header rewritten to the new path, the AAD no longer matches.
        let forged = repo.read("owners/alice/secrets/duckdns-token.json")!
            .replacingOccurrences(of: "owners/alice/", with: "owners/bob/")
        try repo.write("owners/bob/secrets/duckdns-token.json", forged)
        do {
            _ = try secrets.duckDNSToken(owner: OwnerID("bob")!)
            Issue.record("a moved file opened")
        } catch {
            #expect("\(error)".contains("owners/bob/secrets/duckdns-token.json"))
        }
    }

    @Test func anEditedKindOrKeyIDFailsToOpen() throws {
        let (repo, secrets) = try store()
        try secrets.storeDuckDNSToken("t", owner: OwnerID("alice")!)
        let original = repo.read("owners/alice/secrets/duckdns-token.json")!
        try repo.write("owners/alice/secrets/duckdns-token.json",
                       original.replacingOccurrences(of: #""key_id": "local-1""#, with: #""key_id": "local-2""#))
        #expect(throws: (any Error).self) { try secrets.duckDNSToken(owner: OwnerID("alice")!) }
    }

    @Test func anotherKeyCannotOpen() throws {
        let (repo, secrets) = try store()
        try secrets.storeDuckDNSToken("t", owner: OwnerID("alice")!)
        var environment = repo.environment
        environment["GATEWAY_KMS_LOCAL_KEY"] = Base64.encode([UInt8](repeating: 7, count: 32))
        let other = SecretStore(repository: ManagedRepository(root: repo.root),
                                envelope: try Envelope.local(keyID: "local-1", environment: environment))
        #expect(throws: EnvelopeError.self) { try other.duckDNSToken(owner: OwnerID("alice")!) }
    }
}

@Suite struct LocalKeyFileTests {
    @Test func aKeyFileMayHoldRawBytesOrBase64() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let raw = Data((0..<32).map { UInt8($0) })
        try raw.write(to: directory.appendingPathComponent("raw.key"))
        try Data((Base64.encode(raw) + "\n").utf8).write(to: directory.appendingPathComponent("text.key"))
        try Data("short".utf8).write(to: directory.appendingPathComponent("bad.key"))
        let environment = ["GATEWAY_KMS_LOCAL_KEY_DIR": directory.path]
        let fromRaw = try LocalKeyProvider.load(keyID: "raw", configuredKeyID: "raw", environment: environment)
        let fromText = try LocalKeyProvider.load(keyID: "text", configuredKeyID: "text", environment: environment)
        // Same key bytes: what one wraps, the other unwraps.
        let wrapped = try fromRaw.wrap(dataKey: Data(repeating: 9, count: 32), context: ["path": "p", "kind": "k"])
        #expect(try fromText.unwrap(wrappedKey: wrapped, context: ["path": "p", "kind": "k"]) == Data(repeating: 9, count: 32))
        #expect(throws: EnvelopeError.self) { try LocalKeyProvider.load(keyID: "bad", configuredKeyID: "bad", environment: environment) }
        #expect(throws: EnvelopeError.self) { try LocalKeyProvider.load(keyID: "none", configuredKeyID: "none", environment: environment) }
    }
}
