import CGatewayShims
import CGit2
import Foundation

/// Process-wide libgit2 setup.
public enum GitLibrary {
    /// Initialises libgit2 once per process; later calls return immediately.
    /// Safe to call from any thread: the work runs inside a lazily initialised
    /// global, which Swift guards with `swift_once`.
    ///
    /// It also turns off libgit2's repository owner check (containers often
    /// mount repositories owned by another uid) and points mbedTLS at the CA
    /// bundle from `SSL_CERT_FILE`, or `/etc/ssl/certs/ca-certificates.crt`,
    /// because mbedTLS does not find the system store by itself.
    ///
    /// Every `GitRepository` entry point calls this, so calling it explicitly is
    /// only needed to do the setup before concurrent work starts.
    public static func initialize() {
        _ = setUp
    }

    private static let setUp: Void = {
        git_libgit2_init()
        _ = gw_git_set_owner_validation(0)
        if let bundle = caBundlePath() {
            _ = gw_git_set_ssl_cert_locations(bundle, nil)
        }
    }()

    private static func caBundlePath() -> String? {
        let candidates = [
            ProcessInfo.processInfo.environment["SSL_CERT_FILE"],
            "/etc/ssl/certs/ca-certificates.crt",
        ]
        return candidates.lazy.compactMap { $0 }.first { !$0.isEmpty && FileManager.default.fileExists(atPath: $0) }
    }
}
