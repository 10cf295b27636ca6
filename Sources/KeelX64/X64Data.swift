/// Compilation of a whole module to GNU assembler text: functions (select,
/// allocate, emit) and data definitions, in source order; `dbgfile` items
/// become `.file` directives numbered from 1.
import KeelCodegen
import KeelIR

/// The targets `keel il -t` accepts.
public enum X64Target {
    public static let names = ["amd64_sysv"]
    public static let defaultName = "amd64_sysv"
}

/// Choices that change how a module is compiled, not what it means.
public struct CompileOptions: Sendable {
    /// Run the allocation checker (KeelCodegen's `checkAllocation`) on every
    /// function after register allocation; a failure is a diagnostic.
    public var checkAllocation: Bool

    /// The checker is on by default in debug builds (and so in every test), off in release builds.
    public static let checkAllocationByDefault: Bool = {
        #if DEBUG
        return true
        #else
        return false
        #endif
    }()

    public init(checkAllocation: Bool = CompileOptions.checkAllocationByDefault) {
        self.checkAllocation = checkAllocation
    }
}

/// Compiles a verified, SSA-form module. Every unsupported construct or
/// allocator failure is reported as a diagnostic; nothing is printed then.
public func compileModuleToAssembly(_ module: Module, options: CompileOptions = CompileOptions())
    throws(DiagnosticList) -> String
{
    String(decoding: try compileModuleToAssemblyBytes(module, options: options), as: UTF8.self)
}

/// `compileModuleToAssembly`, as UTF-8 bytes ready to be written out.
public func compileModuleToAssemblyBytes(_ module: Module, options: CompileOptions = CompileOptions())
    throws(DiagnosticList) -> [UInt8]
{
    var out = AssemblyWriter(capacity: 1 << 16)
    var diagnostics: [Diagnostic] = []
    var fileNumber = 0
    var usesTwo63 = false
    var functionID = 0
    let abi = SysVABI(module: module)
    for item in module.items {
        switch item {
        case .type:
            break
        case .dbgfile(let name):
            fileNumber += 1
            out += "\t.file \(fileNumber) \(quoted(Array(name.utf8)))\n"
        case .data(let i):
            emitData(module.data[i], module: module, into: &out)
        case .function(let i):
            let f = module.functions[i]
            let file = f.file < module.files.count ? module.files[f.file] : "<input>"
            let selected: X64Function
            do {
                selected = try selectInstructions(f, in: module, abi: abi)
            } catch {
                diagnostics.append(Diagnostic(file: file, position: error.position, message: error.message))
                continue
            }
            let allocation: AllocationResult
            do {
                allocation = try allocateRegisters(selected.machine, registers: X64Reg.sysV)
            } catch {
                diagnostics.append(Diagnostic(file: file, position: f.position,
                                              message: "register allocation failed in $\(selected.name): \(error)"))
                continue
            }
            let frame = X64Frame(function: selected, allocation: allocation)
            let sequencer = emitterCopySequencer(registers: X64Reg.sysV,
                                                 spillSlotClasses: allocation.spillSlotClasses)
            if options.checkAllocation {
                let failures = checkX64Allocation(selected, allocation, frame, sequencer)
                if !failures.isEmpty {
                    for message in failures {
                        diagnostics.append(Diagnostic(file: file, position: f.position, message: message))
                    }
                    continue
                }
            }
            var emitter = X64Emitter(fn: selected, alloc: allocation, frame: frame, module: module, id: functionID,
                                     fileNumber: fileNumber, sequencer: sequencer)
            functionID += 1
            emitter.emit()
            out.append(emitter.out)
            usesTwo63 = usesTwo63 || emitter.usesTwo63
        }
    }
    if !diagnostics.isEmpty { throw DiagnosticList(diagnostics) }
    if usesTwo63 {
        out += "\t.section .rodata\n\t.balign 8\n.Lkeel_two63d:\n\t.quad 0x43e0000000000000\n"
        out += "\t.balign 4\n.Lkeel_two63s:\n\t.int 0x5f000000\n"
    }
    out += "\t.section .note.GNU-stack,\"\",@progbits\n"
    return out.bytes
}

/// The allocation checker and the stack-slot check on one x86-64 function, as
/// the emitter will realize it: spill slots in the frame cells `X64Frame` gives
/// them and parallel copies in the emitter's move order. Returns one message
/// per failure.
func checkX64Allocation(_ fn: X64Function, _ allocation: AllocationResult, _ frame: X64Frame,
                        _ sequencer: ParallelCopySequencer? = nil) -> [String] {
    let sequencer = sequencer
        ?? emitterCopySequencer(registers: X64Reg.sysV, spillSlotClasses: allocation.spillSlotClasses)
    let cells = frame.spillCells.map { Int($0) }
    let allocationErrors = checkAllocation(fn.machine, allocation, registers: X64Reg.sysV,
                                           slotCells: cells.count == allocation.spillSlotClasses.count ? cells : nil,
                                           sequentialize: sequencer, maxErrors: 10)
    let slotErrors = checkStackSlots(function: fn, allocation: allocation, frame: frame)
    return allocationErrors.map { "allocation check failed in $\(fn.name): " + $0.message(registers: X64Reg.sysV) }
        + slotErrors.map { "stack-slot check failed in $\(fn.name): \($0.message)" }
}

/// A GNU assembler string literal.
func quoted(_ bytes: [UInt8]) -> String {
    var s = "\""
    for b in bytes {
        switch b {
        case UInt8(ascii: "\""): s += "\\\""
        case UInt8(ascii: "\\"): s += "\\\\"
        case 0x20..<0x7f: s.unicodeScalars.append(Unicode.Scalar(b))
        default:
            let oct = String(b, radix: 8)
            s += "\\" + String(repeating: "0", count: 3 - oct.count) + oct
        }
    }
    return s + "\""
}

func emitData(_ d: DataDefinition, module: Module, into out: inout AssemblyWriter) {
    let name = module.name(d.name)
    let allZero = d.items.allSatisfy { if case .zero = $0 { return true } else { return false } }
    if d.linkage.common {
        if d.linkage.export { out += "\t.globl \(name)\n" }
        out += "\t.comm \(name), \(d.size), \(d.alignment ?? 8)\n"
        return
    }
    if let section = d.linkage.section {
        out += "\t.section \"\(section)\"\(d.linkage.sectionFlags.map { ",\"\($0)\"" } ?? "")\n"
    } else if d.linkage.thread {
        out += allZero ? "\t.section .tbss,\"awT\",@nobits\n" : "\t.section .tdata,\"awT\",@progbits\n"
    } else {
        out += allZero ? "\t.bss\n" : "\t.data\n"
    }
    out += "\t.balign \(d.alignment ?? 8)\n"
    if d.linkage.export { out += "\t.globl \(name)\n" }
    out += "\(name):\n"
    for item in d.items {
        switch item {
        case .zero(let n):
            if n > 0 { out += "\t.zero \(n)\n" }
        case .values(let t, let values):
            let directive: String
            switch t {
            case .b: directive = ".byte"
            case .h: directive = ".short"
            case .w, .s: directive = ".int"
            case .l, .d: directive = ".quad"
            }
            for v in values {
                switch v {
                case .integer(let x):
                    out += "\t\(directive) \(x)\n"
                case .single(let bits):
                    out += "\t\(directive) \(t.size == 8 ? UInt64(bits) : UInt64(bits))\n"
                case .double(let bits):
                    out += "\t\(directive) \(t.size == 4 ? bits & 0xffff_ffff : bits)\n"
                case .symbol(let s, let off):
                    let sym = module.name(s)
                    out += "\t\(directive) \(off == 0 ? sym : off > 0 ? "\(sym)+\(off)" : "\(sym)\(off)")\n"
                case .string(let bytes):
                    out += "\t.ascii \(quoted(bytes))\n"
                }
            }
        }
    }
    out += "\t.size \(name), .-\(name)\n"
}
