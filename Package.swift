// swift-tools-version:6.1
import PackageDescription

/// Settings shared by every target: Swift 6 language mode, strict concurrency is implied.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Banjian",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "banjian", targets: ["banjian"]),
        .executable(name: "banjian-load", targets: ["banjian-load"]),
        .library(name: "BanjianDomain", targets: ["BanjianDomain"]),
        .library(name: "DeadlineWheel", targets: ["DeadlineWheel"]),
        .library(name: "BanjianWire", targets: ["BanjianWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Pure core: no I/O, no clock reads, no globals.
        .target(name: "BanjianDomain", swiftSettings: swiftSettings),
        .target(name: "DeadlineWheel", swiftSettings: swiftSettings),
        // The baseline the wheel is measured against: a binary heap with lazy deletion.
        .target(
            name: "DeadlineBaseline",
            dependencies: ["DeadlineWheel", .product(name: "Collections", package: "swift-collections")],
            swiftSettings: swiftSettings
        ),

        // I/O and codec layers.
        .target(
            name: "BanjianStore",
            dependencies: [
                "BanjianDomain", "BanjianWire",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BanjianWire",
            dependencies: [
                "BanjianDomain",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
            ],
            exclude: ["Generated/README.md"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BanjianNode",
            dependencies: [
                "BanjianDomain", "DeadlineWheel", "BanjianStore", "BanjianWire",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),

        // Executables.
        .executableTarget(
            name: "banjian",
            dependencies: [
                "BanjianDomain", "BanjianNode", "BanjianStore", "BanjianWire", "DeadlineWheel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "banjian-load",
            dependencies: [
                "BanjianDomain", "DeadlineWheel", "DeadlineBaseline", "BanjianWire", "BanjianNode", "BanjianStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // What the tests share: a manual clock, a real node on loopback, store fixtures.
        .target(
            name: "BanjianTestSupport",
            dependencies: [
                "BanjianDomain", "BanjianNode", "BanjianStore", "BanjianWire", "DeadlineWheel",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Tests.
        .testTarget(name: "BanjianDomainTests", dependencies: ["BanjianDomain"], swiftSettings: swiftSettings),
        .testTarget(name: "DeadlineWheelTests", dependencies: ["DeadlineWheel", "DeadlineBaseline"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BanjianStoreTests",
            dependencies: ["BanjianStore", "BanjianDomain", "BanjianWire", "BanjianTestSupport", "DeadlineBaseline",
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BanjianNodeTests",
            dependencies: [
                "BanjianNode", "BanjianDomain", "BanjianWire", "BanjianStore", "BanjianTestSupport", "DeadlineWheel",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCInProcessTransport", package: "grpc-swift-2"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BanjianWireTests",
            dependencies: [
                "BanjianDomain", "BanjianWire",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BanjianCLITests",
            dependencies: [
                "banjian", "BanjianDomain", "BanjianNode", "BanjianStore", "BanjianWire",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),

        // Benchmarks (package-benchmark): `swift package benchmark`.
        benchmarkSuite("DomainBenchmarks", ["BanjianDomain"]),
        benchmarkSuite("WheelBenchmarks", ["DeadlineWheel", "DeadlineBaseline"]),
        benchmarkSuite("StoreBenchmarks", ["BanjianDomain", "BanjianStore", "BanjianWire"]),
    ]
)

/// A package-benchmark suite in `Benchmarks/<name>`.
func benchmarkSuite(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: dependencies + [.product(name: "Benchmark", package: "benchmark")],
        path: "Benchmarks/\(name)",
        swiftSettings: swiftSettings,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}
