// Runs the toy target's listing (format: ToyILWriter.swift) on a model of
// the toy machine: registers r0–r5, rs, f0–f3, fs of 64 bits, and per call a
// frame of 8-byte cells. Nothing but the listing is read: no vreg, no
// allocation, so a wrong allocation can only show up as a wrong answer or
// an error here, exactly as on hardware.
//
// The machine is deliberately hostile, so a wrong allocation gives a wrong
// answer rather than a lucky right one:
// - every register starts with garbage, and every call's frame cells too;
// - returning from a call leaves garbage in every caller-saved register but
//   r0 (a callee may overwrite them, so this machine always does);
// - a function that returns with a callee-saved register changed is an error.
//
// Integer semantics are the reference interpreter's (KeelInterp): `w`
// operations read the low 32 bits of their operands and write the result
// zero-extended; shifts take their amount modulo the width; comparisons
// give 0 or 1; division by zero and signed overflow of a division are errors.
import KeelCodegen
import KeelRandom

/// A register or a frame cell.
enum ToyPlace: Hashable {
    case register(Int)
    case cell(Int)
}

/// One line of the listing, parsed.
enum ToyOperation: Hashable {
    case move(to: ToyPlace, from: ToyPlace)
    case loadImmediate(to: ToyPlace, Int64)
    case binary(ToyBinaryOperation, ToyWidth, to: ToyPlace, ToyPlace, ToyPlace)
    case compare(ToyComparison, ToyWidth, to: ToyPlace, ToyPlace, ToyPlace)
    case negate(ToyWidth, to: ToyPlace, ToyPlace)
    case copy(ToyWidth, to: ToyPlace, ToyPlace)
    case extend(ToyExtension, ToyWidth, to: ToyPlace, ToyPlace)
    case call(String)
    /// Block numbers (`@bK`).
    case jump(Int)
    case branchIfNonZero(ToyPlace, Int, Int)
    case ret
    case halt
}

struct ToyMachineError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A parsed listing.
struct ToyProgram {
    struct FunctionCode {
        var name: String
        var cellCount: Int
        var code: [ToyOperation] = []
        /// The index in `code` of each block's first operation.
        var blockStart: [Int: Int] = [:]
    }

    var functions: [String: FunctionCode] = [:]

    init(listing: String) throws(ToyMachineError) {
        var current: FunctionCode? = nil
        for (n, rawLine) in listing.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = rawLine.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
            guard let first = words.first else { continue }
            func fail(_ why: String) -> ToyMachineError { ToyMachineError("listing line \(n + 1): \(why): \(rawLine)") }
            if first == "function" {
                if let f = current { functions[f.name] = f }
                guard words.count == 4, words[1].hasPrefix("$"), words[2] == "cells", let cells = Int(words[3]) else {
                    throw fail("malformed function header")
                }
                current = FunctionCode(name: String(words[1].dropFirst()), cellCount: cells)
                continue
            }
            guard current != nil else { throw fail("code outside a function") }
            if first.hasPrefix("@b"), first.hasSuffix(":"), let b = Int(first.dropFirst(2).dropLast()) {
                current!.blockStart[b] = current!.code.count
                continue
            }
            current!.code.append(try Self.parse(words, fail: fail))
        }
        if let f = current { functions[f.name] = f }
    }

    static func parse(_ words: [String], fail: (String) -> ToyMachineError) throws(ToyMachineError) -> ToyOperation {
        func place(_ w: String) throws(ToyMachineError) -> ToyPlace {
            if w.hasPrefix("["), w.hasSuffix("]"), let c = Int(w.dropFirst().dropLast()) { return .cell(c) }
            if let r = ToyILRegisters.names.firstIndex(of: w) { return .register(r) }
            throw fail("no place \(w)")
        }
        func block(_ w: String) throws(ToyMachineError) -> Int {
            guard w.hasPrefix("@b"), let b = Int(w.dropFirst(2)) else { throw fail("no block \(w)") }
            return b
        }
        switch (words[0], words.count) {
        case ("call", 2) where words[1].hasPrefix("$"): return .call(String(words[1].dropFirst()))
        case ("jmp", 2): return .jump(try block(words[1]))
        case ("jnz", 4): return .branchIfNonZero(try place(words[1]), try block(words[2]), try block(words[3]))
        case ("ret", 1): return .ret
        case ("hlt", 1): return .halt
        default: break
        }
        // DST = MNEMONIC OPERANDS...
        guard words.count >= 4, words[1] == "=" else { throw fail("unknown instruction") }
        let destination = try place(words[0])
        let mnemonic = words[2]
        let operands = Array(words[3...])
        if mnemonic == "li" {
            guard operands.count == 1, let c = Int64(operands[0]) else { throw fail("bad constant") }
            return .loadImmediate(to: destination, c)
        }
        var sources: [ToyPlace] = []
        for o in operands { sources.append(try place(o)) }
        if mnemonic == "mov", sources.count == 1 { return .move(to: destination, from: sources[0]) }
        let parts = mnemonic.split(separator: ".")
        guard parts.count == 2, let width = ToyWidth(rawValue: String(parts[1])) else { throw fail("unknown mnemonic") }
        let name = String(parts[0])
        switch sources.count {
        case 1:
            if name == "neg" { return .negate(width, to: destination, sources[0]) }
            if name == "copy" { return .copy(width, to: destination, sources[0]) }
            if let e = ToyExtension(rawValue: name) { return .extend(e, width, to: destination, sources[0]) }
        case 2:
            if let op = ToyBinaryOperation(rawValue: name) {
                return .binary(op, width, to: destination, sources[0], sources[1])
            }
            if name.hasPrefix("c"), let c = ToyComparison(rawValue: String(name.dropFirst())) {
                return .compare(c, width, to: destination, sources[0], sources[1])
            }
        default: break
        }
        throw fail("unknown mnemonic")
    }
}

/// The toy machine running a program.
struct ToyMachine {
    let program: ToyProgram
    var registers: [UInt64]
    var garbage: SplitMix64
    var stepLimit = 50_000_000
    var maxCallDepth = 100_000

    init(program: ToyProgram, garbageSeed: UInt64 = 0x70E) {
        self.program = program
        garbage = SplitMix64(seed: garbageSeed)
        registers = []
        for _ in 0..<ToyILRegisters.count { registers.append(garbage.next()) }
    }

    /// One call in progress.
    struct Activation {
        var function: ToyProgram.FunctionCode
        var pc = 0
        var cells: [UInt64]
        var calleeSavedOnEntry: [UInt64]
    }

    mutating func enter(_ name: String) throws(ToyMachineError) -> Activation {
        guard let f = program.functions[name] else { throw ToyMachineError("no function $\(name)") }
        var cells: [UInt64] = []
        for _ in 0..<f.cellCount { cells.append(garbage.next()) }
        registers[Int(ToyILRegisters.integerScratch.number)] = garbage.next()
        registers[Int(ToyILRegisters.floatScratch.number)] = garbage.next()
        return Activation(function: f, cells: cells,
                          calleeSavedOnEntry: ToyILRegisters.calleeSaved.map { registers[Int($0.number)] })
    }

    /// Runs `$name` with `arguments` in the argument registers; returns r0 at its `ret`.
    mutating func run(_ name: String, arguments: [UInt64] = []) throws(ToyMachineError) -> UInt64 {
        for (a, r) in zip(arguments, ToyILRegisters.argumentRegisters) { registers[Int(r.number)] = a }
        var current = try enter(name)
        var callers: [Activation] = []
        var steps = 0

        func read(_ p: ToyPlace) throws(ToyMachineError) -> UInt64 {
            switch p {
            case .register(let r): return registers[r]
            case .cell(let c):
                guard c < current.cells.count else { throw ToyMachineError("$\(current.function.name): no cell \(c)") }
                return current.cells[c]
            }
        }
        func write(_ p: ToyPlace, _ v: UInt64) throws(ToyMachineError) {
            switch p {
            case .register(let r): registers[r] = v
            case .cell(let c):
                guard c < current.cells.count else { throw ToyMachineError("$\(current.function.name): no cell \(c)") }
                current.cells[c] = v
            }
        }
        func goTo(_ block: Int) throws(ToyMachineError) {
            guard let pc = current.function.blockStart[block] else {
                throw ToyMachineError("$\(current.function.name): no block @b\(block)")
            }
            current.pc = pc
        }

        while true {
            steps += 1
            if steps > stepLimit { throw ToyMachineError("step limit of \(stepLimit) reached") }
            guard current.pc < current.function.code.count else {
                throw ToyMachineError("$\(current.function.name): ran past its last instruction")
            }
            let operation = current.function.code[current.pc]
            current.pc += 1
            switch operation {
            case .move(let to, let from):
                try write(to, try read(from))
            case .loadImmediate(let to, let c):
                try write(to, UInt64(bitPattern: c))
            case .binary(let op, let width, let to, let a, let b):
                try write(to, try op.apply(try read(a), try read(b), width: width))
            case .compare(let c, let width, let to, let a, let b):
                try write(to, c.holds(try read(a), try read(b), width: width) ? 1 : 0)
            case .negate(let width, let to, let a):
                try write(to, width.truncate(0 &- (try read(a))))
            case .copy(let width, let to, let a):
                try write(to, width.truncate(try read(a)))
            case .extend(let e, let width, let to, let a):
                try write(to, width.truncate(e.apply(try read(a))))
            case .call(let callee):
                guard callers.count < maxCallDepth else { throw ToyMachineError("call depth limit exceeded") }
                let callee = try enter(callee)
                callers.append(current)
                current = callee
            case .jump(let b):
                try goTo(b)
            case .branchIfNonZero(let c, let t, let f):
                try goTo(ToyWidth.w.truncate(try read(c)) != 0 ? t : f)
            case .ret:
                for (k, r) in ToyILRegisters.calleeSaved.enumerated()
                where registers[Int(r.number)] != current.calleeSavedOnEntry[k] {
                    throw ToyMachineError("$\(current.function.name) returns with callee-saved \(ToyILRegisters.names[Int(r.number)]) changed")
                }
                guard let caller = callers.popLast() else { return registers[Int(ToyILRegisters.resultRegister.number)] }
                current = caller
                for r in ToyILRegisters.callerSaved where r != ToyILRegisters.resultRegister {
                    registers[Int(r.number)] = garbage.next()
                }
            case .halt:
                throw ToyMachineError("$\(current.function.name): hlt")
            }
        }
    }
}

// MARK: integer semantics

extension ToyWidth {
    func truncate(_ v: UInt64) -> UInt64 { self == .w ? v & 0xffff_ffff : v }
}

extension ToyBinaryOperation {
    func apply(_ a: UInt64, _ b: UInt64, width: ToyWidth) throws(ToyMachineError) -> UInt64 {
        switch width {
        case .w:
            return UInt64(try apply(UInt32(truncatingIfNeeded: a), UInt32(truncatingIfNeeded: b), signed: Int32.self))
        case .l:
            return try apply(a, b, signed: Int64.self)
        }
    }

    /// The operation on `U`-bit operands; `S` is the signed type of the same width.
    func apply<U: FixedWidthInteger & UnsignedInteger, S: FixedWidthInteger & SignedInteger>(
        _ x: U, _ y: U, signed: S.Type) throws(ToyMachineError) -> U {
        let sx = S(truncatingIfNeeded: x), sy = S(truncatingIfNeeded: y)
        let shift = Int(y & U(U.bitWidth - 1))
        switch self {
        case .add: return x &+ y
        case .sub: return x &- y
        case .mul: return x &* y
        case .and: return x & y
        case .or: return x | y
        case .xor: return x ^ y
        case .shl: return x << shift
        case .shr: return x >> shift
        case .sar: return U(truncatingIfNeeded: sx >> shift)
        case .udiv, .urem:
            guard y != 0 else { throw ToyMachineError("division by zero") }
            return self == .udiv ? x / y : x % y
        case .div, .rem:
            guard sy != 0 else { throw ToyMachineError("division by zero") }
            guard !(sx == S.min && sy == -1) else { throw ToyMachineError("signed overflow in \(rawValue)") }
            return U(truncatingIfNeeded: self == .div ? sx / sy : sx % sy)
        }
    }
}

extension ToyComparison {
    func holds(_ a: UInt64, _ b: UInt64, width: ToyWidth) -> Bool {
        switch width {
        case .w: return holds(UInt32(truncatingIfNeeded: a), UInt32(truncatingIfNeeded: b), signed: Int32.self)
        case .l: return holds(a, b, signed: Int64.self)
        }
    }

    func holds<U: FixedWidthInteger & UnsignedInteger, S: FixedWidthInteger & SignedInteger>(
        _ x: U, _ y: U, signed: S.Type) -> Bool {
        let sx = S(truncatingIfNeeded: x), sy = S(truncatingIfNeeded: y)
        switch self {
        case .eq: return x == y
        case .ne: return x != y
        case .slt: return sx < sy
        case .sle: return sx <= sy
        case .sgt: return sx > sy
        case .sge: return sx >= sy
        case .ult: return x < y
        case .ule: return x <= y
        case .ugt: return x > y
        case .uge: return x >= y
        }
    }
}

extension ToyExtension {
    /// The 64-bit extension of the low bits of `v` (the caller truncates a `w` result).
    func apply(_ v: UInt64) -> UInt64 {
        switch self {
        case .extsb: return UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: v)))
        case .extub: return UInt64(UInt8(truncatingIfNeeded: v))
        case .extsh: return UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: v)))
        case .extuh: return UInt64(UInt16(truncatingIfNeeded: v))
        case .extsw: return UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v)))
        case .extuw: return UInt64(UInt32(truncatingIfNeeded: v))
        }
    }
}
