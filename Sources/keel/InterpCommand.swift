import ArgumentParser
import KeelAnalysis
import KeelIR
import KeelInterp
import KeelSystem

struct InterpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interp",
        abstract: "Run an IL program with the reference interpreter.",
        discussion: """
            Runs $main of a self-contained IL program: every called function must be defined \
            in the file or be one of the C library functions the interpreter emulates \
            (printf, puts, putchar, malloc, calloc, realloc, free, memcpy, memmove, memset, \
            memcmp, strlen, strcmp, strcpy, exit, abort; see docs/interp.md). \
            $main may take (w argc, l argv); the arguments after FILE are passed to it. \
            The exit status is main's return value; a run-time error (out-of-bounds access, \
            division by zero, hlt, ...) is printed to standard error with status 70.
            """
    )

    @Argument(help: "The IL program.")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to $main.")
    var arguments: [String] = []

    @Option(help: "Stop with an error after this many executed instructions (0: no limit).")
    var maxSteps: Int = 0

    func run() throws {
        try reporting {
            let program = try LoadedProgram.load([file], upTo: .simplified,
                                                 options: VerifierOptions(knownExternals: Set(Interpreter.emulatedFunctions)))
            try execute(program.module)
        }
    }

    private func execute(_ module: Module) throws {
        var interpreter: Interpreter
        do {
            interpreter = try Interpreter(module: module)
        } catch {
            throw ReportedFailure(diagnostics: [error])
        }
        if maxSteps > 0 { interpreter.stepLimit = maxSteps }
        var output: [UInt8] = []
        let result: Result<Int32, RuntimeError>
        do throws(RuntimeError) {
            result = .success(try interpreter.run(arguments: [file] + arguments, output: &output))
        } catch {
            result = .failure(error)
        }
        // What the program printed before an error is still its output.
        FileIO.writeAll(output, to: 1)
        switch result {
        case .success(let status):
            throw ExitCode(status & 0xff)
        case .failure(let error):
            throw ReportedFailure(lines: ["\(error)"], status: 70)
        }
    }
}
