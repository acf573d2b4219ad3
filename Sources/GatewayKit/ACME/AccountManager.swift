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

    public func account() throws -> ACMEAccount {
        if let stored = try secrets.account(), stored.directory == acme.directoryURL {
            return ACMEAccount(key: try PrivateKey(pem: stored.keyPEM), url: stored.url)
        }
        let key = try PrivateKey.generate(.ecP256)
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
