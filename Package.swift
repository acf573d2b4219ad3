// swift-tools-version:6.0
import PackageDescription

// Gateway: a file-backed GitOps reconciler for hostnames and TLS certificates.
//
// Layering (each arrow is "imports"):
//   gateway (executable) → GatewayCLI → GatewayKit → GatewayCore (pure Swift, no C)
//                                                  → GatewayCrypto → COpenSSL
//                                                  → GatewayHTTP   → CCurl
//                                                  → GatewayGit    → CGit2
// Each C library is wrapped exactly once; CGatewayShims holds what Swift cannot call
// (variadic functions and macros) behind void-pointer signatures.
let package = Package(
    name: "Gateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gateway", targets: ["gateway"]),
        .executable(name: "gateway-devrig", targets: ["gateway-devrig"]),
    ],
    targets: [
        // C libraries from Debian (-dev packages).
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "CGatewayShims", dependencies: ["CGit2", "CCurl", "COpenSSL"]),

        // Pure Swift: model, formats, validation, planner. No C import.
        .target(name: "GatewayCore"),

        // One Swift module per wrapped C library.
        .target(name: "GatewayCrypto", dependencies: ["COpenSSL", "CGatewayShims"]),
        .target(name: "GatewayHTTP", dependencies: ["CCurl", "CGatewayShims"]),
        .target(name: "GatewayGit", dependencies: ["CGit2", "CGatewayShims"]),

        // I/O: ACME, envelope encryption, DNS, DuckDNS, the reconciler.
        .target(name: "GatewayKit", dependencies: ["GatewayCore", "GatewayCrypto", "GatewayHTTP", "GatewayGit"]),
        // Commands as declared types; parsing is pure and unit-tested.
        .target(name: "GatewayCLI", dependencies: ["GatewayCore", "GatewayKit"]),
        .executableTarget(name: "gateway", dependencies: ["GatewayCLI"]),

        // The local rig: Pebble, pebble-challtestsrv and a DuckDNS stand-in on loopback.
        .target(name: "GatewayTestRig", dependencies: ["GatewayHTTP"]),
        .executableTarget(name: "gateway-devrig", dependencies: ["GatewayTestRig"]),

        .testTarget(name: "GatewayCoreTests", dependencies: ["GatewayCore", "GatewayCLI"]),
        .testTarget(name: "GatewayCryptoTests", dependencies: ["GatewayCrypto"]),
        .testTarget(name: "GatewayGitTests", dependencies: ["GatewayGit"]),
        .testTarget(name: "GatewayIntegrationTests",
                    dependencies: ["GatewayKit", "GatewayCLI", "GatewayTestRig", "GatewayCrypto", "GatewayGit"]),
    ],
    swiftLanguageModes: [.v6]
)
