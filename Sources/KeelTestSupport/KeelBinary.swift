import Foundation

/// Runs the `keel` executable that `swift test` built next to the test bundle,
/// and other programs (a C compiler, a compiled test program) the same way.
/// Shared by every test target that drives the command-line tool.
public struct KeelBinary {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// True when the process was killed after the timeout.
        public var timedOut: Bool = false
        /// The signal that killed the process, if one did (`status` then holds its number too).
        public var signal: Int32? = nil
    }

    /// The package's root directory (this file is Sources/KeelTestSupport/KeelBinary.swift).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    public static var url: URL {
        // The test bundle lives in the products directory, beside the executable.
        var dir = Bundle.main.bundleURL
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            dir = bundle.bundleURL.deletingLastPathComponent()
        }
        let candidate = dir.appendingPathComponent("keel")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        // Fallback: the usual debug build directory of the package.
        return packageRoot.appendingPathComponent(".build/debug/keel")
    }

    /// Runs keel with `arguments`.
    public static func run(_ arguments: [String], stdin: Data? = nil, timeout: TimeInterval = 60) throws -> Result {
        try run(executable: url, arguments, stdin: stdin, timeout: timeout)
    }

    /// Runs any executable; its output is collected whole, and it is killed after `timeout` seconds.
    public static func run(executable: URL, _ arguments: [String], stdin: Data? = nil,
                           timeout: TimeInterval = 60) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child cannot block on a full pipe.
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            group.wait()
            return Result(status: -1, stdout: String(decoding: outData, as: UTF8.self), stderr: "timed out",
                          timedOut: true)
        }
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self),
                      signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil)
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    public static func temporaryFile(_ text: String, name: String = "input.ssa") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
