import Foundation

/// The cross toolchain for arm64: found on PATH, used to link programs and
/// run them under qemu-user. Tests that need it are skipped without it.
public enum CrossTools {
    public static func find(_ tool: String) -> URL? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(tool)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    public static let compiler = find("aarch64-linux-gnu-gcc")
    public static let qemu = find("qemu-aarch64")
    public static var available: Bool { compiler != nil && qemu != nil }
}
