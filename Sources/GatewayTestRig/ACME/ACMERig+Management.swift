import Foundation
import GatewayHTTP

extension ACMERig {
    /// PEM of Pebble's issuing root(s) (`GET /roots/0`, then `/roots/1`… while
    /// `PEBBLE_ALTERNATE_ROOTS` makes more), to verify issued chains.
    public func issuingRoots() throws -> [String] {
        try managementCertificates(kind: "roots")
    }

    /// PEM of the intermediates that sign leaves (`GET /intermediates/0`, …), one per root.
    public func issuingIntermediates() throws -> [String] {
        try managementCertificates(kind: "intermediates")
    }

    /// Pebble's view of a certificate: `"Valid"` or `"Revoked"`, nil when Pebble never issued it.
    /// `serialHex` may be upper-case, with colons, a `0x` prefix or leading zeros (openssl style).
    public func certificateStatus(serialHex: String) throws -> String? {
        let serial = Self.pebbleSerial(serialHex)
        let url = "\(pebbleManagementURL)/cert-status-by-serial/\(serial)"
        let response = try managementGET(url)
        if response.status == 404 { return nil }
        guard response.status == 200 else {
            throw RigError(code: .management, reason: "GET \(url) answered \(response.status): \(response.bodyText)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let status = object["Status"] as? String else {
            throw RigError(code: .management,
                           reason: "GET \(url): expected a JSON object with a \"Status\" string, got \(response.bodyText)")
        }
        return status
    }

    /// Lower-case hex without prefix, separators or leading zeros: how Pebble names serials.
    static func pebbleSerial(_ text: String) -> String {
        var digits = text.lowercased().replacingOccurrences(of: ":", with: "")
        if digits.hasPrefix("0x") { digits.removeFirst(2) }
        let trimmed = digits.drop(while: { $0 == "0" })
        return trimmed.isEmpty ? "0" : String(trimmed)
    }

    private func managementCertificates(kind: String) throws -> [String] {
        var certificates: [String] = []
        for index in 0..<16 {
            let url = "\(pebbleManagementURL)/\(kind)/\(index)"
            let response = try managementGET(url)
            if response.status == 200, response.bodyText.contains("-----BEGIN CERTIFICATE-----") {
                certificates.append(response.bodyText)
                continue
            }
            if index > 0 && (response.status == 404 || response.status == 400) { break }
            throw RigError(code: .management, reason: "GET \(url) answered \(response.status): \(response.bodyText)")
        }
        return certificates
    }

    private func managementGET(_ url: String) throws -> HTTPResponse {
        do {
            return try managementClient.send(HTTPRequest(url: url))
        } catch {
            throw RigError(code: .management, reason: "GET \(url) failed: \(error)")
        }
    }
}
