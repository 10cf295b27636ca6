/// Function definitions of the IL parser: signature, blocks, phis,
/// instructions, calls and jumps (doc/il.txt sections 5 to 7).
///
/// Contract: see `ILParser`. Blocks are created when a label is first
/// mentioned (a jump may name a block defined later) and put back in
/// definition order when the function ends; temporaries are created when a
/// name is first mentioned and take their class from their first definition.
extension ILParserState {
    enum LineState {
        /// After a jump (or at the start of the body): only a label or `}` may follow.
        case label
        /// After a label or phi: phis may follow.
        case phis
        /// After a regular instruction.
        case instructions
    }

    mutating func resetFunctionState() {
        temps.reset()
        labels.reset()
        constants.reset()
        for i in smallIntegers.indices { smallIntegers[i] = .none }
        blockDefined.removeAll(keepingCapacity: true)
        blockFirstUse.removeAll(keepingCapacity: true)
        definitionOrder.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        current = -1
    }

    var functionName: String { module.symbols[fn.name] }

    // MARK: names and constants

    @inline(__always)
    mutating func temp(_ t: Token) throws(Diagnostic) -> Temp {
        if let v = temps.lookup(hash: t.hash, start: t.start, end: t.end, in: buf) { return Temp(Int(v)) }
        guard fn.temps.count < (1 << 30) - 1 else { throw error("too many temporaries in function", at: t) }
        let id = fn.newTemp(name: text(t), type: nil)
        temps.insert(hash: t.hash, start: t.start, end: t.end, value: Int32(id.index))
        return id
    }

    /// Records the class of a temporary at its first definition.
    @inline(__always)
    mutating func define(_ t: Temp, as type: BaseType) {
        if fn.temps[t.int].type == nil { fn.temps[t.int].type = type }
    }

    @inline(__always)
    mutating func constant(_ c: Constant, at t: Token) throws(Diagnostic) -> Ref {
        // Small integers are most constants: look them up in an array, not the table.
        if case .integer(let v) = c, v >= 0, v < Int64(smallIntegers.count) {
            let cached = smallIntegers[Int(v)]
            if !cached.isNone { return cached }
            let r = fn.addConstant(c)
            smallIntegers[Int(v)] = r
            return r
        }
        if let r = constants.lookup(c) { return r }
        guard fn.constants.count < (1 << 30) - 1 else { throw error("too many constants in function", at: t) }
        let r = fn.addConstant(c)
        constants.insert(c, r)
        return r
    }

    /// The block of a label, created at its first mention.
    @inline(__always)
    mutating func block(_ t: Token) -> Int {
        if let v = labels.lookup(hash: t.hash, start: t.start, end: t.end, in: buf) { return Int(v) }
        let id = fn.addBlock(label: text(t))
        blockDefined.append(false)
        blockFirstUse.append(t.position)
        labels.insert(hash: t.hash, start: t.start, end: t.end, value: Int32(truncatingIfNeeded: id.int))
        return id.int
    }

    /// `w l s d r sb ub sh uh :name`
    mutating func abiType(_ t: Token, what: String) throws(Diagnostic) -> ABIType {
        switch (t.kind, t.keyword) {
        case (.word, .w): return .base(.w)
        case (.word, .l): return .base(.l)
        case (.word, .s): return .base(.s)
        case (.word, .d): return .base(.d)
        case (.word, .r): return .base(.r)
        case (.word, .sb): return .sb
        case (.word, .ub): return .ub
        case (.word, .sh): return .sh
        case (.word, .uh): return .uh
        case (.typeName, _): return .aggregate(try aggregate(t))
        default:
            throw error("expected \(what) (w, l, s, d, r, sb, ub, sh, uh or :name), found \(describe(t))", at: t)
        }
    }

    /// A value: `%temp`, an integer, `s_`/`d_` float, or a symbol with its access and offset.
    mutating func operand() throws(Diagnostic) -> Ref {
        let t = try next()
        switch t.kind {
        case .temp: return .temp(try temp(t))
        case .integer: return try constant(.integer(Int64(bitPattern: t.bits)), at: t)
        case .single: return try constant(.single(bits: UInt32(truncatingIfNeeded: t.bits)), at: t)
        case .double: return try constant(.double(bits: t.bits), at: t)
        case .global:
            let sym = symbol(t)
            return try constant(.symbol(sym, offset: try symbolOffset(), access: .direct), at: t)
        case .word where t.keyword == .thread || t.keyword == .extern:
            var external = false
            var thread = false
            var w = t
            while w.kind == .word && (w.keyword == .thread || w.keyword == .extern) {
                if w.keyword == .thread ? thread : external {
                    throw error("'\(text(w))' written twice", at: w)
                }
                if w.keyword == .thread { thread = true } else { external = true }
                w = try next()
            }
            guard w.kind == .global else {
                throw error("expected a symbol ($name) after '\(text(t))', found \(describe(w))", at: w)
            }
            let access: SymbolAccess = external ? (thread ? .externalThread : .external) : .thread
            let sym = symbol(w)
            return try constant(.symbol(sym, offset: try symbolOffset(), access: access), at: w)
        default:
            throw error("expected an operand (%temporary, constant or $symbol), found \(describe(t))", at: t)
        }
    }

    // MARK: signature

    mutating func parseFunction(_ linkage: Linkage) throws(Diagnostic) {
        resetFunctionState()
        var t = try next()
        var returnType: ABIType? = nil
        if t.kind != .global {
            returnType = try abiType(t, what: "a return type or function name")
            t = try next()
        }
        guard t.kind == .global else { throw error("expected a function name ($name), found \(describe(t))", at: t) }
        fn = Function(name: symbol(t), linkage: linkage, returnType: returnType, file: fileIndex, position: t.position)
        try parseParameters()
        let open = try nextSkippingNewlines()
        guard open.kind == .lbrace else {
            throw error("expected '{' to start the function body, found \(describe(open))", at: open)
        }
        try parseBody()
        module.addFunction(fn)
        fn = Function(name: SymbolID(0))
    }

    /// `( [env %e,] ABITY %p, ... [, ...] )`, on one line as in QBE.
    mutating func parseParameters() throws(Diagnostic) {
        let open = try next()
        guard open.kind == .lparen else {
            throw error("expected '(' after the function name, found \(describe(open))", at: open)
        }
        while true {
            var t = try next()
            if t.kind == .rparen { break }
            if fn.isVariadic { throw error("no parameters allowed after '...'", at: t) }
            if t.kind == .word && t.keyword == .dots {
                fn.isVariadic = true
            } else {
                let isEnv = t.kind == .word && t.keyword == .env
                if isEnv && fn.env != nil { throw error("only one environment parameter allowed", at: t) }
                let type: ABIType = isEnv ? .base(.l) : try abiType(t, what: "a parameter type")
                let name = try next()
                guard name.kind == .temp else {
                    throw error("expected a parameter name (%name), found \(describe(name))", at: name)
                }
                let p = try temp(name)
                if fn.temps[p.int].type != nil {
                    throw error("parameter %\(text(name)) is declared twice", at: name)
                }
                define(p, as: type.valueClass)
                if isEnv {
                    fn.env = p
                } else {
                    fn.parameters.append(Parameter(type: type, temp: p, position: t.position))
                }
            }
            t = try next()
            if t.kind == .rparen { break }
            guard t.kind == .comma else {
                throw error("expected ',' or ')' in the parameter list, found \(describe(t))", at: t)
            }
        }
    }

    // MARK: body

    mutating func parseBody() throws(Diagnostic) {
        var state = LineState.label
        var open = false // the current block has no jump yet
        var close: Token
        while true {
            let t = try nextSkippingNewlines()
            if t.kind == .rbrace {
                close = t
                break
            }
            if t.kind == .eof {
                throw error("unexpected end of file in function $\(functionName) (missing '}')", at: t)
            }
            if state == .label && t.kind != .label {
                throw error(current < 0
                    ? "expected a label to start the function body, found \(describe(t))"
                    : "expected a label or '}' after a jump, found \(describe(t))", at: t)
            }
            switch t.kind {
            case .label:
                let b = block(t)
                if blockDefined[b] {
                    let first = fn.blocks[b].position
                    throw error("label @\(text(t)) is defined twice (first at line \(first.line))", at: t)
                }
                if open {
                    // Fall-through: make the implicit jump explicit.
                    fn.blocks[current].terminator = .jmp(BlockID(b))
                    finishBlockInstructions()
                }
                blockDefined[b] = true
                fn.blocks[b].position = t.position
                definitionOrder.append(b)
                current = b
                open = true
                state = .phis
                let nl = try next()
                guard nl.kind == .newline else {
                    throw error("expected end of line after label, found \(describe(nl))", at: nl)
                }
            case .temp:
                try parseDefinition(t, state: &state)
            case .word:
                switch t.keyword {
                case .jmp, .jnz, .ret, .hlt:
                    try parseJump(t)
                    open = false
                    state = .label
                case .tailcall:
                    try parseTailCall(t)
                    open = false
                    state = .label
                case .op:
                    try parseEffect(t)
                    state = .instructions
                case .load:
                    throw error("'load' needs a result: %name =CLASS load ...", at: t)
                case .phi:
                    throw error("phi needs a result: %name =CLASS phi @label value, ...", at: t)
                case .none:
                    throw error("unknown instruction '\(excerpt(t.start, t.end))'", at: t)
                default:
                    throw error("expected an instruction, jump or label, found \(describe(t))", at: t)
                }
            default:
                throw error("expected an instruction, jump or label, found \(describe(t))", at: t)
            }
        }
        if current < 0 { throw error("function $\(functionName) has no blocks", at: close) }
        if open {
            throw error("last block @\(fn.blocks[current].label) does not end with a jump (jmp, jnz, ret or hlt)", at: close)
        }
        var undefined: Int? = nil
        for b in 0..<blockDefined.count where !blockDefined[b] {
            if undefined.map({ blockFirstUse[b] < blockFirstUse[$0] }) ?? true { undefined = b }
        }
        if let b = undefined {
            throw error("label @\(fn.blocks[b].label) is used but never defined", at: blockFirstUse[b])
        }
        putBlocksInDefinitionOrder()
    }

    /// Blocks were numbered by first mention; renumber them in the order they were written.
    mutating func putBlocksInDefinitionOrder() {
        var identity = true
        for (i, b) in definitionOrder.enumerated() where i != b {
            identity = false
            break
        }
        if identity { return }
        var newIndex = Array(repeating: 0, count: definitionOrder.count)
        for (i, b) in definitionOrder.enumerated() { newIndex[b] = i }
        func map(_ b: BlockID) -> BlockID { BlockID(newIndex[b.int]) }
        var unordered = fn.blocks
        fn.blocks = []  // `unordered` is now the only reference: blocks move out without copies
        var blocks: [Block] = []
        blocks.reserveCapacity(definitionOrder.count)
        for old in definitionOrder {
            var block = Block(label: "")
            swap(&block, &unordered[old])
            switch block.terminator {
            case .jmp(let t): block.terminator = .jmp(map(t))
            case .jnz(let c, let t, let f): block.terminator = .jnz(c, map(t), map(f))
            case .none, .ret, .hlt: break
            }
            for p in block.phis.indices {
                for a in block.phis[p].incoming.indices {
                    block.phis[p].incoming[a].block = map(block.phis[p].incoming[a].block)
                }
            }
            blocks.append(block)
        }
        fn.blocks = blocks
    }

    // MARK: jumps

    /// The target of a jump; the entry block cannot be one.
    mutating func jumpTarget(after what: String) throws(Diagnostic) -> BlockID {
        let t = try next()
        guard t.kind == .label else { throw error("expected a label after \(what), found \(describe(t))", at: t) }
        let b = block(t)
        if b == 0 { throw error("jump to the entry block @\(text(t)) is not allowed", at: t) }
        return BlockID(b)
    }

    mutating func parseJump(_ t: Token) throws(Diagnostic) {
        let terminator: Terminator
        switch t.keyword {
        case .ret:
            let p = try peek()
            if p.kind == .newline || p.kind == .eof {
                terminator = .ret(.none)
            } else {
                guard fn.returnType != nil else {
                    throw error("function $\(functionName) has no return type, so 'ret' cannot return a value", at: p)
                }
                terminator = .ret(try operand())
            }
        case .jmp:
            terminator = .jmp(try jumpTarget(after: "'jmp'"))
        case .jnz:
            let c = try operand()
            let comma = try next()
            guard comma.kind == .comma else {
                throw error("expected ',' after the jnz condition, found \(describe(comma))", at: comma)
            }
            let ifTrue = try jumpTarget(after: "'jnz'")
            let comma2 = try next()
            guard comma2.kind == .comma else {
                throw error("expected ',' between the jnz targets, found \(describe(comma2))", at: comma2)
            }
            terminator = .jnz(c, ifTrue, try jumpTarget(after: "','"))
        default:
            terminator = .hlt
        }
        let nl = try next()
        guard nl.kind == .newline else {
            throw error("expected end of line after '\(text(t))', found \(describe(nl))", at: nl)
        }
        fn.blocks[current].terminator = terminator
        fn.blocks[current].terminatorPosition = t.position
        finishBlockInstructions()
    }

    /// Moves the instructions collected in `pending` into the current block,
    /// in an array of exactly their size: one allocation per block instead of
    /// one per doubling.
    mutating func finishBlockInstructions() {
        fn.blocks[current].instructions = Array(pending[...])
        pending.removeAll(keepingCapacity: true)
    }

    // MARK: instructions

    /// `%x =CLASS op ...`: a phi, a call with result, or a regular instruction.
    mutating func parseDefinition(_ first: Token, state: inout LineState) throws(Diagnostic) {
        let result = try temp(first)
        let eq = try next()
        guard eq.kind == .equals else {
            throw error("expected '=' after %\(text(first)), found \(describe(eq))", at: eq)
        }
        let classToken = try next()
        let type = try abiType(classToken, what: "a result class")
        let opToken = try next()
        guard opToken.kind == .word else {
            throw error("expected an instruction after '=\(text(classToken))', found \(describe(opToken))", at: opToken)
        }
        switch opToken.keyword {
        case .phi:
            guard state == .phis else {
                throw error("phi after a regular instruction (phis must come first in a block)", at: opToken)
            }
            guard current != 0 else { throw error("phi in the entry block", at: opToken) }
            guard case .base(let cls) = type else {
                throw error("phi class must be w, l, s, d or r", at: classToken)
            }
            try parsePhi(result: result, type: cls, at: first)
            define(result, as: cls)
        case .op where opToken.op == .call:
            try parseCall(result: .temp(result), returnType: type, at: first)
            define(result, as: type.valueClass)
            state = .instructions
        case .op, .load:
            guard case .base(let cls) = type else {
                throw error("result class of '\(text(opToken))' must be w, l, s, d or r", at: classToken)
            }
            let op = opToken.keyword == .load ? Self.genericLoad(cls) : opToken.op
            guard op.hasResult else { throw error("'\(text(opToken))' does not produce a result", at: opToken) }
            try parseOperands(op, type: cls, result: .temp(result), opToken: opToken, at: first)
            define(result, as: cls)
            state = .instructions
        case .none:
            throw error("unknown instruction '\(excerpt(opToken.start, opToken.end))'", at: opToken)
        default:
            throw error("expected an instruction after '=\(text(classToken))', found \(describe(opToken))", at: opToken)
        }
    }

    /// The load QBE's class-generic `load` stands for.
    static func genericLoad(_ cls: BaseType) -> Opcode {
        switch cls {
        case .w: return .loadsw
        case .l: return .loadl
        case .s: return .loads
        case .d: return .loadd
        case .r: return .loadr
        }
    }

    /// An instruction without result: a store, `blit`, `vastart`, `dbgloc` or `call`.
    mutating func parseEffect(_ t: Token) throws(Diagnostic) {
        let op = t.op
        let type: BaseType
        switch op {
        case .storeb, .storeh, .storew, .dbgloc: type = .w
        case .storel: type = .l
        case .stores: type = .s
        case .stored: type = .d
        case .storer: type = .r
        case .blit, .vastart: type = .l
        case .call:
            try parseCall(result: .none, returnType: nil, at: t)
            return
        default:
            throw error("'\(text(t))' needs a result: %name =CLASS \(text(t)) ...", at: t)
        }
        try parseOperands(op, type: type, result: .none, opToken: t, at: t)
    }

    /// The operands of a non-call instruction up to the end of the line, then the instruction.
    mutating func parseOperands(_ op: Opcode, type: BaseType, result: Ref, opToken: Token, at first: Token) throws(Diagnostic) {
        var a = Ref.none
        var b = Ref.none
        var extra: UInt32 = 0
        switch op {
        case .dbgloc:
            a = try debugNumber(what: "line")
            if try peek().kind == .comma {
                _ = try next()
                b = try debugNumber(what: "column")
            } else {
                b = try constant(.integer(0), at: opToken)
            }
        case .blit:
            a = try operand()
            try expectComma(after: "the blit source")
            b = try operand()
            try expectComma(after: "the blit destination")
            let n = try next()
            let v = Int64(bitPattern: n.bits)
            guard n.kind == .integer, v >= 0, v <= Int64(UInt32.max) else {
                throw error("blit size must be a non-negative integer constant (at most \(UInt32.max)), found \(describe(n))", at: n)
            }
            extra = UInt32(v)
        default:
            let count = op.operandCount
            let p = try peek()
            if p.kind == .newline || p.kind == .eof {
                throw error("'\(text(opToken))' expects \(count) operand\(count == 1 ? "" : "s"), found none", at: p)
            }
            a = try operand()
            if count == 2 {
                let sep = try next()
                guard sep.kind == .comma else {
                    if sep.kind == .newline || sep.kind == .eof {
                        throw error("'\(text(opToken))' expects 2 operands, found 1", at: sep)
                    }
                    throw error("expected ',' after operand, found \(describe(sep))", at: sep)
                }
                b = try operand()
            }
        }
        let end = try next()
        guard end.kind == .newline else {
            if end.kind == .comma {
                let count = op == .blit ? 3 : op == .dbgloc ? 2 : op.operandCount
                throw error("too many operands: '\(text(opToken))' expects \(count) operand\(count == 1 ? "" : "s")", at: end)
            }
            throw error("expected ',' or end of line after operand, found \(describe(end))", at: end)
        }
        if op == .vastart && !fn.isVariadic {
            throw error("vastart used in function $\(functionName), which is not variadic", at: opToken)
        }
        pending.append(
            Instruction(op: op, type: type, result: result, a: a, b: b, extra: extra, position: first.position))
    }

    mutating func expectComma(after what: String) throws(Diagnostic) {
        let t = try next()
        guard t.kind == .comma else { throw error("expected ',' after \(what), found \(describe(t))", at: t) }
    }

    /// A `dbgloc` line or column: an integer constant that fits 32 bits.
    mutating func debugNumber(what: String) throws(Diagnostic) -> Ref {
        let t = try next()
        let v = Int64(bitPattern: t.bits)
        guard t.kind == .integer, v >= 0, v <= Int64(UInt32.max) else {
            throw error("expected a \(what) number (0 to \(UInt32.max)) in dbgloc, found \(describe(t))", at: t)
        }
        return try constant(.integer(v), at: t)
    }

    /// `@b1 v1, @b2 v2, ...` up to the end of the line.
    mutating func parsePhi(result: Temp, type: BaseType, at first: Token) throws(Diagnostic) {
        var incoming: [PhiArgument] = []
        if try peek().kind == .newline {
            _ = try next()
        } else {
            while true {
                let l = try next()
                guard l.kind == .label else {
                    throw error("expected a label (@name) in phi argument, found \(describe(l))", at: l)
                }
                let b = block(l)
                incoming.append(PhiArgument(block: BlockID(b), value: try operand()))
                let t = try next()
                if t.kind == .newline { break }
                guard t.kind == .comma else {
                    throw error("expected ',' or end of line after phi argument, found \(describe(t))", at: t)
                }
            }
        }
        fn.blocks[current].phis.append(Phi(result: result, type: type, incoming: incoming, position: first.position))
    }

    /// `call VAL(ARG, ...)` up to the end of the line; the arguments go to a `CallSite`.
    mutating func parseCall(result: Ref, returnType: ABIType?, at first: Token, isTail: Bool = false) throws(Diagnostic) {
        let callee = try operand()
        let open = try next()
        guard open.kind == .lparen else { throw error("expected '(' after the callee, found \(describe(open))", at: open) }
        var site = CallSite(returnType: returnType, arguments: [], isTail: isTail)
        while true {
            var t = try next()
            if t.kind == .rparen { break }
            if t.kind == .word && t.keyword == .dots {
                if site.variadicStart != nil { throw error("only one '...' allowed in a call", at: t) }
                site.variadicStart = site.arguments.count
            } else if t.kind == .word && t.keyword == .env {
                if !site.env.isNone { throw error("only one environment argument allowed", at: t) }
                site.env = try operand()
            } else {
                let type = try abiType(t, what: "an argument type")
                site.arguments.append(CallArgument(type: type, value: try operand()))
            }
            t = try next()
            if t.kind == .rparen { break }
            guard t.kind == .comma else {
                throw error("expected ',' or ')' in the argument list, found \(describe(t))", at: t)
            }
        }
        let end = try next()
        guard end.kind == .newline else {
            throw error("expected end of line after the call, found \(describe(end))", at: end)
        }
        let id = fn.addCall(site)
        pending.append(
            Instruction(op: .call, type: returnType?.valueClass ?? .w, result: result, a: callee,
                        extra: UInt32(truncatingIfNeeded: id.int), position: first.position))
    }

    /// `tailcall VAL(ARG, ...)` ends the block: a call returning the function's
    /// return type into an unnamed temporary, marked as a tail call, then `ret`
    /// of that temporary (docs/il-extensions.md, "Tail calls").
    mutating func parseTailCall(_ t: Token) throws(Diagnostic) {
        let result: Ref = fn.returnType.map { .temp(fn.newTemp(name: "", type: $0.valueClass)) } ?? .none
        try parseCall(result: result, returnType: fn.returnType, at: t, isTail: true)
        fn.blocks[current].terminator = .ret(result)
        fn.blocks[current].terminatorPosition = t.position
        finishBlockInstructions()
    }
}
