import KeelAnalysis
import KeelIR

// Load elimination: a load of an address that an earlier load read, or an
// earlier store wrote, with no write to memory in between, becomes a copy
// of the value already known (C front ends reload `n->key` for every use;
// copy propagation then removes the copy).
//
// Expects: a verified function in SSA form.
// Guarantees: the function stays verifier-clean and computes the same
// values. What is known flows through a block and on into a successor
// whose only predecessor it is (an extended basic block), so the earlier
// access dominates the load and nothing runs between them but the
// instructions walked. There is no alias analysis: any instruction that may
// write memory (a store, call, blit, vastart, vaarg) forgets everything
// known, except that a store then makes its own value known. Two addresses
// match when they are the same operand after copies, or computed by the
// same integer arithmetic from matching operands. A load matches a load with the same
// opcode and class; a store forwards to a load that reads back exactly its
// bits in the same class (storel/loadl, storew/loadsw or loaduw of class w,
// stores/loads, stored/loadd; `%x =w copy` of a long keeps its low word, as
// storew does). References (loadr, storer, class r values) are left alone.
public func eliminateLoads(_ f: inout Function) {
    guard !f.blocks.isEmpty else { return }
    let order = BlockOrder(f)
    var known = [[Available]](repeating: [], count: f.blocks.count)
    let n = f.temps.count
    let classOf = f.temporaryClasses()
    func isInteger(_ r: Ref) -> Bool {
        guard let t = r.temp else { return true }
        return t.int < n && classOf[t.int].map(\.isInteger) == true
    }
    // Addresses are compared after following copies (`add %p, 0` is a copy
    // by now, and copy propagation runs later) and by value: integer
    // arithmetic on equal operands gives equal results wherever it runs, so
    // each such result maps to the first one computed alike (C front ends
    // recompute `&prev[j]` in each arm of `prev[j] > x ? prev[j] : x`).
    // Only addresses are compared this way, never substituted, so the
    // representative need not dominate.
    var root = [Ref](repeating: .none, count: n)
    func resolve(_ r: Ref) -> Ref {
        guard let t = r.temp, t.int < n, !root[t.int].isNone else { return r }
        return root[t.int]
    }
    var computed: [ExpressionKey: Ref] = [:]
    for b in order.reversePostorder {
        for ins in f.blocks[b.int].instructions {
            guard let t = ins.result.temp, t.int < n else { continue }
            if ins.op == .copy {
                guard ins.type == .l else { continue }
                if let a = ins.a.temp, a.int < n, classOf[a.int] != .l { continue }
                root[t.int] = resolve(ins.a)
                continue
            }
            guard ins.type.isInteger, ins.op.properties.isPure, !ins.op.properties.contains(.mayTrap),
                  !ins.op.isAlloc, ins.op.operandCount <= 2, isInteger(ins.a), isInteger(ins.b) else { continue }
            var a = resolve(ins.a), c = ins.op.operandCount > 1 ? resolve(ins.b) : Ref.none
            if ins.op.properties.contains(.commutative) && c.raw < a.raw { swap(&a, &c) }
            let key = ExpressionKey(op: ins.op, type: ins.type, a: a, b: c)
            if let first = computed[key] { root[t.int] = first } else { computed[key] = ins.result }
        }
    }
    for b in order.reversePostorder {
        var state: [Available] = []
        if order.predecessorCount(of: b.int) == 1 {
            let p = order.predecessor(0, of: b.int)
            if let pi = order.rpoIndex(BlockID(p)), let bi = order.rpoIndex(b), pi < bi { state = known[p] }
        }
        for i in f.blocks[b.int].instructions.indices {
            let ins = f.blocks[b.int].instructions[i]
            if ins.op.isLoad {
                guard ins.op != .loadr, ins.result.temp != nil else { continue }
                let address = resolve(ins.a)
                if let v = state.first(where: { $0.address == address && $0.load == ins.op && $0.type == ins.type })?.value {
                    f.blocks[b.int].instructions[i] = Instruction(op: .copy, type: ins.type, result: ins.result, a: v,
                                                                  position: ins.position)
                } else if state.count < maxKnown {
                    state.append(Available(address: address, load: ins.op, type: ins.type, value: ins.result))
                }
                continue
            }
            let p = ins.op.properties
            guard p.contains(.writesMemory) || ins.op == .call || ins.op == .blit else { continue }
            state.removeAll(keepingCapacity: true)
            guard ins.op.isStore, ins.op != .storer else { continue }
            for (load, type) in readBack(ins.op) where forwards(ins.a, as: type, in: f, classOf) {
                state.append(Available(address: resolve(ins.b), load: load, type: type, value: ins.a))
            }
        }
        known[b.int] = state
    }
}

/// Whether stored value `v` may stand for a load of class `type`: a temp of
/// that class (or a long for a word), a constant of its kind.
private func forwards(_ v: Ref, as type: BaseType, in f: Function, _ classOf: [BaseType?]) -> Bool {
    if let t = v.temp {
        guard t.int < classOf.count else { return false }
        return classOf[t.int] == type || (type == .w && classOf[t.int] == .l)
    }
    switch f.constant(v) {
    case .integer?: return type == .w || type == .l
    case .single?: return type == .s
    case .double?: return type == .d
    default: return false
    }
}

/// A value that a load of `address` with opcode `load` and class `type` would read.
private struct Available {
    var address: Ref
    var load: Opcode
    var type: BaseType
    var value: Ref
}

/// Bounds the linear searches in a block with many distinct loads.
private let maxKnown = 32

/// The loads that read back exactly what store `op` wrote, each with its class.
private func readBack(_ op: Opcode) -> [(Opcode, BaseType)] {
    switch op {
    case .storel: return [(.loadl, .l)]
    case .storew: return [(.loadsw, .w), (.loaduw, .w)]
    case .stores: return [(.loads, .s)]
    case .stored: return [(.loadd, .d)]
    default: return []
    }
}

public func eliminateLoads(_ m: inout Module) {
    for i in m.functions.indices { eliminateLoads(&m.functions[i]) }
}
