import KeelIR

// Slot splitting (scalar replacement of aggregates): a struct in a stack
// slot whose fields are only ever loaded and stored at constant offsets
// becomes one slot per field, so slot promotion can make each field an SSA
// value. C front ends keep every struct in a slot and copy it field by
// field; after inlining, those copies are all that is left of a call.
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and computes the same
// effects. A slot is split when it is allocated in the entry block with a
// constant size and its address is used only through constant offsets
// (`add %s, C`, `add C, %s`, `sub %s, C`, `copy`, chained) as the address
// of loads and stores that stay inside it (never as a stored value, a call
// argument, a phi argument...). Its accesses are grouped into parts: the
// unions of overlapping byte ranges. A part whose every access starts at
// the part's first byte moves to a new slot of its own, and its accesses use
// that slot's address; other parts stay where they were. The parts are
// disjoint and the address never escapes, so no access can see the move.
// The old offset computations are left for dead code elimination.
//
// Algorithm: one walk finds each temporary's (slot, offset), a second
// classifies every use, a third rewrites the moved accesses. Linear.

public func splitSlots(_ f: inout Function) {
    guard !f.blocks.isEmpty else { return }
    var scan = SlotOffsets(f)
    guard !scan.slots.isEmpty else { return }
    scan.classifyUses(f)
    var pool = ConstantPool()
    // New slot per (slot, part start), for the parts that move.
    var moved: [Int: [Int64: Ref]] = [:]
    var newSlots: [Instruction] = []
    for (s, slot) in scan.slots.enumerated() where !slot.escapes {
        let parts = slot.parts()
        guard !(parts.count == 1 && parts[0].start == 0) else { continue }
        for part in parts where part.clean {
            let t = f.newTemp(name: ".\(f.temps.count)", type: .l)
            let size = pool.ref(.integer(part.end - part.start), in: &f)
            newSlots.append(Instruction(op: slot.op, type: .l, result: .temp(t), a: size, position: slot.position))
            moved[s, default: [:]][part.start] = .temp(t)
        }
    }
    guard !moved.isEmpty else { return }
    for b in f.blocks.indices {
        for i in f.blocks[b].instructions.indices {
            let ins = f.blocks[b].instructions[i]
            if ins.op.isLoad, let (s, o) = scan.place(ins.a), let to = moved[s]?[o] {
                f.blocks[b].instructions[i].a = to
            } else if ins.op.isStore, let (s, o) = scan.place(ins.b), let to = moved[s]?[o] {
                f.blocks[b].instructions[i].b = to
            }
        }
    }
    f.blocks[0].instructions.insert(contentsOf: newSlots, at: 0)
}

/// `splitSlots` on every function of `m`.
public func splitSlots(_ m: inout Module) {
    for i in m.functions.indices { splitSlots(&m.functions[i]) }
}

/// A candidate slot and the accesses made to it.
struct OffsetSlot {
    var op: Opcode
    var size: Int64
    var position: SourcePosition
    var escapes = false
    /// (offset, width) of every load and store.
    var accesses: [(offset: Int64, width: Int64)] = []

    struct Part {
        var start: Int64
        var end: Int64
        /// Every access of the part starts at `start`.
        var clean: Bool
    }

    /// The unions of overlapping accesses, in offset order.
    func parts() -> [Part] {
        var parts: [Part] = []
        for a in accesses.sorted(by: { $0.offset < $1.offset }) {
            if var last = parts.last, a.offset < last.end {
                last.end = max(last.end, a.offset + a.width)
                last.clean = last.clean && a.offset == last.start
                parts[parts.count - 1] = last
            } else {
                parts.append(Part(start: a.offset, end: a.offset + a.width, clean: true))
            }
        }
        return parts
    }
}

/// Which temporaries are a candidate slot's address plus a constant.
struct SlotOffsets {
    var slots: [OffsetSlot] = []
    /// Per temporary: its slot (-1 for none) and offset.
    var slotOf: [Int32]
    var offsetOf: [Int64]

    init(_ f: Function) {
        slotOf = [Int32](repeating: -1, count: f.temps.count)
        offsetOf = [Int64](repeating: 0, count: f.temps.count)
        for ins in f.blocks[0].instructions where ins.op.isAlloc {
            guard let t = ins.result.temp, t.int < slotOf.count, slotOf[t.int] < 0,
                  let c = f.constant(ins.a), case .integer(let size) = c, size > 0 else { continue }
            slotOf[t.int] = Int32(slots.count)
            slots.append(OffsetSlot(op: ins.op, size: size, position: ins.position))
        }
        guard !slots.isEmpty else { return }
        // Offsets, in block order: one defined before its base in that order
        // is missed, and its definition then counts as an escape (sound).
        for block in f.blocks {
            for ins in block.instructions {
                guard let t = ins.result.temp, t.int < slotOf.count, slotOf[t.int] < 0,
                      let (s, o) = derived(ins, f) else { continue }
                slotOf[t.int] = Int32(s)
                offsetOf[t.int] = o
            }
        }
    }

    /// The (slot, offset) `r` holds, if it is a candidate's address plus a constant.
    func place(_ r: Ref) -> (Int, Int64)? {
        guard let t = r.temp, t.int < slotOf.count, slotOf[t.int] >= 0 else { return nil }
        return (Int(slotOf[t.int]), offsetOf[t.int])
    }

    /// The (slot, offset) `ins` computes from a candidate's address.
    func derived(_ ins: Instruction, _ f: Function) -> (Int, Int64)? {
        guard ins.type == .l else { return nil }
        func integer(_ r: Ref) -> Int64? {
            guard let c = f.constant(r), case .integer(let v) = c else { return nil }
            return v
        }
        switch ins.op {
        case .copy: return place(ins.a)
        case .add:
            if let (s, o) = place(ins.a), let k = integer(ins.b) { return (s, o &+ k) }
            if let (s, o) = place(ins.b), let k = integer(ins.a) { return (s, o &+ k) }
            return nil
        case .sub:
            if let (s, o) = place(ins.a), let k = integer(ins.b) { return (s, o &- k) }
            return nil
        default: return nil
        }
    }

    mutating func escape(_ r: Ref) {
        if let (s, _) = place(r) { slots[s].escapes = true }
    }

    mutating func access(_ r: Ref, _ op: Opcode) {
        guard let (s, o) = place(r) else { return }
        let width = Int64(op.memoryWidth ?? 0)
        // GC references stay where the stack maps expect them.
        if width == 0 || op == .loadr || op == .storer || o < 0 || o > slots[s].size - width {
            slots[s].escapes = true
        } else {
            slots[s].accesses.append((o, width))
        }
    }

    mutating func classifyUses(_ f: Function) {
        for p in f.parameters { escape(.temp(p.temp)) }
        for block in f.blocks {
            for phi in block.phis { for arg in phi.incoming { escape(arg.value) } }
            for ins in block.instructions {
                if ins.op.isLoad {
                    access(ins.a, ins.op)
                } else if ins.op.isStore {
                    access(ins.b, ins.op)
                    escape(ins.a)
                } else if let t = ins.result.temp, t.int < slotOf.count, slotOf[t.int] >= 0,
                          !ins.op.isAlloc, derived(ins, f) != nil {
                    continue  // an offset's definition
                } else {
                    for k in 0..<f.operandCount(of: ins) { escape(f.operand(k, of: ins)) }
                }
            }
            escape(Function.operand(of: block.terminator))
        }
    }
}
