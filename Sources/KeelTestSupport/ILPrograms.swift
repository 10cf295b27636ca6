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

    /// The names listed in `file` of the suite (native-ok.txt, arm64-ok.txt):
    /// one per line, `#` starts a comment; empty when the file is missing.
    public static func listed(in file: String) -> [String] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let name = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : name
        }
    }
}
