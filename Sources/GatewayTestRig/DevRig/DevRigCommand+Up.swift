import Foundation

extension DevRigCommand {
    /// What `gateway-devrig up` does before it waits for a signal: starts the rig with
    /// the requested Pebble environment, registers the DuckDNS accounts, writes Pebble's
    /// issuing root to `issuing-roots.pem` in the work directory and the environment
    /// file (`ACMERig.devRigEnvironment(rootsPath:)`). On failure the rig is stopped.
    public static func start(_ up: Up) throws -> ACMERig {
        let rig = try ACMERig.start(ACMERig.Options(
            pebbleEnvironment: up.pebbleEnvironment,
            workDirectory: up.workDirectory.map { URL(fileURLWithPath: $0) }))
        do {
            for account in up.accounts { rig.duckDNS.register(token: account.token, domains: account.domains) }
            let rootsPath = rig.workDirectory.appendingPathComponent("issuing-roots.pem").path
            do {
                try Data(rig.issuingRoots().joined().utf8).write(to: URL(fileURLWithPath: rootsPath), options: .atomic)
            } catch let error as RigError {
                throw error
            } catch {
                throw RigError(code: .fileSystem, reason: "cannot write \(rootsPath): \(error)")
            }
            try rig.writeEnvironmentFile(to: up.environmentFile, extra: rig.devRigEnvironment(rootsPath: rootsPath))
            return rig
        } catch {
            rig.stop()
            throw error
        }
    }
}
