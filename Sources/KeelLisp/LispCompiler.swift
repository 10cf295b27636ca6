import Keel

/// KeelLisp's compiler, in-process: source text to a Keel IR module (reader,
/// analyzer, code generator), then through Keel's public API to assembly.
public enum LispCompiler {
    /// Why a compilation failed: a KeelLisp error at file:line:col, or
    /// Keel's diagnostics (a compiler bug when it happens).
    public enum Failure: Error, CustomStringConvertible {
        case source(LispError)
        case backend(DiagnosticList)

        public var description: String {
            switch self {
            case .source(let e): return e.description
            case .backend(let d): return "internal compiler error:\n" + d.description
            }
        }
    }

    /// The IR module of a program (not yet verified or optimized).
    public static func module(source: String, file: String) throws(LispError) -> Module {
        let core = try Reader.readAll(CoreLibrary.source, file: CoreLibrary.file)
        let forms = try Reader.readAll(source, file: file)
        var analyzer = Analyzer(file: file)
        let (body, localCount) = try analyzer.analyzeProgram(core: core, coreFile: CoreLibrary.file, forms)
        var generator = CodeGenerator(file: file)
        generator.globalTypes = analyzer.globalTags.compactMapValues { StaticType(tag: $0) }
        return try generator.generateProgram(body, localCount: localCount, globals: analyzer.globals)
    }

    /// The verified, optimized module (what is compiled, and what --emit-il prints).
    public static func optimizedModule(source: String, file: String,
                                       level: OptimizationLevel = .standard) throws(Failure) -> Module {
        var m: Module
        do { m = try module(source: source, file: file) } catch { throw .source(error) }
        try verifyAndOptimize(&m, level: level)
        return m
    }

    /// Verifies and optimizes a generated module; a diagnostic is a compiler bug.
    static func verifyAndOptimize(_ m: inout Module, level: OptimizationLevel = .standard) throws(Failure) {
        do { try KeelCompiler.verifyAndOptimize(&m, level: level) } catch { throw .backend(error) }
    }

    /// GNU assembly for `target` (x86-64 unless told) of a program; link it
    /// with the Keel runtime and the KeelLisp runtime (Sources/KeelRuntime,
    /// Sources/KeelLispRuntime) built for the same target.
    public static func assembly(source: String, file: String, level: OptimizationLevel = .standard,
                                options: CompileOptions = CompileOptions(),
                                target: String = "amd64_sysv") throws(Failure) -> [UInt8] {
        try assembly(for: optimizedModule(source: source, file: file, level: level), options: options, target: target)
    }

    /// GNU assembly for `target` of an optimized module.
    public static func assembly(for m: Module, options: CompileOptions = CompileOptions(),
                                target: String = "amd64_sysv") throws(Failure) -> [UInt8] {
        do { return try KeelCompiler.assembly(for: m, target: target, options: options) } catch {
            throw .backend(error)
        }
    }
}

extension LispCompiler {
    /// The IL text of a module (`keel build --emit-il`).
    public static func ilText(_ module: Module) -> String { KeelCompiler.ilText(module) }
}
