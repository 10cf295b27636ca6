// The arm64 machine instruction payloads.
//
// Each case documents its operand list (in `MachineFunction.operands`
// order); the emitter reads the allocated registers by those positions.
// `wide` selects the x (64-bit) or w (32-bit) form of integer operations;
// `double` the d or s form of float ones. arm64 is three-address, so no
// payload needs a `.reuse` constraint. x16/x17/v31 are free inside any
// expansion: they are never allocated, and a parallel copy never spans an
// instruction.
import KeelCodegen
import KeelIR

public enum Arm64ALU: UInt8, Hashable, Sendable {
    case add, sub, mul, sdiv, udiv, and, orr, eor, lsl, lsr, asr
}

public enum Arm64FloatOp: UInt8, Hashable, Sendable { case fadd, fsub, fmul, fdiv }

/// Condition codes (after `cmp a, b`: a `cond` b; after `fcmp`: see `Arm64Selector.floatCondition`).
public enum Arm64Cond: UInt8, Hashable, Sendable {
    case eq, ne, ge, gt, le, lt, hs, hi, ls, lo, mi, vs, vc

    public var name: String {
        switch self {
        case .eq: return "eq"
        case .ne: return "ne"
        case .ge: return "ge"
        case .gt: return "gt"
        case .le: return "le"
        case .lt: return "lt"
        case .hs: return "hs"
        case .hi: return "hi"
        case .ls: return "ls"
        case .lo: return "lo"
        case .mi: return "mi"
        case .vs: return "vs"
        case .vc: return "vc"
        }
    }

    /// The condition with the operands exchanged (a < b ⇔ b > a); integer conditions only.
    var swapped: Arm64Cond {
        switch self {
        case .ge: return .le
        case .le: return .ge
        case .gt: return .lt
        case .lt: return .gt
        case .hs: return .ls
        case .ls: return .hs
        case .hi: return .lo
        case .lo: return .hi
        default: return self
        }
    }
}

/// How an index register is widened before it is scaled.
public enum Arm64IndexExtend: UInt8, Hashable, Sendable {
    /// A 64-bit index as it is (`lsl #k`, or nothing for k = 0).
    case none, lsl
    /// A 32-bit index sign- or zero-extended.
    case sxtw, uxtw
}

/// Where a memory operand is.
public enum Arm64Address: Hashable, Sendable {
    /// `[base, #offset]`: the base register is the instruction's address operand.
    case base(Int32)
    /// `[base, index{, extend #shift}]`: base and index are the instruction's two address operands.
    case indexed(shift: UInt8, extend: Arm64IndexExtend)
    /// A frame slot of a static `alloc`, plus a byte offset (x29-relative).
    case slot(Int32, Int32)
}

/// Loads: what is read and how it is widened.
public enum Arm64LoadKind: UInt8, Hashable, Sendable {
    case sb, ub, sh, uh, sw, uw, l, s, d
}

/// Conversions and extensions.
public enum Arm64Convert: UInt8, Hashable, Sendable {
    case extsb, extub, extsh, extuh, extsw, extuw
    case stod, dtos
    /// Float to signed/unsigned integer (`wide`: to an x register).
    case ftosi, ftoui
    /// Signed/unsigned integer (`wideSource`) to float.
    case sitof, uitof
    /// Bit moves between classes (`cast`).
    case intToFloat, floatToInt
}

public enum Arm64Inst: Hashable, Sendable {
    /// Defines the incoming register parameters (defs fixed to the ABI registers); prints nothing.
    case parameters
    /// `ldr d, [x29, frame+offset]` — a stack-passed parameter. [def d]
    case stackParameter(offset: Int32, float: Bool, wide: Bool)
    /// `add d, x29, #frame+offset` — the address of a stack-passed aggregate. [def d]
    case stackParameterAddress(offset: Int32)
    /// Copies `size` bytes from the pointer to `[sp, #offset]` (aggregate stack arguments). [use src]
    case copyToOutgoing(offset: Int32, size: Int32)
    /// Fills the 32-byte va_list at `ap` (Arm64SelectVarargs.swift). [use ap]
    case vaStart(saveSlot: Int32, grOffset: Int32, vrOffset: Int32, namedStack: Int32)
    /// Reads the next variadic argument, from the register save area or the stack. [use ap, def d]
    case vaArg(float: Bool, wide: Bool)
    /// movz/movn/movk sequence. [def d]
    case movImm(Int64)
    /// `adrp d, sym; add d, d, :lo12:sym`. [def d]
    case symbolAddress(SymbolID, Int64)
    /// `adrp d, :got:sym; ldr d, [d, :got_lo12:sym]` then the offset. [def d]
    case gotAddress(SymbolID, Int64)
    /// Local-exec thread-local address: `mrs d, tpidr_el0` plus the
    /// `:tprel_hi12:`/`:tprel_lo12_nc:` offset. [def d]
    case tlsAddress(SymbolID, Int64)
    /// Initial-exec thread-local address (`extern thread`): the offset from
    /// the GOT (`:gottprel:`), plus tpidr_el0 (through x17). [def d]
    case tlsInitialExecAddress(SymbolID, Int64)
    /// A float constant's bits through x16, then `fmov`. [def d]
    case floatConst(bits: UInt64, double: Bool)
    /// `add d, x29, #slot+off`. [def d]
    case slotAddress(Int32, Int32)
    /// Register copy. [use a, def d]
    case mov(float: Bool)
    /// `op d, a, b`. [use a, use b, def d]
    case alu(Arm64ALU, wide: Bool)
    /// `op d, a, b, lsl #shift` (add, sub, and, orr, eor). [use a, use b, def d]
    case aluShifted(Arm64ALU, wide: Bool, shift: UInt8)
    /// `op d, a, #imm` (an encodable immediate; the selector checks). [use a, def d]
    case aluImm(Arm64ALU, wide: Bool, imm: Int64)
    /// `madd d, a, b, c` (a·b + c) or `msub d, a, b, c` (c − a·b). [use a, use b, use c, def d]
    case multiplyAdd(subtract: Bool, wide: Bool)
    /// `sdiv/udiv x17, a, b; msub d, x17, b, a`. [use a, use b, def d]
    case rem(signed: Bool, wide: Bool)
    /// `neg d, a`. [use a, def d]
    case neg(wide: Bool)
    /// [use a, use b, def d]
    case floatALU(Arm64FloatOp, double: Bool)
    /// `fneg d, a`. [use a, def d]
    case floatNeg(double: Bool)
    /// `fsqrt d, a` (Keel's `sqrt`). [use a, def d]
    case floatSqrt(double: Bool)
    /// `cmp a, b; cset d, cond`. [use a, use b, def d]
    case cmpSet(Arm64Cond, wide: Bool)
    /// `cmp a, #imm` (or cmn) then cset. [use a, def d]
    case cmpImmSet(Arm64Cond, wide: Bool, imm: Int64)
    /// `fcmp a, b; cset d, cond`. [use a, use b, def d]
    case floatCmpSet(Arm64Cond, double: Bool)
    /// [use base, use index (as the address reads them), def d]
    case load(Arm64LoadKind, wide: Bool, Arm64Address)
    /// Stores `size` bytes. [use value, use base, use index (as the address reads them)]
    case store(size: Int, float: Bool, Arm64Address)
    /// [use a, def d]; `wide` the integer side's width.
    case convert(Arm64Convert, wide: Bool, double: Bool)
    /// `sub sp, sp, #n` (negative n) or `add sp, sp, #n` around calls with stack arguments.
    case adjustStack(Int32)
    /// `str v, [sp, #offset]` for an outgoing stack argument. [use v]
    case storeOutgoing(offset: Int32, float: Bool, wide: Bool)
    /// `keel_alloc(layout, words)` with the nursery's fast path inline
    /// (Arm64SelectManaged.swift): bump `keel_nursery.ptr` by 16 + 8 * words
    /// and write the header, or (nursery full) `bl keel_alloc`. A safepoint
    /// like the call it replaces; its map labels the slow path's return
    /// address. [def d fixed x0; clobbers the caller-saved registers]
    case allocate(layout: SymbolID, words: Int32)
    /// The write barrier after a `storer` (docs/runtime.md, "Write barrier"):
    /// the field's address in x17, `lsr x17, x17, #9`, `keel_card_table` in
    /// x16, `strb` of 1 at [x16, x17]. Not a safepoint. [use base, use index (as the address reads them)]
    case cardMark(Arm64Address)
    /// `bl sym` or `blr reg`. [use callee (indirect only), uses fixed to argument registers, defs fixed to result registers]
    case call(SymbolID?)
    /// Copies `size` bytes through x16/x17 and v31. [use src, use dst]
    case blit(Int32)
    /// Dynamic `alloc`: rounds the size up to 16, moves sp down, d = sp. [use size, def d]
    case dynamicAlloc
    /// `.loc`. []
    case dbgloc(line: Int32, column: Int32)
    /// Terminators. Targets are the block's successors (true first).
    case jmp
    /// `cbnz c, true`. [use c]
    case jnz(wide: Bool)
    /// `cbz c, true` (a comparison with zero for equality). [use c]
    case jz(wide: Bool)
    /// `cmp a, b; b.cond`. [use a, use b]
    case cmpJump(Arm64Cond, wide: Bool)
    /// [use a]
    case cmpImmJump(Arm64Cond, wide: Bool, imm: Int64)
    /// [use a, use b]
    case floatCmpJump(Arm64Cond, double: Bool)
    /// Epilogue and `ret`. [use value fixed x0/v0, if any]
    case ret
    /// A tail call (`tailcall`): the epilogue, then `b sym` or `br x10`.
    /// [use callee fixed x10 (indirect only), uses fixed to argument registers]
    /// x10 is caller-saved and passes nothing, and the epilogue's scratch is x16.
    case tailCall(SymbolID?)
    /// `brk #1000`.
    case hlt
}
