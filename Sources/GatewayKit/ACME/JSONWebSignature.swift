import Foundation
import GatewayCore
import GatewayCrypto

/// Flattened JWS JSON serialisation for ACME requests (RFC 8555 §6.2, RFC 7515).
enum JSONWebSignature {
    /// The public JWK of `key` with members in the order RFC 7638 requires.
    static func jwk(_ key: PrivateKey) throws -> JSONValue {
        switch try key.publicKeyComponents() {
        case let .ec(curve, x, y):
            return .object([("crv", .string(curve)), ("kty", .string("EC")),
                            ("x", .string(Base64.urlEncode(x))), ("y", .string(Base64.urlEncode(y)))])
        case let .rsa(modulus, exponent):
            return .object([("e", .string(Base64.urlEncode(exponent))), ("kty", .string("RSA")),
                            ("n", .string(Base64.urlEncode(modulus)))])
        }
    }

    /// RFC 7638 thumbprint, base64url.
    static func thumbprint(_ key: PrivateKey) throws -> String {
        Base64.urlEncode(Digest.sha256(Data(CanonicalJSON.compact(try jwk(key)).utf8)))
    }

    enum KeyIdentification {
        case jwk
        case kid(String)
    }

    /// `payload` nil means POST-as-GET (empty payload).
    static func sign(payload: JSONValue?, url: String, nonce: String?, key: PrivateKey,
                     identification: KeyIdentification) throws -> Data {
        var protected: [(key: String, value: JSONValue)] = [("alg", .string(key.jwsAlgorithm)), ("url", .string(url))]
        if let nonce { protected.append(("nonce", .string(nonce))) }
        switch identification {
        case .jwk: protected.append(("jwk", try jwk(key)))
        case let .kid(kid): protected.append(("kid", .string(kid)))
        }
        let protectedB64 = Base64.urlEncode(Data(CanonicalJSON.compact(.object(protected)).utf8))
        let payloadB64 = payload.map { Base64.urlEncode(Data(CanonicalJSON.compact($0).utf8)) } ?? ""
        let signature = try key.signJWS(Data("\(protectedB64).\(payloadB64)".utf8))
        let body = JSONValue.object([("protected", .string(protectedB64)), ("payload", .string(payloadB64)),
                                     ("signature", .string(Base64.urlEncode(signature)))])
        return Data(CanonicalJSON.compact(body).utf8)
    }

    /// External Account Binding (RFC 8555 §7.3.4): the account JWK signed with HS256 under the CA's MAC key.
    static func externalAccountBinding(accountKey: PrivateKey, keyID: String, macKey: Data, url: String) throws -> JSONValue {
        let protected = JSONValue.object([("alg", .string("HS256")), ("kid", .string(keyID)), ("url", .string(url))])
        let protectedB64 = Base64.urlEncode(Data(CanonicalJSON.compact(protected).utf8))
        let payloadB64 = Base64.urlEncode(Data(CanonicalJSON.compact(try jwk(accountKey)).utf8))
        let mac = HMAC.sha256(key: macKey, data: Data("\(protectedB64).\(payloadB64)".utf8))
        return .object([("protected", .string(protectedB64)), ("payload", .string(payloadB64)),
                        ("signature", .string(Base64.urlEncode(mac)))])
    }
}
