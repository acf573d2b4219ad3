import Foundation
import GatewayCore
import Dispatch
import Synchronization

/// Everything reconcile reads from the repository, validated.
public struct RepositorySnapshot: Sendable {
    public var config: RepoConfig
    public var declarations: [Declaration]
    public var hostRecords: [HostName: HostRecord]
    public var certRecords: [HostName: CertRecord]
    public var ipHistory: [HostName: [IPHistoryEntry]]
    public var ownersWithDuckDNSToken: Set<OwnerID>
    /// Hosts with a wrapped in-flight order (found by file name; nothing is decrypted).
    public var hostsWithOrderInFlight: Set<HostName>

    public func plannerInput(now: Timestamp, force: Bool) -> Planner.Input {
        Planner.Input(declarations: declarations, hostRecords: hostRecords, certRecords: certRecords,
                      currentIPs: ipHistory.mapValues(IPHistoryEntry.current), ownersWithDuckDNSToken: ownersWithDuckDNSToken,
                      hostsWithOrderInFlight: hostsWithOrderInFlight, now: now, force: force)
    }
}

extension ManagedRepository {
    /// Reads `gateway.json` and applies `GATEWAY_*` overrides.
    public func loadConfig(environment: [String: String]) throws -> RepoConfig {
        guard let data = read(RepositoryLayout.configFile) else {
            throw RepositoryError(.notARepository, "\(root.path) has no gateway.json (run gateway init, or pass --repo DIR)")
        }
        let (parsed, issues) = RepoConfig.parse(data)
        guard var config = parsed else { throw ValidationError(issues) }
        try config.applyEnvironment(environment)
        return config
    }

    /// Parses every file under `hosts/`, collecting every issue of every file, plus the
    /// cross-file ones (the same host declared twice).
    public func loadDeclarations() -> (declarations: [Declaration], issues: [ValidationIssue]) {
        let files = files(under: RepositoryLayout.declarationsDirectory).filter { !$0.hasSuffix("/README.md") && $0 != "hosts/README.md" }
        let rootPath = root.path
        let parsed = parallelMap(files) { file -> (Declaration?, [ValidationIssue]) in
            guard let bytes = FileTree.read(rootPath + "/" + file) else {
                return (nil, [ValidationIssue(file: file, message: "cannot be read")])
            }
            return DeclarationParser.parse(bytes, file: file)
        }
        var declarations: [Declaration] = []
        declarations.reserveCapacity(parsed.count)
        var issues: [ValidationIssue] = []
        var firstFile: [HostName: String] = [:]
        firstFile.reserveCapacity(parsed.count)
        for (declaration, fileIssues) in parsed {
            issues += fileIssues
            guard let declaration else { continue }
            if let other = firstFile[declaration.host] {
                issues.append(ValidationIssue(file: declaration.file, jsonPath: "$.host",
                                              message: "host \(declaration.host) is already declared in \(other) (a host has one declaration)"))
                continue
            }
            firstFile[declaration.host] = declaration.file
            declarations.append(declaration)
        }
        declarations.sort { $0.host < $1.host }
        return (declarations, issues)
    }

    public func loadHostRecords() throws -> [HostName: HostRecord] {
        try loadRecords(RepositoryLayout.hostLedgerDirectory, suffix: ".json") { json, file in
            let record = try HostRecord(json: json, file: file)
            return (record.host, record)
        }
    }

    public func loadCertRecords() throws -> [HostName: CertRecord] {
        try loadRecords(RepositoryLayout.certLedgerDirectory, suffix: ".json") { json, file in
            let record = try CertRecord(json: json, file: file)
            return (record.host, record)
        }
    }

    public func loadIPHistory() throws -> [HostName: [IPHistoryEntry]] {
        try loadTable(RepositoryLayout.ipHistoryDirectory, suffix: ".jsonl") { bytes, file in
            let name = String(file.split(separator: "/").last!.dropLast(6))
            guard let host = try? HostName(validating: name) else { return nil }
            return (host, try IPHistoryEntry.parseLines(String(decoding: bytes, as: UTF8.self), file: file))
        }
    }

    /// Owners with a stored DuckDNS token, and hosts with an in-flight order: both read
    /// off the file names under `owners/` (one directory walk, nothing decrypted).
    public func ownerFiles() -> (ownersWithDuckDNSToken: Set<OwnerID>, hostsWithOrderInFlight: Set<HostName>) {
        var owners = Set<OwnerID>()
        var orders = Set<HostName>()
        for file in files(under: RepositoryLayout.ownersDirectory) {
            if let order = RepositoryLayout.orderHost(path: file) {
                orders.insert(order.host)
            } else if file.hasSuffix("/secrets/duckdns-token.json") {
                let parts = file.split(separator: "/")
                if parts.count == 4, let owner = OwnerID(String(parts[1])) { owners.insert(owner) }
            }
        }
        return (owners, orders)
    }

    /// Loads and validates everything; a single invalid file stops the run with all issues.
    public func snapshot(environment: [String: String]) throws -> RepositorySnapshot {
        // The ledger tables load while the declarations are parsed: independent files,
        // and each load keeps a core busy only part of the time (listing, merging).
        let ledger = Mutex<Result<LedgerTables, Error>?>(nil)
        let loaded = DispatchGroup()
        loaded.enter()
        DispatchQueue.global().async {
            let result = Result { LedgerTables(hosts: try self.loadHostRecords(), certs: try self.loadCertRecords(),
                                               ipHistory: try self.loadIPHistory()) }
            ledger.withLock { $0 = result }
            loaded.leave()
        }
        var issues: [ValidationIssue] = []
        var config: RepoConfig?
        do { config = try loadConfig(environment: environment) } catch let error as ValidationError { issues += error.issues }
        let (declarations, declarationIssues) = loadDeclarations()
        issues += declarationIssues
        let (owners, orders) = ownerFiles()
        loaded.wait()
        guard issues.isEmpty, let config else { throw ValidationError(issues) }
        let tables = try ledger.withLock { $0! }.get()
        return RepositorySnapshot(config: config, declarations: declarations, hostRecords: tables.hosts, certRecords: tables.certs,
                                  ipHistory: tables.ipHistory, ownersWithDuckDNSToken: owners, hostsWithOrderInFlight: orders)
    }

    private struct LedgerTables: Sendable {
        var hosts: [HostName: HostRecord]
        var certs: [HostName: CertRecord]
        var ipHistory: [HostName: [IPHistoryEntry]]
    }

    /// A ledger table of JSON records, one file per host at `<directory>/<host>.json`.
    private func loadRecords<R: Sendable>(_ directory: String, suffix: String,
                                          _ make: @escaping @Sendable (JSONValue, String) throws -> (HostName, R)) throws -> [HostName: R] {
        try loadTable(directory, suffix: suffix) { bytes, file in
            let (host, record) = try make(try JSONParser.parse(bytes), file)
            let expected = "\(directory)/\(host).json"
            guard expected == file else {
                throw ValidationError([ValidationIssue(file: file, jsonPath: "$.host",
                                                       message: "record for \(host) is stored at the wrong path (expected \(expected))")])
            }
            return (host, record)
        }
    }

    /// Reads and parses every `suffix` file under `directory` on all cores. `parse` returns
    /// nil to skip a file; every file's problems are collected and thrown together.
    private func loadTable<R: Sendable>(_ directory: String, suffix: String,
                                        _ parse: @escaping @Sendable ([UInt8], String) throws -> (HostName, R)?) throws -> [HostName: R] {
        let files = files(under: directory).filter { $0.hasSuffix(suffix) }
        let rootPath = root.path
        let parsed = parallelMap(files) { file -> Result<(HostName, R)?, ValidationError> in
            guard let bytes = FileTree.read(rootPath + "/" + file) else {
                return .failure(ValidationError([ValidationIssue(file: file, message: "cannot be read")]))
            }
            do {
                return .success(try parse(bytes, file))
            } catch let error as JSONParser.SyntaxError {
                return .failure(ValidationError([ValidationIssue(file: file, message: "invalid JSON: \(error.message)",
                                                                 line: error.line, column: error.column)]))
            } catch let error as ValidationError {
                return .failure(error)
            } catch {
                return .failure(ValidationError([ValidationIssue(file: file, message: "\(error)")]))
            }
        }
        var result: [HostName: R] = [:]
        result.reserveCapacity(parsed.count)
        var issues: [ValidationIssue] = []
        for item in parsed {
            switch item {
            case let .success(entry?): result[entry.0] = entry.1
            case .success(nil): continue
            case let .failure(error): issues += error.issues
            }
        }
        if !issues.isEmpty { throw ValidationError(issues) }
        return result
    }
}
