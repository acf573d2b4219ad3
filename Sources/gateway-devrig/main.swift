import Dispatch
import Foundation
import GatewayTestRig
import Glibc

// gateway-devrig: the local ACME rig for the README demo. Parses, starts the rig,
// writes the environment file and waits for SIGINT/SIGTERM to stop it.

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data(message.utf8))
    exit(status)
}

let action: DevRigCommand.Action
do {
    action = try DevRigCommand.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("Error: \(error.message)\n\(DevRigCommand.usageLine)\nSee '\(DevRigCommand.name) --help'.\n", status: 64)
}

guard case .up(let up) = action else {
    print(DevRigCommand.help, terminator: "")
    exit(0)
}

// Take SIGINT/SIGTERM/SIGHUP before the children exist, so no signal ends this
// process without stopping them.
let stopSignals = [SIGINT, SIGTERM, SIGHUP]
for signalNumber in stopSignals { signal(signalNumber, SIG_IGN) }

let rig: ACMERig
do {
    rig = try DevRigCommand.start(up)
} catch {
    fail("Error: \(error)\n", status: 1)
}

let accounts = up.accounts.isEmpty ? "no DuckDNS accounts"
    : up.accounts.map { "\($0.domains.joined(separator: ","))" }.joined(separator: "; ")
FileHandle.standardError.write(Data("""
    gateway-devrig: ACME \(rig.directoryURL), DNS \(rig.dnsResolver), DuckDNS \(rig.duckDNS.baseURL) \
    (\(accounts)); Pebble log \(rig.pebbleLogPath); environment in \(up.environmentFile); \
    SIGINT or SIGTERM stops it

    """.utf8))

let signalSources = stopSignals.map { signalNumber in
    let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
    source.setEventHandler {
        rig.stop()
        FileHandle.standardError.write(Data("gateway-devrig: stopped\n".utf8))
        exit(0)
    }
    source.resume()
    return source
}
withExtendedLifetime(signalSources) { dispatchMain() }
