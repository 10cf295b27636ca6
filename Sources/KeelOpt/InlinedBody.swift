import KeelIR

// Copying a callee's body into a caller at one call site: the mechanics of
// inlining (Inlining.swift decides which calls).

struct BodyCopier {
    var f: Function
    let types: [AggregateType]
    /// Per block of `f`: whether it is a copy of a callee's block.
    var isCopy: [Bool]
    /// The order blocks are laid out in at the end: each inlined body and
    /// its continuation right after the calling block.
    var order: [BlockID]
    var pool = ConstantPool()
    var labels: Set<String>
    /// Instructions for the entry block (the callees' and copies' slots),
    /// placed at its start by `finish`.
    var slots: [Instruction] = []

    init(caller: Function, types: [AggregateType]) {
        f = caller
        self.types = types
        isCopy = [Bool](repeating: false, count: caller.blocks.count)
        order = caller.blockIDs
        labels = Set(caller.blocks.map(\.label))
    }

    mutating func newBlock(_ base: String) -> BlockID {
        var label = base
        var k = 1
        while labels.contains(label) {
            label = "\(base).\(k)"
            k += 1
        }
        labels.insert(label)
        isCopy.append(false)
        return f.addBlock(label: label)
    }

    mutating func newTemp(_ cls: BaseType?) -> Temp {
        f.newTemp(name: ".\(f.temps.count)", type: cls)
    }

    mutating func integer(_ v: Int64) -> Ref { pool.ref(.integer(v), in: &f) }

    /// Appends `result =cls op a, b` to block `b`; returns the result.
    @discardableResult
    mutating func emit(_ op: Opcode, _ cls: BaseType, _ a: Ref, _ b: Ref = .none, extra: UInt32 = 0,
                       result: Ref? = nil, in block: BlockID, position: SourcePosition) -> Ref {
        let r = result ?? (op.isStore || op == .blit ? .none : .temp(newTemp(cls)))
        f[block].instructions.append(Instruction(op: op, type: cls, result: r, a: a, b: b, extra: extra,
                                                 position: position))
        return r
    }

    /// A new slot of the caller's entry block, sized and aligned for `type`.
    mutating func slot(for type: AggregateType, position: SourcePosition) -> Ref {
        let t = newTemp(.l)
        let op: Opcode = type.alignment >= 16 ? .alloc16 : type.alignment >= 8 ? .alloc8 : .alloc4
        slots.append(Instruction(op: op, type: .l, result: .temp(t), a: integer(Int64(type.size)), position: position))
        return .temp(t)
    }

    /// Copies an aggregate of `type` from `source` to `destination` at the
    /// end of `block`: loads and stores as wide as the alignment allows (so
    /// slot splitting sees the fields), or one `blit` for a large one.
    mutating func copyAggregate(_ type: AggregateType, from source: Ref, to destination: Ref, in block: BlockID,
                                position: SourcePosition) {
        let size = type.size
        guard size <= 64 else {
            emit(.blit, .l, source, destination, extra: UInt32(size), in: block, position: position)
            return
        }
        var offset = 0
        var width = min(8, max(1, type.alignment))
        while offset < size {
            while width > size - offset { width /= 2 }
            let (load, store, cls): (Opcode, Opcode, BaseType) = switch width {
            case 8: (.loadl, .storel, .l)
            case 4: (.loaduw, .storew, .w)
            case 2: (.loaduh, .storeh, .w)
            default: (.loadub, .storeb, .w)
            }
            let from = offset == 0 ? source : emit(.add, .l, source, integer(Int64(offset)), in: block, position: position)
            let to = offset == 0 ? destination : emit(.add, .l, destination, integer(Int64(offset)), in: block, position: position)
            let v = emit(load, cls, from, in: block, position: position)
            emit(store, cls, v, to, in: block, position: position)
            offset += width
        }
    }

    /// An `alloc` of a constant size: a stack slot when in the entry block.
    func isSlot(_ ins: Instruction) -> Bool {
        guard ins.op.isAlloc, let c = f.constant(ins.a), case .integer = c else { return false }
        return true
    }

    static func extensionOp(_ t: ABIType) -> Opcode? {
        switch t {
        case .sb: return .extsb
        case .ub: return .extub
        case .sh: return .extsh
        case .uh: return .extuh
        case .base, .aggregate: return nil
        }
    }

    /// Replaces the call at `index` of `block` by a copy of `g`'s body.
    mutating func inline(block b: Int, index i: Int, callee g: Function) {
        let bid = BlockID(b)
        let call = f.blocks[b].instructions[i]
        let site = f.calls[Int(call.extra)]
        let at = call.position

        // Split: the continuation takes the rest of the block and its terminator.
        let rest = newBlock(f.blocks[b].label + ".ret")
        var after = Array(f.blocks[b].instructions[(i + 1)...])
        if b == Function.entry.int {
            // The entry's slots stay in the entry: elsewhere `alloc` is
            // dynamic allocation.
            slots += after.filter { isSlot($0) }
            after.removeAll { isSlot($0) }
        }
        f[rest].instructions = after
        f[rest].terminator = f.blocks[b].terminator
        f[rest].terminatorPosition = f.blocks[b].terminatorPosition
        f.blocks[b].instructions.removeSubrange(i...)
        for s in f[rest].successors {
            for p in f[s].phis.indices {
                for a in f[s].phis[p].incoming.indices where f[s].phis[p].incoming[a].block == bid {
                    f[s].phis[p].incoming[a].block = rest
                }
            }
        }

        // The callee's blocks and temporaries, fresh in the caller.
        let copies = g.blocks.map { newBlock($0.label) }
        for c in copies { isCopy[c.int] = true }
        var temps = [Ref](repeating: .none, count: g.temps.count)
        for (k, p) in g.parameters.enumerated() where p.temp.int < temps.count {
            let arg = site.arguments[k].value
            switch p.type {
            case .aggregate(let tid):
                let copy = slot(for: types[tid.int], position: at)
                copyAggregate(types[tid.int], from: arg, to: copy, in: bid, position: at)
                temps[p.temp.int] = copy
            case .sb, .ub, .sh, .uh:
                temps[p.temp.int] = emit(BodyCopier.extensionOp(p.type)!, .w, arg, in: bid, position: at)
            case .base:
                temps[p.temp.int] = arg
            }
        }
        func mapped(_ r: Ref) -> Ref {
            if let t = r.temp {
                if temps[t.int].isNone { temps[t.int] = .temp(newTemp(g.temps[t.int].type)) }
                return temps[t.int]
            }
            if let c = g.constant(r) { return pool.ref(c, in: &f) }
            return r
        }

        let resultSlot: Ref? = if case .aggregate(let tid) = site.returnType, call.result.temp != nil {
            slot(for: types[tid.int], position: at)
        } else { nil }
        var returned: [PhiArgument] = []
        for (k, block) in g.blocks.enumerated() {
            let c = copies[k]
            f[c].position = block.position
            f[c].phis = block.phis.map { phi in
                Phi(result: mapped(.temp(phi.result)).temp!, type: phi.type,
                    incoming: phi.incoming.map { PhiArgument(block: copies[$0.block.int], value: mapped($0.value)) },
                    position: phi.position)
            }
            for ins in block.instructions where ins.op != .dbgloc {
                var copy = ins
                copy.result = mapped(ins.result)
                copy.a = mapped(ins.a)
                if ins.op.operandCount > 1 { copy.b = mapped(ins.b) }
                if ins.op == .call {
                    var s = g.calls[Int(ins.extra)]
                    s.env = mapped(s.env)
                    for a in s.arguments.indices { s.arguments[a].value = mapped(s.arguments[a].value) }
                    copy.extra = UInt32(f.addCall(s).int)
                }
                if ins.op.isAlloc {
                    slots.append(copy)
                } else {
                    f[c].instructions.append(copy)
                }
            }
            f[c].terminatorPosition = block.terminatorPosition
            switch block.terminator {
            case .jmp(let t): f[c].terminator = .jmp(copies[t.int])
            case .jnz(let v, let t, let e): f[c].terminator = .jnz(mapped(v), copies[t.int], copies[e.int])
            case .hlt, .none: f[c].terminator = block.terminator
            case .ret(let v):
                if call.result.temp != nil {
                    // A bare `ret` where a value is expected returns garbage: 0 here.
                    let value = v.isNone ? integer(0) : mapped(v)
                    if let resultSlot, case .aggregate(let tid) = site.returnType {
                        if !v.isNone {
                            copyAggregate(types[tid.int], from: value, to: resultSlot, in: c, position: block.terminatorPosition)
                        }
                    } else if let ext = site.returnType.flatMap(BodyCopier.extensionOp) {
                        returned.append(PhiArgument(block: c, value: emit(ext, .w, value, in: c, position: block.terminatorPosition)))
                    } else {
                        returned.append(PhiArgument(block: c, value: value))
                    }
                }
                f[c].terminator = .jmp(rest)
            }
        }

        // The call's result, defined where the body rejoins the caller.
        if let r = call.result.temp {
            if let resultSlot {
                f[rest].instructions.insert(Instruction(op: .copy, type: .l, result: call.result, a: resultSlot,
                                                        position: at), at: 0)
            } else if returned.count == 1 {
                f[rest].instructions.insert(Instruction(op: .copy, type: call.type, result: call.result,
                                                        a: returned[0].value, position: at), at: 0)
            } else if returned.isEmpty {
                // No `ret` reaches here: the continuation is unreachable.
                f[rest].instructions.insert(Instruction(op: .copy, type: call.type, result: call.result,
                                                        a: integer(0), position: at), at: 0)
            } else {
                f[rest].phis.append(Phi(result: r, type: call.type, incoming: returned, position: at))
            }
        }
        f.blocks[b].terminator = .jmp(copies[0])
        f.blocks[b].terminatorPosition = at
        let place = order.firstIndex(of: bid)! + 1
        order.insert(contentsOf: copies + [rest], at: place)
    }

    /// Places the slots in the entry block and the blocks in layout order.
    mutating func finish() {
        f.blocks[0].instructions.insert(contentsOf: slots, at: 0)
        slots = []
        f.reorderBlocks(order)
    }
}
