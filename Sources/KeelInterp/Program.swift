import KeelIR

/// The interpreter's compact form of a module, decoded once before running.
///
/// Contract: `Program(module:)` accepts any module the parser produces (SSA or
/// not) and throws a `Diagnostic` only for structural faults that make a
/// function impossible to run (an operand naming a temporary that does not
/// exist, an unknown aggregate type). Everything a program may get wrong at run
/// time (a missing phi argument, a block without terminator) is decoded into an
/// instruction that raises a `RuntimeError` when reached.
///
/// The form: each function is one flat array of `Op`s. Temporaries and then
/// constants share one register file per frame (constants are preloaded from
/// `registerTemplate`), so every operand is a plain register index and no
/// instruction tests what kind of operand it has. Opcodes are specialised by
/// class (`addW`, `addL`, ...) so the run loop switches once per instruction.
/// Phis become parallel moves on CFG edges (`Edge`); symbols become their
/// fake addresses (see `Memory`).
struct Program {
    var functions: [DecodedFunction] = []
    var calls: [CallInfo] = []
    /// Arguments of all calls; `CallInfo` holds a range of it.
    var callArgs: [CallArg] = []
    /// Hot per-function facts, without arrays, so a call copies no references.
    var headers: [FunctionHeader] = []
    /// Parameters of all functions; `FunctionHeader` holds a range of it.
    var params: [CallArg] = []
    /// Register templates of all functions, one after the other.
    var templates: [UInt64] = []
    var edges: [Edge] = []
    var moves: [Move] = []
    var memory = Memory()
    /// Per symbol: its address (0 if never given one).
    var symbolAddress: [UInt64] = []
    /// Per symbol: index in `functions`, or -1.
    var symbolFunction: [Int32] = []
    /// Per symbol: the emulated C function it names, if any.
    var symbolBuiltin: [Builtin?] = []
    /// Names of external symbols that are called or referenced but neither
    /// defined nor emulated, in symbol order.
    var undefinedExternals: [String] = []
    var symbolNames: [String] = []
    var files: [String] = []
    /// Per data symbol with reference cells (`r` items): their byte offsets.
    var referenceCells: [Int32: Set<Int>] = [:]
}

enum IOp: UInt8 {
    case addW, addL, addS, addD, subW, subL, subS, subD, mulW, mulL, mulS, mulD
    case divW, divL, divS, divD, negW, negL, negS, negD
    case udivW, udivL, remW, remL, uremW, uremL
    case andW, andL, orW, orL, xorW, xorL, sarW, sarL, shrW, shrL, shlW, shlL
    case ceqw, cnew, csgew, csgtw, cslew, csltw, cugew, cugtw, culew, cultw
    case ceql, cnel, csgel, csgtl, cslel, csltl, cugel, cugtl, culel, cultl
    case ceqs, cnes, cges, cgts, cles, clts, cos, cuos
    case ceqd, cned, cged, cgtd, cled, cltd, cod, cuod
    case store8, store16, store32, store64, storeRef
    case ld8s32, ld8s64, ld8u, ld16s32, ld16s64, ld16u, ld32, ld32s64, ld64
    case blit, alloc
    case extsbW, extsbL, extub, extshW, extshL, extuh, extsw, extuw
    case exts, truncd, stosiW, stosiL, stouiW, stouiL, dtosiW, dtosiL, dtouiW, dtouiL
    case swtofS, swtofD, uwtofS, uwtofD, sltofS, sltofD, ultofS, ultofD
    case copyW, copyL
    case tagr
    case sqrtS, sqrtD
    case call, vastart, vaargW, vaargL
    /// A call marked `isTail`: its block's `ret` follows, run only after a call to a builtin.
    case tailCall
    // terminators
    case jmp, jnz, ret, hlt, noTerminator
}

/// One decoded instruction. Register operands are indices relative to the
/// frame base; -1 means none.
struct Op {
    var op: IOp
    var dst: Int32
    var a: Int32
    var b: Int32
    /// blit: byte count; alloc: alignment; call: index in `Program.calls`;
    /// jmp: the edge; jnz: the false edge (its true edge is in `dst`).
    var extra: Int32
}

/// A CFG edge with the phi moves of its target, run as a parallel assignment.
struct Edge {
    var pc: Int32
    var movesStart: Int32
    var movesEnd: Int32
}

struct Move {
    var dst: Int32
    /// -1: the phi names no value for this predecessor (a runtime error).
    var src: Int32
    var mask32: Bool
    /// Index of the phi's block and of the phi, for the error message.
    var block: Int32
    var phi: Int32
}

/// How a value crosses a call boundary.
enum Conv: UInt8 {
    case w, l, s, d, sb, ub, sh, uh, aggregate

    init(_ t: ABIType) {
        switch t {
        case .base(.w): self = .w
        case .base(.s): self = .s
        case .base(.d): self = .d
        case .base(.l), .base(.r): self = .l
        case .sb: self = .sb
        case .ub: self = .ub
        case .sh: self = .sh
        case .uh: self = .uh
        case .aggregate: self = .aggregate
        }
    }

    /// The register value a callee sees (or a caller receives) for `v`.
    /// Sub-words are extended according to their signedness, `w` and `s`
    /// keep their low 32 bits.
    @inline(__always) func apply(_ v: UInt64) -> UInt64 {
        switch self {
        case .w, .s: return v & 0xFFFF_FFFF
        case .l, .d, .aggregate: return v
        case .sb: return UInt64(UInt32(bitPattern: Int32(Int8(truncatingIfNeeded: v))))
        case .ub: return v & 0xFF
        case .sh: return UInt64(UInt32(bitPattern: Int32(Int16(truncatingIfNeeded: v))))
        case .uh: return v & 0xFFFF
        }
    }
}

struct CallArg {
    var reg: Int32
    var conv: Conv
    /// Aggregates: size in bytes.
    var size: Int32
}

struct CallInfo {
    var callee: Int32
    var argStart: Int32
    var argCount: Int32
    var env: Int32
    /// Index in `args` where `...` was written, or -1.
    var variadicStart: Int32
    var result: Int32
    var resultMask32: Bool
    /// The call site's return type; nil when the call has no result.
    var returnConv: Conv?
}

/// What a call or return needs to know about a function.
struct FunctionHeader {
    var paramStart: Int32
    var paramCount: Int32
    var envReg: Int32
    var isVariadic: Bool
    var returnConv: Conv?
    var returnSize: Int32
    var templateStart: Int32
    var templateCount: Int32
}

struct DecodedFunction {
    var name: String
    var symbol: Int32
    var code: [Op] = []
    var positions: [SourcePosition] = []
    /// First pc of each block.
    var blockStart: [Int32] = []
    var blockLabels: [String] = []
    /// Zero for temporaries, then the constants' values.
    var registerTemplate: [UInt64] = []
    var tempCount: Int = 0
    var tempNames: [String] = []
    var params: [CallArg] = []
    var paramRegs: [Int32] = []
    var envReg: Int32 = -1
    var isVariadic = false
    var returnConv: Conv?
    var returnSize: Int32 = 0
    var file: Int = 0

    /// The block containing `pc`.
    func block(at pc: Int) -> Int {
        var b = 0
        for (i, s) in blockStart.enumerated() where Int(s) <= pc { b = i }
        return b
    }
}

extension Program {
    init(module: Module) throws(Diagnostic) {
        files = module.files
        symbolNames = module.symbols.names
        let n = module.symbols.count
        symbolAddress = Array(repeating: 0, count: n)
        symbolFunction = Array(repeating: -1, count: n)
        symbolBuiltin = Array(repeating: nil, count: n)

        // 1. Give every defined symbol a region, so data may refer to any symbol.
        for d in module.data {
            guard d.size <= Memory.maxRegionSize else {
                throw diagnostic("data $\(module.name(d.name)) is too large to interpret (\(d.size) bytes)", file: d.file, d.position)
            }
            symbolAddress[d.name.int] = memory.allocate(size: d.size, kind: .data, owner: Int32(d.name.int))
        }
        for (i, f) in module.functions.enumerated() {
            symbolAddress[f.name.int] = memory.allocate(size: 0, kind: .function, owner: Int32(f.name.int))
            symbolFunction[f.name.int] = Int32(i)
        }
        // 2. Every other symbol is external: an emulated C function or undefined.
        for s in 0..<n where symbolAddress[s] == 0 {
            symbolAddress[s] = memory.allocate(size: 0, kind: .external, owner: Int32(s))
            if let b = Builtin(rawValue: symbolNames[s]) {
                symbolBuiltin[s] = b
            }
        }
        // 3. Data contents, now that every address is known.
        for d in module.data {
            let bytes = try layoutData(d, module: module)
            _ = memory.write(symbolAddress[d.name.int], bytes: bytes)
            if ManagedRuntime.hasReferenceCells(d) {
                referenceCells[Int32(d.name.int)] = Set(ManagedRuntime.referenceCells(of: d))
            }
        }
        // 4. Functions.
        var referenced = Array(repeating: false, count: n)
        for f in module.functions {
            let df = try decode(f, module: module, referenced: &referenced)
            headers.append(FunctionHeader(
                paramStart: Int32(params.count), paramCount: Int32(df.params.count), envReg: df.envReg,
                isVariadic: df.isVariadic, returnConv: df.returnConv, returnSize: df.returnSize,
                templateStart: Int32(templates.count), templateCount: Int32(df.registerTemplate.count)))
            params.append(contentsOf: df.params)
            templates.append(contentsOf: df.registerTemplate)
            functions.append(df)
        }
        for d in module.data {
            for case .values(_, let vs) in d.items {
                for case .symbol(let s, _) in vs { referenced[s.int] = true }
            }
        }
        for s in 0..<n where referenced[s] && symbolBuiltin[s] == nil
            && memory.regions[Memory.region(of: symbolAddress[s])].kind == .external {
            undefinedExternals.append(symbolNames[s])
        }
    }

    private func diagnostic(_ message: String, file: Int, _ position: SourcePosition) -> Diagnostic {
        Diagnostic(file: file < files.count ? files[file] : "<module>", position: position, message: message)
    }

    private func layoutData(_ d: DataDefinition, module: Module) throws(Diagnostic) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(d.size)
        func put(_ v: UInt64, _ width: Int) {
            for i in 0..<width { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
        }
        for item in d.items {
            switch item {
            case .zero(let k):
                guard k >= 0, k <= Memory.maxRegionSize else { throw diagnostic("bad zero-fill size \(k)", file: d.file, d.position) }
                bytes.append(contentsOf: repeatElement(0, count: k))
            case .references(let cells):
                for c in cells { put(UInt64(bitPattern: c), 8) }
            case .values(let t, let vs):
                for v in vs {
                    switch v {
                    case .integer(let i): put(UInt64(bitPattern: i), t.size)
                    case .single(let b):
                        if t == .d { put(Double(Float(bitPattern: b)).bitPattern, 8) } else { put(UInt64(b), t.size) }
                    case .double(let b):
                        if t == .s { put(UInt64(Float(Double(bitPattern: b)).bitPattern), 4) } else { put(b, t.size) }
                    case .symbol(let s, let off):
                        put(symbolAddress[s.int] &+ UInt64(bitPattern: off), t.size)
                    case .string(let s): bytes.append(contentsOf: s)
                    }
                }
            }
        }
        return bytes
    }

    private mutating func decode(_ f: Function, module: Module, referenced: inout [Bool]) throws(Diagnostic) -> DecodedFunction {
        var df = DecodedFunction(name: module.name(f.name), symbol: Int32(f.name.int))
        df.file = f.file
        let tempCount = f.temps.count
        df.tempCount = tempCount
        df.tempNames = f.temps.map(\.name)
        df.registerTemplate = Array(repeating: 0, count: tempCount + f.constants.count)
        for (i, c) in f.constants.enumerated() {
            switch c {
            case .integer(let v): df.registerTemplate[tempCount + i] = UInt64(bitPattern: v)
            case .single(let b): df.registerTemplate[tempCount + i] = UInt64(b)
            case .double(let b): df.registerTemplate[tempCount + i] = b
            case .symbol(let s, let off, _):
                df.registerTemplate[tempCount + i] = symbolAddress[s.int] &+ UInt64(bitPattern: off)
            }
        }
        let fname = df.name
        func reg(_ r: Ref, _ pos: SourcePosition) throws(Diagnostic) -> Int32 {
            if r.isNone { return -1 }
            if let t = r.temp {
                guard t.int < tempCount else { throw diagnostic("temporary \(t) out of range in $\(fname)", file: f.file, pos) }
                return Int32(t.int)
            }
            if let c = r.constant {
                guard c.int < f.constants.count else { throw diagnostic("constant out of range in $\(fname)", file: f.file, pos) }
                // Only symbols some operand names count: dead code may leave others in the pool.
                if case .symbol(let s, _, _) = f.constants[c.int] { referenced[s.int] = true }
                return Int32(tempCount + c.int)
            }
            throw diagnostic("malformed operand in $\(fname)", file: f.file, pos)
        }
        func aggregateSize(_ t: ABIType, _ pos: SourcePosition) throws(Diagnostic) -> Int32 {
            guard case .aggregate(let id) = t else { return 0 }
            guard id.int < module.types.count else { throw diagnostic("unknown aggregate type", file: f.file, pos) }
            return Int32(module.types[id.int].size)
        }

        for p in f.parameters {
            df.params.append(CallArg(reg: try reg(.temp(p.temp), p.position), conv: Conv(p.type),
                                     size: try aggregateSize(p.type, p.position)))
        }
        if let e = f.env { df.envReg = try reg(.temp(e), f.position) }
        df.isVariadic = f.isVariadic
        if let rt = f.returnType {
            df.returnConv = Conv(rt)
            df.returnSize = try aggregateSize(rt, f.position)
        }

        // Edges are created as jumps are decoded; their pcs are patched at the end.
        var edgeTargets: [(edge: Int, block: Int)] = []
        func edge(from pred: Int, to target: BlockID) -> Int32 {
            let e = edges.count
            let start = moves.count
            if target.int < f.blocks.count {
                for (pi, phi) in f.blocks[target.int].phis.enumerated() {
                    var src: Int32 = -1
                    if let v = phi.value(from: BlockID(pred)) { src = (try? reg(v, phi.position)) ?? -1 }
                    let dst = (try? reg(.temp(phi.result), phi.position)) ?? -1
                    if dst >= 0 {
                        moves.append(Move(dst: dst, src: src, mask32: phi.type == .w || phi.type == .s,
                                          block: Int32(target.int), phi: Int32(pi)))
                    }
                }
            }
            edges.append(Edge(pc: -1, movesStart: Int32(start), movesEnd: Int32(moves.count)))
            edgeTargets.append((e, target.int))
            return Int32(e)
        }

        for (bi, block) in f.blocks.enumerated() {
            df.blockStart.append(Int32(df.code.count))
            df.blockLabels.append(block.label)
            for phi in block.phis { _ = try reg(.temp(phi.result), phi.position) }
            for ins in block.instructions {
                if ins.op == .dbgloc { continue }
                let pos = ins.position
                let dst = try reg(ins.result, pos)
                let a = try reg(ins.a, pos)
                let b = try reg(ins.b, pos)
                var op = Op(op: .copyL, dst: dst, a: a, b: b, extra: 0)
                guard let iop = Program.select(ins.op, ins.type) else {
                    throw diagnostic("\(ins.op.name) cannot produce class \(ins.type.name)", file: f.file, pos)
                }
                op.op = iop
                if ins.op.hasResult && ins.op != .call && dst < 0 {
                    throw diagnostic("\(ins.op.name) has no result temporary", file: f.file, pos)
                }
                switch ins.op {
                case .blit: op.extra = Int32(truncatingIfNeeded: ins.extra)
                case .storer:
                    // Whether the address is a symbol: only then does the backend
                    // omit the card mark, so only then may it name a global cell.
                    if case .symbol? = f.constant(ins.b) { op.extra = 1 }
                case .alloc4, .alloc8, .alloc16: op.extra = Int32(ins.op.allocAlignment ?? 8)
                case .call:
                    guard ins.extra < f.calls.count else { throw diagnostic("malformed call", file: f.file, pos) }
                    let site = f.calls[Int(ins.extra)]
                    var info = CallInfo(callee: a, argStart: Int32(callArgs.count), argCount: Int32(site.arguments.count),
                                        env: try reg(site.env, pos),
                                        variadicStart: Int32(site.variadicStart ?? -1), result: dst,
                                        resultMask32: ins.type == .w || ins.type == .s,
                                        returnConv: site.returnType.map(Conv.init))
                    for arg in site.arguments {
                        callArgs.append(CallArg(reg: try reg(arg.value, pos), conv: Conv(arg.type),
                                                 size: try aggregateSize(arg.type, pos)))
                    }
                    if ins.result.isNone { info.returnConv = nil }
                    op.extra = Int32(calls.count)
                    if site.isTail { op.op = .tailCall }
                    calls.append(info)
                default: break
                }
                df.code.append(op)
                df.positions.append(pos)
            }
            let tpos = block.terminatorPosition
            switch block.terminator {
            case .none:
                df.code.append(Op(op: .noTerminator, dst: -1, a: -1, b: -1, extra: 0))
            case .jmp(let t):
                df.code.append(Op(op: .jmp, dst: -1, a: -1, b: -1, extra: edge(from: bi, to: t)))
            case .jnz(let c, let t, let e):
                let cr = try reg(c, tpos)
                let te = edge(from: bi, to: t)
                let fe = edge(from: bi, to: e)
                df.code.append(Op(op: .jnz, dst: te, a: cr, b: -1, extra: fe))
            case .ret(let v):
                df.code.append(Op(op: .ret, dst: -1, a: try reg(v, tpos), b: -1, extra: 0))
            case .hlt:
                df.code.append(Op(op: .hlt, dst: -1, a: -1, b: -1, extra: 0))
            }
            df.positions.append(tpos)
        }
        for (e, target) in edgeTargets {
            guard target < df.blockStart.count else {
                throw diagnostic("jump to a block that does not exist in $\(fname)", file: f.file, f.position)
            }
            edges[e].pc = df.blockStart[target]
        }
        if f.blocks.isEmpty {
            df.blockStart.append(0)
            df.blockLabels.append("start")
            df.code.append(Op(op: .noTerminator, dst: -1, a: -1, b: -1, extra: 0))
            df.positions.append(f.position)
        }
        return df
    }

    /// The specialised operation for IL opcode `op` with result class `cls`.
    static func select(_ op: Opcode, _ cls: BaseType) -> IOp? {
        let c = cls == .r ? BaseType.l : cls
        func by(_ w: IOp, _ l: IOp, _ s: IOp? = nil, _ d: IOp? = nil) -> IOp? {
            switch c {
            case .w: return w
            case .l, .r: return l
            case .s: return s
            case .d: return d
            }
        }
        switch op {
        case .add: return by(.addW, .addL, .addS, .addD)
        case .sub: return by(.subW, .subL, .subS, .subD)
        case .mul: return by(.mulW, .mulL, .mulS, .mulD)
        case .div: return by(.divW, .divL, .divS, .divD)
        case .neg: return by(.negW, .negL, .negS, .negD)
        case .udiv: return by(.udivW, .udivL)
        case .rem: return by(.remW, .remL)
        case .urem: return by(.uremW, .uremL)
        case .and: return by(.andW, .andL)
        case .or: return by(.orW, .orL)
        case .xor: return by(.xorW, .xorL)
        case .sar: return by(.sarW, .sarL)
        case .shr: return by(.shrW, .shrL)
        case .shl: return by(.shlW, .shlL)
        case .ceqw: return .ceqw
        case .cnew: return .cnew
        case .csgew: return .csgew
        case .csgtw: return .csgtw
        case .cslew: return .cslew
        case .csltw: return .csltw
        case .cugew: return .cugew
        case .cugtw: return .cugtw
        case .culew: return .culew
        case .cultw: return .cultw
        case .ceql: return .ceql
        case .cnel: return .cnel
        case .csgel: return .csgel
        case .csgtl: return .csgtl
        case .cslel: return .cslel
        case .csltl: return .csltl
        case .cugel: return .cugel
        case .cugtl: return .cugtl
        case .culel: return .culel
        case .cultl: return .cultl
        case .ceqs: return .ceqs
        case .cnes: return .cnes
        case .cges: return .cges
        case .cgts: return .cgts
        case .cles: return .cles
        case .clts: return .clts
        case .cos: return .cos
        case .cuos: return .cuos
        case .ceqd: return .ceqd
        case .cned: return .cned
        case .cged: return .cged
        case .cgtd: return .cgtd
        case .cled: return .cled
        case .cltd: return .cltd
        case .cod: return .cod
        case .cuod: return .cuod
        case .storeb: return .store8
        case .storeh: return .store16
        case .storew, .stores: return .store32
        case .storel, .stored: return .store64
        case .storer: return .storeRef
        case .loadsb: return by(.ld8s32, .ld8s64)
        case .loadub: return by(.ld8u, .ld8u)
        case .loadsh: return by(.ld16s32, .ld16s64)
        case .loaduh: return by(.ld16u, .ld16u)
        case .loadsw: return by(.ld32, .ld32s64)
        case .loaduw: return by(.ld32, .ld32)
        case .loadl, .loadd, .loadr: return .ld64
        case .loads: return .ld32
        case .blit: return .blit
        case .alloc4, .alloc8, .alloc16: return .alloc
        case .extsb: return by(.extsbW, .extsbL)
        case .extub: return by(.extub, .extub)
        case .extsh: return by(.extshW, .extshL)
        case .extuh: return by(.extuh, .extuh)
        case .extsw: return by(.ld32, .extsw).flatMap { c == .w ? .copyW : $0 }
        case .extuw: return by(.copyW, .extuw)
        case .exts: return .exts
        case .truncd: return .truncd
        case .stosi: return by(.stosiW, .stosiL)
        case .stoui: return by(.stouiW, .stouiL)
        case .dtosi: return by(.dtosiW, .dtosiL)
        case .dtoui: return by(.dtouiW, .dtouiL)
        case .swtof: return by(.swtofD, .swtofD, .swtofS, .swtofD).flatMap { c.isFloat ? $0 : nil }
        case .uwtof: return by(.uwtofD, .uwtofD, .uwtofS, .uwtofD).flatMap { c.isFloat ? $0 : nil }
        case .sltof: return by(.sltofD, .sltofD, .sltofS, .sltofD).flatMap { c.isFloat ? $0 : nil }
        case .ultof: return by(.ultofD, .ultofD, .ultofS, .ultofD).flatMap { c.isFloat ? $0 : nil }
        case .cast, .copy: return by(.copyW, .copyL, .copyW, .copyL)
        case .tagr: return .tagr
        case .sqrt: return c == .s ? .sqrtS : c == .d ? .sqrtD : nil
        case .call: return .call
        case .vastart: return .vastart
        case .vaarg: return by(.vaargW, .vaargL, .vaargW, .vaargL)
        case .dbgloc: return nil
        }
    }
}
