import Foundation

/// An IL program compiled by `keel il`, linked by cc and run: what the
/// native program tests and the QBE compatibility tests do to each program.
public struct NativeBuild {
    /// `keel il`'s outcome (its stderr must often be empty).
    public var compiled: KeelBinary.Result
    /// cc's outcome, nil when `keel il` failed.
    public var linked: KeelBinary.Result?
    /// The program's run, nil when compiling or linking failed.
    public var run: KeelBinary.Result?

    public init(compiled: KeelBinary.Result, linked: KeelBinary.Result? = nil, run: KeelBinary.Result? = nil) {
        (self.compiled, self.linked, self.run) = (compiled, linked, run)
    }

    /// Compiles `source` in a fresh directory (removed afterwards) with `keel il`
    /// and `keelArguments`, links it with `ccArguments`, and runs it with `timeout` seconds.
    public static func make(_ source: String, keelArguments: [String] = [], ccArguments: [String] = [],
                            timeout: TimeInterval = 10) throws -> NativeBuild {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-native-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let assembly = work.appendingPathComponent("t.s").path
        let executable = work.appendingPathComponent("t")
        var build = NativeBuild(compiled: try KeelBinary.run(["il"] + keelArguments + [source, "-o", assembly]))
        guard build.compiled.status == 0 else { return build }
        build.linked = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                          ["cc", assembly, "-o", executable.path] + ccArguments)
        guard build.linked?.status == 0 else { return build }
        build.run = try KeelBinary.run(executable: executable, [], timeout: timeout)
        return build
    }
}
