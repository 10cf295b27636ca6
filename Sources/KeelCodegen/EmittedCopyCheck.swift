// Contract: the parallel copies of one function judged on the lines the
// emitter wrote for them. Each copy's lines run, straight, from the state
// the frame check found before them (so frame addresses are known), with
// every register and cell renamed to hold "its value before the copy";
// then every destination must hold its source's value, every other place
// the lines wrote must hold its own again (the convention's copy scratch
// registers and cells below the stack pointer excepted), and the stack
// pointer must be back where it was (after a run-time allocation, where
// its offset is unknown, relative to where it was).

func judgeCopies(_ f: EmittedFunction, before states: [Int: SymbolicState], convention c: EmittedConvention)
    -> [EmittedCodeFailure] {
    var failures: [EmittedCodeFailure] = []
    for copy in f.copies {
        guard let before = states[copy.lines.lowerBound] else { continue }  // unreachable code
        // After a run-time allocation the stack pointer's offset is unknown, but
        // it lies below every frame cell: the copy's pushes and pops are still
        // checked against one another, from a stand-in offset far below them.
        var start = before.stack
        if case .offset = start {} else { start = .offset(-(1 << 40)) }
        var s = SymbolicState(registerCount: c.registerNames.count, stackPointer: c.stackPointer, stack: start)
        // Frame addresses stay known: they are how cells are named.
        for (r, v) in before.registers.enumerated() { if case .address = v { s.registers[r] = v } }
        var written: Set<EmittedPlace>? = []
        for line in f.lines[copy.lines] {
            for e in line.effects { s.apply(e, written: &written) }
        }
        var destinations: Set<EmittedPlace> = []
        for m in copy.moves where m.from != m.to {
            destinations.insert(m.to)
            if s.value(m.to) != .initial(m.from) {
                failures.append(.copyWrongDestination(function: f.name, point: copy.point, place: m.to, expected: m.from,
                                                      found: s.value(m.to)))
            }
        }
        if s.stack != start {
            failures.append(.copyMovedStack(function: f.name, point: copy.point, found: s.stack))
        }
        for p in (written ?? []).sorted() where !destinations.contains(p) && s.value(p) != .initial(p) {
            switch p {
            case .register(let r) where c.copyScratch.contains(r) || r == c.stackPointer: continue
            case .cell(let k): if case .offset(let top) = s.stack, k < top { continue }
            default: break
            }
            failures.append(.copyClobbered(function: f.name, point: copy.point, place: p, found: s.value(p)))
        }
    }
    return failures
}
