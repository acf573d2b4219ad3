import Testing
@testable import GatewayCore

@Suite struct JSONParserTests {
    @Test func parsesNestedDocumentKeepingMemberOrder() throws {
        let value = try JSONParser.parse(#"{"b": [1, 2.5, "x\u00e9\n"], "a": {"t": true, "f": false, "n": null}}"#)
        guard case let .object(members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a"])
        #expect(value["b"] == .array([.integer(1), .number(2.5), .string("xé\n")]))
        #expect(value["a"]?["n"] == .null)
    }

    @Test(arguments: [
        ("", 1, 1, "empty document"),
        ("{\"a\": 1,}", 1, 9, "trailing comma"),
        ("{\n  \"a\": tru\n}", 2, 8, "expected a value"),
        ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate member"),
        ("[1 2]", 1, 4, "expected ',' or ']'"),
        ("{\"a\": 01}", 1, 8, "leading zero"),
        ("\"abc", 1, 5, "unterminated string"),
        ("{} {}", 1, 4, "after the JSON value"),
    ])
    func reportsSyntaxErrorsWithLineAndColumn(input: String, line: Int, column: Int, fragment: String) {
        do {
            _ = try JSONParser.parse(input)
            Issue.record("expected a syntax error for \(input)")
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
    }
}

@Suite struct CanonicalJSONTests {
    @Test func sortsKeysIndentsTwoSpacesAndEndsWithNewline() {
        let value = JSONValue.object([("z", .integer(1)), ("a", .array([.string("x"), .null])), ("m", .object([])), ("e", .array([]))])
        #expect(CanonicalJSON.serialize(value) == """
        {
          "a": [
            "x",
            null
          ],
          "e": [],
          "m": {},
          "z": 1
        }

        """)
    }

    @Test func reserialisingIsByteStable() throws {
        let text = CanonicalJSON.serialize(.object([("b", .string("q\"uote\\")), ("a", .bool(true))]))
        #expect(CanonicalJSON.serialize(try JSONParser.parse(text)) == text)
    }

    @Test func compactFormIsOneSortedLine() {
        #expect(CanonicalJSON.compact(.object([("b", .integer(2)), ("a", .string("\u{01}"))])) == #"{"a":"\u0001","b":2}"#)
    }
}

@Suite struct Base64Tests {
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg==")])
    func standardRoundTrip(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func urlFormHasNoPaddingAndUrlAlphabet() {
        #expect(Base64.urlEncode([0xFB, 0xFF]) == "-_8")
        #expect(Base64.urlDecode("-_8") == [0xFB, 0xFF])
        #expect(Base64.decode("-_8=") == nil)
    }
}

@Suite struct TimestampTests {
    @Test func formatsAndParsesRFC3339() throws {
        let t = try #require(Timestamp(rfc3339: "2026-12-04T15:19:07Z"))
        #expect(t.rfc3339 == "2026-12-04T15:19:07Z")
        #expect(t.secondsSinceEpoch == 1_796_397_547)
        #expect(Timestamp(rfc3339: "2026-12-04T16:19:07+01:00") == t)
        #expect(Timestamp(rfc3339: "2026-12-04T15:19:07.999Z") == t)
        #expect(Timestamp(rfc3339: "2026-12-04 15:19:07Z") == nil)
        #expect(Timestamp(rfc3339: "2026-13-04T15:19:07Z") == nil)
    }

    @Test func wholeDaysAreFloored() throws {
        let now = try #require(Timestamp(rfc3339: "2026-01-01T12:00:00Z"))
        #expect(now.wholeDays(until: now.adding(seconds: 86_400 * 3 - 1)) == 2)
        #expect(now.wholeDays(until: now.adding(seconds: 86_400 * 3)) == 3)
        #expect(now.wholeDays(until: now.adding(seconds: -1)) == -1)
    }
}
