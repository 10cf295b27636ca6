import Foundation
import KeelAnalysis
import KeelIR

/// The front half shared by every command: read IL files, parse them into one
/// module, build SSA, verify. Diagnostics go to standard error; any error makes
/// the command exit with status 1.
struct LoadedProgram {
    var module: Module
    /// Seconds spent in each phase, for `--stats`.
    var timings: [(phase: String, seconds: Double)] = []
    var lineCount = 0

    enum Stage { case parsed, verified }

    /// Reads `paths` ("-" is standard input) and takes them through `stage`.
    static func load(_ paths: [String], upTo stage: Stage, options: VerifierOptions = VerifierOptions(strictCallSignatures: false)) throws -> LoadedProgram {
        var program = LoadedProgram(module: Module())
        var clock = PhaseClock()
        for path in paths {
            let bytes = try readInput(path)
            program.lineCount += bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            clock.lap("read", into: &program.timings)
            do {
                try ILParser.parse(bytes, fileName: path, into: &program.module)
            } catch {
                throw ReportedFailure(diagnostics: [error])
            }
            clock.lap("parse", into: &program.timings)
        }
        guard stage == .verified else { return program }
        let problems = constructSSA(&program.module)
        if !problems.isEmpty { throw ReportedFailure(diagnostics: problems) }
        clock.lap("ssa", into: &program.timings)
        let diagnostics = Verifier.verify(program.module, options: options)
        clock.lap("verify", into: &program.timings)
        if diagnostics.contains(where: \.isError) { throw ReportedFailure(diagnostics: diagnostics) }
        for warning in diagnostics { printError(warning.description) }
        return program
    }

    static func readInput(_ path: String) throws -> [UInt8] {
        if path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let reason = !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot be read"
            throw ReportedFailure(message: "\(path): \(reason)")
        }
        return Array(data)
    }

    /// Prints the per-phase timings and throughput to standard error.
    func printStats() {
        var total = 0.0
        for (phase, seconds) in timings { total += seconds; _ = phase }
        var merged: [(String, Double)] = []
        for (phase, seconds) in timings {
            if let i = merged.firstIndex(where: { $0.0 == phase }) { merged[i].1 += seconds } else { merged.append((phase, seconds)) }
        }
        for (phase, seconds) in merged {
            printError(String(format: "%-8@ %9.3f ms", phase as NSString, seconds * 1000))
        }
        let rate = total > 0 ? Double(lineCount) / total : 0
        printError(String(format: "total    %9.3f ms  %d lines  %.0f lines/s", total * 1000, lineCount, rate))
    }
}

/// Measures the time between successive laps.
struct PhaseClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    mutating func lap(_ phase: String, into timings: inout [(phase: String, seconds: Double)]) {
        let now = DispatchTime.now().uptimeNanoseconds
        timings.append((phase, Double(now - last) / 1e9))
        last = now
    }
}
