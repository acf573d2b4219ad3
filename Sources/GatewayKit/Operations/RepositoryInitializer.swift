import Foundation
import GatewayCore
import GatewayGit

/// `gateway init`: a managed repository with default configuration, the folders of
/// the layout, a git work tree, and a local KMS key outside the repository.
public struct RepositoryInitializer {
    public struct Result {
        public var createdConfig: Bool
        public var createdKeyFile: URL?
        public var commit: GitCommitInfo?
    }

    public static func run(root: URL, staging: Bool, environment: [String: String], log: Logger) throws -> Result {
        GitLibrary.initialize()
        let fm = FileManager.default
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        let repository = ManagedRepository(root: root)
        let git: GitRepository
        if fm.fileExists(atPath: root.appendingPathComponent(".git").path) {
            git = try GitRepository.open(at: root)
        } else {
            git = try GitRepository.initialize(at: root)
            log.info("initialised git repository in \(root.path)")
        }

        var config = RepoConfig()
        var createdConfig = false
        if let data = repository.read(RepositoryLayout.configFile) {
            let (parsed, issues) = RepoConfig.parse(data)
            guard let parsed else { throw ValidationError(issues) }
            config = parsed
        } else {
            if staging { config.acme.directory = RepoConfig.letsEncryptStaging }
            try repository.write(RepositoryLayout.configFile, json: config.json)
            createdConfig = true
        }
        for directory in [RepositoryLayout.declarationsDirectory, RepositoryLayout.hostLedgerDirectory,
                          RepositoryLayout.certLedgerDirectory, RepositoryLayout.ipHistoryDirectory] {
            let keep = directory + "/.gitkeep"
            if repository.files(under: directory).isEmpty && !repository.exists(keep) {
                try repository.write(keep, Data())
            }
        }

        var effective = config
        try effective.applyEnvironment(environment)
        var keyFile: URL?
        if effective.kms.provider == "local", (environment["GATEWAY_KMS_LOCAL_KEY"] ?? "").isEmpty {
            let file = LocalKeyProvider.keyFile(keyID: effective.kms.keyID, environment: environment)
            if !fm.fileExists(atPath: file.path) {
                keyFile = try LocalKeyProvider.createKeyFile(keyID: effective.kms.keyID, environment: environment)
                log.info("created local KMS key \(effective.kms.keyID) at \(file.path) (0600; back it up, it opens every wrapped file)")
            }
        }

        let signature = GitSignature(name: effective.git.authorName, email: effective.git.authorEmail, date: Date())
        let commit = try git.commit(paths: repository.changedPaths.sorted(), message: "gateway init\n", author: signature)
        return Result(createdConfig: createdConfig, createdKeyFile: keyFile, commit: commit)
    }
}
