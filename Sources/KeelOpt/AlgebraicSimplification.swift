import KeelIR

// Algebraic simplification: integer instructions that compute one of their
// operands become `copy`s of it, for copy propagation to remove; branches
// on `x != 0` test `x` itself.
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and computes the same
// values. An instruction of class w or l is replaced by `copy x` of the
// same class when it computes x exactly as that copy would (a word copy
// keeps the low 32 bits, as every word operation does):
//   add x, 0   add 0, x   sub x, 0   mul x, 1   mul 1, x   div x, 1
//   udiv x, 1  or x, 0    or 0, x    xor x, 0   xor 0, x   and x, -1
//   and -1, x  and x, x   or x, x    shl/shr/sar x, 0 (the shift count as
//   the machine masks it);
// an extension is a copy when its operand, of the same class, already has
// that form: `extub` of a `loadub`, `extsb` of a `loadsb`, an extension of a
// comparison (0 or 1), and so on (`isExtended`). Constants count as 0, 1 or
// -1 when their bits the operation reads are. Floats are left alone
// (`x + 0.0` is not `x` for x = -0.0, `x * 1.0` quiets a signaling NaN).
// `cast (cast x)` is a copy of x when x has the result's class.
// `jnz (cnew x, 0), @a, @b` becomes `jnz x, @a, @b` and
// `jnz (ceqw x, 0), @a, @b` becomes `jnz x, @b, @a` (jnz tests the low 32
// bits, as the word comparison does); so do `cnel`/`ceql` when the long x
// has no bit above the low 32 (`and y, 1`: a tag test becomes one `test`);
// the comparison is left for dead code elimination.
//
// Algorithm: one walk over the instructions with a table of each
// temporary's defining opcode and class; constant results are SCCP's job
// (ConstantFolding.swift, `ConstantSolver.absorbed`).
public func simplifyAlgebra(_ f: inout Function) {
    let n = f.temps.count
    var def = [DefinitionFact](repeating: DefinitionFact(), count: n)
    for p in f.parameters where p.temp.int < n { def[p.temp.int].type = p.type.valueClass }
    if let env = f.env, env.int < n { def[env.int].type = .l }
    for block in f.blocks {
        for phi in block.phis where phi.result.int < n { def[phi.result.int].type = phi.type }
        for ins in block.instructions {
            if let t = ins.result.temp, t.int < n { def[t.int] = DefinitionFact(op: ins.op, type: ins.type, a: ins.a, b: ins.b) }
        }
    }
    for b in f.blocks.indices {
        for i in f.blocks[b].instructions.indices {
            let ins = f.blocks[b].instructions[i]
            guard ins.result.temp != nil,
                  let x = ins.op == .cast ? castBack(ins, def) : ins.type.isInteger ? identityOperand(ins, f, def) : nil
            else { continue }
            f.blocks[b].instructions[i] = Instruction(op: .copy, type: ins.type, result: ins.result, a: x,
                                                      position: ins.position)
            if let t = ins.result.temp, t.int < n { def[t.int] = DefinitionFact(op: .copy, type: ins.type, a: x, b: .none) }
        }
        if case .jnz(let c, let yes, let no) = f.blocks[b].terminator, let t = c.temp, t.int < n {
            let d = def[t.int]
            guard let op = d.op, [.cnew, .ceqw, .cnel, .ceql].contains(op) else { continue }
            let width: BaseType = op == .cnew || op == .ceqw ? .w : .l
            let x = isConstant(d.b, 0, width, f) ? d.a : isConstant(d.a, 0, width, f) ? d.b : Ref.none
            guard !x.isNone, width == .w ? isWordOrConstant(x, f, def) : fitsInLowWord(x, def, f) else { continue }
            f.blocks[b].terminator = op == .cnew || op == .cnel ? .jnz(x, yes, no) : .jnz(x, no, yes)
        }
    }
}

/// `simplifyAlgebra` on every function of `m`.
public func simplifyAlgebra(_ m: inout Module) {
    for i in m.functions.indices { simplifyAlgebra(&m.functions[i]) }
}

/// What the simplifier knows of a temporary's definition (`op` nil for
/// parameters and phis).
/// `cast (cast x)` with x of the result's class is x: the same bits (slot
/// promotion leaves these where a struct copy moves a double as a long).
private func castBack(_ ins: Instruction, _ def: [DefinitionFact]) -> Ref? {
    guard let t = ins.a.temp, t.int < def.count, def[t.int].op == .cast,
          let x = def[t.int].a.temp, x.int < def.count, def[x.int].type == ins.type else { return nil }
    return def[t.int].a
}

struct DefinitionFact {
    var op: Opcode?
    var type: BaseType?
    var a: Ref = .none
    var b: Ref = .none
}

/// Whether `r` is an integer constant whose bits that an operation of class
/// `type` reads (the low 32 for a word) equal `v`'s.
private func isConstant(_ r: Ref, _ v: Int64, _ type: BaseType, _ f: Function) -> Bool {
    guard case .integer(let c)? = f.constant(r) else { return false }
    return type == .w ? UInt32(truncatingIfNeeded: c) == UInt32(truncatingIfNeeded: v) : c == v
}

private func isWordOrConstant(_ r: Ref, _ f: Function, _ def: [DefinitionFact]) -> Bool {
    if let t = r.temp { return t.int < def.count && def[t.int].type == .w }
    if case .integer? = f.constant(r) { return true }
    return false
}

/// Whether long `r` has no bit set above the low 32, so that `r != 0` is
/// what `jnz r` tests: a temporary masked by a constant of 32 bits or
/// zero-extended from 32 bits or less (KeelLisp's tag tests `and x, 1`).
private func fitsInLowWord(_ r: Ref, _ def: [DefinitionFact], _ f: Function) -> Bool {
    guard let t = r.temp, t.int < def.count, def[t.int].type == .l, let op = def[t.int].op else { return false }
    func mask(_ m: Ref) -> Bool {
        if case .integer(let c)? = f.constant(m) { return c >= 0 && c <= 0xffff_ffff }
        return false
    }
    switch op {
    case .and: return mask(def[t.int].a) || mask(def[t.int].b)
    case .extub, .extuh, .extuw, .loadub, .loaduh, .loaduw: return true
    default: return false
    }
}

/// The operand `ins` (of class w or l) equals, if it is an identity.
private func identityOperand(_ ins: Instruction, _ f: Function, _ def: [DefinitionFact]) -> Ref? {
    let type = ins.type
    let a = ins.a, b = ins.b
    // The copy must read its operand as the instruction did: a temporary of
    // the instruction's class (a long into a word copy keeps the low bits,
    // as the word operation would), or an integer constant.
    func usable(_ x: Ref) -> Ref? {
        if let t = x.temp {
            guard t.int < def.count, let c = def[t.int].type, c.isInteger, type == .w || c == .l else { return nil }
            return x
        }
        if case .integer? = f.constant(x) { return x }
        return nil
    }
    func k(_ r: Ref, _ v: Int64) -> Bool { isConstant(r, v, type, f) }
    switch ins.op {
    case .add, .or, .xor:
        if k(b, 0) { return usable(a) }
        if k(a, 0) { return usable(b) }
        if ins.op == .or, a == b, a.temp != nil { return usable(a) }
    case .sub:
        if k(b, 0) { return usable(a) }
    case .mul:
        if k(b, 1) { return usable(a) }
        if k(a, 1) { return usable(b) }
    case .div, .udiv:
        if k(b, 1) { return usable(a) }
    case .and:
        if k(b, -1) { return usable(a) }
        if k(a, -1) { return usable(b) }
        if a == b, a.temp != nil { return usable(a) }
    case .shl, .shr, .sar:
        if case .integer(let c)? = f.constant(b), c & (type == .w ? 31 : 63) == 0 { return usable(a) }
    case .extsw, .extuw:
        if let t = a.temp, t.int < def.count, def[t.int].type == .l, isExtended(def[t.int].op, as: ins.op) { return a }
    case .extsb, .extub, .extsh, .extuh:
        if let t = a.temp, t.int < def.count, def[t.int].type == type, isExtended(def[t.int].op, as: ins.op) { return a }
    default:
        break
    }
    return nil
}

/// Whether every result of `op` (of the class the extension reads and
/// writes) is unchanged by the extension `ext`: it is already sign- or
/// zero-extended from that width or a narrower one.
private func isExtended(_ op: Opcode?, as ext: Opcode) -> Bool {
    guard let op else { return false }
    if op.isComparison { return true }  // 0 or 1
    switch ext {
    case .extub: return op == .loadub || op == .extub
    case .extuh: return [.loadub, .extub, .loaduh, .extuh].contains(op)
    case .extuw: return [.loadub, .extub, .loaduh, .extuh, .loaduw, .extuw].contains(op)
    case .extsb: return op == .loadsb || op == .extsb
    case .extsh: return [.loadsb, .extsb, .loadsh, .extsh, .loadub, .extub].contains(op)
    case .extsw: return [.loadsb, .extsb, .loadsh, .extsh, .loadsw, .extsw, .loadub, .extub, .loaduh, .extuh].contains(op)
    default: return false
    }
}
