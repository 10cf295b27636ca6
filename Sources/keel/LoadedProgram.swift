import KeelAnalysis
import KeelIR
import KeelDriver
import KeelSystem

/// What every command starts with: IL files read and parsed into one module,
/// then taken through `FrontHalf` (SSA, verify, the IR passes of a level). Diagnostics go to
/// standard error; any error makes the command exit with status 1.
struct LoadedProgram {
    var module: Module
    /// Seconds spent in each phase, for `--stats`.
    var timings = StepTimes()
    var lineCount = 0

    /// Reads `paths` ("-" is standard input), parses them, and (unless `stage`
    /// is nil) takes the module through `FrontHalf` up to `stage`, running the
    /// passes of `level`.
    /// Warnings are printed when `warnings` is set; errors always fail.
    static func load(_ paths: [String], upTo stage: FrontHalf.Stage?, level: OptimizationLevel = .standard,
                     options: VerifierOptions = VerifierOptions(strictCallSignatures: false),
                     warnings: Bool = true, verifyEach: Bool = false) throws(ReportedFailure) -> LoadedProgram {
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
        guard let stage else { return program }
        do {
            var timings = program.timings  // the closure may not capture `program`, which `run` mutates
            let found = try FrontHalf.run(&program.module, upTo: stage, level: level, options: options,
                                          verifyEach: verifyEach) { step in
                clock.lap(step, into: &timings)
            }
            program.timings = timings
            if warnings { for warning in found { printError(warning.description) } }
        } catch {
            throw ReportedFailure(diagnostics: error.diagnostics)
        }
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

    /// Prints the time of each step (summed over its runs) and the throughput to standard error.
    func printStats() {
        let total = timings.steps.reduce(0) { $0 + $1.seconds }
        for (phase, seconds) in timings.steps {
            let padding = String(repeating: " ", count: max(0, 12 - phase.utf8.count))
            printError(phase + padding + FileIO.format(" %9.3f ms", seconds * 1000))
        }
        let rate = total > 0 ? Double(lineCount) / total : 0
        printError(FileIO.format("total        %9.3f ms  %ld lines  %.0f lines/s", total * 1000, lineCount, rate))
    }
}

/// Measures the time between successive laps.
struct PhaseClock {
    private var last = FileIO.monotonicNanoseconds()
    mutating func lap(_ phase: String, into timings: inout StepTimes) {
        let now = FileIO.monotonicNanoseconds()
        timings.add(phase, Double(now - last) / 1e9)
        last = now
    }
}
