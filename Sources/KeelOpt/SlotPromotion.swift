import KeelAnalysis
import KeelIR

// Slot promotion: `alloc` slots whose address is only ever loaded from and
// stored to become SSA values (C front ends keep every local in a slot).
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and computes the same
// effects, except that the promoted slots are gone: each load of one is now
// a copy, extension or bit cast of the value the slot would hold, and each
// store a definition of that value. A slot is promoted when
// - it is allocated in the entry block with a constant size (QBE's own
//   promotion looks there only; elsewhere `alloc` is dynamic allocation),
// - its address is used only as the address operand of loads and stores
//   (never stored as a value, passed to a call, compared, offset, merged by
//   a phi, returned, used by `blit`, `vaarg`, `vastart`...), directly or
//   through aliases (`copy` of it, `add` of 0: cproc's union members),
// - every access starts at the slot's address and fits in its size, and
// - no access is `loadr`/`storer` (GC references stay in memory for now).
// Everything else is left exactly as it was.
//
// Widths are exact. If every access is `stores`/`loads` (or every one
// `stored`/`loadd`), the slot becomes a value of class s (d); so it does
// too when the others are integer accesses of the same width and class
// (`loadl`/`storel` beside doubles, word `storew`/`loadsw`/`loaduw` beside
// singles, as C struct copies move floats) and fewer than the float ones,
// each a bit cast of the value or into it. Otherwise the
// value holds the slot's bytes as an integer, little-endian, of class l if
// some load reads 8 bytes and w if not (no load reads beyond). A store at
// least as wide as every load defines the whole value (a bit cast first for
// floats, a truncating `copy` when a long goes into a word); a narrower store
// merges into the old value, `(old & ~mask) | zero-extended(stored)`, as the
// memory would. A load takes the low bytes it reads: a `copy`, `ext*` for
// sign or zero extension of sub-words or words, `cast` for floats.
//
// A load that some path from the entry reaches with no store before it reads
// 0. Any value is correct there: the slot's memory is uninitialized (QBE's
// promotion reads an undefined value, and Keel's interpreter zero-fills
// slots, so 0 also keeps the interpreter's output the same).
//
// Algorithm: each promoted slot's temporary becomes a variable, assigned
// (non-SSA) at every store and read at every load, and SSA form is rebuilt
// for those variables alone by `constructSSA(_:renaming:)` (Braun et al.,
// *Simple and Efficient Construction of SSA Form*, CC 2013): it places the
// minimal phis without a dominance frontier computation, and it is the code
// that already builds SSA for IL that assigns a temporary twice. The copies
// this leaves (a load of a word stored as a word, a store of a value of the
// slot's class) are then propagated into their uses and deleted. The scan is
// linear in the function; the SSA rebuild runs only when a promoted slot is
// stored to more than once or after the entry block (a C function's
// parameters, stored once on entry, need none).

/// What `promoteSlots` did to a function.
public struct SlotPromotionCounts: Hashable, Sendable {
    /// `alloc` instructions in the entry block with a constant size.
    public var candidates = 0
    /// Those that became SSA values.
    public var promoted = 0
    public init(candidates: Int = 0, promoted: Int = 0) {
        self.candidates = candidates
        self.promoted = promoted
    }
}

@discardableResult
public func promoteSlots(_ f: inout Function) -> SlotPromotionCounts {
    var scan = SlotScan(f)
    scan.findAccesses(f)
    var counts = SlotPromotionCounts(candidates: scan.slots.count)
    let promoted = scan.slots.indices.filter { scan.slots[$0].isPromotable }
    counts.promoted = promoted.count
    guard !promoted.isEmpty else { return counts }

    let tempCountBefore = f.temps.count
    var rewrite = SlotRewrite(scan: scan, tempCount: tempCountBefore)
    rewrite.run(&f)
    let variables = promoted.filter { !scan.slots[$0].isDefinedOnceAtEntry }.map { scan.slots[$0].temp }
    if !variables.isEmpty { constructSSA(&f, renaming: variables) }
    propagateCopies(&f, introducedFrom: tempCountBefore, introduced: rewrite.introduced)
    return counts
}

/// `promoteSlots` on every function of `m`.
@discardableResult
public func promoteSlots(_ m: inout Module) -> SlotPromotionCounts {
    var total = SlotPromotionCounts()
    for i in m.functions.indices {
        let c = promoteSlots(&m.functions[i])
        total.candidates += c.candidates
        total.promoted += c.promoted
    }
    return total
}

/// How the slot's contents are represented once promoted.
enum SlotDomain {
    /// Only `stores`/`loads` (s), or only `stored`/`loadd` (d): the value itself.
    case float(BaseType)
    /// The slot's low bytes as an integer of class w or l.
    case integer(BaseType)

    var valueClass: BaseType {
        switch self {
        case .float(let c), .integer(let c): return c
        }
    }
}

/// One candidate slot and what its uses allow.
struct SlotFacts {
    var temp: Temp
    var size: Int64
    var escapes = false
    /// Widest load and widest access, in bytes.
    var widestLoad = 0
    var widestAccess = 0
    var singleAccesses = 0
    var doubleAccesses = 0
    var otherAccesses = 0
    /// Integer accesses of a float's width and class: `loadl`/`storel`
    /// (8 bytes), `storew` and word-class `loadsw`/`loaduw` (4 bytes).
    var longAccesses = 0
    var wordAccesses = 0
    var stores = 0
    /// Width of the last store seen, and whether the first store was in the
    /// entry block with no load of the slot before it there.
    var lastStoreWidth = 0
    var firstStoreLeadsEntry = false
    var loadedInEntry = false

    var isPromotable: Bool { !escapes && Int64(widestAccess) <= size }

    /// Stored once, in the entry block before any load, every byte a load
    /// reads: that store dominates every load, so its value needs no phi and
    /// the slot's temporary is already in SSA form.
    var isDefinedOnceAtEntry: Bool { stores == 1 && firstStoreLeadsEntry && lastStoreWidth >= widestLoad }

    var domain: SlotDomain {
        // A float the program also moves as an integer of its width (C
        // front ends copy a struct's double fields with loadl/storel) stays a
        // float when float accesses are the majority: the integer accesses
        // get the bit casts.
        if doubleAccesses == 0 && singleAccesses > 0 && otherAccesses == wordAccesses
            && singleAccesses >= wordAccesses { return .float(.s) }
        if singleAccesses == 0 && doubleAccesses > 0 && otherAccesses == longAccesses
            && doubleAccesses >= longAccesses { return .float(.d) }
        return .integer(widestLoad > 4 ? .l : .w)
    }
}

/// Finds the candidate slots and classifies every use of their addresses.
struct SlotScan {
    var slots: [SlotFacts] = []
    /// Slot index per temporary (the slot's own, or an alias of its
    /// address), -1 for the others.
    var slotOf: [Int32]
    /// Blocks holding an access to a candidate (or its `alloc`).
    var touched: [Bool]

    init(_ f: Function) {
        slotOf = [Int32](repeating: -1, count: f.temps.count)
        touched = [Bool](repeating: false, count: f.blocks.count)
        guard !f.blocks.isEmpty else { return }
        for ins in f.blocks[0].instructions where ins.op.isAlloc {
            guard let t = ins.result.temp, t.int < slotOf.count else { continue }
            if slotOf[t.int] >= 0 {
                slots[Int(slotOf[t.int])].escapes = true  // defined twice: not SSA, leave it
                continue
            }
            guard let c = f.constant(ins.a), case .integer(let size) = c, size >= 0 else { continue }
            slotOf[t.int] = Int32(slots.count)
            slots.append(SlotFacts(temp: t, size: size))
        }
        guard !slots.isEmpty else { return }
        touched[0] = true
        // Aliases, in block order: one defined before its base in that order
        // is missed, and its definition then counts as an escape (sound).
        for b in f.blocks.indices {
            for ins in f.blocks[b].instructions {
                guard let s = aliasBase(ins, f), let t = ins.result.temp, t.int < slotOf.count else { continue }
                if slotOf[t.int] >= 0 {
                    slots[s].escapes = true
                    slots[Int(slotOf[t.int])].escapes = true
                    continue
                }
                slotOf[t.int] = Int32(s)
                touched[b] = true
            }
        }
    }

    /// The slot `ins` defines an alias of: `=l copy %s`, `=l add %s, 0`,
    /// `=l add 0, %s`, `=l sub %s, 0` with `%s` a slot or an alias (cproc
    /// reaches a union's members so).
    func aliasBase(_ ins: Instruction, _ f: Function) -> Int? {
        guard ins.type == .l else { return nil }
        switch ins.op {
        case .copy: return slot(ins.a)
        case .add:
            if let s = slot(ins.a), isZero(ins.b, f) { return s }
            if let s = slot(ins.b), isZero(ins.a, f) { return s }
            return nil
        case .sub: return isZero(ins.b, f) ? slot(ins.a) : nil
        default: return nil
        }
    }

    @inline(__always)
    func isZero(_ r: Ref, _ f: Function) -> Bool {
        guard let c = r.constant, c.int < f.constants.count else { return false }
        return f.constants[c.int] == .integer(0)
    }

    @inline(__always)
    func slot(_ r: Ref) -> Int? {
        guard let t = r.temp, t.int < slotOf.count else { return nil }
        let s = slotOf[t.int]
        return s >= 0 ? Int(s) : nil
    }

    mutating func escape(_ r: Ref) {
        if let s = slot(r) { slots[s].escapes = true }
    }

    mutating func findAccesses(_ f: Function) {
        guard !slots.isEmpty else { return }
        for p in f.parameters { escape(.temp(p.temp)) }
        if let env = f.env { escape(.temp(env)) }
        for b in f.blocks.indices {
            let block = f.blocks[b]
            for phi in block.phis {
                escape(.temp(phi.result))
                for arg in phi.incoming { escape(arg.value) }
            }
            for ins in block.instructions {
                if ins.op.isLoad, let s = slot(ins.a) {
                    access(s, ins.op, type: ins.type, isLoad: true)
                    if b == 0 { slots[s].loadedInEntry = true }
                    touched[b] = true
                } else if ins.op.isStore, let s = slot(ins.b) {
                    access(s, ins.op, type: ins.type, isLoad: false)
                    if slots[s].stores == 0 { slots[s].firstStoreLeadsEntry = b == 0 && !slots[s].loadedInEntry }
                    slots[s].stores += 1
                    slots[s].lastStoreWidth = ins.op.memoryWidth ?? 0
                    escape(ins.a)
                    touched[b] = true
                } else if ins.result.temp.map({ slot(.temp($0)) != nil }) == true, aliasBase(ins, f) != nil {
                    continue  // an alias's definition
                } else {
                    for k in 0..<f.operandCount(of: ins) { escape(f.operand(k, of: ins)) }
                }
                // A second definition of a slot's temporary (only in non-SSA input).
                if !(ins.op.isAlloc && b == 0) { escape(ins.result) }
            }
            escape(Function.operand(of: block.terminator))
        }
    }

    mutating func access(_ s: Int, _ op: Opcode, type: BaseType, isLoad: Bool) {
        guard op != .loadr && op != .storer, let width = op.memoryWidth else {
            slots[s].escapes = true
            return
        }
        slots[s].widestAccess = max(slots[s].widestAccess, width)
        if isLoad { slots[s].widestLoad = max(slots[s].widestLoad, width) }
        switch op {
        case .loads, .stores: slots[s].singleAccesses += 1
        case .loadd, .stored: slots[s].doubleAccesses += 1
        default:
            slots[s].otherAccesses += 1
            switch op {
            case .loadl, .storel: slots[s].longAccesses += 1
            case .storew: slots[s].wordAccesses += 1
            case .loadsw where type == .w, .loaduw where type == .w: slots[s].wordAccesses += 1
            default: break
            }
        }
    }
}

/// Replaces the promoted slots' allocs, loads and stores by definitions and
/// uses of their temporaries (not yet SSA: one temporary per slot, assigned
/// at every store).
struct SlotRewrite {
    let scan: SlotScan
    /// Temporaries that promotion defines by copies: the promoted slots' own
    /// temporaries and the results of loads that became copies.
    var introduced: [Bool]
    private var masks: [Int64: Ref] = [:]
    private var out: [Instruction] = []
    private var position = SourcePosition.unknown

    init(scan: SlotScan, tempCount: Int) {
        self.scan = scan
        introduced = [Bool](repeating: false, count: tempCount)
    }

    @inline(__always)
    func promoted(_ r: Ref) -> Int? {
        guard let s = scan.slot(r), scan.slots[s].isPromotable else { return nil }
        return s
    }

    mutating func run(_ f: inout Function) {
        for s in scan.slots where s.isPromotable {
            f.temps[s.temp.int].type = s.domain.valueClass
            introduced[s.temp.int] = true
        }
        for b in f.blocks.indices where scan.touched[b] {
            var changed = false
            out.removeAll(keepingCapacity: true)
            for ins in f.blocks[b].instructions {
                position = ins.position
                if (ins.op.isAlloc && b == 0) || scan.aliasBase(ins, f) != nil, promoted(ins.result) != nil {
                    changed = true  // the slot or an alias of its address
                } else if ins.op.isLoad, let s = promoted(ins.a) {
                    load(ins, from: scan.slots[s], &f)
                    changed = true
                } else if ins.op.isStore, let s = promoted(ins.b) {
                    store(ins, into: scan.slots[s], &f)
                    changed = true
                } else {
                    out.append(ins)
                }
            }
            if changed { f.blocks[b].instructions = out }
        }
    }

    /// `result =cls op a, b`, appended; returns the result.
    @discardableResult
    private mutating func emit(_ op: Opcode, _ cls: BaseType, _ a: Ref, _ b: Ref = .none,
                               into result: Ref? = nil, in f: inout Function) -> Ref {
        let r = result ?? .temp(f.newTemp(name: ".\(f.temps.count)", type: cls))
        out.append(Instruction(op: op, type: cls, result: r, a: a, b: b, position: position))
        return r
    }

    /// The load's result, computed from the slot's value.
    private mutating func load(_ ins: Instruction, from slot: SlotFacts, _ f: inout Function) {
        let x = Ref.temp(slot.temp)
        let k = ins.type
        switch slot.domain {
        case .float(let c):
            if k == c {
                markIntroduced(ins.result)
                emit(.copy, k, x, into: ins.result, in: &f)
            } else {
                // An integer load of the float's width: its bits.
                emit(.cast, k, x, into: ins.result, in: &f)
            }
        case .integer:
            switch ins.op {
            case .loadl:
                markIntroduced(ins.result)
                emit(.copy, k, x, into: ins.result, in: &f)
            case .loadsw, .loaduw:
                if k == .w {
                    markIntroduced(ins.result)
                    emit(.copy, k, x, into: ins.result, in: &f)
                } else {
                    emit(ins.op == .loadsw ? .extsw : .extuw, k, x, into: ins.result, in: &f)
                }
            case .loadsh: emit(.extsh, k, x, into: ins.result, in: &f)
            case .loaduh: emit(.extuh, k, x, into: ins.result, in: &f)
            case .loadsb: emit(.extsb, k, x, into: ins.result, in: &f)
            case .loadub: emit(.extub, k, x, into: ins.result, in: &f)
            case .loads, .loadd: emit(.cast, k, x, into: ins.result, in: &f)
            default: out.append(ins)  // unreachable: `SlotScan.access` admits no other load
            }
        }
    }

    private mutating func markIntroduced(_ r: Ref) {
        if let t = r.temp, t.int < introduced.count { introduced[t.int] = true }
    }

    /// A new definition of the slot's value from the store.
    private mutating func store(_ ins: Instruction, into slot: SlotFacts, _ f: inout Function) {
        let x = Ref.temp(slot.temp)
        switch slot.domain {
        case .float(let c):
            let v = ins.op == .stores || ins.op == .stored ? ins.a : emit(.cast, c, ins.a, in: &f)
            emit(.copy, c, v, into: x, in: &f)
        case .integer(let c):
            // The stored bits as an integer.
            var v = ins.a
            switch ins.op {
            case .stores: v = emit(.cast, .w, v, in: &f)
            case .stored: v = emit(.cast, .l, v, in: &f)
            default: break
            }
            let width = ins.op.memoryWidth ?? 8
            if width >= slot.widestLoad {
                // Every byte a load reads comes from this store.
                emit(.copy, c, v, into: x, in: &f)
            } else {
                // Bytes beyond the store keep their old value.
                let extend: Opcode = width == 1 ? .extub : width == 2 ? .extuh : .extuw
                let low = emit(extend, c, v, in: &f)
                let kept = emit(.and, c, x, mask(~((Int64(1) << (8 * width)) - 1), &f), in: &f)
                emit(.or, c, kept, low, into: x, in: &f)
            }
        }
    }

    /// The integer constant `m` from the pool, added if absent.
    private mutating func mask(_ m: Int64, _ f: inout Function) -> Ref {
        if let r = masks[m] { return r }
        let r = f.constants.firstIndex(of: .integer(m)).map { Ref.const(ConstID($0)) } ?? f.addConstant(.integer(m))
        masks[m] = r
        return r
    }
}

/// Deletes the copies promotion introduced whose source has the copy's own
/// class (constants too), using the source in their place. Introduced copies
/// define a temporary marked in `introduced` or one numbered from `firstNew`
/// on (created by the rewrite or by SSA renaming of the slots' values: no
/// other copy defines such a temporary). Only copies in blocks the entry
/// reaches are taken: there a copy's source dominates it, so chains of
/// copies have no cycles.
func propagateCopies(_ f: inout Function, introducedFrom firstNew: Int, introduced: [Bool]) {
    let n = f.temps.count
    let classOf = f.temporaryClasses()

    let order = BlockOrder(f)
    var replacement = [Ref](repeating: .none, count: n)
    var any = false
    for b in order.reversePostorder {
        for ins in f.blocks[b.int].instructions where ins.op == .copy {
            guard let t = ins.result.temp, t.int < n,
                  t.int >= firstNew || (t.int < introduced.count && introduced[t.int]) else { continue }
            if let s = ins.a.temp {
                guard s.int < n, classOf[s.int] == ins.type else { continue }
            } else if ins.a.constant == nil {
                continue
            }
            replacement[t.int] = ins.a
            any = true
        }
    }
    guard any else { return }

    // Follow chains to their end (acyclic, see above), compressing as we go.
    func resolve(_ r: Ref) -> Ref {
        var end = r
        while let t = end.temp, t.int < n, !replacement[t.int].isNone { end = replacement[t.int] }
        var cur = r
        while let t = cur.temp, t.int < n, !replacement[t.int].isNone {
            cur = replacement[t.int]
            replacement[t.int] = end
        }
        return end
    }
    @inline(__always) func isReplaced(_ r: Ref) -> Bool {
        guard let t = r.temp, t.int < n else { return false }
        return !replacement[t.int].isNone
    }

    for b in f.blocks.indices {
        for p in f.blocks[b].phis.indices {
            for a in f.blocks[b].phis[p].incoming.indices where isReplaced(f.blocks[b].phis[p].incoming[a].value) {
                f.blocks[b].phis[p].incoming[a].value = resolve(f.blocks[b].phis[p].incoming[a].value)
            }
        }
        var deleted = false
        for i in f.blocks[b].instructions.indices {
            let ins = f.blocks[b].instructions[i]
            if ins.op == .copy, isReplaced(ins.result) {
                deleted = true
                continue
            }
            for k in 0..<f.operandCount(of: ins) where isReplaced(f.operand(k, of: ins)) {
                f.setOperand(k, ofInstruction: i, inBlock: b, to: resolve(f.operand(k, of: ins)))
            }
        }
        if deleted {
            f.blocks[b].instructions.removeAll { $0.op == .copy && isReplaced($0.result) }
        }
        let r = Function.operand(of: f.blocks[b].terminator)
        if isReplaced(r) {
            f.blocks[b].terminator = Function.terminator(f.blocks[b].terminator, withOperand: resolve(r))
        }
    }
}
