import KeelIR

/// Rendering of `VerificationError`s: the message and the best position known.
///
/// Every lookup is guarded, since the error may be about an index that is out
/// of range; names fall back to `#index`.
extension VerificationError {
    /// The function or data object the error is in, if any.
    var definition: GlobalDefinition? {
        switch self {
        case .duplicateDefinition(_, _, let second): return second
        case .undefinedTypeInType: return nil
        case .undefinedSymbolInData(let d, _), .symbolOutOfRangeInData(let d, _), .referenceCellMisaligned(let d, _),
             .referenceCellThreadLocal(let d), .malformedLayoutDeclaration(let d, _),
             .conflictingLayoutDeclarations(let d, _, _, _, _), .layoutDeclarationDisagrees(let d, _, _, _):
            return .data(d)
        case .emptyFunction(let f): return .function(f)
        default: return codeLocation.map { .function($0.function) }
        }
    }

    /// The site the error is reported at.
    var codeLocation: CodeLocation? {
        switch self {
        case .duplicateDefinition, .undefinedTypeInType, .undefinedSymbolInData, .symbolOutOfRangeInData,
             .referenceCellMisaligned, .referenceCellThreadLocal, .emptyFunction, .malformedLayoutDeclaration,
             .conflictingLayoutDeclarations, .layoutDeclarationDisagrees:
            return nil
        case .tempOutOfRange(let at, _, _), .constantOutOfRange(let at, _, _), .callSiteOutOfRange(let at, _),
             .blockOutOfRange(let at, _), .typeOutOfRange(let at, _), .symbolOutOfRange(let at, _, _),
             .undefinedSymbol(let at, _, _), .invalidClass(let at, _, _), .missingResult(let at, _),
             .unexpectedResult(let at, _), .resultNotTemp(let at, _), .missingOperand(let at, _),
             .unexpectedOperand(let at, _), .operandClass(let at, _, _, _, _), .symbolOperand(let at, _, _),
             .vastartInNonVariadicFunction(let at), .invalidBlitSize(let at, _), .invalidAllocSize(let at, _),
             .invalidDebugLocation(let at, _), .callResultWithoutType(let at), .callTypeWithoutResult(let at, _),
             .callResultClass(let at, _, _), .variadicMarkerOutOfRange(let at, _, _),
             .callArgumentCount(let at, _, _, _), .callVariadicMarker(let at, _, _, _),
             .callArgumentType(let at, _, _, _, _), .callReturnType(let at, _, _, _), .phiInEntryBlock(let at),
             .phiMissingPredecessor(let at, _), .phiNotPredecessor(let at, _), .phiDuplicatePredecessor(let at, _),
             .recordedClassMismatch(let at, _, _, _), .undefinedTemp(let at, _, _),
             .notDominated(let at, _, _, _), .missingTerminator(let at), .jumpToEntry(let at),
             .missingReturnValue(let at, _), .unexpectedReturnValue(let at),
             .derivedPointerAcrossSafepoint(let at, _, _, _), .derivedPointerArgument(let at, _, _, _),
             .referenceStoreWithoutBarrier(let at, _, _), .allocationNotReference(let at, _, _),
             .referenceCellThroughComputedAddress(let at, _),
             .badLayout(let at, _, _, _), .tailCallNotInTailPosition(let at), .tailCallReturnType(let at, _, _, _),
             .tailCallVariadic(let at), .tailCallAggregate(let at, _), .tailCallFrameAddress(let at, _, _, _):
            return at
        case .multipleDefinitions(_, _, let second), .conflictingClasses(_, _, _, let second, _):
            return second
        }
    }

    /// Index in `Module.files` of the file the error is in (-1 when unknown).
    func fileIndex(in module: Module) -> Int {
        switch definition {
        case .function(let i) where module.functions.indices.contains(i): return module.functions[i].file
        case .data(let i) where module.data.indices.contains(i): return module.data[i].file
        default: return -1
        }
    }

    /// The error as a diagnostic: its file, best position and message.
    /// A call that disagrees with the signature of the function it calls is
    /// only a warning unless `strictCallSignatures` is set: QBE compiles each
    /// call from the types written at the call site, and real IL (QBE's own
    /// tests, C code calling through unprototyped declarations) relies on it.
    public func diagnostic(in module: Module, strictCallSignatures: Bool = true) -> Diagnostic {
        Diagnostic(file: module.fileName(fileIndex(in: module)), position: position(in: module),
                   message: message(in: module),
                   severity: isCallSignatureMismatch && !strictCallSignatures ? .warning : .error)
    }

    /// Whether this is a disagreement between a call site and its callee's definition.
    public var isCallSignatureMismatch: Bool {
        switch self {
        case .callArgumentCount, .callVariadicMarker, .callArgumentType, .callReturnType: return true
        default: return false
        }
    }

    /// The most precise known position of the error: the instruction, phi,
    /// terminator, parameter or label involved, else its block, else its
    /// function or data definition.
    public func position(in module: Module) -> SourcePosition {
        if case .undefinedTypeInType(let t, _) = self {
            return module.types.indices.contains(t.int) ? module.types[t.int].position : .unknown
        }
        if let at = codeLocation { return module.position(of: at) }
        switch definition {
        case .function(let i) where module.functions.indices.contains(i): return module.functions[i].position
        case .data(let i) where module.data.indices.contains(i): return module.data[i].position
        default: return .unknown
        }
    }

    public func message(in module: Module) -> String {
        let n = Names(module: module)
        switch self {
        case .duplicateDefinition(let s, let first, let second):
            let p = module.position(of: first)
            let firstFile = module.file(of: first), secondFile = module.file(of: second)
            if firstFile != secondFile && p != .unknown {
                return "\(n.kind(second)) \(n.symbol(s)) is already defined (first at \(module.fileName(firstFile)):\(p.line):\(p.column))"
            }
            return "\(n.kind(second)) \(n.symbol(s)) is already defined\(n.at(p))"
        case .undefinedTypeInType(let t, let field):
            return "type \(n.type(t)) has a field of undefined type \(n.type(field))"
        case .undefinedSymbolInData(let d, let s):
            return "undefined symbol \(n.symbol(s)) in data \(n.data(d))"
        case .symbolOutOfRangeInData(let d, let s):
            return "invalid symbol index \(s.index) in data \(n.data(d))"
        case .referenceCellMisaligned(let d, let offset):
            return "the reference cell at byte \(offset) of data \(n.data(d)) is not 8-byte aligned: the collector reads and updates it as one 8-byte word (align the definition to 8 and place r items at multiples of 8)"
        case .referenceCellThreadLocal(let d):
            return "thread-local data \(n.data(d)) has reference cells: the collector scans one copy of each global reference, not every thread's"
        case .malformedLayoutDeclaration(let d, let problem):
            return "layout declaration \(n.data(d)) (section \"keel_layouts\"): \(n.describe(problem))"
        case .conflictingLayoutDeclarations(let d, let s, let h, let firstData, let first):
            return "layout declaration \(n.data(d)) declares \(n.symbol(s)) as \(n.header(h)), but \(n.data(firstData)) declares it as \(n.header(first)): a layout has one header"
        case .layoutDeclarationDisagrees(let d, let s, let declared, let defined):
            let what = defined.flatMap { $0.magic == ManagedRuntime.layoutMagic ? "the module defines it as data with \(n.header($0))" : nil }
                ?? "the module defines it as data that is not a layout descriptor (its first word is not the magic 1263288665)"
            return "layout declaration \(n.data(d)) declares \(n.symbol(s)) as \(n.header(declared)), but \(what): the inline allocation would write a header the collector reads differently"
        case .emptyFunction(let f):
            return "function \(n.function(f)) has no blocks"
        case .tempOutOfRange(let at, let role, let t):
            if let role { return "invalid temporary index \(t.index) in \(n.describe(role, at))" }
            return "invalid temporary index \(t.index) defined"
        case .constantOutOfRange(let at, let role, let c):
            return "invalid constant index \(c.index) in \(n.describe(role, at))"
        case .callSiteOutOfRange(_, let c):
            return "invalid call site index \(c.index)"
        case .blockOutOfRange(let at, let b):
            return "\(at.isPhi ? "phi argument names" : "jump to") undefined block #\(b.index)"
        case .typeOutOfRange(_, let t):
            return "undefined type \(n.type(t))"
        case .symbolOutOfRange(let at, let role, let s):
            return "invalid symbol index \(s.index) in \(n.describe(role, at))"
        case .undefinedSymbol(let at, let role, let s):
            return "undefined symbol \(n.symbol(s)) in \(n.describe(role, at))"
        case .invalidClass(_, let op, let t):
            return "invalid class \(t.name) for \(op.name)"
        case .missingResult(_, let op):
            return "\(op.name) needs a result temporary"
        case .unexpectedResult(_, let op):
            return "\(op.name) does not define a result"
        case .resultNotTemp(_, let op):
            return "the result of \(op.name) must be a temporary"
        case .missingOperand(let at, let role):
            return "missing \(n.describe(role, at))"
        case .unexpectedOperand(let at, let role):
            return "unexpected \(n.describe(role, at))"
        case .operandClass(let at, let role, let t, let expected, let found):
            return "\(n.temp(at, t)) of class \(found.name) used as \(n.describe(role, at)), which needs \(expected.name)"
        case .symbolOperand(let at, let role, let expected):
            return "symbol used as \(n.describe(role, at)), which needs \(expected.name)"
        case .vastartInNonVariadicFunction(let at):
            return "vastart in non-variadic function \(n.function(at.function))"
        case .invalidBlitSize(_, let size):
            return "invalid blit size \(size)"
        case .invalidAllocSize(let at, let size):
            return "negative size \(size) in \(n.opcode(at))"
        case .invalidDebugLocation(_, let k):
            return "\(k == 0 ? "line" : "column") of dbgloc must be an integer constant"
        case .callResultWithoutType:
            return "call defines a result but has no return type"
        case .callTypeWithoutResult(_, let t):
            return "call returning \(n.abi(t)) has no result temporary"
        case .callResultClass(_, let cls, let t):
            return "call result of class \(cls.name) does not match return type \(n.abi(t))"
        case .variadicMarkerOutOfRange(_, let marker, let count):
            return "variadic marker at argument \(marker) of a call with \(count) arguments"
        case .callArgumentCount(_, let callee, let expected, let found):
            let g = n.function(callee)
            return "call to \(g) passes \(found) argument\(found == 1 ? "" : "s"), \(g) takes \(expected)"
        case .callVariadicMarker(_, let callee, let expected, let found):
            let g = n.function(callee)
            if let expected {
                let written = found.map { "after \($0)" } ?? "none"
                return "call to variadic \(g) needs '...' after \(expected) fixed argument\(expected == 1 ? "" : "s"), found \(written)"
            }
            return "call to non-variadic \(g) must not use '...'"
        case .callArgumentType(_, let callee, let k, let expected, let found):
            let g = n.function(callee)
            return "argument \(k + 1) of call to \(g) has type \(n.abi(found)), \(g) expects \(n.abi(expected))"
        case .tailCallNotInTailPosition:
            return "tailcall must end its block: it is the block's terminator and returns what the callee returns"
        case .tailCallReturnType(let at, let callee, let expected, let found):
            let mine = expected.map { "returns \(n.abi($0))" } ?? "returns nothing"
            guard let callee else {
                return "tailcall returns \(found.map(n.abi) ?? "nothing"), but \(n.function(at.function)) \(mine): a tail call returns exactly the caller's return type"
            }
            let theirs = found.map { "returns \(n.abi($0))" } ?? "returns nothing"
            return "tailcall to \(n.function(callee)), which \(theirs), from \(n.function(at.function)), which \(mine): the callee's result is the caller's, so the types must be the same"
        case .tailCallVariadic:
            return "tailcall cannot pass variadic arguments or call a variadic function: a variadic callee needs the caller's %al and stack argument area"
        case .tailCallAggregate(_, let k):
            if let k { return "tailcall cannot pass an aggregate by value (argument \(k + 1)): its copy would live in the frame the tail call removes; pass its address from the heap or use call" }
            return "tailcall cannot return an aggregate by value: use call and ret"
        case .tailCallFrameAddress(let at, let role, let t, let slot):
            let what = t == slot ? "\(n.temp(at, t)), the address of an alloc slot of this function," : "\(n.temp(at, t)), an address into the alloc slot \(n.temp(at, slot)) of this function,"
            return "\(what) is \({ if case .callArgument(let k) = role { return "argument \(k + 1)" } else { return "the env argument" } }()) of this tailcall: the tail call removes the caller's frame, so the callee would read freed stack; use call, or allocate the memory elsewhere"
        case .callReturnType(_, let callee, let expected, let found):
            let g = n.function(callee)
            guard let expected else { return "call to \(g) expects a result of type \(n.abi(found)), \(g) returns nothing" }
            return "call to \(g) expects a result of type \(n.abi(found)), \(g) returns \(n.abi(expected))"
        case .phiInEntryBlock(let at):
            return "phi \(n.phiName(at)) in the entry block"
        case .phiMissingPredecessor(let at, let b):
            return "phi \(n.phiName(at)) has no argument for predecessor \(n.block(at.function, b))"
        case .phiNotPredecessor(let at, let b):
            return "phi \(n.phiName(at)) has an argument for \(n.block(at.function, b)), which is not a predecessor"
        case .phiDuplicatePredecessor(let at, let b):
            return "phi \(n.phiName(at)) has more than one argument for \(n.block(at.function, b))"
        case .multipleDefinitions(let t, let first, let second):
            return "\(n.temp(second, t)) is defined more than once\(n.at(module.position(of: first)))"
        case .conflictingClasses(let t, let first, let c1, let second, let c2):
            return "\(n.temp(second, t)) is defined with class \(c2.name) here and \(c1.name)\(n.at(module.position(of: first), "at"))"
        case .recordedClassMismatch(let at, let t, let recorded, let defined):
            return "\(n.temp(at, t)) is defined with class \(defined.name) but recorded as \(recorded.name)"
        case .undefinedTemp(let at, let role, let t):
            return "\(n.temp(at, t)) used as \(n.describe(role, at)) is never defined"
        case .notDominated(let at, let role, let t, let def):
            return "\(n.temp(at, t)) used as \(n.describe(role, at)) is not dominated by its definition\(n.at(module.position(of: def), "defined"))"
        case .missingTerminator(let at):
            guard case .label(let b) = at.site else { return "missing terminator" }
            return "block \(n.block(at.function, b)) has no terminator"
        case .jumpToEntry(let at):
            return "jump to the entry block \(n.block(at.function, Function.entry))"
        case .missingReturnValue(let at, let t):
            return "ret needs a value of type \(n.abi(t)) in \(n.function(at.function))"
        case .unexpectedReturnValue(let at):
            return "ret with a value in \(n.function(at.function)), which returns nothing"
        case .derivedPointerAcrossSafepoint(let at, let t, let base, let def):
            let d = n.temp(at, t), o = n.temp(at, base)
            return "\(d)\(n.at(module.position(of: def), "defined at")), an l derived from reference \(o), is live across this \(n.callee(at)), which may collect: the collector may move \(o)'s object and \(d) would point into its old copy; recompute \(d) from \(o) after the call"
        case .derivedPointerArgument(let at, let k, let t, let base):
            let d = n.temp(at, t), o = n.temp(at, base)
            let what = t == base ? "reference \(o) passed as an untracked integer" : "\(d), an l derived from reference \(o),"
            return "\(what) is argument \(k + 1) of this \(n.callee(at)), which may collect: the object may move while the callee holds the old address; pass it as r, or declare the callee never to collect (section \"keel_nocollect\")"
        case .referenceCellThroughComputedAddress(_, let s):
            return "storer into a reference cell of \(n.symbol(s)) through a computed address: write the address as \(n.symbol(s)) + N in the storer itself; only a symbol address gets no card mark, and the card mark of any other address must be in the heap"
        case .referenceStoreWithoutBarrier(let at, let op, let t):
            return "\(op.name) of reference \(n.temp(at, t)): a reference must be stored with storer, which emits the write barrier (without it, an old object pointing to a young one is missed by the next minor collection)"
        case .badLayout(_, let s, let h, let asked):
            let l = n.symbol(s)
            if h.magic != ManagedRuntime.layoutMagic {
                return "\(l) is not a layout descriptor: its first word is \(h.magic), not the magic 1263288665 (0x4b4c4159, \"KLAY\")"
            }
            if !ManagedRuntime.programLayoutKinds.contains(h.kind) {
                return "layout \(l) has kind \(h.kind); a program's layouts are 1 (RECORD), 2 (REFS) or 3 (BYTES)"
            }
            return "keel_alloc asks \(asked ?? 0) words of RECORD layout \(l), which has \(h.words): the collector would read the object with the layout's size"
        case .allocationNotReference(_, let s, let found):
            let got = found.map { "of class \($0.name)" } ?? "discarded"
            return "the result of \(n.symbol(s)) is \(got): it must be an r temporary, or the collector does not know the object is live and may move or free it"
        }
    }
}

extension CodeLocation {
    var isPhi: Bool {
        if case .phi = site { return true }
        return false
    }
}

extension Module {
    /// The file name for a `Function.file` / `DataDefinition.file` index.
    func fileName(_ i: Int) -> String {
        files.indices.contains(i) ? files[i] : "<input>"
    }

    /// Position of a site, falling back to its block and then its function
    /// when the site itself has none (IR built without positions, implicit jumps).
    func position(of at: CodeLocation) -> SourcePosition {
        guard functions.indices.contains(at.function) else { return .unknown }
        let f = functions[at.function]
        func block(_ b: BlockID) -> Block? { f.blocks.indices.contains(b.int) ? f.blocks[b.int] : nil }
        var p = SourcePosition.unknown
        switch at.site {
        case .header: break
        case .parameter(let k):
            if f.parameters.indices.contains(k) { p = f.parameters[k].position }
        case .label(let b):
            p = block(b)?.position ?? .unknown
        case .phi(let b, let i):
            if let blk = block(b) {
                p = blk.phis.indices.contains(i) ? blk.phis[i].position : .unknown
                if p == .unknown { p = blk.position }
            }
        case .instruction(let b, let i):
            if let blk = block(b) {
                p = blk.instructions.indices.contains(i) ? blk.instructions[i].position : .unknown
                if p == .unknown { p = blk.position }
            }
        case .terminator(let b):
            if let blk = block(b) {
                p = blk.terminatorPosition
                if p == .unknown { p = blk.instructions.last?.position ?? .unknown }
                if p == .unknown { p = blk.position }
            }
        }
        return p == .unknown ? f.position : p
    }

    func file(of d: GlobalDefinition) -> Int {
        switch d {
        case .function(let i): return functions.indices.contains(i) ? functions[i].file : -1
        case .data(let i): return data.indices.contains(i) ? data[i].file : -1
        }
    }

    func position(of d: GlobalDefinition) -> SourcePosition {
        switch d {
        case .function(let i): return functions.indices.contains(i) ? functions[i].position : .unknown
        case .data(let i): return data.indices.contains(i) ? data[i].position : .unknown
        }
    }
}

/// Name lookups for messages, each safe against out-of-range indices.
private struct Names {
    let module: Module

    func symbol(_ s: SymbolID) -> String {
        s.int < module.symbols.count ? "$" + module.symbols[s] : "$#\(s.index)"
    }

    func function(_ i: Int) -> String {
        module.functions.indices.contains(i) ? symbol(module.functions[i].name) : "function #\(i)"
    }

    func data(_ i: Int) -> String {
        module.data.indices.contains(i) ? symbol(module.data[i].name) : "data #\(i)"
    }

    func kind(_ d: GlobalDefinition) -> String {
        if case .function = d { return "function" }
        return "data"
    }

    /// "kind 1 (RECORD) with 3 words".
    func header(_ h: ManagedRuntime.LayoutHeader) -> String {
        let names: [UInt32: String] = [1: "RECORD", 2: "REFS", 3: "BYTES"]
        return "kind \(h.kind)\(names[h.kind].map { " (\($0))" } ?? "") with \(h.words) word\(h.words == 1 ? "" : "s")"
    }

    func describe(_ p: ManagedRuntime.LayoutDeclarationProblem) -> String {
        let shape = "its items must be l values, three per layout: l $layout, l KIND, l WORDS"
        switch p {
        case .notWords: return shape + " (found another item type, a string, z or r)"
        case .incompleteTriple(let count): return shape + " (found \(count) values)"
        case .notASymbol(let i): return "declaration \(i + 1) does not start with a symbol: " + shape
        case .notAnInteger(let i): return "declaration \(i + 1) has a kind or word count that is not an integer: " + shape
        case .kind(let i, let k):
            return "declaration \(i + 1) has kind \(k); a program's layouts are 1 (RECORD), 2 (REFS) or 3 (BYTES)"
        case .words(let i, let k, let w):
            if k == Int64(ManagedRuntime.recordKind) { return "declaration \(i + 1) gives a RECORD \(w) words, not a count from 0 to 4294967295" }
            return "declaration \(i + 1) gives \(w) words to a layout of kind \(k); only a RECORD has a word count (the others' is 0)"
        case .placement:
            return "it must be 8-byte aligned, not thread-local and not common: the runtime reads one array of 8-byte words at start-up"
        }
    }

    func type(_ t: TypeID) -> String {
        t.int < module.types.count ? ":" + module.types[t.int].name : "#\(t.index)"
    }

    func abi(_ t: ABIType) -> String {
        switch t {
        case .base(let b): return b.name
        case .sb: return "sb"
        case .ub: return "ub"
        case .sh: return "sh"
        case .uh: return "uh"
        case .aggregate(let id): return type(id)
        }
    }

    func temp(_ at: CodeLocation, _ t: Temp) -> String {
        guard module.functions.indices.contains(at.function) else { return "%#\(t.index)" }
        let temps = module.functions[at.function].temps
        guard temps.indices.contains(t.int), !temps[t.int].name.isEmpty else { return "%#\(t.index)" }
        return "%" + temps[t.int].name
    }

    func block(_ function: Int, _ b: BlockID) -> String {
        guard module.functions.indices.contains(function) else { return "@#\(b.index)" }
        let blocks = module.functions[function].blocks
        guard blocks.indices.contains(b.int), !blocks[b.int].label.isEmpty else { return "@#\(b.index)" }
        return "@" + blocks[b.int].label
    }

    func phiName(_ at: CodeLocation) -> String {
        guard case .phi(let b, let i) = at.site, module.functions.indices.contains(at.function) else { return "?" }
        let f = module.functions[at.function]
        guard f.blocks.indices.contains(b.int), f.blocks[b.int].phis.indices.contains(i) else { return "?" }
        return temp(at, f.blocks[b.int].phis[i].result)
    }

    /// "call to $f" (or "indirect call") for the call instruction at `at`.
    func callee(_ at: CodeLocation) -> String {
        guard case .instruction(let b, let i) = at.site, module.functions.indices.contains(at.function) else {
            return "call"
        }
        let f = module.functions[at.function]
        guard f.blocks.indices.contains(b.int), f.blocks[b.int].instructions.indices.contains(i),
              let c = f.blocks[b.int].instructions[i].a.constant, c.int < f.constants.count,
              case .symbol(let s, _, _) = f.constants[c.int] else { return "indirect call" }
        return "call to \(symbol(s))"
    }

    /// The opcode of the instruction at `at` ("instruction" when unknown).
    func opcode(_ at: CodeLocation) -> String {
        guard case .instruction(let b, let i) = at.site, module.functions.indices.contains(at.function) else {
            return "instruction"
        }
        let f = module.functions[at.function]
        guard f.blocks.indices.contains(b.int), f.blocks[b.int].instructions.indices.contains(i) else {
            return "instruction"
        }
        return f.blocks[b.int].instructions[i].op.name
    }

    func describe(_ role: OperandRole, _ at: CodeLocation) -> String {
        switch role {
        case .operand(.call, 0):
            return "callee of call"
        case .operand(let op, let k):
            return "\(k == 0 ? "first" : "second") operand of \(op.name)"
        case .callArgument(let k):
            return "argument \(k + 1) of call"
        case .callEnvironment:
            return "env argument of call"
        case .phiArgument(let k):
            if case .phi(let b, let i) = at.site, module.functions.indices.contains(at.function) {
                let f = module.functions[at.function]
                if f.blocks.indices.contains(b.int), f.blocks[b.int].phis.indices.contains(i),
                   f.blocks[b.int].phis[i].incoming.indices.contains(k) {
                    let from = f.blocks[b.int].phis[i].incoming[k].block
                    return "argument for \(block(at.function, from)) of phi \(phiName(at))"
                }
            }
            return "argument \(k + 1) of phi"
        case .returnValue:
            return "return value"
        case .jumpCondition:
            return "jnz condition"
        }
    }

    /// " (first at L:C)" when the position is known.
    func at(_ p: SourcePosition, _ what: String = "first at") -> String {
        p == .unknown ? "" : " (\(what) \(p.line):\(p.column))"
    }
}
