import ArgumentParser
import KeelIR
import KeelDriver
import KeelSystem

/// `keel il`: QBE's command line. Compiles IL to GNU assembly.
struct ILCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "il",
        abstract: "Compile IL to GNU assembly (a drop-in for qbe).",
        discussion: """
            The files are read in order as one compilation unit (standard input when none is given, \
            or "-"). The assembly goes to standard output unless -o is given. Invoked through a link \
            named qbe, keel behaves as `keel il`; -t names a target (-t? prints the default).

            Valid input prints nothing on standard error, as with qbe; -W prints the warnings \
            `keel check` gives (calls whose types disagree with the called function's definition). \
            Unused results are deleted before code generation, as qbe does, so a dead load of a \
            symbol the program never defines links. Errors are printed as \
            FILE:LINE:COL: error: MESSAGE with exit status 1.

            --check-alloc runs the allocation checker and the stack-slot check on every function \
            (always on in debug builds): a register or stack cell that does not hold the value an \
            instruction reads is reported as "allocation check failed in $f: ..."; in a module that \
            uses the collector it also proves every safepoint's stack map (each live reference in a \
            listed slot, no stale register copy read after a call). It also reads each \
            function's emitted text back and checks it: callee-saved registers and the stack pointer \
            restored at every return, calls aligned, every parallel copy doing what it must \
            ("emitted-code check failed in $f, line N: ..."). --verify-each \
            also runs the verifier after every IR pass. --stats prints the time of each step.

            -O0, -O1 and -O2 choose the IR passes (default -O2; the last one given counts): \
            \(OptimizationFlag.levelsSummary). `keel opt` prints the IL they produce.
            """
    )

    @Flag(exclusivity: .chooseLast)
    var optimization: OptimizationFlag = .standard

    @Option(name: .short, help: "Output file (\"-\" or none: standard output).")
    var o: String?

    @Option(name: .short, help: "Target (\"?\" prints the default target).")
    var t: String?

    @Flag(help: "Print the time spent in each phase to standard error.")
    var stats = false

    @Flag(name: .customShort("W"), help: "Print warnings (as keel check does) to standard error.")
    var warnings = false

    @Flag(name: .customLong("verify-each"),
          help: "Run the verifier after every IR pass, and the allocation and stack-slot checks after allocation.")
    var verifyEach = false

    @Flag(name: .customLong("check-alloc"),
          help: "Check every register allocation and the emitted code of every function (on by default in debug builds).")
    var checkAlloc = false

    @Argument(help: "IL files.")
    var files: [String] = []

    func run() throws {
        try reporting {
            try Self.compile(files: files, output: o, target: t, stats: stats, checkAlloc: checkAlloc,
                             warnings: warnings, verifyEach: verifyEach, level: optimization.level)
        }
    }

    /// The whole command, callable without the argument parser (see `fastPath`).
    static func compile(files: [String], output o: String?, target t: String?, stats: Bool,
                        checkAlloc: Bool = false, warnings: Bool = false, verifyEach: Bool = false,
                        level: OptimizationLevel = .standard) throws {
        var target = Targets.defaultTarget
        if let t {
            if t == "?" {
                print(Targets.defaultTarget.names[0])
                return
            }
            guard let named = Targets.named(t) else {
                throw ReportedFailure(message: "unknown target '\(t)' (known: \(Targets.names.joined(separator: ", ")))")
            }
            target = named
        }
        var program = try LoadedProgram.load(files.isEmpty ? ["-"] : files, upTo: .simplified, level: level,
                                             warnings: warnings, verifyEach: verifyEach)
        var clock = PhaseClock()
        let text: [UInt8]
        do {
            var options = CompileOptions(verifyEach: verifyEach, level: level)
            if checkAlloc { options.checkAllocation = true }
            let compiled = try target.compile(program.module, options: options, timed: stats)
            text = compiled.text
            for (name, seconds) in compiled.times.steps { program.timings.add(name, seconds) }
        } catch {
            throw ReportedFailure(diagnostics: error.diagnostics)
        }
        clock = PhaseClock()  // the back half timed itself, step by step
        guard FileIO.writeFile(text, to: o) else {
            throw ReportedFailure(message: "\(o ?? "-"): cannot be written")
        }
        if stats {
            clock.lap("write", into: &program.timings)
            program.printStats()
        }
    }

    /// `keel il`'s plain command lines (`-o FILE`, `-t TARGET`, `--stats`,
    /// `--check-alloc`, `--verify-each`, `-W`, `-O0`/`-O1`/`-O2`, files) run
    /// without building the argument parser, whose set-up costs
    /// more than compiling a small file. Anything else (help, an unknown or
    /// incomplete option) returns nil and goes through ArgumentParser.
    static func fastPath(_ arguments: [String]) -> Int32? {
        var files: [String] = [], o: String? = nil, t: String? = nil, stats = false, checkAlloc = false
        var warnings = false, verifyEach = false, level = OptimizationLevel.standard
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            switch a {
            case "-o", "-t":
                guard i + 1 < arguments.count else { return nil }
                if a == "-o" { o = arguments[i + 1] } else { t = arguments[i + 1] }
                i += 2
                continue
            case "--stats": stats = true
            case "--check-alloc": checkAlloc = true
            case "-W": warnings = true
            case "--verify-each": verifyEach = true
            case "-": files.append(a)
            default:
                if let named = OptimizationFlag.level(ofArgument: a) {
                    level = named
                } else if a.hasPrefix("-") {
                    return nil
                } else {
                    files.append(a)
                }
            }
            i += 1
        }
        do {
            try compile(files: files, output: o, target: t, stats: stats, checkAlloc: checkAlloc, warnings: warnings,
                        verifyEach: verifyEach, level: level)
            return 0
        } catch let failure as ReportedFailure {
            for line in failure.lines { printError(line) }
            return failure.status
        } catch {
            printError("keel: error: \(error)")
            return 1
        }
    }
}
