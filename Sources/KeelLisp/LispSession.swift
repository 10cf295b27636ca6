import Keel

/// The REPL's compiler: one module per input, each compiled after the ones
/// before it. The core library is the first module, with every definition;
/// each later input sees every global defined so far (their cells live in
/// the module that first named them and are exported to the later ones) and
/// returns the value of its form. A failed input leaves the session as it was.
public struct LispSession {
    private var analyzer = Analyzer(file: LispSession.file)
    /// Global name to its cell's symbol, over every module so far.
    private var cells: [String: String] = [:]
    private var inputCount = 0

    /// The file name compile errors of inputs give.
    public static let file = "REPL"

    public init() {}

    /// One compiled input: its module, the function to call (it prints the
    /// form's value), and what to print instead (`#'user/x` after a def).
    public struct Input {
        public var module: Module
        public var entry: String
        public var shows: String?
    }

    /// The core library, every definition: the session's first module.
    public mutating func core() throws(LispCompiler.Failure) -> Input {
        let forms: [Form]
        do { forms = try Reader.readAll(CoreLibrary.source, file: CoreLibrary.file) } catch { throw .source(error) }
        return try compile(shows: nil) { (a) throws(LispError) in try a.analyzeCore(forms, coreFile: CoreLibrary.file) }
    }

    /// The module of one form typed at the REPL.
    public mutating func input(_ form: Form) throws(LispCompiler.Failure) -> Input {
        var shows: String? = nil
        if case .list(let items) = form.kind, items.count >= 2, let head = items[0].symbolName,
           head == "def" || head == "defn", let name = items[1].symbolName {
            shows = "#'user/" + name
        }
        let printed = shows == nil
        return try compile(shows: shows) { (a) throws(LispError) in
            var (body, localCount) = try a.analyzeInput([form])
            // The value is printed by the input itself, as prn prints it.
            if printed, let prn = Intrinsic.all["prn"], let last = body.popLast() {
                body.append(.intrinsic(prn, [last], form.location))
            }
            return (body, localCount)
        }
    }

    private mutating func compile(shows: String?,
                                  _ analyze: (inout Analyzer) throws(LispError) -> (body: [Expr], localCount: Int))
        throws(LispCompiler.Failure) -> Input {
        let saved = self
        let entry = "kl_input\(inputCount)"
        var module: Module
        do {
            let (body, localCount) = try analyze(&analyzer)
            var generator = CodeGenerator(file: Self.file, replEntry: entry, sessionCells: cells)
            generator.globalTypes = analyzer.globalTags.compactMapValues { StaticType(tag: $0) }
            module = try generator.generateProgram(body, localCount: localCount, globals: analyzer.globals)
            cells = generator.globalCells
        } catch {
            self = saved
            throw .source(error)
        }
        do { try LispCompiler.verifyAndOptimize(&module) } catch {
            self = saved
            throw error
        }
        inputCount += 1
        return Input(module: module, entry: entry, shows: shows)
    }
}
