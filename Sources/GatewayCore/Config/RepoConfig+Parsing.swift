extension RepoConfig {
    /// Parses `gateway.json` strictly: unknown sections, fields or values are errors.
    public static func parse(_ bytes: some Collection<UInt8>, file: String = RepositoryLayout.configFile)
        -> (RepoConfig?, [ValidationIssue])
    {
        var issues: [ValidationIssue] = []
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            return (nil, [ValidationIssue(file: file, message: "invalid JSON: \(error.message)", line: error.line, column: error.column)])
        }
        guard var root = ObjectReader(document, file: file, issues: &issues) else { return (nil, issues) }
        root.nullMeansAbsent = false
        var config = RepoConfig()
        _ = root.string("$schema", required: false)
        let sections = Dictionary(grouping: ConfigField.all, by: \.section)
        for section in sections.keys.sorted() {
            guard var reader = root.object(section) else { continue }
            for field in sections[section]! {
                config.read(field, from: &reader)
            }
            if section == "acme" { config.readEAB(from: &reader) }
            reader.rejectUnknownMembers()
            root.absorb(reader)
        }
        root.rejectUnknownMembers()
        issues += root.issues
        issues += config.semanticIssues(file: file)
        return issues.isEmpty ? (config, []) : (nil, issues)
    }

    private mutating func read(_ field: ConfigField, from reader: inout ObjectReader) {
        switch field.kind {
        case let .string(keyPath):
            if let value = reader.string(field.name, required: false) { self[keyPath: keyPath] = value }
        case let .optionalString(keyPath):
            if let value = reader.string(field.name, required: false, allowNull: true) { self[keyPath: keyPath] = value }
        case let .stringList(keyPath):
            if let value = reader.stringArray(field.name) { self[keyPath: keyPath] = value }
        case let .integer(keyPath, range):
            if let value = reader.integer(field.name, range: range) { self[keyPath: keyPath] = value }
        case let .bool(keyPath):
            if let value = reader.bool(field.name) { self[keyPath: keyPath] = value }
        }
    }

    private mutating func readEAB(from reader: inout ObjectReader) {
        guard var eab = reader.object("eab", allowNull: true) else { return }
        acme.eabKeyID = eab.string("kid", required: true)
        acme.eabHMACKey = eab.string("hmac_key", required: true)
        eab.rejectUnknownMembers()
        reader.absorb(eab)
    }

    /// Checks that need more than a type: known providers, URLs, resolver syntax.
    public func semanticIssues(file: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ path: String, _ message: String) { issues.append(ValidationIssue(file: file, jsonPath: path, message: message)) }
        if !RepoConfig.supportedKMSProviders.contains(kms.provider) {
            add("$.kms.provider", "unknown provider \"\(kms.provider)\" (expected one of \(RepoConfig.supportedKMSProviders.joined(separator: ", ")))")
        }
        if kms.provider == "aws-kms" && (kms.region ?? "").isEmpty {
            add("$.kms.region", "aws-kms needs a region")
        }
        if kms.keyID.isEmpty { add("$.kms.key_id", "must not be empty") }
        for (path, url) in [("$.acme.directory", acme.directory), ("$.dns.duckdns_api", dns.duckDNSAPI)]
            where !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            add(path, "\"\(url)\" is not an http(s) URL")
        }
        for (i, resolver) in dns.resolvers.enumerated() where Self.parseResolver(resolver) == nil {
            add("$.dns.resolvers[\(i)]", "\"\(resolver)\" is not an address (expected IP or IP:port, [IPv6]:port)")
        }
        for (i, contact) in acme.contact.enumerated() where !contact.hasPrefix("mailto:") || !contact.dropFirst(7).contains("@") {
            add("$.acme.contact[\(i)]", "\"\(contact)\" is not a mailto: URL (expected mailto:name@example.org)")
        }
        return issues
    }

    /// `1.2.3.4`, `1.2.3.4:53`, `[2001:db8::1]:53` or `2001:db8::1` → (address, port).
    public static func parseResolver(_ text: String) -> (IPAddress, Int)? {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            guard let ip = IPAddress(String(text[text.index(after: text.startIndex)..<close])) else { return nil }
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (ip, 53) }
            guard rest.hasPrefix(":"), let port = parsePort(rest.dropFirst()) else { return nil }
            return (ip, port)
        }
        if let ip = IPAddress(text) { return (ip, 53) }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let ip = IPAddress(String(parts[0])), ip.family == .v4,
              let port = parsePort(parts[1]) else { return nil }
        return (ip, port)
    }

    /// 1–65535 in plain decimal: no sign, no leading zero.
    static func parsePort(_ text: Substring) -> Int? {
        guard let first = text.first, first != "0", text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(text), port <= 65535 else { return nil }
        return port
    }

    /// Applies `GATEWAY_*` environment overrides. Errors name the variable.
    public mutating func applyEnvironment(_ environment: [String: String]) throws(ValidationError) {
        var issues: [ValidationIssue] = []
        for field in ConfigField.all {
            guard let raw = environment[field.environment] else { continue }
            switch field.kind {
            case let .string(keyPath): self[keyPath: keyPath] = raw
            case let .optionalString(keyPath): self[keyPath: keyPath] = raw.isEmpty || raw == "null" ? nil : raw
            case let .stringList(keyPath):
                self[keyPath: keyPath] = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            case let .integer(keyPath, range):
                if let value = Int(raw), range.contains(value) { self[keyPath: keyPath] = value } else {
                    issues.append(ValidationIssue(file: "environment", jsonPath: field.environment,
                                                  message: "\"\(raw)\" is not an integer in \(range.lowerBound)…\(range.upperBound)"))
                }
            case let .bool(keyPath):
                switch raw.lowercased() {
                case "1", "true", "yes": self[keyPath: keyPath] = true
                case "0", "false", "no": self[keyPath: keyPath] = false
                default:
                    issues.append(ValidationIssue(file: "environment", jsonPath: field.environment, message: "\"\(raw)\" is not true or false"))
                }
            }
        }
        if let kid = environment[ConfigField.eabEnvironment.keyID] { acme.eabKeyID = kid }
        if let key = environment[ConfigField.eabEnvironment.hmacKey] { acme.eabHMACKey = key }
        issues += semanticIssues(file: "environment")
        if !issues.isEmpty { throw ValidationError(issues) }
    }

    /// The document `gateway init` writes: every field, defaults filled in.
    public var json: JSONValue {
        var sections: [String: [(key: String, value: JSONValue)]] = [:]
        var order: [String] = []
        for field in ConfigField.all {
            if sections[field.section] == nil { order.append(field.section) }
            let value: JSONValue = switch field.kind {
            case let .string(keyPath): .string(self[keyPath: keyPath])
            case let .optionalString(keyPath): self[keyPath: keyPath].map(JSONValue.string) ?? .null
            case let .stringList(keyPath): .array(self[keyPath: keyPath].map(JSONValue.string))
            case let .integer(keyPath, _): .integer(self[keyPath: keyPath])
            case let .bool(keyPath): .bool(self[keyPath: keyPath])
            }
            // aws-kms only fields are written only when that provider is chosen.
            if field.section == "kms" && (field.name == "region" || field.name == "endpoint") && kms.provider != "aws-kms" { continue }
            sections[field.section, default: []].append((field.name, value))
        }
        if let kid = acme.eabKeyID, let key = acme.eabHMACKey {
            sections["acme", default: []].append(("eab", .object([("kid", .string(kid)), ("hmac_key", .string(key))])))
        } else {
            sections["acme", default: []].append(("eab", .null))
        }
        return .object(order.map { ($0, .object(sections[$0]!)) })
    }
}
