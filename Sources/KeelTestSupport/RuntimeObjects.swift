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
    public static let shared: RuntimeObjects = {
        var result = RuntimeObjects()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-runtime-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let files = try FileManager.default.contentsOfDirectory(atPath: sources.path)
                .filter { $0.hasSuffix(".c") }.sorted()
            for source in files {
                let object = work.appendingPathComponent(source + ".o").path
                let cc = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                            ["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", "-g",
                                             "-I", include.path,
                                             "-c", sources.appendingPathComponent(source).path, "-o", object])
                if cc.status != 0 {
                    result.failure = "cc \(source): \(cc.stderr)"
                    return result
                }
                result.paths.append(object)
            }
        } catch {
            result.failure = "\(error)"
        }
        return result
    }()
}
