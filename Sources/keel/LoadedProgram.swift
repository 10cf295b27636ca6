import KeelAnalysis
import KeelIR
import KeelSystem

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
    static func load(_ paths: [String], upTo stage: Stage, options: VerifierOptions = VerifierOptions(strictCallSignatures: false)) throws(ReportedFailure) -> LoadedProgram {
        var program = LoadedProgram(module: Module())
        var clock = PhaseClock()
        for path in paths {
            let bytes = try readInput(path)
            program.lineCount += FileIO.countLines(bytes)
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

    static func readInput(_ path: String) throws(ReportedFailure) -> [UInt8] {
        if path == "-" { return FileIO.readStandardInput() }
        do {
            return try FileIO.readFile(path)
        } catch {
            throw ReportedFailure(message: "\(path): \(error.reason)")
        }
    }

    /// Prints the per-phase timings and throughput to standard error.
    func printStats() {
        let total = timings.reduce(0) { $0 + $1.seconds }
        var merged: [(String, Double)] = []
        for (phase, seconds) in timings {
            if let i = merged.firstIndex(where: { $0.0 == phase }) { merged[i].1 += seconds } else { merged.append((phase, seconds)) }
        }
        for (phase, seconds) in merged {
            let padding = String(repeating: " ", count: max(0, 8 - phase.utf8.count))
            printError(phase + padding + FileIO.format(" %9.3f ms", seconds * 1000))
        }
        let rate = total > 0 ? Double(lineCount) / total : 0
        printError(FileIO.format("total    %9.3f ms  %ld lines  %.0f lines/s", total * 1000, lineCount, rate))
    }
}

/// Measures the time between successive laps.
struct PhaseClock {
    private var last = FileIO.monotonicNanoseconds()
    mutating func lap(_ phase: String, into timings: inout [(phase: String, seconds: Double)]) {
        let now = FileIO.monotonicNanoseconds()
        timings.append((phase, Double(now - last) / 1e9))
        last = now
    }
}
