// The x86-64 machine instruction payloads.
//
// Each case documents its operand list (in `MachineFunction.operands` order);
// the emitter reads the allocated registers by those positions. `size` is
// the operand width in bytes (4 or 8 for integer operations).
import KeelCodegen
import KeelIR

public enum X64ALU: UInt8, Hashable, Sendable { case add, sub, and, or, xor, imul }
public enum X64Shift: UInt8, Hashable, Sendable { case shl, shr, sar }
public enum X64FloatOp: UInt8, Hashable, Sendable { case add, sub, mul, div }

/// Integer condition codes (the `cc` of setcc/jcc).
public enum X64Cond: UInt8, Hashable, Sendable {
    case e, ne, ge, g, le, l, ae, a, be, b
    public var name: String {
        switch self {
        case .e: return "e"
        case .ne: return "ne"
        case .ge: return "ge"
        case .g: return "g"
        case .le: return "le"
        case .l: return "l"
        case .ae: return "ae"
        case .a: return "a"
        case .be: return "be"
        case .b: return "b"
        }
    }
}

/// Floating-point comparisons (ordered unless `uo`/`ne`).
public enum X64FloatCond: UInt8, Hashable, Sendable { case eq, ne, ge, gt, le, lt, o, uo }

/// Where a memory operand is.
public enum X64Address: Hashable, Sendable {
    /// `disp(base)`: the base register is the instruction's address operand.
    case base(Int32)
    /// `disp(base, index, scale)`: base and index are the instruction's two
    /// address operands, in that order; scale is 1, 2, 4 or 8.
    case indexed(Int32, scale: UInt8)
    /// `sym+offset(%rip)`.
    case symbol(SymbolID, Int64)
    /// A frame slot of a static `alloc`, plus a byte offset.
    case slot(Int32, Int32)
    /// An absolute address.
    case absolute(Int32)

    /// How many register operands the address reads (base, then index).
    public var registerCount: Int {
        switch self {
        case .base: return 1
        case .indexed: return 2
        case .symbol, .slot, .absolute: return 0
        }
    }

    public var usesBase: Bool { registerCount > 0 }
}

/// Loads: what is read and how it is widened.
public enum X64LoadKind: UInt8, Hashable, Sendable {
    case sb, ub, sh, uh, sw, uw, l, s, d
}

/// Conversions between classes.
public enum X64Convert: UInt8, Hashable, Sendable {
    case extsb, extub, extsh, extuh, extsw, extuw
    case stod, dtos
    case stosi, dtosi, stoui, dtoui
    case swtof, uwtof, sltof, ultof
    /// Bit moves between classes (`cast`).
    case intToFloat, floatToInt
}

public enum X64Inst: Hashable, Sendable {
    /// Defines the incoming register parameters (defs fixed to the ABI registers); prints nothing.
    case parameters
    /// `mov 16+offset(%rbp), d` — a stack-passed parameter. [def d]
    case stackParameter(offset: Int32, float: Bool, size: Int)
    /// `lea 16+offset(%rbp), d` — the address of a stack-passed aggregate. [def d]
    case stackParameterAddress(offset: Int32)
    /// Copies `size` bytes from the pointer to `offset(%rsp)` (aggregate stack arguments). [use src]
    case copyToOutgoing(offset: Int32, size: Int32)
    /// Fills a va_list. [use ap]
    case vaStart(saveSlot: Int32, gp: Int32, fp: Int32, overflow: Int32)
    /// Reads the next variadic argument. [use ap, def d, def tmp early]
    case vaArg(float: Bool, size: Int)
    /// `mov $imm, d` (movabs when it does not fit). [def d]
    case movImm(size: Int, imm: Int64)
    /// `lea sym+off(%rip), d`. [def d]
    case leaSymbol(SymbolID, Int64)
    /// `mov sym@GOTPCREL(%rip), d` then add the offset. [def d]
    case gotAddress(SymbolID, Int64)
    /// Local-exec thread-local address: `mov %fs:0, d; lea sym@tpoff+off(d), d`. [def d]
    case tlsAddress(SymbolID, Int64)
    /// Initial-exec thread-local address (`extern thread`):
    /// `mov sym@GOTTPOFF(%rip), d; add %fs:0, d` then the offset. [def d]
    case tlsInitialExecAddress(SymbolID, Int64)
    /// Loads float constant `index` of the literal pool. [def d]
    case floatConst(index: Int, double: Bool)
    /// `lea slot(%rbp), d`. [def d]
    case slotAddress(Int32, Int32)
    /// Register copy. [use a, def d]
    case mov(float: Bool)
    /// `op b, d` with d = a. [use a, use b, def d reuse(0)]
    case alu(X64ALU, size: Int)
    /// `op $imm, d` with d = a. [use a, def d reuse(0)]
    case aluImm(X64ALU, size: Int, imm: Int32)
    /// `neg d` with d = a. [use a, def d reuse(0)]
    case neg(size: Int)
    /// Division: signed (cqto/idiv) or unsigned (xor edx/div).
    /// [use a fixed rax, use b, def rax-result fixed rax, def rdx-result fixed rdx early]
    case div(signed: Bool, size: Int)
    /// `mulq b` / `imulq b`: rdx:rax = rax · b, unsigned or signed (division by a constant).
    /// [use a fixed rax, use b, def high fixed rdx, def low fixed rax]
    case mulHigh(signed: Bool)
    /// `shl %cl, d` with d = a. [use a, use count fixed rcx, def d reuse(0)]
    case shift(X64Shift, size: Int)
    /// [use a, def d reuse(0)]
    case shiftImm(X64Shift, size: Int, imm: UInt8)
    /// `cmp b, a; setcc; movzx` [use a, use b, def d]
    case cmpSet(X64Cond, size: Int)
    /// [use a, def d]
    case cmpImmSet(X64Cond, size: Int, imm: Int32)
    /// `cmp b, a; cmovcc t, d` with d = f: d is t if a `cond` b, else f
    /// (X64SelectConditionalMove.swift); `size` compares, `resultSize` moves.
    /// [use a, use b, use f, use t, def d reuse(2)]
    case cmpSelect(X64Cond, size: Int, resultSize: Int)
    /// `cmp $imm, a; cmovcc t, d` with d = f. [use a, use f, use t, def d reuse(1)]
    case cmpImmSelect(X64Cond, size: Int, imm: Int32, resultSize: Int)
    /// [use a, use b, def d]
    case floatCmpSet(X64FloatCond, double: Bool)
    /// [use base, use index (as the address reads them), def d]
    case load(X64LoadKind, resultSize: Int, X64Address)
    /// Stores `size` bytes. [use value, use base, use index (as the address reads them)]
    case store(size: Int, float: Bool, X64Address)
    /// [use base, use index (as the address reads them)]
    case storeImm(size: Int, imm: Int32, X64Address)
    /// `keel_alloc(layout, words)` with the nursery's fast path inline: bump
    /// `keel_nursery.ptr` by 16 + 8 * words and write the header, or (nursery
    /// full, or the runtime not started, or under KEEL_GC_STRESS) call
    /// `keel_alloc`. A safepoint like the call; the map labels the slow
    /// call's return address. [def result fixed rax]
    case allocate(layout: SymbolID, words: Int32)
    /// The write barrier after a `storer` (docs/runtime.md, "Write barrier"):
    /// marks the card of the field's address, `lea addr, t; shr $9, t;
    /// add keel_card_table(%rip), t; movb $1, (t)`. Not a safepoint.
    /// [use base, use index (as the address reads them), def t]
    case cardMark(X64Address)
    /// `lea address, d`: `size` 4 keeps the low 32 bits of the sum; the
    /// address is `.base` or `.indexed`. [use base, use index if indexed, def d]
    case lea(size: Int, X64Address)
    /// [use a, def d] — `ultof` also [def tmp early]; `dtoui`/`stoui` use the scratch registers instead.
    case convert(X64Convert, size: Int, double: Bool)
    /// `addsd b, d` with d = a. [use a, use b, def d reuse(0)]
    case floatALU(X64FloatOp, double: Bool)
    /// `addsd .LfpN_index(%rip), d` with d = a: a pool constant as the source. [use a, def d reuse(0)]
    case floatALUConst(X64FloatOp, double: Bool, index: Int)
    /// Flip the sign bit. [use a, def d reuse(0)]
    case floatNeg(double: Bool)
    /// `sqrtsd a, d` / `sqrtss a, d` (Keel's `sqrt`). [use a, def d]
    case floatSqrt(double: Bool)
    /// `sub $n, %rsp` (negative) or `add $n, %rsp` around calls with stack arguments.
    case adjustStack(Int32)
    /// `mov v, offset(%rsp)` for an outgoing stack argument. [use v]
    case storeOutgoing(offset: Int32, float: Bool)
    /// A call. [use callee (indirect only), uses fixed to argument registers, defs fixed to result registers]
    case call(SymbolID?)
    /// Copies `size` bytes. [use src, use dst]
    case blit(Int32)
    /// Dynamic `alloc`: rounds the size up, subtracts it from rsp. [use size, def d reuse(0)]
    case dynamicAlloc(align: Int)
    /// `.loc`. []
    case dbgloc(line: Int32, column: Int32)
    /// Terminators. Targets are the block's successors (true first).
    case jmp
    /// `test c, c; jnz`. [use c]
    case jnz(size: Int)
    /// `cmp b, a; jcc`. [use a, use b]
    case cmpJump(X64Cond, size: Int)
    /// [use a]
    case cmpImmJump(X64Cond, size: Int, imm: Int32)
    /// `cmp $imm, mem; jcc` (mem `cond` imm), `size` the bytes compared. [use base, use index (as the address reads them)]
    case cmpMemImmJump(X64Cond, size: Int, imm: Int32, X64Address)
    /// `cmp b, mem; jcc` (mem `cond` b). [use b, use base, use index (as the address reads them)]
    case cmpMemJump(X64Cond, size: Int, X64Address)
    /// `testl b, a; jnz` (an `and` only branched on; `jnz` reads 32 bits). [use a, use b]
    case testJump
    /// `testl $imm, a; jnz`. [use a]
    case testImmJump(imm: Int32)
    /// [use a, use b]
    case floatCmpJump(X64FloatCond, double: Bool)
    /// `ucomis .LfpN_index(%rip), a; jcc`: a `cond` the pool constant, cond one of eq, ne, gt, ge, o, uo. [use a]
    case floatCmpConstJump(X64FloatCond, double: Bool, index: Int)
    /// Epilogue and `ret`. [use value fixed rax/xmm0, if any]
    case ret
    /// A tail call (`tailcall`): the epilogue, then `jmp sym` or `jmp *%r10`.
    /// [use callee fixed r10 (indirect only), uses fixed to argument registers]
    /// r10 is caller-saved and passes no argument, so the epilogue's restores
    /// cannot overwrite the callee's address or an argument.
    case tailCall(SymbolID?)
    /// `ud2`.
    case hlt
}
