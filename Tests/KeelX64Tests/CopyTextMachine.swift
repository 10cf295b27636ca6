// Contract: a symbolic machine for the text of one parallel copy. It reads
// only the lines an emitted copy may contain — `movq`/`movl`/`movaps`/`movsd`
// between a register and a register or an `OFF(%rbp)` frame cell, and
// `pushq`/`popq` of a register or a frame cell — and runs them on symbolic
// contents: every place (register or frame cell) starts holding its own
// name, a move copies the symbol (`movl` copies a truncated one, which
// matches no source), push/pop go through a private stack. Anything else
// (other mnemonics, other memory forms, a pop from an empty stack) is an
// unreadable line. Registers are `ModelRegister` (OperandModelRegisters.swift),
// not X64Reg, so the text is read independently of the emitter.

import Foundation

/// A register or a frame cell `offset(%rbp)`.
enum CopyPlace: Hashable, Comparable, CustomStringConvertible {
    case reg(ModelRegister)
    case cell(Int)

    var description: String {
        switch self {
        case .reg(let r): return r.description
        case .cell(let o): return "\(o)(%rbp)"
        }
    }

    static func < (a: CopyPlace, b: CopyPlace) -> Bool { a.description < b.description }

    /// `%name` or `OFF(%rbp)`; nil for anything else.
    init?<S: StringProtocol>(operand s: S) {
        if s.hasPrefix("%") {
            guard let r = ModelRegister.named(s.dropFirst()) else { return nil }
            self = .reg(r)
        } else if s.hasSuffix("(%rbp)"), let o = Int(s.dropLast(6)) {
            self = .cell(o)
        } else {
            return nil
        }
    }
}

/// What a place holds: the original contents of `origin`, possibly cut to 32 bits.
struct CopySymbol: Hashable, CustomStringConvertible {
    var origin: CopyPlace
    var truncated = false
    var description: String { truncated ? "low32(⟨\(origin)⟩)" : "⟨\(origin)⟩" }
}

struct CopyTextMachine {
    private(set) var contents: [CopyPlace: CopySymbol] = [:]
    private(set) var stack: [CopySymbol] = []
    /// Every place a line wrote.
    private(set) var written: Set<CopyPlace> = []

    func value(_ p: CopyPlace) -> CopySymbol { contents[p] ?? CopySymbol(origin: p) }

    private mutating func write(_ p: CopyPlace, _ v: CopySymbol) {
        contents[p] = v
        written.insert(p)
    }

    /// Runs one line; false when it is not a line a copy may contain.
    mutating func run(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard let space = trimmed.firstIndex(of: " ") else { return false }
        let mnemonic = trimmed[..<space]
        let operands = trimmed[trimmed.index(after: space)...].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let places = operands.compactMap { CopyPlace(operand: $0) }
        guard places.count == operands.count else { return false }
        switch (mnemonic, places.count) {
        case ("movq", 2), ("movaps", 2), ("movsd", 2), ("movl", 2):
            if case .cell = places[0], case .cell = places[1] { return false }  // no memory-to-memory mov
            var v = value(places[0])
            if mnemonic == "movl" { v.truncated = true }
            write(places[1], v)
        case ("pushq", 1):
            stack.append(value(places[0]))
        case ("popq", 1):
            guard let v = stack.popLast() else { return false }
            write(places[0], v)
        default:
            return false
        }
        return true
    }
}
