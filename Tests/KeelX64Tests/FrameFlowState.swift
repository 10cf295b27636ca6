// Contract: the symbolic machine state the frame-flow check carries along
// the emitted instructions of one function. A general-purpose register
// holds a `FrameValue` (the caller's value of some callee-saved register, an
// address in the frame, a multiple of 16, or anything else); %rsp is a
// `FrameStackPointer` (an offset from its value at entry, or the state after
// a run-time allocation); frame memory is a map from 8-byte cells (offsets
// from the entry %rsp) to values. Joining two states keeps only what both
// agree on, so the lattice is finite and the dataflow terminates.

/// What a register or a frame cell holds.
enum FrameValue: Hashable, CustomStringConvertible {
    /// The value the caller had in this callee-saved register.
    case caller(ModelRegister)
    /// The address entry-%rsp + offset.
    case address(Int)
    /// A value known to be a multiple of 16 (after `andq $-16`).
    case aligned16
    /// Anything else.
    case other

    var description: String {
        switch self {
        case .caller(let r): return "the caller's \(r)"
        case .address(let k): return "the frame address entry %rsp\(k >= 0 ? "+" : "")\(k)"
        case .aligned16: return "a value computed here"
        case .other: return "a value computed here (clobbered)"
        }
    }
}

/// Where %rsp is, relative to its value at function entry.
enum FrameStackPointer: Hashable, CustomStringConvertible {
    case offset(Int)
    /// After a run-time allocation: unknown, but with a known residue mod 16 if `mod16` is set.
    case dynamic(mod16: Int?)
    /// Lost: two paths disagree, or an instruction the check does not follow wrote it.
    case unknown

    var mod16: Int? {
        switch self {
        case .offset(let k): return ((k % 16) + 16) % 16
        case .dynamic(let m): return m
        case .unknown: return nil
        }
    }

    func moved(by n: Int) -> FrameStackPointer {
        switch self {
        case .offset(let k): return .offset(k + n)
        case .dynamic(let m): return .dynamic(mod16: m.map { (($0 + n) % 16 + 16) % 16 })
        case .unknown: return .unknown
        }
    }

    func joined(_ o: FrameStackPointer) -> FrameStackPointer {
        if self == o { return self }
        switch (self, o) {
        case (.offset, .offset), (.unknown, _), (_, .unknown): return .unknown
        default:
            let a = mod16, b = o.mod16
            return .dynamic(mod16: a == b ? a : nil)
        }
    }

    var description: String {
        switch self {
        case .offset(let k): return k >= 0 ? "entry+\(k)" : "entry\(k)"
        case .dynamic(let m): return "unknown after a run-time allocation (mod 16: \(m.map(String.init) ?? "unknown"))"
        case .unknown: return "unknown (paths disagree or it was overwritten)"
        }
    }
}

/// The state before or after one instruction.
struct FrameState: Hashable {
    /// The 16 general-purpose registers, by encoding number (rsp's entry is unused).
    var registers: [FrameValue]
    var rsp: FrameStackPointer
    /// 8-byte frame cells, keyed by offset from the entry %rsp.
    var cells: [Int: FrameValue]

    static let calleeSaved: [ModelRegister] = [3, 5, 12, 13, 14, 15].map { ModelRegister($0) }

    /// At entry: callee-saved registers hold the caller's values, the return address is at offset 0.
    static var entry: FrameState {
        var regs = [FrameValue](repeating: .other, count: 16)
        for r in calleeSaved { regs[r.number] = .caller(r) }
        return FrameState(registers: regs, rsp: .offset(0), cells: [:])
    }

    subscript(r: ModelRegister) -> FrameValue {
        get { r.isVector ? .other : registers[r.number] }
        set { if !r.isVector { registers[r.number] = newValue } }
    }

    /// A store of `width` bytes at entry-relative `offset`: overlapping cells are forgotten,
    /// and an 8-byte store records `value`.
    mutating func store(_ value: FrameValue, at offset: Int, width: Int) {
        for c in cells.keys where c < offset + width && offset < c + 8 { cells[c] = nil }
        if width == 8, value != .other { cells[offset] = value }
    }

    func load(_ offset: Int) -> FrameValue { cells[offset] ?? .other }

    func joined(_ o: FrameState) -> FrameState {
        var s = self
        for n in 0..<16 where s.registers[n] != o.registers[n] { s.registers[n] = .other }
        s.rsp = rsp.joined(o.rsp)
        s.cells = cells.filter { o.cells[$0.key] == $0.value }
        return s
    }
}
