import ArgumentParser
import KeelIR
import KeelSystem

/// A failure already explained to the user: its text goes to standard error and
/// the process exits with `status` (1 for errors in the input).
struct ReportedFailure: Error {
    var lines: [String]
    var status: Int32 = 1

    init(diagnostics: [Diagnostic]) { lines = diagnostics.map(\.description) }
    init(lines: [String], status: Int32) {
        self.lines = lines
        self.status = status
    }
    init(message: String, status: Int32 = 1) {
        lines = ["keel: error: \(message)"]
        self.status = status
    }
}

func printError(_ text: String) {
    FileIO.writeAll(text + "\n", to: 2)
}

extension ParsableCommand {
    /// Runs `body`, turning a `ReportedFailure` into its message and exit status.
    func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as ReportedFailure {
            for line in failure.lines { printError(line) }
            throw ExitCode(failure.status)
        }
    }
}
