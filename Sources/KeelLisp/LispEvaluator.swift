#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The public face of the evaluator (Evaluator.swift): a program's source
/// to what running it natively must show.
public enum LispEvaluator {
    public struct Run: Sendable, Equatable {
        /// Standard output.
        public var output: String
        /// The exit status: -main's integer result (low byte), 0, or 1 after a runtime error.
        public var status: Int32
        /// The runtime error's line, `Execution error (KIND): MESSAGE` (the first line of stderr natively).
        public var error: String?
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// The program does not compile (reader or analyzer error).
        case source(LispError)
        /// Something the evaluator does not model: no verdict on this program.
        case unsupported(String)

        public var description: String {
            switch self {
            case .source(let e): return e.description
            case .unsupported(let why): return "the evaluator does not support this program: " + why
            }
        }
    }

    /// Evaluates the program's top-level forms and -main (with `arguments`),
    /// on a thread with a large stack (deep non-tail recursion recurses in
    /// Swift too). `budget` bounds the evaluation steps.
    public static func run(source: String, file: String, arguments: [String] = [],
                           budget: Int = 200_000_000) -> Result<Run, Failure> {
        let body: [Expr], localCount: Int, globalTags: [String: String]
        do {
            let core = try Reader.readAll(CoreLibrary.source, file: CoreLibrary.file)
            let forms = try Reader.readAll(source, file: file)
            var analyzer = Analyzer(file: file)
            (body, localCount) = try analyzer.analyzeProgram(core: core, coreFile: CoreLibrary.file, forms)
            globalTags = analyzer.globalTags
        } catch {
            return .failure(.source(error))
        }
        let task = EvaluationTask {
            let evaluator = Evaluator(budget: budget, globalTags: globalTags)
            do throws(EvalStop) {
                let status = try evaluator.runProgram(body, localCount: localCount, arguments: arguments)
                return .success(Run(output: evaluator.output, status: status, error: nil))
            } catch {
                switch error {
                case .runtime(let kind, let message):
                    return .success(Run(output: evaluator.output, status: 1, error: "Execution error (\(kind)): \(message)"))
                case .unsupported(let why):
                    return .failure(.unsupported(why))
                }
            }
        }
        return task.runOnLargeStack()
    }
}

/// A closure run on its own thread with a 1 GiB stack (reserved, touched only as used).
private final class EvaluationTask: @unchecked Sendable {
    let work: () -> Result<LispEvaluator.Run, LispEvaluator.Failure>
    var result: Result<LispEvaluator.Run, LispEvaluator.Failure>?

    init(_ work: @escaping () -> Result<LispEvaluator.Run, LispEvaluator.Failure>) { self.work = work }

    func runOnLargeStack() -> Result<LispEvaluator.Run, LispEvaluator.Failure> {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, 1 << 30)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        guard pthread_create(&thread, &attributes, { raw in
            let task = Unmanaged<EvaluationTask>.fromOpaque(raw!).takeRetainedValue()
            task.result = task.work()
            return nil
        }, box) == 0 else {
            Unmanaged<EvaluationTask>.fromOpaque(box).release()
            return work()
        }
        pthread_join(thread, nil)
        return result!
    }
}
