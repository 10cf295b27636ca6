// Contract: compares the declared operands of one machine instruction, each
// placed in a register, with what its emitted text does to registers by the
// model (KeelX64/X64TextModel.swift). Every path through the sequence
// (local labels `1:`/`1f`/`1b`; jumps to blocks leave it) is explored with
// the set of registers written so far, and:
// - a register read before the path wrote it must hold a use (rsp/rbp are
//   free; a scratch register read before being written is garbage);
// - a written register must be a def, a clobber, scratch, or rsp/rbp;
// - a def not declared early must not be written before a use of its
//   register class is read (unless both are fixed to different registers),
//   and a clobber not before a non-fixed use is read;
// - every def is written on some path and every use read (the calling
//   convention reads call arguments and returned values); a def and a use
//   sharing a register that the text leaves alone is an elided copy;
// - defs provided by the caller (`parameters`) are in argument registers;
// - a `call` line: defs plus clobbers cover System V's caller-saved set,
//   and clobbers hold nothing else.
// Returns every mismatch once, in the order found; empty means they agree.
import KeelCodegen
@testable import KeelX64

/// One declared operand with the register it was placed in.
struct PlacedOperand: Hashable {
    var index: Int
    var kind: MachineOperand.Kind
    var position: MachineOperand.Position
    var constraint: MachineOperand.Constraint
    var register: ModelRegister

    var isFixed: Bool { if case .fixed = constraint { return true } else { return false } }
    var isReuse: Bool { if case .reuse = constraint { return true } else { return false } }
}

/// A machine instruction as declared to the register allocator, with its registers.
struct DeclaredInstruction {
    var payload: X64Inst
    var operands: [PlacedOperand]
    var clobbers: ModelRegisterSet
    /// The defs hold values the caller passes (the `parameters` pseudo-instruction).
    var definedOnEntry: Bool

    init(payload: X64Inst, operands: [PlacedOperand], clobbers: ModelRegisterSet, definedOnEntry: Bool = false) {
        self.payload = payload
        self.operands = operands
        self.clobbers = clobbers
        self.definedOnEntry = definedOnEntry
    }

    /// Instruction `i` of `mf` with the registers `allocation` gives its operands.
    init(_ mf: MachineFunction<X64Inst>, _ allocation: AllocationResult, instruction i: Int) {
        let inst = mf.instructions[i]
        var ops: [PlacedOperand] = []
        for (k, n) in inst.operandRange.enumerated() {
            let op = mf.operands[n]
            guard case .reg(let r) = allocation.operandLocations[n] else { continue }
            ops.append(PlacedOperand(index: k, kind: op.kind, position: op.position, constraint: op.constraint,
                                     register: ModelRegister(r)))
        }
        var entry = false
        if case .parameters = inst.payload { entry = true }
        self.init(payload: inst.payload, operands: ops, clobbers: ModelRegisterSet(inst.clobbers),
                  definedOnEntry: entry)
    }

    var uses: [PlacedOperand] { operands.filter { $0.kind == .use } }
    var defs: [PlacedOperand] { operands.filter { $0.kind == .def } }
}

/// Mismatches in the order found, each once.
private struct MismatchList {
    var items: [OperandMismatch] = []
    var seen: Set<OperandMismatch> = []
    mutating func add(_ m: OperandMismatch) { if seen.insert(m).inserted { items.append(m) } }
}

func compareOperands(_ d: DeclaredInstruction, emitted text: String) -> [OperandMismatch] {
    var report = MismatchList()
    let p = d.payload

    // 1. The lines and their effects.
    var lines: [SequenceLine] = []
    for raw in text.split(separator: "\n") {
        let t = raw.trimmingWhitespace()
        if !t.isEmpty { lines.append(SequenceLine(index: lines.count, text: t)) }
    }
    var effects: [ModelEffect] = []
    var labels: [String?] = []
    for line in lines {
        do {
            switch try ModelLine.parse(line.text) {
            case .label(let name): effects.append(ModelEffect()); labels.append(name)
            case .directive: effects.append(ModelEffect()); labels.append(nil)
            case .instruction(let m, let ops): effects.append(try ModelEffect(mnemonic: m, operands: ops)); labels.append(nil)
            }
        } catch {
            report.add(.unmodelled(p, at: line, reason: error.description))
        }
    }
    if !report.items.isEmpty { return report.items }

    // 2. Successors: -1 leaves the sequence.
    var successors: [[Int]] = []
    for (i, e) in effects.enumerated() {
        let next = i + 1 < effects.count ? i + 1 : -1
        switch e.flow {
        case .next: successors.append([next])
        case .stop: successors.append([])
        case .branch(let label, let conditional):
            var targets = conditional ? [next] : []
            if let dir = label.last, dir == "f" || dir == "b", label.dropLast().allSatisfy(\.isNumber), label.count > 1 {
                let name = String(label.dropLast())
                let found = dir == "f" ? (i + 1..<labels.count).first { labels[$0] == name }
                    : (0..<i).last { labels[$0] == name }
                guard let found else {
                    report.add(.unmodelled(p, at: lines[i], reason: "local label \(label) is not in the sequence"))
                    return report.items
                }
                targets.append(found)
            } else {
                targets.append(-1)
            }
            successors.append(targets)
        }
    }

    // 3. Every path, with the registers written so far and the first line that wrote each.
    let uses = d.uses, defs = d.defs
    let useRegisters = ModelRegisterSet(uses.map(\.register))
    let defRegisters = ModelRegisterSet(defs.map(\.register))
    let allowedWrites = defRegisters.union(d.clobbers).union(SysVModel.scratch).union(SysVModel.frameRegisters)
    let checkedClobbers = d.clobbers.subtracting(defRegisters).subtracting(SysVModel.scratch)
    var writtenAnywhere = ModelRegisterSet()
    var readUses = ModelRegisterSet()
    var callLines: Set<Int> = []

    struct PathState: Hashable { var node: Int; var written: ModelRegisterSet }
    var visited: Set<PathState> = []
    var work: [(PathState, [Int])] = effects.isEmpty ? [] : [(PathState(node: 0, written: ModelRegisterSet()),
                                                               Array(repeating: -1, count: 32))]
    while let item = work.popLast() {
        let state = item.0
        guard visited.insert(state).inserted else { continue }
        let i = state.node, e = effects[i]
        var written = state.written, writer = item.1

        func useRead(_ r: ModelRegister) {
            readUses.insert(r)
            for u in uses where u.register == r && u.position == .early {
                for def in defs where def.position == .late && written.contains(def.register) && def.register != r
                    && def.register.sameClass(as: r) && !(def.isFixed && u.isFixed) {
                    report.add(.lateDefWrittenBeforeUse(p, def: def.index, register: def.register,
                                                        writtenAt: lines[writer[def.register.number]], use: u.index,
                                                        useRegister: r, readAt: lines[i]))
                }
                if u.isFixed { continue }
                for c in checkedClobbers where written.contains(c) && c != r && c.sameClass(as: r) {
                    report.add(.clobberWrittenBeforeUse(p, register: c, writtenAt: lines[writer[c.number]],
                                                        use: u.index, useRegister: r, readAt: lines[i]))
                }
            }
        }

        for r in ModelRegisterSet(e.reads) where !written.contains(r) && !SysVModel.frameRegisters.contains(r) {
            if SysVModel.scratch.contains(r) {
                report.add(.scratchReadBeforeWrite(p, register: r, at: lines[i]))
            } else if !useRegisters.contains(r) {
                report.add(.readNotDeclared(p, register: r, at: lines[i]))
            } else {
                useRead(r)
            }
        }
        for r in e.abiReads where useRegisters.contains(r) && !written.contains(r) { useRead(r) }
        for w in e.writes {
            if !allowedWrites.contains(w) { report.add(.writeNotDeclared(p, register: w, at: lines[i])) }
            writtenAnywhere.insert(w)
            if !written.contains(w) {
                written.insert(w)
                writer[w.number] = i
            }
        }
        if e.isCall { callLines.insert(i) }
        // Depth first, the fall-through path before the branch target.
        for s in successors[i].reversed() where s >= 0 { work.append((PathState(node: s, written: written), writer)) }
    }

    // 4. Operands the text never touches; the calling convention.
    let untouchedCopy = { (r: ModelRegister) -> Bool in
        !writtenAnywhere.contains(r) && !readUses.contains(r)
            && defs.contains { $0.register == r && !$0.isReuse } && uses.contains { $0.register == r }
    }
    if d.definedOnEntry {
        for def in defs where !SysVModel.argumentRegisters.contains(def.register) {
            report.add(.entryDefNotArgument(p, def: def.index, register: def.register))
        }
    } else {
        for def in defs where !writtenAnywhere.contains(def.register) && !untouchedCopy(def.register) {
            report.add(.defNeverWritten(p, def: def.index, register: def.register))
        }
    }
    for u in uses where !readUses.contains(u.register) && !untouchedCopy(u.register) {
        report.add(.useNeverRead(p, use: u.index, register: u.register))
    }
    for c in callLines.sorted() {
        for r in SysVModel.callerSaved where !d.clobbers.contains(r) && !defRegisters.contains(r) {
            report.add(.callClobberMissing(p, register: r, at: lines[c]))
        }
        for r in d.clobbers where !SysVModel.callerSaved.contains(r) {
            report.add(.callClobberExtra(p, register: r, at: lines[c]))
        }
    }
    return report.items
}
