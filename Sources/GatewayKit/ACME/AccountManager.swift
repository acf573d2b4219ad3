import Foundation
import GatewayCore
import GatewayCrypto

/// Loads the wrapped ACME account, or creates and stores one (ES256 key) for this
/// directory when there is none or it was made for another CA.
public struct AccountManager {
    let acme: ACMEClient
    let secrets: SecretStore
    let config: RepoConfig.ACME
    let log: Logger

    /// The account to use for this run. A stored account is confirmed with one
    /// `onlyReturnExisting` request, which also recovers it when its URL changed, and
    /// re-registers the same key when the CA no longer knows it (a reset test CA).
    public func account() throws -> ACMEAccount {
        if let stored = try secrets.account(), stored.directory == acme.directoryURL {
            let key = try PrivateKey(pem: stored.keyPEM)
            if let found = try acme.findAccount(key: key) {
                if found.url != stored.url {
                    log.info("ACME account moved from \(stored.url) to \(found.url); recorded")
                    try secrets.storeAccount(.init(directory: acme.directoryURL, url: found.url, keyPEM: stored.keyPEM))
                }
                return found
            }
            log.warning("the CA no longer knows ACME account \(stored.url); registering the same key again")
            return try register(key: key)
        }
        return try register(key: try PrivateKey.generate(.ecP256))
    }

    private func register(key: PrivateKey) throws -> ACMEAccount {
        var eab: (keyID: String, macKey: Data)?
        if let keyID = config.eabKeyID, let mac = config.eabHMACKey {
            guard let bytes = Base64.urlDecode(mac.trimmingCharacters(in: .whitespaces)) ?? Base64.decode(mac) else {
                throw ACMEError(.malformed, "acme.eab.hmac_key is not base64url")
            }
            eab = (keyID, Data(bytes))
        }
        let account = try acme.registerAccount(key: key, contact: config.contact, eab: eab)
        try secrets.storeAccount(.init(directory: acme.directoryURL, url: account.url, keyPEM: try key.pemPKCS8()))
        log.info("registered ACME account \(account.url)")
        return account
    }
}
