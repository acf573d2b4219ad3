import Testing
@testable import GatewayCore

@Suite struct HostNameTests {
    @Test(arguments: ["alice.duckdns.org", "a.b", "xn--bcher-kva.example", "my-host.example.org", "a1.example.org",
                      String(repeating: "a", count: 63) + ".org"])
    func acceptsValidNames(name: String) throws {
        #expect(try HostName(validating: name).value == name)
    }

    @Test(arguments: [
        ("", "empty"),
        ("a..example.org", "empty label"),
        (String(repeating: "a", count: 64) + ".org", "at most 63"),
        ((0..<64).map { _ in "abc" }.joined(separator: "."), "at most 253"),
        ("-a.example.org", "hyphen"),
        ("a-.example.org", "hyphen"),
        ("Alice.example.org", "lower case"),
        ("alice.example.org.", "trailing dot"),
        ("*.example.org", "'*'"),
        ("192.0.2.1", "IP address"),
        ("2001:db8::1", "IP address"),
        ("localhost", "single label"),
        ("a/b.example.org", "path separator"),
        ("a_b.example.org", "character"),
        ("example.123", "all digits"),
    ])
    func rejectsInvalidNames(name: String, reason: String) {
        #expect(HostName.problem(with: name)?.reason.contains(reason) == true, "\(name): \(HostName.problem(with: name)?.reason ?? "accepted")")
    }

    @Test func duckDNSDomainIsTheLabelBeforeDuckDNSOrg() throws {
        #expect(try HostName(validating: "alice.duckdns.org").duckDNSDomain == "alice")
        #expect(try HostName(validating: "www.alice.duckdns.org").duckDNSDomain == "alice")
        #expect(try HostName(validating: "alice.example.org").duckDNSDomain == nil)
        #expect(try HostName(validating: "duckdns.org").duckDNSDomain == nil)
    }
}

@Suite struct IPAddressTests {
    @Test(arguments: [("203.0.113.10", "203.0.113.10"), ("2001:DB8:0:0:0:0:0:10", "2001:db8::10"), ("::1", "::1"),
                      ("2001:db8::", "2001:db8::"), ("::ffff:192.0.2.1", "::ffff:c000:201"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3")])
    func parsesAndCanonicalises(text: String, canonical: String) throws {
        #expect(try #require(IPAddress(text)).description == canonical)
    }

    @Test(arguments: ["256.1.1.1", "1.2.3", "01.2.3.4", "1:2:3:4:5:6:7:8:9", "1::2::3", "abc", "", "1.2.3.4 "])
    func rejectsInvalid(text: String) {
        #expect(IPAddress(text) == nil)
    }
}

@Suite struct OwnerIDTests {
    @Test func followsTheLayoutRule() {
        #expect(OwnerID("alice") != nil)
        #expect(OwnerID("a_b-9") != nil)
        #expect(OwnerID("_alice") == nil)
        #expect(OwnerID("Alice") == nil)
        #expect(OwnerID(String(repeating: "a", count: 64)) == nil)
        #expect(OwnerID("") == nil)
    }
}
