import Foundation
import Glibc

extension ACMERig {
    // Stopping and restarting Pebble alone, to test what a client does when the CA
    // goes away mid-issuance or comes back without its state. pebble-challtestsrv and
    // the DuckDNS stand-in keep running, and their records stay.

    /// Stops Pebble (SIGTERM, then SIGKILL after 5 s) and waits until it is gone; the
    /// directory URL then refuses connections. Does nothing when Pebble is not running.
    ///
    /// Safe to call from a DuckDNS stand-in request hook (the client waits meanwhile).
    public func stopPebble() {
        pebbleLifecycle.withLock { _ in
            let pebble = pebbleProcess.withLock { process in
                defer { process = nil }
                return process
            }
            pebble?.terminate(grace: .seconds(5))
        }
    }

    /// Stops Pebble if it runs and starts it again with the same configuration, ports and
    /// environment, so `directoryURL`, `pebbleManagementURL` and `caBundlePath` stay valid,
    /// then waits until the directory answers (at most `options.startTimeout`).
    ///
    /// Like any Pebble start, the new one has fresh state: a new issuing root and
    /// intermediate (fetch them again with `issuingRoots()`), no accounts, orders or
    /// certificates. Its output is appended to `pebbleLogPath` after a marker line, so
    /// `acmeRequestCounts()` keeps counting across the restart.
    ///
    /// Throws `RigError` `.rigStopped` after `stop()`, `.addressInUse` when another
    /// process took one of Pebble's ports meanwhile, `.processExited` or `.startTimedOut`
    /// with the log tail when Pebble does not come up; Pebble is then not running.
    public func restartPebble() throws {
        try pebbleLifecycle.withLock { restarts in
            guard !isStopped else {
                throw RigError(code: .rigStopped, reason: "restartPebble() after stop(): the rig is gone")
            }
            let previous = pebbleProcess.withLock { process in
                defer { process = nil }
                return process
            }
            previous?.terminate(grace: .seconds(5))

            try appendToPebbleLog("--- gateway test rig: restarting pebble (restart \(restarts + 1)) ---\n")
            let process = try pebbleLaunch.start(appendingToLog: true)
            do {
                try Self.waitUntilReady(children: [process], timeout: options.startTimeout,
                                        directoryURL: pebbleLaunch.directoryURL,
                                        pebbleClient: pebbleLaunch.probeClient(), challengeServer: nil)
            } catch {
                process.terminate(grace: .seconds(2))
                throw error
            }
            pebbleProcess.withLock { $0 = process }
            restarts += 1
        }
    }

    private func appendToPebbleLog(_ text: String) throws {
        let descriptor = open(pebbleLogPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            throw RigError(code: .fileSystem,
                           reason: "cannot open \(pebbleLogPath): \(String(cString: strerror(code))) (errno \(code))")
        }
        defer { close(descriptor) }
        _ = Array(text.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
