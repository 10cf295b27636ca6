import KeelIR

/// The checks of one function (see `Verifier` for the contract).
///
/// Pass 1 records, per temporary, its first definition (block, order in the
/// block, class) in a dense array; pass 2 walks every phi, instruction and
/// terminator once and checks each operand against that array and the
/// dominator tree. Orders in a block: parameters -2, phis -1, instruction i
/// at i, the terminator at the instruction count; a phi argument is used at
/// the end of its predecessor.
struct FunctionVerifier {
    let module: Module
    let index: Int
    let f: Function
    let context: ModuleContext
    let options: VerifierOptions
    var errors: [VerificationError] = []

    /// The first definition of a temporary.
    struct Definition {
        static let none = Definition(kind: .none, block: 0, index: 0, type: .w)
        enum Kind: UInt8 { case none, parameter, environment, phi, instruction }
        var kind: Kind
        var block: Int32
        /// Index of the parameter, phi or instruction.
        var index: Int32
        var type: BaseType

        /// Position in its block: parameters and phis come before every instruction.
        var order: Int {
            switch kind {
            case .none, .parameter, .environment: return -2
            case .phi: return -1
            case .instruction: return Int(index)
            }
        }
    }
    var definitions: [Definition]

    /// Dominator tree, nil when the CFG has jumps outside the function.
    var dominators: DominatorTree?
    /// Predecessors of every block (all of them, reachable or not).
    var predecessors: [[BlockID]] = []
    /// Scratch marks for phi checks: a block's predecessors, a phi's arguments.
    var predecessorMark: [UInt32]
    var argumentMark: [UInt32]
    var stamp: UInt32 = 0
    /// `OperandClasses.table`, held here so the hot loop does not go through its lazy initializer.
    let operandClasses = OperandClasses.table

    init(module: Module, function: Int, context: ModuleContext, options: VerifierOptions) {
        self.module = module
        self.index = function
        self.f = module.functions[function]
        self.context = context
        self.options = options
        definitions = Array(repeating: .none, count: f.temps.count)
        predecessorMark = Array(repeating: 0, count: f.blocks.count)
        argumentMark = Array(repeating: 0, count: f.blocks.count)
    }

    func location(_ site: VerificationSite) -> CodeLocation { CodeLocation(function: index, site: site) }

    mutating func run() {
        checkSignature()
        guard !f.blocks.isEmpty else {
            errors.append(.emptyFunction(function: index))
            return
        }
        collectDefinitions()
        let n = f.blocks.count
        let jumpsInRange = f.blocks.allSatisfy { b in
            switch b.terminator {
            case .jmp(let t): return t.int < n
            case .jnz(_, let t, let e): return t.int < n && e.int < n
            case .none, .ret, .hlt: return true
            }
        }
        let tree = DominatorTree(f)
        predecessors = tree.order.predecessors
        if jumpsInRange { dominators = tree }
        for b in f.blocks.indices { checkBlock(b) }
        // Liveness is only meaningful on a well-formed function (the other reference rules do not disturb it).
        let wellFormed = errors.allSatisfy { e in
            switch e {
            case .referenceStoreWithoutBarrier, .allocationNotReference, .badLayout,
                 .referenceCellThroughComputedAddress: return true
            default: return false
            }
        }
        if jumpsInRange && wellFormed { checkDerivedPointers(order: tree.order) }
    }

    // MARK: signature

    mutating func checkSignature() {
        if let rt = f.returnType { checkType(rt, at: location(.header)) }
        for (k, p) in f.parameters.enumerated() { checkType(p.type, at: location(.parameter(k))) }
    }

    mutating func checkType(_ t: ABIType, at: CodeLocation) {
        if case .aggregate(let id) = t, id.int >= context.typeCount {
            errors.append(.typeOutOfRange(at, id))
        }
    }

    // MARK: pass 1: definitions

    mutating func collectDefinitions() {
        for (k, p) in f.parameters.enumerated() {
            define(p.temp, Definition(kind: .parameter, block: 0, index: Int32(k), type: p.type.valueClass),
                   at: location(.parameter(k)))
        }
        if let env = f.env {
            define(env, Definition(kind: .environment, block: 0, index: 0, type: .l), at: location(.header))
        }
        for b in f.blocks.indices {
            let id = BlockID(b)
            // The block's arrays, not a copy of the whole block.
            for (i, phi) in f.blocks[b].phis.enumerated() {
                define(phi.result, Definition(kind: .phi, block: Int32(b), index: Int32(i), type: phi.type),
                       at: location(.phi(id, i)))
            }
            for (i, inst) in f.blocks[b].instructions.enumerated() where !inst.result.isNone {
                let at = location(.instruction(id, i))
                guard let t = inst.result.temp else {
                    errors.append(.resultNotTemp(at, inst.op))
                    continue
                }
                define(t, Definition(kind: .instruction, block: Int32(b), index: Int32(i), type: inst.type), at: at)
            }
        }
    }

    mutating func define(_ t: Temp, _ def: Definition, at: CodeLocation) {
        guard t.int < definitions.count else {
            errors.append(.tempOutOfRange(at, nil, t))
            return
        }
        let first = definitions[t.int]
        if first.kind == .none {
            definitions[t.int] = def
            if let recorded = f.temps[t.int].type, recorded != def.type {
                errors.append(.recordedClassMismatch(at, t, recorded: recorded, defined: def.type))
            }
        } else if options.requireSSA {
            errors.append(.multipleDefinitions(t, first: location(site(of: first)), second: at))
        } else if first.type.merged(with: def.type) == nil {
            errors.append(.conflictingClasses(t, first: location(site(of: first)), first.type, second: at, def.type))
        }
    }

    func site(of d: Definition) -> VerificationSite {
        let b = BlockID(Int(d.block))
        switch d.kind {
        case .parameter: return .parameter(Int(d.index))
        case .none, .environment: return .header
        case .phi: return .phi(b, Int(d.index))
        case .instruction: return .instruction(b, Int(d.index))
        }
    }

    // MARK: pass 2: uses and typing

    mutating func checkBlock(_ b: Int) {
        let id = BlockID(b)
        stamp &+= 1
        let blockStamp = stamp
        for p in predecessors[b] { predecessorMark[p.int] = blockStamp }
        // The block's arrays, not a copy of the whole block.
        for (i, phi) in f.blocks[b].phis.enumerated() {
            checkPhi(phi, block: id, index: i, blockStamp: blockStamp)
        }
        let instructions = f.blocks[b].instructions
        for (i, inst) in instructions.enumerated() {
            checkInstruction(inst, block: id, index: i)
        }
        checkTerminator(f.blocks[b].terminator, instructionCount: instructions.count, id: id)
    }

    mutating func checkPhi(_ phi: Phi, block: BlockID, index i: Int, blockStamp: UInt32) {
        let at = location(.phi(block, i))
        if block == Function.entry { errors.append(.phiInEntryBlock(at)) }
        stamp &+= 1
        let phiStamp = stamp
        for (k, arg) in phi.incoming.enumerated() {
            let role = OperandRole.phiArgument(k)
            guard arg.block.int < f.blocks.count else {
                errors.append(.blockOutOfRange(at, arg.block))
                continue
            }
            var usedAt: (block: Int, order: Int)? = (arg.block.int, Int.max)
            if argumentMark[arg.block.int] == phiStamp {
                errors.append(.phiDuplicatePredecessor(at, arg.block))
            } else if predecessorMark[arg.block.int] != blockStamp {
                errors.append(.phiNotPredecessor(at, arg.block))
                usedAt = nil
            }
            argumentMark[arg.block.int] = phiStamp
            if arg.value.isNone {
                errors.append(.missingOperand(at, role))
            } else {
                checkUse(arg.value, expected: phi.type, role: role, at: at, usedAt: usedAt)
            }
        }
        for p in predecessors[block.int] where argumentMark[p.int] != phiStamp {
            errors.append(.phiMissingPredecessor(at, p))
        }
    }

    mutating func checkInstruction(_ inst: Instruction, block: BlockID, index i: Int) {
        let at = location(.instruction(block, i))
        let op = inst.op
        let types = OperandClasses.of(op, inst.type, in: operandClasses)
        if op != .call {
            if !types.isValid { errors.append(.invalidClass(at, op, inst.type)) }
            if op.hasResult && inst.result.isNone { errors.append(.missingResult(at, op)) }
            if !op.hasResult && !inst.result.isNone { errors.append(.unexpectedResult(at, op)) }
        }
        let count = op.operandCount
        for k in 0..<2 {
            let r = k == 0 ? inst.a : inst.b
            let role = OperandRole.operand(op, k)
            if k >= count {
                if !r.isNone { errors.append(.unexpectedOperand(at, role)) }
            } else if r.isNone {
                errors.append(.missingOperand(at, role))
            } else if op == .dbgloc {
                guard let c = r.constant, c.int < f.constants.count, case .integer = f.constants[c.int] else {
                    errors.append(.invalidDebugLocation(at, operand: k))
                    continue
                }
            } else {
                checkUse(r, expected: types.isValid ? (k == 0 ? types.first : types.second) : nil,
                         role: role, at: at, usedAt: (block.int, i))
            }
        }
        switch op {
        case .call:
            checkCall(inst, at: at, usedAt: (block.int, i))
            if let id = inst.callID, id.int < f.calls.count, f.calls[id.int].isTail {
                checkTailCall(inst, site: f.calls[id.int], at: at, block: block.int, index: i)
            }
        case .vastart where !f.isVariadic:
            errors.append(.vastartInNonVariadicFunction(at))
        case .blit where inst.extra > UInt32(Int32.max):
            errors.append(.invalidBlitSize(at, inst.extra))
        case .storeb, .storeh, .storew, .storel, .stores, .stored:
            if let t = inst.a.temp, t.int < definitions.count, definitions[t.int].kind != .none,
               definitions[t.int].type == .r {
                errors.append(.referenceStoreWithoutBarrier(at, op, t))
            }
        case .storer:
            if let s = referenceCellComputed(inst.b) { errors.append(.referenceCellThroughComputedAddress(at, s)) }
        case .alloc4, .alloc8, .alloc16:
            if let c = inst.a.constant, c.int < f.constants.count, case .integer(let n) = f.constants[c.int], n < 0 {
                errors.append(.invalidAllocSize(at, n))
            }
        default: break
        }
    }

    /// The data symbol with reference cells that `address`, a temporary, is
    /// computed from by `add`, `sub` or `copy` of its symbol (a `storer`
    /// through it would get the heap's card mark outside the heap), or nil.
    func referenceCellComputed(_ address: Ref) -> SymbolID? {
        var r = address
        for _ in 0..<8 {
            guard let t = r.temp, t.int < definitions.count, definitions[t.int].kind == .instruction else { return nil }
            let d = definitions[t.int]
            guard Int(d.block) < f.blocks.count, Int(d.index) < f.blocks[Int(d.block)].instructions.count else { return nil }
            let def = f.blocks[Int(d.block)].instructions[Int(d.index)]
            guard def.op == .add || def.op == .sub || def.op == .copy else { return nil }
            for operand in def.op == .sub ? [def.a] : [def.a, def.b] {
                if let c = operand.constant, c.int < f.constants.count, case .symbol(let s, _, _) = f.constants[c.int],
                   s.int < context.holdsReferenceCells.count, context.holdsReferenceCells[s.int] { return s }
            }
            guard let next = [def.a, def.b].first(where: { $0.temp != nil }) else { return nil }
            r = next
        }
        return nil
    }

    mutating func checkCall(_ inst: Instruction, at: CodeLocation, usedAt: (block: Int, order: Int)) {
        guard let id = inst.callID, id.int < f.calls.count else {
            errors.append(.callSiteOutOfRange(at, CallID(Int(inst.extra))))
            return
        }
        let site = f.calls[id.int]
        if let c = inst.a.constant, c.int < f.constants.count, case .symbol(let s, offset: 0, _) = f.constants[c.int],
           s.int < context.allocates.count, context.allocates[s.int], inst.result.isNone || inst.type != .r {
            errors.append(.allocationNotReference(at, callee: s, found: inst.result.isNone ? nil : inst.type))
        }
        checkLayout(inst, site: site, at: at)
        if let rt = site.returnType {
            checkType(rt, at: at)
            if inst.result.isNone {
                errors.append(.callTypeWithoutResult(at, rt))
            } else if rt.valueClass != inst.type {
                errors.append(.callResultClass(at, inst.type, returnType: rt))
            }
        } else if !inst.result.isNone {
            errors.append(.callResultWithoutType(at))
        }
        if !site.env.isNone {
            checkUse(site.env, expected: .l, role: .callEnvironment, at: at, usedAt: usedAt)
        }
        if let v = site.variadicStart, v < 0 || v > site.arguments.count {
            errors.append(.variadicMarkerOutOfRange(at, marker: v, argumentCount: site.arguments.count))
        }
        for (k, arg) in site.arguments.enumerated() {
            checkType(arg.type, at: at)
            if arg.value.isNone {
                errors.append(.missingOperand(at, .callArgument(k)))
            } else {
                checkUse(arg.value, expected: arg.type.valueClass, role: .callArgument(k), at: at, usedAt: usedAt)
            }
        }
        // Signature of a callee defined in this module.
        guard let c = inst.a.constant, c.int < f.constants.count,
              case .symbol(let s, offset: 0, _) = f.constants[c.int],
              s.int < context.functionOfSymbol.count, context.functionOfSymbol[s.int] >= 0,
              !context.isAmbiguous[s.int]
        else { return }
        let calleeIndex = Int(context.functionOfSymbol[s.int])
        let callee = module.functions[calleeIndex]
        let fixed = callee.parameters.count
        let count = site.arguments.count
        if callee.isVariadic {
            // Without variadic arguments the marker may be left out.
            if site.variadicStart != fixed && !(site.variadicStart == nil && count == fixed) {
                errors.append(.callVariadicMarker(at, callee: calleeIndex, expected: fixed, found: site.variadicStart))
            }
            if count < fixed {
                errors.append(.callArgumentCount(at, callee: calleeIndex, expected: fixed, found: count))
            }
        } else {
            if site.variadicStart != nil {
                errors.append(.callVariadicMarker(at, callee: calleeIndex, expected: nil, found: site.variadicStart))
            }
            if count != fixed {
                errors.append(.callArgumentCount(at, callee: calleeIndex, expected: fixed, found: count))
            }
        }
        for k in 0..<min(count, fixed) {
            let expected = callee.parameters[k].type, found = site.arguments[k].type
            if !canPass(found, as: expected) {
                errors.append(.callArgumentType(at, callee: calleeIndex, argument: k, expected: expected, found: found))
            }
        }
        if let found = site.returnType {
            if let returned = callee.returnType {
                if !canPass(returned, as: found) {
                    errors.append(.callReturnType(at, callee: calleeIndex, expected: returned, found: found))
                }
            } else {
                errors.append(.callReturnType(at, callee: calleeIndex, expected: nil, found: found))
            }
        }
    }

    /// `keel_alloc` of a layout written as data in this module, or declared
    /// in the section `keel_layouts`: the header (the data's, else the
    /// declaration's) must be a program's layout, and a RECORD's word count
    /// the one asked.
    mutating func checkLayout(_ inst: Instruction, site: CallSite, at: CodeLocation) {
        guard let c = inst.a.constant, c.int < f.constants.count, case .symbol(let callee, offset: 0, _) = f.constants[c.int],
              callee.int < module.symbols.count, module.symbols.names[callee.int] == ManagedRuntime.allocate,
              site.arguments.count == 2, let lc = site.arguments[0].value.constant, lc.int < f.constants.count,
              case .symbol(let layout, offset: 0, _) = f.constants[lc.int], layout.int < context.dataOfSymbol.count,
              !context.isAmbiguous[layout.int]
        else { return }
        let defining = context.dataOfSymbol[layout.int]
        guard let header = defining >= 0 ? ManagedRuntime.layoutHeader(of: module.data[Int(defining)])
                                         : context.declaredLayout[layout.int]
        else { return }
        var asked: Int64? = nil
        if let wc = site.arguments[1].value.constant, wc.int < f.constants.count, case .integer(let n) = f.constants[wc.int] {
            asked = n
        }
        let wrongWords = header.kind == ManagedRuntime.recordKind && asked.map { $0 != Int64(header.words) } == true
        if header.magic != ManagedRuntime.layoutMagic || !ManagedRuntime.programLayoutKinds.contains(header.kind) || wrongWords {
            errors.append(.badLayout(at, layout: layout, header, askedWords: asked))
        }
    }

    mutating func checkTerminator(_ terminator: Terminator, instructionCount: Int, id: BlockID) {
        let at = location(.terminator(id))
        let end = (id.int, instructionCount)
        switch terminator {
        case .none:
            errors.append(.missingTerminator(location(.label(id))))
        case .jmp(let t):
            checkTarget(t, at: at)
        case .jnz(let c, let t, let e):
            if c.isNone {
                errors.append(.missingOperand(at, .jumpCondition))
            } else {
                checkUse(c, expected: .w, role: .jumpCondition, at: at, usedAt: end)
            }
            checkTarget(t, at: at)
            if e != t { checkTarget(e, at: at) }
        case .ret(let v):
            if let rt = f.returnType {
                if v.isNone {
                    if options.requireReturnValue { errors.append(.missingReturnValue(at, rt)) }
                } else {
                    checkUse(v, expected: rt.valueClass, role: .returnValue, at: at, usedAt: end)
                }
            } else if !v.isNone {
                errors.append(.unexpectedReturnValue(at))
            }
        case .hlt:
            break
        }
    }

    mutating func checkTarget(_ t: BlockID, at: CodeLocation) {
        if t.int >= f.blocks.count {
            errors.append(.blockOutOfRange(at, t))
        } else if t == Function.entry {
            errors.append(.jumpToEntry(at))
        }
    }

    // MARK: operands

    /// Checks one use: the operand exists, has an acceptable class
    /// (`expected` nil: any), names a known symbol, and, with `requireSSA`,
    /// is dominated by its definition. `usedAt` nil skips dominance.
    mutating func checkUse(_ r: Ref, expected: BaseType?, role: OperandRole, at: CodeLocation,
                           usedAt: (block: Int, order: Int)?) {
        if let t = r.temp {
            guard t.int < definitions.count else {
                errors.append(.tempOutOfRange(at, role, t))
                return
            }
            let def = definitions[t.int]
            if def.kind == .none {
                errors.append(.undefinedTemp(at, role, t))
                return
            }
            if let expected, !def.type.canBeUsed(as: expected) {
                errors.append(.operandClass(at, role, t, expected: expected, found: def.type))
            }
            if options.requireSSA, let usedAt, !isDominated(def, usedAt: usedAt) {
                errors.append(.notDominated(at, role, t, definition: location(site(of: def))))
            }
        } else if let c = r.constant {
            guard c.int < f.constants.count else {
                errors.append(.constantOutOfRange(at, role, c))
                return
            }
            guard case .symbol(let s, _, _) = f.constants[c.int] else { return }
            if s.int >= context.functionOfSymbol.count {
                errors.append(.symbolOutOfRange(at, role, s))
                return
            }
            if let known = context.symbolKnown, !known[s.int] {
                errors.append(.undefinedSymbol(at, role, s))
            }
            if let expected, !expected.isInteger {
                errors.append(.symbolOperand(at, role, expected: expected))
            }
        }
    }

    func isDominated(_ def: Definition, usedAt: (block: Int, order: Int)) -> Bool {
        if def.kind == .parameter || def.kind == .environment { return true }
        let useBlock = BlockID(usedAt.block)
        // Code the entry never reaches never runs: nothing is required there.
        if let tree = dominators, !tree.order.isReachable(useBlock) { return true }
        if Int(def.block) == usedAt.block { return def.order < usedAt.order }
        guard let tree = dominators else { return true }
        return tree.dominates(BlockID(Int(def.block)), useBlock)
    }

    /// Whether a value of ABI type `found` may be passed where `expected` is
    /// declared: the same type, a reference where a long is expected, a
    /// sub-word where a word is expected (it arrives extended to a word), or an
    /// aggregate of the same layout (modules made of several files may define
    /// the same type twice under different names).
    func canPass(_ found: ABIType, as expected: ABIType) -> Bool {
        if found == expected || (found == .base(.r) && expected == .base(.l)) { return true }
        switch (found, expected) {
        case (.sb, .base(.w)), (.ub, .base(.w)), (.sh, .base(.w)), (.uh, .base(.w)): return true
        default: break
        }
        guard case .aggregate(let a) = found, case .aggregate(let b) = expected,
              a.int < module.types.count, b.int < module.types.count else { return false }
        let x = module.types[a.int], y = module.types[b.int]
        return x.size == y.size && x.alignment == y.alignment && x.layout == y.layout
    }
}

/// `Opcode.operandTypes(for:)` as a flat table, so checking an instruction
/// allocates nothing.
struct OperandClasses {
    var isValid: Bool
    var first: BaseType
    var second: BaseType

    /// Rows of `stride` entries, one row per opcode: a power of two above the
    /// number of classes, so the index is a shift and needs no `allCases`.
    static let stride = 8

    static func of(_ op: Opcode, _ cls: BaseType, in table: [OperandClasses] = OperandClasses.table) -> OperandClasses {
        table[Int(op.rawValue) &* stride &+ Int(cls.rawValue)]
    }

    static let table: [OperandClasses] = {
        let invalid = OperandClasses(isValid: false, first: .w, second: .w)
        var table = [OperandClasses](repeating: invalid, count: Opcode.allCases.count * stride)
        for op in Opcode.allCases {
            for cls in BaseType.allCases {
                guard let types = op.operandTypes(for: cls) else { continue }
                table[Int(op.rawValue) * stride + Int(cls.rawValue)] =
                    OperandClasses(isValid: true, first: types.first ?? .w, second: types.count > 1 ? types[1] : .w)
            }
        }
        return table
    }()
}
