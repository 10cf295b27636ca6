// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Keel",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "keel", targets: ["keel"]),
        .library(name: "KeelIR", targets: ["KeelIR"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "KeelIR"),
        .target(name: "KeelAnalysis", dependencies: ["KeelIR"]),
        .target(name: "KeelInterp", dependencies: ["KeelIR"]),
        .executableTarget(
            name: "keel",
            dependencies: [
                "KeelIR", "KeelAnalysis", "KeelInterp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "KeelIRTests", dependencies: ["KeelIR", "KeelInterp"]),
        .testTarget(name: "KeelAnalysisTests", dependencies: ["KeelIR", "KeelAnalysis"]),
        .testTarget(name: "KeelInterpTests", dependencies: ["KeelIR", "KeelAnalysis", "KeelInterp"]),
    ]
)
