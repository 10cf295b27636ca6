/// A source-level variable of a function being built: a small index.
public struct Variable: Hashable, Sendable {
    public var index: UInt32
    public init(_ index: Int) { self.index = UInt32(index) }
    public var int: Int { Int(index) }
}

/// Builds a function in SSA form directly from variables: front ends call
/// `write`/`read` and never place phis themselves.
///
/// Expects: blocks are created with `createBlock`, filled after `switchTo`,
/// each ended by exactly one terminator (`jump`, `branch`, `ret`, `halt`);
/// `sealBlock(b)` is called once every jump to `b` has been emitted (for a
/// loop header: after the back edge). The entry block (`entry`, created by
/// `init` and already current) is sealed from the start and cannot be jumped to.
///
/// The returned function's blocks are in creation order (the layout), or in
/// the order their code was emitted (`layoutFollowsEmission`), with blocks
/// marked cold last (`markCold`); when that differs from creation order,
/// `finish` renumbers them and `createBlock`'s `BlockID`s named them only
/// while building.
///
/// Guarantees: `finish()` returns a function in strict SSA form in which every
/// read of a variable was replaced by the value reaching it, with phis placed
/// by Braun et al.'s algorithm (*Simple and Efficient Construction of Static
/// Single Assignment Form*, CC 2013; see `SSAVariableResolver`). Trivial phis
/// are removed recursively while building, so the phis are minimal for
/// reducible CFGs; `finish` also removes redundant phi cycles (the paper's
/// section 3.2), so they are minimal for irreducible CFGs too. Phis that are
/// needed by that definition but unused are kept (dead code elimination
/// removes them).
///
/// `finish()` throws, listing all of them, on: blocks never terminated, blocks
/// never sealed, variables read with no definition on some path from the
/// entry (naming the variable and the block), and misuse recorded while
/// building (an instruction after a terminator, a jump to a sealed block or to
/// the entry, ...). Reads in blocks that no path from the entry reaches are
/// not errors; there an undefined variable reads as the integer 0.
///
/// ```swift
/// // function w $count(w %n) { i = 0; while (i < n) i += 1; return i }
/// var b = FunctionBuilder(name: "count", returnType: .base(.w), in: &module)
/// let n = b.addParameter(.base(.w), name: "n")
/// let i = b.declareVariable(.w, name: "i")
/// b.write(i, b.integer(0))
/// let head = b.createBlock("head"), body = b.createBlock("body"), done = b.createBlock("done")
/// b.jump(head)
/// b.switchTo(head)                       // not sealed: the back edge is still to come
/// b.branch(b.emit(.csltw, .w, b.read(i), n), body, done)
/// b.sealBlock(body); b.sealBlock(done)
/// b.switchTo(body)
/// b.write(i, b.emit(.add, .w, b.read(i), b.integer(1)))
/// b.jump(head)
/// b.sealBlock(head)                      // fills head's phi for i
/// b.switchTo(done)
/// b.ret(b.read(i))
/// module.addFunction(try b.finish())
/// ```
public struct FunctionBuilder {
    public private(set) var function: Function
    private var resolver = SSAVariableResolver()
    private var constantIndex: [Constant: Ref] = [:]
    private var labels: Set<String> = []
    private var problems: [Diagnostic] = []
    /// Blocks `markCold` moves to the end of the layout.
    private var cold: Set<Int> = []
    /// Blocks in the order their code was first emitted (`switchTo`), the entry first.
    private var emitted: [Int] = [0]
    private var isEmitted: [Bool] = [true]
    /// Whether `finish` lays the blocks out in the order their code was
    /// first emitted (`switchTo`) rather than the order they were created:
    /// a nested `if` inside a branch then follows that branch's test, not
    /// the blocks created before it. `finish` renumbers the blocks to the
    /// layout, so the `BlockID`s `createBlock` returned no longer name them
    /// in the result (use the labels).
    public var layoutFollowsEmission = false
    /// The block instructions are appended to.
    public private(set) var currentBlock: BlockID
    /// Source position attached to everything emitted from now on.
    public var position: SourcePosition = .unknown
    /// File name used in diagnostics.
    public var fileName: String

    public var entry: BlockID { Function.entry }

    /// Starts the function `name` (interned in `module`); `module` is not
    /// otherwise changed: add the finished function with `module.addFunction`.
    public init(name: String, returnType: ABIType?, linkage: Linkage = Linkage(), in module: inout Module) {
        self.init(name: module.symbols.intern(name), returnType: returnType, linkage: linkage)
    }

    public init(name: SymbolID, returnType: ABIType?, linkage: Linkage = Linkage(),
                fileName: String = "<builder>") {
        function = Function(name: name, linkage: linkage, returnType: returnType)
        self.fileName = fileName
        currentBlock = Function.entry
        _ = createBlock("start")
        resolver.seal(Function.entry, in: &function)
        resolver.undefinedValue = constant(.integer(0))
    }

    // MARK: parameters, blocks, variables

    public mutating func addParameter(_ type: ABIType, name: String) -> Ref {
        let t = function.newTemp(name: resolver.namer.fresh(name), type: type.valueClass)
        function.parameters.append(Parameter(type: type, temp: t, position: position))
        return .temp(t)
    }

    /// Declares the environment parameter (`env %name`).
    public mutating func addEnvironment(name: String) -> Ref {
        let t = function.newTemp(name: resolver.namer.fresh(name), type: .l)
        function.env = t
        return .temp(t)
    }

    public mutating func setVariadic(_ variadic: Bool = true) { function.isVariadic = variadic }

    public mutating func createBlock(_ label: String? = nil) -> BlockID {
        let base = label ?? "L\(function.blocks.count)"
        var name = base
        var k = 1
        while !labels.insert(name).inserted {
            name = "\(base).\(k)"
            k += 1
        }
        resolver.addBlock()
        return function.addBlock(label: name, position: position)
    }

    /// Marks `b` as rarely run (a slow path, an error): `finish` lays it out
    /// after every block not marked, so the common path falls through from
    /// block to block. The order is the code layout
    /// (`Function.reorderBlocks`); nothing else changes. The entry stays first.
    public mutating func markCold(_ b: BlockID) {
        guard b != Function.entry, b.int < function.blocks.count else { return }
        cold.insert(b.int)
    }

    public mutating func switchTo(_ b: BlockID) {
        guard b.int < function.blocks.count else {
            report("no block \(b) in this function")
            return
        }
        currentBlock = b
        while isEmitted.count <= b.int { isEmitted.append(false) }
        if !isEmitted[b.int] {
            isEmitted[b.int] = true
            emitted.append(b.int)
        }
    }

    public mutating func declareVariable(_ type: BaseType, name: String? = nil) -> Variable {
        Variable(resolver.addVariable(type: type, name: name))
    }

    /// Assigns `value` to `v` at the current point of the current block.
    public mutating func write(_ v: Variable, _ value: Ref) {
        guard checkVariable(v) else { return }
        if isTerminated { report("assignment to \(describe(v)) after the terminator of @\(label(currentBlock))") }
        resolver.write(v.int, currentBlock, value)
    }

    /// The value of `v` at the current point of the current block.
    public mutating func read(_ v: Variable) -> Ref {
        guard checkVariable(v) else { return resolver.undefinedValue }
        return resolver.read(v.int, currentBlock, in: &function)
    }

    /// Declares that all predecessors of `b` are known: no more jumps to it.
    public mutating func sealBlock(_ b: BlockID) {
        guard b.int < function.blocks.count else {
            report("no block \(b) in this function")
            return
        }
        resolver.seal(b, in: &function)
    }

    // MARK: values and instructions

    /// The interned operand for `c`.
    public mutating func constant(_ c: Constant) -> Ref {
        if let r = constantIndex[c] { return r }
        let r = function.addConstant(c)
        constantIndex[c] = r
        return r
    }

    public mutating func integer(_ v: Int64) -> Ref { constant(.integer(v)) }

    /// Appends `op` with operands `a`, `b` to the current block. Returns the new
    /// temporary holding the result, or `.none` for an opcode without result.
    @discardableResult
    public mutating func emit(_ op: Opcode, _ type: BaseType, _ a: Ref, _ b: Ref = .none,
                              name: String? = nil) -> Ref {
        if op == .call {
            report("emit cannot build a call; use call(...)")
            return .none
        }
        let result: Ref = op.hasResult ? .temp(newTemp(type, name)) : .none
        append(Instruction(op: op, type: type, result: result, a: a, b: b, position: position))
        return result
    }

    /// `blit src, dst, size`
    public mutating func blit(from source: Ref, to destination: Ref, size: Int) {
        append(Instruction(op: .blit, type: .l, a: source, b: destination,
                           extra: UInt32(clamping: size), position: position))
    }

    /// `[%r =T] call callee(args...)`. Returns the result temporary, or `.none`
    /// when `returnType` is nil.
    @discardableResult
    public mutating func call(_ callee: Ref, returnType: ABIType?, arguments: [CallArgument],
                              env: Ref = .none, variadicStart: Int? = nil, name: String? = nil) -> Ref {
        let id = function.addCall(CallSite(returnType: returnType, env: env, arguments: arguments,
                                           variadicStart: variadicStart))
        let type = returnType?.valueClass ?? .w
        let result: Ref = returnType == nil ? .none : .temp(newTemp(type, name))
        append(Instruction(op: .call, type: type, result: result, a: callee,
                           extra: id.index, position: position))
        return result
    }

    /// `tailcall callee(args...)`: ends the block with a proper tail call
    /// returning what the callee returns as the function's return type
    /// (docs/il-extensions.md, "Tail calls").
    public mutating func tailCall(_ callee: Ref, arguments: [CallArgument], env: Ref = .none) {
        let returnType = function.returnType
        let id = function.addCall(CallSite(returnType: returnType, env: env, arguments: arguments, isTail: true))
        let type = returnType?.valueClass ?? .w
        let result: Ref = returnType == nil ? .none : .temp(newTemp(type, nil))
        append(Instruction(op: .call, type: type, result: result, a: callee, extra: id.index, position: position))
        ret(result)
    }

    // MARK: terminators

    public mutating func jump(_ to: BlockID) {
        terminate(.jmp(to), targets: [to])
    }

    /// `jnz cond, @t, @f`
    public mutating func branch(_ cond: Ref, _ t: BlockID, _ f: BlockID) {
        terminate(.jnz(cond, t, f), targets: t == f ? [t] : [t, f])
    }

    public mutating func ret(_ v: Ref = .none) { terminate(.ret(v), targets: []) }

    public mutating func halt() { terminate(.hlt, targets: []) }

    /// Whether the current block already has its terminator.
    public var isTerminated: Bool { function.blocks[currentBlock.int].terminator != .none }

    // MARK: finishing

    /// The finished function, or every problem found.
    public func finish() throws(DiagnosticList) -> Function {
        var problems = self.problems
        for (i, b) in function.blocks.enumerated() {
            if b.terminator == .none {
                problems.append(diagnostic(b.position, "block @\(b.label) has no terminator"))
            }
            if !resolver.sealed[i] {
                problems.append(diagnostic(b.position, "block @\(b.label) is never sealed"))
            }
        }
        var seen = Set<UInt64>()
        for (v, b) in resolver.undefinedReads where seen.insert(UInt64(b.index) << 32 | UInt64(v)).inserted {
            problems.append(diagnostic(
                function.blocks[b.int].position,
                "\(describe(Variable(v))) is read in @\(label(b)) but not defined on every path from the entry"))
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        var f = function
        var resolver = self.resolver
        resolver.removeRedundantPhiCycles()
        resolver.materializePhis(into: &f)
        resolver.substitute(in: &f)
        // The layout: creation order or emission order (then the blocks
        // never switched to), the cold ones last.
        guard layoutFollowsEmission || !cold.isEmpty else { return f }
        var order = Array(f.blocks.indices)
        if layoutFollowsEmission {
            order = emitted + order.filter { !($0 < isEmitted.count && isEmitted[$0]) }
        }
        if !cold.isEmpty { order = order.filter { !cold.contains($0) } + order.filter { cold.contains($0) } }
        if order != Array(f.blocks.indices) { f.reorderBlocks(order.map(BlockID.init)) }
        return f
    }

    // MARK: helpers

    private mutating func newTemp(_ type: BaseType, _ name: String?) -> Temp {
        let t = function.newTemp(name: "", type: type)
        function.temps[t.int].name = name.map { resolver.namer.fresh($0) } ?? TempNamer.unnamed(t)
        return t
    }

    private mutating func append(_ i: Instruction) {
        if isTerminated {
            report("instruction \(i.op.name) after the terminator of @\(label(currentBlock))")
            return
        }
        function.blocks[currentBlock.int].instructions.append(i)
    }

    private mutating func terminate(_ t: Terminator, targets: [BlockID]) {
        let b = currentBlock
        if isTerminated {
            report("second terminator in @\(label(b))")
            return
        }
        for s in targets {
            if s.int >= function.blocks.count {
                report("jump from @\(label(b)) to \(s), which is not a block of this function")
                return
            }
            if s == entry {
                report("jump from @\(label(b)) to the entry block")
                return
            }
            if resolver.sealed[s.int] {
                report("jump from @\(label(b)) to @\(label(s)), which is already sealed")
                return
            }
        }
        for s in targets { resolver.addPredecessor(b, to: s) }
        function.blocks[b.int].terminator = t
        function.blocks[b.int].terminatorPosition = position
    }

    private mutating func checkVariable(_ v: Variable) -> Bool {
        if v.int < resolver.variableTypes.count { return true }
        report("variable #\(v.index) was not declared by this builder")
        return false
    }

    private func label(_ b: BlockID) -> String { function.blocks[b.int].label }

    private func describe(_ v: Variable) -> String {
        if let n = resolver.variableNames[v.int] { return "variable '\(n)'" }
        return "variable #\(v.index)"
    }

    private func diagnostic(_ p: SourcePosition, _ message: String) -> Diagnostic {
        Diagnostic(file: fileName, position: p, message: message)
    }

    private mutating func report(_ message: String) {
        problems.append(diagnostic(position, message))
    }
}
