/// The `gateway-devrig` command line: declared options, usage generated from them,
/// and parsing that needs no process (unit-tested on string arrays).
public enum DevRigCommand {
    public static let name = "gateway-devrig"
    public static let abstract = """
        Starts Pebble, pebble-challtestsrv and a DuckDNS stand-in on 127.0.0.1, writes the \
        GATEWAY_* variables that point Gateway at them, and runs until SIGINT or SIGTERM.
        """

    public enum Action: Equatable, Sendable {
        case help
        case up(Up)
    }

    /// What `up` was asked to do.
    public struct Up: Equatable, Sendable {
        public var environmentFile: String
        public var accounts: [Account]
        public var workDirectory: String?
        /// Variables for Pebble (`--pebble-env`), over the rig's defaults.
        public var pebbleEnvironment: [String: String]

        public init(environmentFile: String, accounts: [Account] = [], workDirectory: String? = nil,
                    pebbleEnvironment: [String: String] = [:]) {
            self.environmentFile = environmentFile
            self.accounts = accounts
            self.workDirectory = workDirectory
            self.pebbleEnvironment = pebbleEnvironment
        }
    }

    /// A DuckDNS stand-in account: a token and the domains it owns.
    public struct Account: Equatable, Sendable {
        public var token: String
        public var domains: [String]

        public init(token: String, domains: [String]) {
            self.token = token
            self.domains = domains
        }
    }

    /// One declared option of `up`.
    public struct Option: Sendable {
        public let name: String
        public let valueName: String
        public let help: String
        public let required: Bool
        public let repeatable: Bool
    }

    public static let options: [Option] = [
        Option(name: "--env-file", valueName: "PATH",
               help: "Write `export NAME='value'` lines here (\(ACMERig.devRigVariableNames.joined(separator: ", ")))"
                   + "; replaced atomically.",
               required: true, repeatable: false),
        Option(name: "--duckdns-account", valueName: "TOKEN=DOMAIN[,DOMAIN...]",
               help: "Register a DuckDNS stand-in account owning the domains (subnames like `alice` "
                   + "or `alice.duckdns.org`). Repeatable.",
               required: false, repeatable: true),
        Option(name: "--work-dir", valueName: "DIR",
               help: "Keep keys, Pebble's config and logs in DIR (kept after stop). "
                   + "Default: a temporary directory removed on stop.",
               required: false, repeatable: false),
        Option(name: "--pebble-env", valueName: "NAME=VALUE",
               help: "Run Pebble with this environment variable, e.g. PEBBLE_WFE_NONCEREJECT=50 "
                   + "(defaults: \(defaultPebbleEnvironmentText)). Repeatable.",
               required: false, repeatable: true),
    ]

    static var defaultPebbleEnvironmentText: String {
        ACMERig.Options.defaultPebbleEnvironment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            .joined(separator: ", ")
    }

    /// The synopsis, generated from `options`.
    public static var usageLine: String {
        let parts = options.map { option -> String in
            let text = "\(option.name) \(option.valueName)"
            if option.required { return text }
            return option.repeatable ? "[\(text)]..." : "[\(text)]"
        }
        return "Usage: \(name) up \(parts.joined(separator: " "))\n       \(name) --help"
    }

    /// The full `--help` text.
    public static var help: String {
        let width = options.map { "\($0.name) \($0.valueName)".count }.max() ?? 0
        let lines = options.map { option -> String in
            let label = "\(option.name) \(option.valueName)"
            return "  " + label.padding(toLength: width + 2, withPad: " ", startingAt: 0) + option.help
        }
        return """
            \(usageLine)

            \(abstract)

            Options of `up`:
            \(lines.joined(separator: "\n"))
              -h, --help\(String(repeating: " ", count: max(1, width - 8)))Show this help.

            Example:
              \(name) up --env-file /tmp/rig.env --duckdns-account t-alice=alice &
              . /tmp/rig.env && gateway reconcile

            """
    }

    public static func parse(_ arguments: [String]) throws(DevRigUsageError) -> Action {
        guard let command = arguments.first else { throw DevRigUsageError("missing command `up`") }
        if ["-h", "--help", "help"].contains(command) { return .help }
        guard command == "up" else { throw DevRigUsageError("unknown command '\(command)'; expected `up`") }

        var environmentFile: String?
        var accounts: [Account] = []
        var workDirectory: String?
        var pebbleEnvironment: [String: String] = [:]
        var remaining = arguments.dropFirst()[...]
        while let argument = remaining.popFirst() {
            if argument == "-h" || argument == "--help" { return .help }
            var name = argument
            var value: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard let option = options.first(where: { $0.name == name }) else {
                throw DevRigUsageError(argument.hasPrefix("-") ? "unknown option '\(name)'"
                                                               : "unexpected argument '\(argument)'")
            }
            if value == nil { value = remaining.popFirst() }
            guard let value, !value.isEmpty else {
                throw DevRigUsageError("\(option.name) needs a value (\(option.valueName))")
            }
            switch option.name {
            case "--env-file":
                guard environmentFile == nil else { throw DevRigUsageError("--env-file given twice") }
                environmentFile = value
            case "--duckdns-account":
                accounts.append(try account(value))
            case "--pebble-env":
                let (variable, setting) = try environmentVariable(value)
                guard pebbleEnvironment[variable] == nil else {
                    throw DevRigUsageError("--pebble-env \(variable) given twice")
                }
                pebbleEnvironment[variable] = setting
            default:
                guard workDirectory == nil else { throw DevRigUsageError("--work-dir given twice") }
                workDirectory = value
            }
        }
        guard let environmentFile else { throw DevRigUsageError("--env-file PATH is required") }
        return .up(Up(environmentFile: environmentFile, accounts: accounts, workDirectory: workDirectory,
                      pebbleEnvironment: pebbleEnvironment))
    }

    /// `NAME=VALUE` with a portable variable name; the value may be empty.
    private static func environmentVariable(_ text: String) throws(DevRigUsageError) -> (String, String) {
        guard let equals = text.firstIndex(of: "=") else {
            throw DevRigUsageError("--pebble-env expects NAME=VALUE, got '\(text)'")
        }
        let name = String(text[..<equals])
        let valid = name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard valid else {
            throw DevRigUsageError("--pebble-env: '\(name)' is not an environment variable name "
                                   + "(letters, digits and _, not starting with a digit)")
        }
        return (name, String(text[text.index(after: equals)...]))
    }

    private static func account(_ text: String) throws(DevRigUsageError) -> Account {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw DevRigUsageError("--duckdns-account expects TOKEN=DOMAIN[,DOMAIN...], got '\(text)'")
        }
        let token = String(text[..<equals])
        let names = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false)
        var domains: [String] = []
        for name in names {
            guard let subname = DuckDNSStandIn.subname(String(name)) else {
                throw DevRigUsageError("--duckdns-account: '\(name)' is not a DuckDNS domain "
                                       + "(a subname like 'alice' or 'alice.duckdns.org')")
            }
            domains.append(subname)
        }
        return Account(token: token, domains: domains)
    }
}
