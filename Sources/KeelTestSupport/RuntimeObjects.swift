import Foundation

/// Keel's runtime (Sources/KeelRuntime) compiled once per test process into
/// object files, for every test that links a program with it: the runtime's
/// own C programs, the IL programs with references, and IL programs of the
/// native suite that call the runtime.
public struct RuntimeObjects: Sendable {
    public var paths: [String] = []
    public var failure: String?

    public static let sources = KeelBinary.packageRoot.appendingPathComponent("Sources/KeelRuntime")
    public static let include = sources.appendingPathComponent("include")

    /// Built on first use (-Wall -Wextra -Werror -O1 -g).
    public static let shared: RuntimeObjects = build(compiler: ["cc"], name: "keel-runtime")

    /// The runtime compiled once into object files for AArch64 by
    /// `aarch64-linux-gnu-gcc` (found on PATH), for programs linked
    /// statically and run under qemu-aarch64. Built on first use, like `shared`.
    public static let aarch64: RuntimeObjects = {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent("aarch64-linux-gnu-gcc").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { return RuntimeObjects(failure: "aarch64-linux-gnu-gcc not found on PATH") }
        return build(compiler: [path], name: "keel-runtime-aarch64")
    }()

    /// Compiles every C file of the runtime with `compiler` (a command
    /// line run through /usr/bin/env) into a fresh directory named after `name`.
    static func build(compiler: [String], name: String) -> RuntimeObjects {
        var result = RuntimeObjects()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let files = try FileManager.default.contentsOfDirectory(atPath: sources.path)
                .filter { $0.hasSuffix(".c") }.sorted()
            for source in files {
                let object = work.appendingPathComponent(source + ".o").path
                let cc = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                            compiler + ["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", "-g",
                                                        "-I", include.path,
                                                        "-c", sources.appendingPathComponent(source).path, "-o", object])
                if cc.status != 0 {
                    result.failure = "\(compiler.joined(separator: " ")) \(source): \(cc.stderr)"
                    return result
                }
                result.paths.append(object)
            }
        } catch {
            result.failure = "\(error)"
        }
        return result
    }
}
