// swift-tools-version: 6.1
import PackageDescription

/// Settings every ExoScope target shares (STYLE.md, "Swift settings for every target").
let exoSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "exoscope",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "exoscope", targets: ["exoscope"]),
        .library(name: "ExoCore", targets: ["ExoCore"]),
        .library(name: "ExoFormats", targets: ["ExoFormats"]),
        .library(name: "ExoStats", targets: ["ExoStats"]),
        .library(name: "ExoQuant", targets: ["ExoQuant"]),
        .library(name: "ExoQC", targets: ["ExoQC"]),
        .library(name: "ExoStore", targets: ["ExoStore"]),
        .library(name: "ExoReport", targets: ["ExoReport"]),
        .library(name: "ExoDiagnosis", targets: ["ExoDiagnosis"]),
        .library(name: "ExoKnowledge", targets: ["ExoKnowledge"]),
        .library(name: "ExoMonitor", targets: ["ExoMonitor"]),
        .library(name: "ExoPipeline", targets: ["ExoPipeline"]),
        .library(name: "ExoServer", targets: ["ExoServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "ExoCore",
            resources: [.copy("Resources/miRBase")],
            swiftSettings: exoSettings
        ),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CExoZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CExoISAL", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),
        .target(
            name: "ExoFormats",
            dependencies: [
                "ExoCore", "CLibXML2", "CExoZlib", "CExoISAL",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: exoSettings
        ),
        .target(name: "ExoStats", dependencies: ["ExoCore"], swiftSettings: exoSettings),
        .target(
            name: "ExoQuant", dependencies: ["ExoCore", "ExoFormats", "ExoStats"],
            resources: [.copy("Resources/SmallRNA")], swiftSettings: exoSettings),
        .target(name: "ExoQC", dependencies: ["ExoCore", "ExoFormats", "ExoStats"], swiftSettings: exoSettings),
        .target(
            name: "ExoStore",
            dependencies: [
                "ExoCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: exoSettings
        ),
        .target(
            name: "ExoReport", dependencies: ["ExoCore", "ExoFormats", "ExoStats"], swiftSettings: exoSettings),
        .target(
            name: "ExoDiagnosis", dependencies: ["ExoCore", "ExoFormats", "ExoStats"], swiftSettings: exoSettings),
        .target(
            name: "ExoKnowledge",
            dependencies: ["ExoCore", "ExoFormats", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Resources")],
            swiftSettings: exoSettings),
        .target(name: "ExoMonitor", dependencies: ["ExoCore", "ExoStats"], swiftSettings: exoSettings),
        .target(
            name: "ExoPipeline",
            dependencies: [
                "ExoCore", "ExoFormats", "ExoStats", "ExoQuant", "ExoQC", "ExoStore", "ExoReport", "ExoDiagnosis",
                "ExoKnowledge", "ExoMonitor",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            swiftSettings: exoSettings
        ),
        .target(
            name: "ExoServer",
            dependencies: [
                "ExoCore", "ExoQuant", "ExoStore", "ExoPipeline", "ExoReport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: exoSettings
        ),
        .target(
            name: "ExoCLI",
            dependencies: [
                "ExoCore", "ExoFormats", "ExoStats", "ExoQuant", "ExoStore", "ExoPipeline", "ExoDiagnosis",
                "ExoKnowledge", "ExoQC", "ExoReport", "ExoServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: exoSettings
        ),
        .executableTarget(name: "exoscope", dependencies: ["ExoCLI"], swiftSettings: exoSettings),
        .target(name: "ExoTestSupport", dependencies: ["ExoCore"], swiftSettings: exoSettings),
        .testTarget(name: "ExoCoreTests", dependencies: ["ExoCore", "ExoTestSupport"], swiftSettings: exoSettings),
        .testTarget(
            name: "ExoFormatsTests",
            dependencies: [
                "ExoFormats", "ExoCore", "ExoTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: exoSettings
        ),
        .testTarget(name: "ExoStatsTests", dependencies: ["ExoStats", "ExoTestSupport"], swiftSettings: exoSettings),
        .testTarget(
            name: "ExoQuantTests", dependencies: ["ExoQuant", "ExoCore", "ExoFormats", "ExoStats", "ExoTestSupport"],
            swiftSettings: exoSettings),
        .testTarget(
            name: "ExoQCTests", dependencies: ["ExoQC", "ExoCore", "ExoFormats", "ExoTestSupport"],
            swiftSettings: exoSettings),
        .testTarget(
            name: "ExoKnowledgeTests", dependencies: ["ExoKnowledge", "ExoCore", "ExoTestSupport"],
            swiftSettings: exoSettings),
        .testTarget(
            name: "ExoDiagnosisTests",
            dependencies: ["ExoDiagnosis", "ExoCore", "ExoFormats", "ExoStats", "ExoQuant", "ExoTestSupport"],
            swiftSettings: exoSettings),
        .testTarget(
            name: "ExoMonitorTests", dependencies: ["ExoMonitor", "ExoCore", "ExoStats", "ExoTestSupport"],
            swiftSettings: exoSettings),
        .testTarget(
            name: "ExoStoreTests",
            dependencies: ["ExoStore", "ExoCore", "ExoTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: exoSettings),
        .testTarget(name: "ExoReportTests", dependencies: ["ExoReport", "ExoTestSupport"], swiftSettings: exoSettings),
        .testTarget(
            name: "ExoPipelineTests",
            dependencies: [
                "ExoPipeline", "ExoCore", "ExoFormats", "ExoStats", "ExoQuant", "ExoDiagnosis", "ExoMonitor",
                "ExoStore", "ExoReport",
                "ExoTestSupport",
            ],
            exclude: ["Golden"],
            swiftSettings: exoSettings
        ),
        .testTarget(
            name: "ExoServerTests",
            dependencies: [
                "ExoServer", "ExoCore", "ExoPipeline", "ExoStore", "ExoTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: exoSettings
        ),
        .testTarget(
            name: "ExoCLITests",
            dependencies: [
                "ExoCLI", "ExoCore", "ExoPipeline", "ExoStore", "ExoTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: exoSettings
        ),
    ]
)

// Fuzz targets, one per reader (Fuzz/, scripts/fuzz.sh), only when EXOSCOPE_FUZZ is set, so that `swift build` and
// `swift test` never see them. The executable has no `main`: libFuzzer's comes in with `--sanitize fuzzer`.
if Context.environment["EXOSCOPE_FUZZ"] != nil {
    package.targets.append(
        .executableTarget(
            name: "exoscope-fuzz", dependencies: ["ExoCore", "ExoFormats"], path: "Fuzz/exoscope-fuzz",
            swiftSettings: exoSettings))
}

// The server benchmark's ceiling (bench/server/wrk.sh), only when EXOSCOPE_BENCH is set: a bare Hummingbird handler.
if Context.environment["EXOSCOPE_BENCH"] != nil {
    package.targets.append(
        .executableTarget(
            name: "exoscope-ceiling", dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "bench/server/ceiling", swiftSettings: exoSettings))
}
