import Foundation
import GatewayHTTP
import Glibc

extension ACMERig {
    /// Makes a throwaway CA and Pebble's TLS certificate, picks free loopback ports,
    /// starts pebble-challtestsrv and Pebble and waits until both answer, then
    /// starts the DuckDNS stand-in.
    ///
    /// Throws `RigError` with the log tail of a process that failed to start.
    public static func start(_ options: Options = .init()) throws -> ACMERig {
        let openssl = try Tool.locate("openssl", package: "openssl")
        let pebble = try Tool.locate("pebble", package: "pebble")
        let challengeServer = try Tool.locate("pebble-challtestsrv", package: "pebble")

        let workDirectory: URL
        let temporary = options.workDirectory == nil
        if let given = options.workDirectory {
            workDirectory = given
        } else {
            workDirectory = FileManager.default.temporaryDirectory
                .appendingPathComponent("gateway-acme-rig-\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        }
        do {
            try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        } catch {
            throw RigError(code: .fileSystem, reason: "cannot create the work directory \(workDirectory.path): \(error)")
        }
        let removesWorkDirectory = temporary && !options.keepWorkDirectory

        do {
            let ca = try ThrowawayCA.create(in: workDirectory, openssl: openssl)
            // A port picked free can be taken before the child binds it; try again with new ones.
            var attempt = 1
            while true {
                do {
                    return try launch(options: options, workDirectory: workDirectory, ca: ca, pebble: pebble,
                                      challengeServer: challengeServer, removesWorkDirectory: removesWorkDirectory)
                } catch let error as RigError where error.code == .addressInUse && attempt < 3 {
                    attempt += 1
                }
            }
        } catch {
            if removesWorkDirectory { try? FileManager.default.removeItem(at: workDirectory) }
            throw error
        }
    }

    private static func launch(options: Options, workDirectory: URL, ca: ThrowawayCA, pebble: Tool,
                               challengeServer challengeServerTool: Tool,
                               removesWorkDirectory: Bool) throws -> ACMERig {
        let ports = try LoopbackPorts.reserve([.tcp, .tcp, .tcp, .tcp, .tcpAndUDP, .tcp])
        let (acmePort, managementPort, httpPort, tlsPort, dnsPort, challengeManagementPort) =
            (ports[0], ports[1], ports[2], ports[3], ports[4], ports[5])

        let configPath = workDirectory.appendingPathComponent("pebble-config.json").path
        try writePebbleConfig(to: configPath, options: options, ca: ca, acmePort: acmePort,
                              managementPort: managementPort, httpPort: httpPort, tlsPort: tlsPort)

        let dnsResolver = "127.0.0.1:\(dnsPort)"
        let challengeManagementURL = "http://127.0.0.1:\(challengeManagementPort)"
        let directoryURL = "https://127.0.0.1:\(acmePort)/dir"
        let pebbleLogPath = workDirectory.appendingPathComponent("pebble.log").path
        let challengeLogPath = workDirectory.appendingPathComponent("pebble-challtestsrv.log").path

        var inherited = ProcessInfo.processInfo.environment
        for name in inherited.keys where name.hasPrefix("PEBBLE_") { inherited[name] = nil }

        let pebbleLaunch = PebbleLaunch(
            executable: pebble.path, arguments: ["-config", configPath, "-dnsserver", dnsResolver, "-strict=false"],
            environment: inherited.merging(options.effectivePebbleEnvironment) { _, pebble in pebble },
            logPath: pebbleLogPath, currentDirectory: workDirectory, directoryURL: directoryURL,
            caBundlePath: ca.certificatePath)

        var children: [ChildProcess] = []
        do {
            let challengeServerProcess = try ChildProcess(
                name: "pebble-challtestsrv", executable: challengeServerTool.path,
                arguments: ["-dns01", dnsResolver, "-management", "127.0.0.1:\(challengeManagementPort)",
                            "-http01", "", "-https01", "", "-tlsalpn01", "",
                            "-defaultIPv4", "", "-defaultIPv6", ""],
                environment: inherited, logPath: challengeLogPath, currentDirectory: workDirectory)
            children.append(challengeServerProcess)
            let pebbleProcess = try pebbleLaunch.start(appendingToLog: false)
            children.append(pebbleProcess)

            let challengeServer = ChallengeTestServer(
                managementURL: challengeManagementURL,
                client: HTTPClient(configuration: .init(timeout: .seconds(2), connectTimeout: .seconds(1))))
            try waitUntilReady(children: children, timeout: options.startTimeout, directoryURL: directoryURL,
                               pebbleClient: pebbleLaunch.probeClient(), challengeServer: challengeServer)

            let duckDNS = try DuckDNSStandIn(challengeServerManagementURL: challengeManagementURL)
            return ACMERig(options: options, directoryURL: directoryURL, caBundlePath: ca.certificatePath,
                           dnsResolver: dnsResolver, challengeServerManagementURL: challengeManagementURL,
                           pebbleManagementURL: "https://127.0.0.1:\(managementPort)", pebbleConfigPath: configPath,
                           duckDNS: duckDNS, workDirectory: workDirectory,
                           challengeServerProcess: challengeServerProcess, pebbleProcess: pebbleProcess,
                           pebbleLaunch: pebbleLaunch, removesWorkDirectory: removesWorkDirectory)
        } catch {
            for child in children { child.requestTermination() }
            for child in children { child.terminate(grace: .seconds(2)) }
            throw error
        }
    }

    private static func writePebbleConfig(to path: String, options: Options, ca: ThrowawayCA, acmePort: Int,
                                          managementPort: Int, httpPort: Int, tlsPort: Int) throws {
        var pebble: [String: Any] = [
            "listenAddress": "127.0.0.1:\(acmePort)",
            "managementListenAddress": "127.0.0.1:\(managementPort)",
            "certificate": ca.serverCertificatePath,
            "privateKey": ca.serverKeyPath,
            // Ports Pebble's VA would use for HTTP-01 and TLS-ALPN-01; nothing listens there.
            "httpPort": httpPort,
            "tlsPort": tlsPort,
            "ocspResponderURL": "",
            "externalAccountBindingRequired": options.externalAccountMACKeys != nil,
        ]
        if let keys = options.externalAccountMACKeys { pebble["externalAccountMACKeys"] = keys }
        if let validity = options.certificateValidityPeriod { pebble["certificateValidityPeriod"] = validity }
        do {
            let data = try JSONSerialization.data(withJSONObject: ["pebble": pebble],
                                                  options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RigError(code: .fileSystem, reason: "cannot write Pebble's configuration \(path): \(error)")
        }
    }

    /// Polls until Pebble's directory answers (probed without a logged request, see
    /// `PebbleLaunch.directoryAnswers`) and, when given, challtestsrv's management port.
    static func waitUntilReady(children: [ChildProcess], timeout: Duration, directoryURL: String,
                               pebbleClient: HTTPClient, challengeServer: ChallengeTestServer?) throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var pebbleAnswers = false
        var challengeServerAnswers = challengeServer == nil
        var lastPebbleError = "no answer yet"
        while true {
            for child in children {
                if let status = child.exitStatus {
                    let tail = child.logTail()
                    throw RigError(code: tail.contains("address already in use") ? .addressInUse : .processExited,
                                   reason: "\(child.name) exited with status \(status) while starting\n\(tail)")
                }
            }
            if !challengeServerAnswers, let challengeServer {
                challengeServerAnswers = challengeServer.isAnswering()
            }
            if !pebbleAnswers {
                (pebbleAnswers, lastPebbleError) = PebbleLaunch.directoryAnswers(directoryURL, client: pebbleClient)
            }
            if pebbleAnswers && challengeServerAnswers { return }
            if ContinuousClock.now >= deadline {
                var waiting: [String] = []
                if !pebbleAnswers { waiting.append("pebble (\(lastPebbleError))") }
                if !challengeServerAnswers, let challengeServer {
                    waiting.append("pebble-challtestsrv (\(challengeServer.managementURL))")
                }
                throw RigError(code: .startTimedOut, reason: """
                    \(waiting.joined(separator: " and ")) did not answer within \(timeout)
                    \(children.map { $0.logTail() }.joined(separator: "\n"))
                    """)
            }
            usleep(100_000)
        }
    }
}
