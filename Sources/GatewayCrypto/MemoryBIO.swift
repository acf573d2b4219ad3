import CGatewayShims
import COpenSSL
import Foundation

/// Owns an OpenSSL memory BIO, the in-memory stream that PEM and name printing
/// functions read from and write to.
final class MemoryBIO {
    let handle: OpaquePointer

    /// An empty BIO to write into.
    init(failingWith code: CryptoError.Code) throws {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw CryptoError.openSSL(code, "could not allocate a memory BIO")
        }
        handle = bio
    }

    /// A BIO holding a copy of `text`, to read from. The bytes are copied, so the
    /// BIO does not depend on the lifetime of `text`.
    convenience init(copying text: String, failingWith code: CryptoError.Code) throws {
        try self.init(failingWith: code)
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return }
        guard bytes.count <= Int(Int32.max) else {
            throw CryptoError(code, reason: "input of \(bytes.count) bytes is too large")
        }
        let written = bytes.withUnsafeBytes { BIO_write(handle, $0.baseAddress, Int32($0.count)) }
        guard written == Int32(bytes.count) else {
            throw CryptoError.openSSL(code, "could not copy the input into a memory BIO")
        }
    }

    deinit {
        BIO_free(handle)
    }

    /// Everything written so far.
    var contents: Data {
        var pointer: UnsafeMutablePointer<CChar>?
        let length = gw_bio_get_mem_data(UnsafeMutableRawPointer(handle), &pointer)
        guard let pointer, length > 0 else { return Data() }
        return Data(bytes: pointer, count: length)
    }

    /// Everything written so far, as UTF-8 text.
    var text: String {
        String(decoding: contents, as: UTF8.self)
    }
}
