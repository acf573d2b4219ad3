/// The declared interface of a command: everything usage, `--help` and the parser need.
public struct CommandSpec: Sendable {
    public struct Option: Sendable {
        public var name: String              // "--out"
        public var short: String?            // "-o"
        public var valueName: String?        // nil for a flag
        public var help: String
        public var defaultValue: String?
        public var allowedValues: [String]?
        public var repeating: Bool

        public static func flag(_ name: String, short: String? = nil, help: String) -> Option {
            Option(name: name, short: short, valueName: nil, help: help, defaultValue: nil, allowedValues: nil, repeating: false)
        }

        public static func value(_ name: String, _ valueName: String, help: String, default defaultValue: String? = nil,
                                 allowed: [String]? = nil, repeating: Bool = false) -> Option {
            Option(name: name, short: nil, valueName: valueName, help: help, defaultValue: defaultValue,
                   allowedValues: allowed, repeating: repeating)
        }
    }

    public struct Argument: Sendable {
        public var name: String
        public var help: String
        public var repeating = false
        public var optional = false
        public init(_ name: String, help: String, repeating: Bool = false, optional: Bool = false) {
            self.name = name
            self.help = help
            self.repeating = repeating
            self.optional = optional
        }
    }

    /// Words after `gateway`: ["cert", "export"].
    public var path: [String]
    public var abstract: String
    public var discussion: String?
    public var options: [Option]
    public var arguments: [Argument]
    /// Options that must be given.
    public var requiredOptions: Set<String>

    public init(_ path: [String], abstract: String, discussion: String? = nil, options: [Option] = [],
                arguments: [Argument] = [], required: Set<String> = []) {
        self.path = path
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.arguments = arguments
        self.requiredOptions = required
    }

    public var name: String { path.joined(separator: " ") }

    public var usage: String {
        var parts = ["gateway", "[global options]"] + path
        for option in options {
            let text = option.valueName.map { "\(option.name) \($0)" } ?? option.name
            parts.append(requiredOptions.contains(option.name) ? text : "[\(text)]")
        }
        for argument in arguments {
            var text = argument.name + (argument.repeating ? "..." : "")
            if argument.optional { text = "[\(text)]" }
            parts.append(text)
        }
        return "Usage: " + parts.joined(separator: " ")
    }

    public var help: String {
        var out = "\(abstract)\n\n\(usage)\n"
        if let discussion { out += "\n\(discussion)\n" }
        if !arguments.isEmpty {
            out += "\nArguments:\n"
            for argument in arguments { out += Self.row(argument.name, argument.help) }
        }
        let all = options + [.flag("--help", short: "-h", help: "Show this help.")]
        out += "\nOptions:\n"
        for option in all {
            var left = ([option.short].compactMap { $0 } + [option.name]).joined(separator: ", ")
            if let valueName = option.valueName { left += " \(valueName)" }
            var help = option.help
            if let allowed = option.allowedValues { help += " (\(allowed.joined(separator: "|")))" }
            if let defaultValue = option.defaultValue { help += " [default: \(defaultValue)]" }
            if requiredOptions.contains(option.name) { help += " (required)" }
            out += Self.row(left, help)
        }
        out += "\n" + GlobalOptions.helpSection
        return out
    }

    static func row(_ left: String, _ right: String) -> String {
        let padded = left.count < 26 ? left.padding(toLength: 26, withPad: " ", startingAt: 0) : left + "\n" + String(repeating: " ", count: 28)
        return "  \(padded)\(right)\n"
    }
}
