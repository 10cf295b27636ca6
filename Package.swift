// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Keel",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "keel", targets: ["keel"]),
        .library(name: "KeelIR", targets: ["KeelIR"]),
        // The public compiler API for front ends outside this repository:
        // build or parse IR, verify, optimize, compile to assembly.
        .library(name: "Keel", targets: ["Keel"]),
        // KeelLisp, the reference front end (docs/lisp.md).
        .library(name: "KeelLisp", targets: ["KeelLisp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "KeelIR"),
        .target(name: "KeelAnalysis", dependencies: ["KeelIR"]),
        .target(name: "KeelInterp", dependencies: ["KeelIR"]),
        .target(name: "KeelRandom"),
        .target(name: "KeelSystem"),
        // The managed runtime (C): allocator, collector, handles. docs/runtime.md.
        .target(name: "KeelRuntime"),
        .target(name: "KeelTestSupport", dependencies: ["KeelRandom", "KeelIR", "KeelInterp"]),
        .target(name: "KeelOpt", dependencies: ["KeelIR", "KeelAnalysis"]),
        .target(name: "KeelDriver", dependencies: ["KeelIR", "KeelAnalysis", "KeelOpt", "KeelCodegen", "KeelX64", "KeelArm64", "KeelSystem"]),
        .target(name: "KeelCodegen", dependencies: ["KeelIR", "KeelAnalysis"]),
        .target(name: "KeelX64", dependencies: ["KeelIR", "KeelAnalysis", "KeelCodegen"]),
        .target(name: "KeelArm64", dependencies: ["KeelIR", "KeelAnalysis", "KeelCodegen"]),
        // The umbrella of Keel's public API (re-exports KeelIR, KeelAnalysis, KeelOpt, KeelDriver).
        .target(name: "Keel", dependencies: ["KeelIR", "KeelAnalysis", "KeelOpt", "KeelDriver"]),
        // KeelLisp's compiler; its C runtime (Sources/KeelLispRuntime) is compiled by keel itself.
        .target(name: "KeelLisp", dependencies: ["Keel"]),
        .target(name: "KeelFuzz", dependencies: ["KeelRandom", "KeelSystem", "KeelIR", "KeelAnalysis", "KeelDriver", "KeelInterp"]),
        // Differential fuzzing of KeelLisp: program generator, runner against the evaluator, shrinker, mutants.
        .target(name: "KeelLispFuzz", dependencies: ["KeelLisp", "KeelFuzz", "KeelRandom", "KeelSystem"]),
        .executableTarget(
            name: "keel",
            dependencies: [
                "KeelIR", "KeelAnalysis", "KeelDriver", "KeelInterp", "KeelCodegen", "KeelX64", "KeelFuzz", "KeelSystem",
                "KeelLisp", "KeelLispFuzz",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // A fully static executable: no dynamic loading or relocation at
            // start-up, which otherwise costs more than checking a small file
            // (keel runs once per file). ArgumentParser uses FoundationEssentials,
            // whose static library needs its helper libraries named explicitly.
            // Release only: the debug test bundle links this target too.
            linkerSettings: [.unsafeFlags(["-static-executable", "-l_FoundationCollections", "-l_FoundationCShims",
                                           "-lswiftSynchronization"],
                                          .when(configuration: .release))]),
        .testTarget(name: "KeelIRTests", dependencies: ["KeelTestSupport", "KeelIR", "KeelAnalysis", "KeelInterp"]),
        .testTarget(name: "KeelAnalysisTests", dependencies: ["KeelTestSupport", "KeelIR", "KeelAnalysis"]),
        .testTarget(name: "KeelInterpTests", dependencies: ["KeelTestSupport", "KeelIR", "KeelAnalysis", "KeelDriver", "KeelInterp"]),
        .testTarget(name: "KeelCLITests", dependencies: ["KeelTestSupport", "keel"]),
        .testTarget(name: "KeelOptTests", dependencies: ["KeelTestSupport", "KeelIR", "KeelAnalysis", "KeelOpt", "KeelInterp"]),
        .testTarget(name: "KeelCodegenTests", dependencies: ["KeelTestSupport", "KeelCodegen"]),
        .testTarget(name: "KeelFuzzTests", dependencies: ["KeelTestSupport", "KeelIR", "KeelAnalysis", "KeelFuzz", "keel"]),
        .testTarget(name: "KeelX64Tests", dependencies: ["KeelTestSupport", "KeelIR", "KeelAnalysis", "KeelCodegen", "KeelX64", "KeelDriver", "KeelRandom"]),
        .testTarget(name: "KeelArm64Tests", dependencies: ["KeelTestSupport", "KeelIR", "KeelAnalysis", "KeelCodegen", "KeelArm64", "KeelDriver", "keel"]),
        .testTarget(name: "KeelRuntimeTests", dependencies: ["KeelTestSupport", "KeelRuntime", "KeelFuzz"]),
        .testTarget(name: "KeelLispTests", dependencies: ["KeelTestSupport", "Keel", "KeelLisp", "KeelLispFuzz", "KeelRandom", "keel"]),
        .testTarget(name: "KeelDriverTests", dependencies: ["KeelTestSupport", "KeelIR", "KeelAnalysis", "KeelCodegen", "KeelDriver", "KeelInterp"]),
    ]
)
