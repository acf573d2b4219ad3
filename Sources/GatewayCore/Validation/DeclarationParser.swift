/// Parses and checks declaration files, reporting every problem with its file and JSON path.
public enum DeclarationParser {
    public static let allowedFields: Set<String> = ["$schema", "host", "agent_id", "mode", "wildcard", "key", "ips"]

    /// Parses one declaration file found at `file` (repository-relative).
    public static func parse(_ bytes: some Collection<UInt8>, file: String) -> (Declaration?, [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        let location = locate(file, issues: &issues)

        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            issues.append(ValidationIssue(file: file, message: "invalid JSON: \(error.message)",
                                          line: error.line, column: error.column))
            return (nil, issues)
        }
        guard var reader = ObjectReader(document, file: file, issues: &issues) else { return (nil, issues) }
        reader.nullMeansAbsent = false
        _ = reader.string("$schema", required: false)
        var host: HostName?
        if let text = reader.string("host", required: true) {
            do {
                host = try HostName(validating: text)
            } catch {
                reader.issue("host", "invalid host name \"\(text)\": \(error.reason)")
            }
        }
        let agentID = reader.string("agent_id", required: true)
        if let agentID, !Declaration.isValidAgentID(agentID) {
            reader.issue("agent_id", "invalid agent id \"\(agentID)\" (expected 1–128 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit)")
        }
        var mode: HostMode?
        if let text = reader.string("mode", required: true) {
            mode = HostMode(rawValue: text)
            if mode == nil { reader.issue("mode", "unknown mode \"\(text)\" (expected duckdns or custom)") }
        }
        let wildcard = reader.bool("wildcard") ?? false
        var key = KeyType.default
        if let text = reader.string("key", required: false) {
            if let parsed = KeyType(rawValue: text) {
                key = parsed
            } else {
                let weak = text.hasPrefix("rsa-") && (Int(text.dropFirst(4)) ?? 0) < 2048
                reader.issue("key", weak ? "key \"\(text)\" is too weak (expected one of \(KeyType.allowedList))"
                                         : "unknown key type \"\(text)\" (expected one of \(KeyType.allowedList))")
            }
        }
        var ips: [IPAddress] = []
        if let texts = reader.stringArray("ips") {
            var seen = Set<IPAddress>()
            for (i, text) in texts.enumerated() {
                guard let ip = IPAddress(text) else {
                    reader.appendIssue(ValidationIssue(file: file, jsonPath: "$.ips[\(i)]",
                                                         message: "invalid IP address \"\(text)\" (expected IPv4 or IPv6)"))
                    continue
                }
                if !seen.insert(ip).inserted {
                    reader.appendIssue(ValidationIssue(file: file, jsonPath: "$.ips[\(i)]", message: "duplicate IP address \(ip)"))
                }
                ips.append(ip)
            }
        }
        reader.rejectUnknownMembers()
        issues += reader.issues

        if let host, let expected = location?.fileHost, host.value != expected {
            issues.append(ValidationIssue(file: file, jsonPath: "$.host",
                                          message: "host \"\(host)\" does not match the file name (expected \"\(expected)\" or rename the file to \(host).json)"))
        }
        if let host, mode == .duckdns, !host.isDuckDNS {
            issues.append(ValidationIssue(file: file, jsonPath: "$.mode",
                                          message: "mode duckdns needs a host under duckdns.org, \"\(host)\" is not (use mode custom)"))
        }
        guard issues.isEmpty, let host, let agentID, let mode, let owner = location?.owner else { return (nil, issues) }
        let declaration = Declaration(host: host, owner: owner, agentID: agentID, mode: mode, wildcard: wildcard,
                                      key: key, ips: ips, file: file)
        return (declaration, [])
    }

    /// Checks `hosts/<uid>/<fqdn>.json` and returns the owner and the host the file name names.
    static func locate(_ file: String, issues: inout [ValidationIssue]) -> (owner: OwnerID?, fileHost: String)? {
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.first == "hosts", parts.count == 3 else {
            issues.append(ValidationIssue(file: file, message: "a declaration must be at hosts/<owner>/<host>.json (this file is not inside an owner folder)"))
            return nil
        }
        let ownerText = String(parts[1])
        let owner = OwnerID(ownerText)
        if owner == nil {
            issues.append(ValidationIssue(file: file, message: "owner folder \"\(ownerText)\" is not a valid owner id (expected \(OwnerID.rule))"))
        }
        let name = parts[2]
        guard name.hasSuffix(".json") else {
            issues.append(ValidationIssue(file: file, message: "a declaration file name must end in .json"))
            return nil
        }
        return (owner, String(name.dropLast(5)))
    }
}
