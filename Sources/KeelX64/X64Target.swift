import KeelCodegen
import KeelIR

// x86-64 with the System V ABI, as one `Target` of the driver: its register
// file, ABI lowering (SysVLowering.swift), instruction selection
// (X64Selector*.swift), frame layout (X64Frame.swift, with alloc-slot
// lifetimes), the stack-slot check, and GNU assembler output (X64Emitter,
// data directives).
public struct X64Target: Target {
    public init() {}

    public var names: [String] { ["amd64_sysv"] }
    public var registers: RegisterFile { X64Reg.sysV }

    public func moduleABI(_ module: Module) -> SysVABI { SysVABI(module: module) }

    public func lowerABI(_ f: Function, _ abi: SysVABI) -> SysVBoundary { lowerSysV(f, abi: abi) }

    public func select(_ f: Function, in module: Module, abi: SysVABI, boundary: SysVBoundary)
        throws(SelectionError) -> X64Function {
        try selectInstructions(f, in: module, abi: abi, boundary: boundary)
    }

    public func layoutFrame(_ s: X64Function, _ allocation: AllocationResult, spillSlots: SpillSlotSharing) -> X64Frame {
        X64Frame(function: s, allocation: allocation, spillSlots: spillSlots,
                 allocSlots: AllocSlotLifetimes(function: s))
    }

    public func checkFrame(_ s: X64Function, _ allocation: AllocationResult, _ frame: X64Frame) -> [String] {
        checkStackSlots(function: s, allocation: allocation, frame: frame).map { "stack-slot check failed in \($0.message)" }
    }

    public func makeWriter(for module: Module) -> X64Writer { X64Writer(module: module) }
}

extension X64Function: SelectedFunction {}

/// The GNU assembler text of one module: directives for `dbgfile` and data,
/// each function through `X64Emitter`, then the module's own constants and
/// the non-executable-stack note.
public struct X64Writer: TargetWriter {
    let module: Module
    var out = AssemblyWriter(capacity: 1 << 16)
    var fileNumber = 0
    var functionID = 0
    var usesTwo63 = false
    /// Every function's stack-map entries, written after all code.
    var stackMaps = AssemblyWriter(capacity: 0)
    /// What reading back the last function needs: its text, its frame, its
    /// edits and where each parallel copy was written.
    var last: (name: String, text: AssemblyWriter, frameSize: Int, spillOffsets: [Int32], edits: [Edit],
               copySpans: [(edits: Range<Int>, bytes: Range<Int>)])?

    /// What each distinct line reads back as.
    let readBackCache = X64LineCache()

    init(module: Module) { self.module = module }

    public mutating func file(_ name: String) {
        fileNumber += 1
        out += "\t.file \(fileNumber) \(quoted(Array(name.utf8)))\n"
    }

    public mutating func data(_ d: DataDefinition) { emitData(d, module: module, into: &out) }

    public mutating func function(_ s: X64Function, _ allocation: AllocationResult, _ frame: X64Frame,
                                  sequencer: @escaping ParallelCopySequencer) {
        var emitter = X64Emitter(fn: s, alloc: allocation, frame: frame, module: module, id: functionID,
                                 fileNumber: fileNumber, sequencer: sequencer)
        functionID += 1
        emitter.emit()
        last = (s.machine.name, emitter.out, Int(frame.size), frame.spillOffsets, allocation.edits, emitter.copySpans)
        out.append(emitter.out)
        stackMaps.append(emitter.stackMaps)
        usesTwo63 = usesTwo63 || emitter.usesTwo63
    }

    public func readBackLastFunction() -> (function: EmittedFunction, convention: EmittedConvention)? {
        guard let last else { return nil }
        func place(_ l: Location) -> EmittedPlace {
            switch l {
            case .reg(let r): return .register(Int(r.number))
            case .stack(let s): return .cell(X64ReadBack.framePointer + Int(last.spillOffsets[Int(s.index)]))
            }
        }
        let copies = last.copySpans.map { span in
            (bytes: span.bytes, moves: last.edits[span.edits].map { (from: place($0.from), to: place($0.to)) },
             point: last.edits[span.edits.lowerBound].point.description)
        }
        return (X64ReadBack.function(named: last.name, text: last.text.bytes, bodyStack: X64ReadBack.framePointer - last.frameSize, copies: copies,
                                     cache: readBackCache),
                X64ReadBack.convention)
    }

    public mutating func finish() -> [UInt8] {
        if usesTwo63 {
            out += "\t.section .rodata\n\t.balign 8\n.Lkeel_two63d:\n\t.quad 0x43e0000000000000\n"
            out += "\t.balign 4\n.Lkeel_two63s:\n\t.int 0x5f000000\n"
        }
        if stackMaps.count > 0 { out.append(stackMaps) }
        out += "\t.section .note.GNU-stack,\"\",@progbits\n"
        return out.bytes
    }
}
