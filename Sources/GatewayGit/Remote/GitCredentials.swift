import Foundation

/// Username and password for an http(s) remote.
///
/// Taken from the URL's `user:password@` part when it has both, otherwise from
/// `GATEWAY_GIT_USERNAME` and `GATEWAY_GIT_PASSWORD` when both are set.
struct GitCredentials: Equatable {
    static let usernameVariable = "GATEWAY_GIT_USERNAME"
    static let passwordVariable = "GATEWAY_GIT_PASSWORD"

    let username: String
    let password: String
    /// Where they came from, for error messages (never the secret itself).
    let source: String

    static func resolve(url: String, environment: [String: String]) -> GitCredentials? {
        if let components = URLComponents(string: url),
           let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
           let user = components.user, !user.isEmpty,
           let password = components.password {
            return GitCredentials(username: user, password: password, source: "the user:password in the remote URL")
        }
        if let user = environment[usernameVariable], !user.isEmpty,
           let password = environment[passwordVariable], !password.isEmpty {
            return GitCredentials(username: user, password: password, source: "\(usernameVariable)/\(passwordVariable)")
        }
        return nil
    }

    /// `url` with any password replaced by `***`, safe for messages and logs.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
