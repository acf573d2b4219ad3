import Foundation
@testable import GatewayCore
@testable import GatewayHTTP
@testable import GatewayKit
import Testing

/// Pure pieces of the ACME client, checked against the RFCs' own examples.
@Suite struct ACMEUnitTests {
    @Test func ariCertificateIDMatchesRFC9773() {
        // RFC 9773 §4.1: AKI 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4, serial 00:87:65:43:21.
        let aki = Data([0x69, 0x88, 0x5B, 0x6B, 0x87, 0x46, 0x40, 0x41, 0xE1, 0xB3, 0x7B, 0x84, 0x7B, 0xA0, 0xAE, 0x2C, 0xDE, 0x01, 0xC8, 0xD4])
        #expect(IssuanceWorker.ariCertificateID(authorityKeyIdentifier: aki, serial: Data([0x00, 0x87, 0x65, 0x43, 0x21]))
                == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE")
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        func response(_ value: String?) -> HTTPResponse {
            HTTPResponse(status: 429, headerFields: value.map { [(name: "retry-after", value: $0)] } ?? [], body: Data())
        }
        #expect(ACMEClient.retryAfter(response("120")) == 120)
        #expect(ACMEClient.retryAfter(response(nil)) == nil)
        #expect(ACMEClient.retryAfter(response("soon")) == nil)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let inAMinute = ACMEClient.retryAfter(response(formatter.string(from: Date().addingTimeInterval(60))))
        #expect(inAMinute.map { (58...61).contains($0) } == true, "\(String(describing: inAMinute))")
        #expect(ACMEClient.retryAfter(response("Sun, 06 Nov 1994 08:49:37 GMT")) == 0)
    }

    @Test func retryScheduleDoublesUpToTheMaximum() {
        let schedule = RetrySchedule(initial: 3600, maximum: 32 * 3600)
        #expect((1...8).map { schedule.delay(afterFailures: $0) / 3600 } == [1, 2, 4, 8, 16, 32, 32, 32])
        #expect(schedule.delay(afterFailures: 1000) == 32 * 3600)
    }

    @Test func renewalInstantIsInsideTheWindow() {
        let start = Timestamp(rfc3339: "2027-01-01T00:00:00Z")!
        let info = RenewalInfo(start: start, end: start.adding(days: 2), retryAfter: nil, explanationURL: nil)
        var generator = SystemRandomNumberGenerator()
        let picks = (0..<200).map { _ in info.randomInstant(using: &generator) }
        #expect(picks.allSatisfy { $0 >= info.start && $0 <= info.end })
        #expect(Set(picks).count > 100, "spread over the window, not one instant")
    }

    @Test func dns01ValueIsTheKeyAuthorizationDigest() {
        // RFC 8555 §8.4: base64url(SHA-256(token "." thumbprint)).
        let value = ACMEChallenge.dns01TXTValue(token: "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA",
                                                accountThumbprint: "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0")
        #expect(value.count == 43)
        #expect(value == Base64.urlEncode(SHA256.hash(Array("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0".utf8))))
        #expect(ACMEChallenge.dns01RecordName(for: "*.alice.duckdns.org") == "_acme-challenge.alice.duckdns.org")
    }

    @Test func problemDocumentsBecomeTypedErrors() {
        let body = Array(#"{"type": "urn:ietf:params:acme:error:rateLimited", "detail": "too many", "subproblems": [{"type": "urn:ietf:params:acme:error:rejectedIdentifier", "detail": "no", "identifier": {"type": "dns", "value": "x.example"}}]}"#.utf8)
        let error = ACMEError.fromProblem(body, status: 429, url: "https://ca/new-order", retryAfter: 30)
        #expect(error.code == .rateLimited)
        #expect(error.retryAfter == 30)
        #expect(error.reason == "too many [x.example: no]")
        #expect(ACMEError.fromProblem(Array("<html>".utf8), status: 503, url: "u", retryAfter: nil).code == .unreachable)
    }

    @Test func configTableInTheREADMEListsEveryField() throws {
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md").standardizedFileURL, encoding: .utf8)
        for field in ConfigField.all {
            #expect(readme.contains("`\(field.section).\(field.name)`"), "README lacks \(field.section).\(field.name)")
            #expect(readme.contains(field.environment), "README lacks \(field.environment)")
        }
    }
}
