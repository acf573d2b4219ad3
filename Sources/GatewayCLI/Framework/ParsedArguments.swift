/// Options and positional arguments of one command line, checked against its spec.
public struct ParsedArguments: Sendable, Equatable {
    public var values: [String: [String]] = [:]
    public var flags: Set<String> = []
    public var positionals: [String] = []
    let spec: CommandSpec?

    public static func == (lhs: ParsedArguments, rhs: ParsedArguments) -> Bool {
        lhs.values == rhs.values && lhs.flags == rhs.flags && lhs.positionals == rhs.positionals
    }

    public func value(_ name: String) -> String? {
        values[name]?.last ?? spec?.options.first(where: { $0.name == name })?.defaultValue
    }

    public func allValues(_ name: String) -> [String] { values[name] ?? [] }
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    public func usageError(_ message: String) -> UsageError { UsageError(message, command: spec) }

    /// Parses `arguments` (the words after the command path) against `spec`.
    static func parse(_ arguments: [String], spec: CommandSpec) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments(spec: spec)
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if onlyPositionals || !word.hasPrefix("-") || word == "-" {
                parsed.positionals.append(word)
                continue
            }
            if word == "--" { onlyPositionals = true; continue }
            var name = word
            var inlineValue: String?
            if let equals = word.firstIndex(of: "="), word.hasPrefix("--") {
                name = String(word[..<equals])
                inlineValue = String(word[word.index(after: equals)...])
            }
            guard let option = spec.options.first(where: { $0.name == name || $0.short == name }) else {
                throw UsageError("unknown option '\(name)' for '\(spec.name)'", command: spec)
            }
            if option.valueName == nil {
                if inlineValue != nil { throw UsageError("option \(option.name) takes no value", command: spec) }
                parsed.flags.insert(option.name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard index < arguments.count else {
                    throw UsageError("option \(option.name) needs a value (\(option.valueName!))", command: spec)
                }
                value = arguments[index]
                index += 1
            }
            if let allowed = option.allowedValues, !allowed.contains(value) {
                throw UsageError("invalid value '\(value)' for \(option.name) (expected \(allowed.joined(separator: ", ")))", command: spec)
            }
            if !option.repeating, parsed.values[option.name] != nil {
                throw UsageError("option \(option.name) given twice", command: spec)
            }
            parsed.values[option.name, default: []].append(value)
        }
        for required in spec.requiredOptions.sorted() where parsed.values[required] == nil {
            throw UsageError("missing required option \(required)", command: spec)
        }
        let minimum = spec.arguments.filter { !$0.optional }.count
        let unbounded = spec.arguments.last?.repeating == true
        if parsed.positionals.count < minimum {
            let missing = spec.arguments[parsed.positionals.count]
            throw UsageError("missing argument \(missing.name)", command: spec)
        }
        if !unbounded && parsed.positionals.count > spec.arguments.count {
            throw UsageError("unexpected argument '\(parsed.positionals[spec.arguments.count])'", command: spec)
        }
        return parsed
    }
}
