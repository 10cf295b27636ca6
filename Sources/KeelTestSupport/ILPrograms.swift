import Foundation

/// The IL program suite, Tests/Programs/il: each NAME.ssa with its expected
/// NAME.out (and NAME.exit when the status is not 0).
public enum ILPrograms {
    public static var directory: URL { KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/il") }

    /// Every program's name (without .ssa), sorted.
    public static func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".ssa") }.map { String($0.dropLast(4)) }.sorted()
    }
}
