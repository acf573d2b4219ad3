import Testing
@testable import GatewayGit

@Suite struct GitCredentialsTests {
    let environment = ["GATEWAY_GIT_USERNAME": "env-user", "GATEWAY_GIT_PASSWORD": "env-pass"]

    @Test func userAndPasswordInAnHTTPSURLWin() {
        let credentials = GitCredentials.resolve(url: "https://bot:s%40cret@git.example.com/config.git", environment: environment)
        #expect(credentials?.username == "bot")
        #expect(credentials?.password == "s@cret")
    }

    @Test func environmentIsUsedWhenTheURLHasNoPassword() {
        for url in ["https://git.example.com/config.git", "https://bot@git.example.com/config.git", "ssh://git@example.com/config.git"] {
            let credentials = GitCredentials.resolve(url: url, environment: environment)
            #expect(credentials?.username == "env-user", "\(url)")
            #expect(credentials?.password == "env-pass", "\(url)")
        }
    }

    @Test func noCredentialsWithoutBothVariables() {
        #expect(GitCredentials.resolve(url: "https://git.example.com/c.git", environment: [:]) == nil)
        #expect(GitCredentials.resolve(url: "https://git.example.com/c.git", environment: ["GATEWAY_GIT_USERNAME": "u"]) == nil)
        #expect(GitCredentials.resolve(url: "https://git.example.com/c.git", environment: ["GATEWAY_GIT_PASSWORD": "p"]) == nil)
    }

    @Test func redactionHidesOnlyThePassword() {
        #expect(GitCredentials.redacted("https://bot:secret@git.example.com/c.git") == "https://bot:***@git.example.com/c.git")
        #expect(GitCredentials.redacted("https://git.example.com/c.git") == "https://git.example.com/c.git")
    }
}
