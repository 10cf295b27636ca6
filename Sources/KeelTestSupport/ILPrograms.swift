import Foundation

/// The IL program suite, Tests/Programs/il: each NAME.ssa with its expected
/// NAME.out (and NAME.exit when the status is not 0).
public enum ILPrograms {
    public static var directory: URL { KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/il") }

    /// Tests/Programs/NAME, another suite of programs.
    public static func suite(_ name: String) -> URL { KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/" + name) }

    /// Every program's name (without .ssa), sorted.
    public static func names() -> [String] { names(in: directory) }

    /// The names (without `suffix`) of the files of `dir` ending in `suffix`, sorted.
    public static func names(in dir: URL, suffix: String = ".ssa") -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(suffix) }.map { String($0.dropLast(suffix.count)) }.sorted()
    }
}
