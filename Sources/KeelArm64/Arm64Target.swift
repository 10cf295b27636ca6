import KeelCodegen
import KeelIR

// arm64 (AArch64 Linux, AAPCS64) as one `Target` of the driver: its register
// file (Arm64Registers.swift), ABI lowering (AAPCS64.swift), instruction
// selection (Arm64Select*.swift), frame layout (Arm64Frame.swift), the
// stack-slot check, and GNU assembler output (Arm64Emitter, Arm64Data),
// read back for the emitted-code checks by Arm64ReadBack.swift. A module
// that uses the collector gets its safepoints, stack maps, barrier and
// inline allocation (Arm64SelectManaged.swift, Arm64EmitManaged.swift).
public struct Arm64Target: Target {
    public init() {}

    public var names: [String] { ["arm64"] }
    public var registers: RegisterFile { Arm64Reg.aapcs64 }

    public func moduleABI(_ module: Module) -> Arm64ModuleABI { Arm64ModuleABI(module: module) }

    public func lowerABI(_ f: Function, _ abi: Arm64ModuleABI) -> Arm64Boundary { AAPCS64.lower(f, abi: abi) }

    public func select(_ f: Function, in module: Module, abi: Arm64ModuleABI, boundary: Arm64Boundary)
        throws(SelectionError) -> Arm64Function {
        try selectArm64(f, in: module, boundary: boundary, safepoints: abi.safepoints)
    }

    public func layoutFrame(_ s: Arm64Function, _ allocation: AllocationResult, spillSlots: SpillSlotSharing) -> Arm64Frame {
        Arm64Frame(function: s, allocation: allocation, spillSlots: spillSlots)
    }

    public func checkFrame(_ s: Arm64Function, _ allocation: AllocationResult, _ frame: Arm64Frame) -> [String] {
        checkStackSlots(function: s, allocation: allocation, frame: frame).map { "stack-slot check failed in \($0.message)" }
    }

    public func makeWriter(for module: Module) -> Arm64Writer { Arm64Writer(module: module) }
}

extension Arm64Function: SelectedFunction {}

/// The GNU assembler text of one module: directives for `dbgfile` and data,
/// each function through `Arm64Emitter`, then the non-executable-stack note.
public struct Arm64Writer: TargetWriter {
    let module: Module
    var out: [UInt8] = []
    var fileNumber = 0
    var functionID = 0
    /// Every function's stack-map entries, written after all code.
    var stackMaps = ""
    /// What reading back the last function needs: its text, frame, edits and copy spans.
    var last: (name: String, text: String, total: Int, spillOffsets: [Int32], edits: [Edit],
               copySpans: [(edits: Range<Int>, bytes: Range<Int>)])?

    init(module: Module) { self.module = module }

    public mutating func file(_ name: String) {
        fileNumber += 1
        out += Array("\t.file \(fileNumber) \(Arm64Data.quoted(Array(name.utf8)))\n".utf8)
    }

    public mutating func data(_ d: DataDefinition) { out += Array(Arm64Data.text(d, module: module).utf8) }

    public mutating func function(_ s: Arm64Function, _ allocation: AllocationResult, _ frame: Arm64Frame,
                                  sequencer: @escaping ParallelCopySequencer) {
        var emitter = Arm64Emitter(fn: s, alloc: allocation, frame: frame, module: module, id: functionID,
                                   fileNumber: fileNumber, sequencer: sequencer)
        functionID += 1
        emitter.emit()
        last = (s.name, emitter.out, frame.arm64Total, frame.spillOffsets, allocation.edits, emitter.copySpans)
        out += Array(emitter.out.utf8)
        if !emitter.stackMaps.isEmpty {
            if stackMaps.isEmpty { stackMaps = StackMapSection.header }
            stackMaps += emitter.stackMaps
        }
    }

    public func readBackLastFunction() -> (function: EmittedFunction, convention: EmittedConvention)? {
        guard let last else { return nil }
        // Spill cells are named by their entry-relative offsets, which are the layout's offsets.
        func place(_ l: Location) -> EmittedPlace {
            switch l {
            case .reg(let r): return .register(Int(r.number))
            case .stack(let s): return .cell(Int(last.spillOffsets[Int(s.index)]))
            }
        }
        let copies = last.copySpans.map { span in
            (bytes: span.bytes, moves: last.edits[span.edits].map { (from: place($0.from), to: place($0.to)) },
             point: last.edits[span.edits.lowerBound].point.description)
        }
        return (Arm64ReadBack.function(named: last.name, text: Array(last.text.utf8), bodyStack: -last.total,
                                       copies: copies),
                Arm64ReadBack.convention)
    }

    public mutating func finish() -> [UInt8] {
        out += Array(stackMaps.utf8)
        out += Array("\t.section .note.GNU-stack,\"\",@progbits\n".utf8)
        return out
    }
}
