import KeelCodegen
import KeelArm64
import KeelIR
import KeelX64

// The registry of targets: what `-t` can name, the default first. Adding a
// target is one line here (and its module); nothing else lists targets.

/// One target, with its compile entry point specialized for it.
public struct TargetEntry: Sendable {
    /// The names `-t` accepts, the canonical one first.
    public let names: [String]
    private let run: @Sendable (Module, CompileOptions, Bool) throws(DiagnosticList) -> ([UInt8], StepTimes)

    public init<T: Target>(_ target: T) {
        names = target.names
        run = { (module, options, timed) throws(DiagnosticList) in
            var generator = CodeGenerator(target: target, options: options)
            generator.timed = timed
            let text = try generator.compile(module)
            return (text, generator.times)
        }
    }

    /// Compiles a module that went through `FrontHalf`; with `timed`, the
    /// time of each back-half step is returned too.
    public func compile(_ module: Module, options: CompileOptions = CompileOptions(),
                        timed: Bool = false) throws(DiagnosticList) -> (text: [UInt8], times: StepTimes) {
        try run(module, options, timed)
    }
}

public enum Targets {
    public static let all: [TargetEntry] = [TargetEntry(X64Target()), TargetEntry(Arm64Target())]
    public static var defaultTarget: TargetEntry { all[0] }

    public static func named(_ name: String) -> TargetEntry? { all.first { $0.names.contains(name) } }
    /// Every name `-t` accepts.
    public static var names: [String] { all.flatMap(\.names) }
}
