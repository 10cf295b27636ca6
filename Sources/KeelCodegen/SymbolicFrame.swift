// Contract: the symbolic machine state the emitted-code checks carry along
// a function's lines. A register holds a `SymbolicValue` (what some place
// held when the run started, an address in the frame, a multiple of 16, or
// a value computed here); the stack pointer is a `SymbolicStack`; stack
// memory maps 8-byte cells (entry-relative offsets, multiples of 8) to
// values, a missing cell holding its own starting value; an access that is
// not one whole aligned cell reads or leaves a computed value. Joining two states keeps what both
// agree on, so the lattice is finite and a dataflow over it terminates.

public enum SymbolicValue: Hashable, Sendable {
    /// What the place held when the run started (for a callee-saved register
    /// at function entry: the caller's value).
    case initial(EmittedPlace)
    /// The address entry stack pointer + offset.
    case address(Int)
    /// A multiple of 16 computed here (a rounded run-time allocation size).
    case aligned16
    /// Anything else computed here.
    case computed
}

public enum SymbolicStack: Hashable, Sendable {
    /// At this offset from its value at entry.
    case offset(Int)
    /// After a run-time allocation: unknown, with a known residue mod 16 if `mod16` is set.
    case dynamic(mod16: Int?)
    /// Lost: two paths disagree, or a line the checks do not follow wrote it.
    case unknown

    public var mod16: Int? {
        switch self {
        case .offset(let k): return ((k % 16) + 16) % 16
        case .dynamic(let m): return m
        case .unknown: return nil
        }
    }

    func moved(by n: Int) -> SymbolicStack {
        switch self {
        case .offset(let k): return .offset(k + n)
        case .dynamic(let m): return .dynamic(mod16: m.map { (($0 + n) % 16 + 16) % 16 })
        case .unknown: return .unknown
        }
    }

    func joined(_ o: SymbolicStack) -> SymbolicStack {
        if self == o { return self }
        switch (self, o) {
        case (.offset, .offset), (.unknown, _), (_, .unknown): return .unknown
        default: return .dynamic(mod16: mod16 == o.mod16 ? mod16 : nil)
        }
    }
}

public struct SymbolicState: Hashable, Sendable {
    public var registers: [SymbolicValue]
    public var stack: SymbolicStack
    /// Cells written so far; a missing cell holds `.initial(.cell(offset))`.
    public var cells: [Int: SymbolicValue]
    let stackPointer: Int

    /// Every register holding its own starting value, the stack pointer at `stack`.
    public init(registerCount: Int, stackPointer: Int, stack: SymbolicStack = .offset(0)) {
        registers = (0..<registerCount).map { .initial(.register($0)) }
        self.stack = stack
        cells = [:]
        self.stackPointer = stackPointer
    }

    public func register(_ r: Int) -> SymbolicValue {
        if r == stackPointer {
            if case .offset(let k) = stack { return .address(k) }
            return .computed
        }
        return registers[r]
    }

    public func cell(_ k: Int) -> SymbolicValue { k & 7 == 0 ? cells[k] ?? .initial(.cell(k)) : .computed }

    public func value(_ p: EmittedPlace) -> SymbolicValue {
        switch p {
        case .register(let r): return register(r)
        case .cell(let k): return cell(k)
        }
    }

    /// The entry-relative address `base` + `offset` names, if `base` holds a known one.
    public func address(_ base: Int, _ offset: Int) -> Int? {
        if case .address(let k) = register(base) { return k + offset }
        return nil
    }

    mutating func setRegister(_ r: Int, _ v: SymbolicValue) {
        if r == stackPointer {
            if case .address(let k) = v { stack = .offset(k) } else { stack = .unknown }
        } else {
            registers[r] = v
        }
    }

    /// A store of `width` bytes at `a`: the cells it overlaps hold computed
    /// values, or `v` when it fills exactly one; `written` collects them.
    mutating func store(_ v: SymbolicValue, at a: Int, width: Int, written: inout Set<EmittedPlace>?) {
        var k = a & ~7
        while k < a + width {
            cells[k] = .computed
            written?.insert(.cell(k))
            k += 8
        }
        if width == 8, a & 7 == 0 { cells[a] = v }
    }

    /// Applies one effect; `written`, if given, collects the places it writes.
    public mutating func apply(_ e: EmittedEffect) {
        var none: Set<EmittedPlace>? = nil
        apply(e, written: &none)
    }

    public mutating func apply(_ e: EmittedEffect, written: inout Set<EmittedPlace>?) {
        switch e {
        case .copy(let to, let from, let whole):
            setRegister(to, whole ? register(from) : .computed)
            written?.insert(.register(to))
        case .load(let to, let base, let offset, let whole):
            let v = whole ? address(base, offset).map(cell) ?? .computed : .computed
            setRegister(to, v)
            written?.insert(.register(to))
        case .store(let from, let base, let offset, let width):
            guard let a = address(base, offset) else { return }
            store(from.map(register) ?? .computed, at: a, width: width, written: &written)
        case .write(let r):
            setRegister(r, .computed)
            written?.insert(.register(r))
        case .moveStack(let n):
            stack = stack.moved(by: n)
        case .allocateStack(let r):
            stack = .dynamic(mod16: registers[r] == .aligned16 ? stack.mod16 : nil)
        case .alignDown16(let r):
            registers[r] = .aligned16
            written?.insert(.register(r))
        case .setStack(let r, let n):
            if case .address(let k) = register(r) { stack = .offset(k + n) } else { stack = .unknown }
        case .expectBodyStack, .call, .ret:
            break
        }
    }

    public func joined(_ o: SymbolicState) -> SymbolicState {
        var s = self
        for n in registers.indices where registers[n] != o.registers[n] { s.registers[n] = .computed }
        s.stack = stack.joined(o.stack)
        for k in Set(cells.keys).union(o.cells.keys) where cell(k) != o.cell(k) { s.cells[k] = .computed }
        return s
    }
}
