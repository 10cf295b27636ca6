import KeelIR
import Testing

@testable import KeelAnalysis

/// Verifier checks on IR built through the API: the malformations a parser
/// never produces (indices out of range, missing terminators, constants as
/// results) and the position fallbacks for IR without source positions.

/// A one-function module under construction; instruction `n` of the test is
/// placed on line `n`, column 2.
private struct Builder {
    var module = Module()
    var f: Function

    init(_ name: String = "f", returns: ABIType? = nil) {
        module.files = ["api.ssa"]
        f = Function(name: module.symbols.intern(name), returnType: returns,
                     position: SourcePosition(line: 1, column: 1))
    }

    mutating func temp(_ name: String, _ type: BaseType?) -> Ref { .temp(f.newTemp(name: name, type: type)) }
    mutating func int(_ v: Int64) -> Ref { f.addConstant(.integer(v)) }
    mutating func block(_ label: String, line: Int) -> BlockID {
        f.addBlock(label: label, position: SourcePosition(line: line, column: 1))
    }
    mutating func add(_ b: BlockID, _ op: Opcode, _ type: BaseType, _ result: Ref = .none, _ a: Ref = .none,
                      _ x: Ref = .none, extra: UInt32 = 0, line: Int) {
        f.blocks[b.int].instructions.append(
            Instruction(op: op, type: type, result: result, a: a, b: x, extra: extra,
                        position: SourcePosition(line: line, column: 2)))
    }
    mutating func end(_ b: BlockID, _ t: Terminator, line: Int) {
        f.blocks[b.int].terminator = t
        f.blocks[b.int].terminatorPosition = SourcePosition(line: line, column: 2)
    }
    func build() -> Module {
        var m = module
        m.addFunction(f)
        return m
    }
}

private func rendered(_ m: Module, _ options: VerifierOptions = .init()) -> [String] {
    Verifier.verify(m, options: options).map(\.description)
}

@Test func wellFormedFunctionHasNoErrors() {
    var b = Builder(returns: .base(.w))
    let start = b.block("start", line: 2)
    let x = b.temp("x", .w)
    b.add(start, .add, .w, x, b.int(1), b.int(2), line: 3)
    b.end(start, .ret(x), line: 4)
    #expect(Verifier.errors(b.build()).isEmpty)
}

@Test func functionWithoutBlocks() {
    let b = Builder()
    #expect(Verifier.errors(b.build()) == [.emptyFunction(function: 0)])
    #expect(rendered(b.build()) == ["api.ssa:1:1: error: function $f has no blocks"])
}

@Test func missingTerminatorIsReportedAtTheLabel() {
    var b = Builder()
    let start = b.block("start", line: 2)
    b.add(start, .dbgloc, .w, .none, b.int(1), b.int(1), line: 3)
    #expect(Verifier.errors(b.build()) == [.missingTerminator(CodeLocation(function: 0, site: .label(start)))])
    #expect(rendered(b.build()) == ["api.ssa:2:1: error: block @start has no terminator"])
}

@Test func indicesOutOfRange() {
    var b = Builder()
    let start = b.block("start", line: 2)
    let x = b.temp("x", .l)
    b.add(start, .copy, .l, x, .temp(Temp(99)), line: 3)
    b.add(start, .copy, .l, .temp(Temp(98)), .const(ConstID(77)), line: 4)
    b.add(start, .call, .l, .none, x, extra: 5, line: 5)
    b.end(start, .jmp(BlockID(9)), line: 6)
    let at = { (i: Int) in CodeLocation(function: 0, site: .instruction(start, i)) }
    let term = CodeLocation(function: 0, site: .terminator(start))
    #expect(Verifier.errors(b.build()) == [
        .tempOutOfRange(at(1), nil, Temp(98)),
        .tempOutOfRange(at(0), .operand(.copy, 0), Temp(99)),
        .constantOutOfRange(at(1), .operand(.copy, 0), ConstID(77)),
        .callSiteOutOfRange(at(2), CallID(5)),
        .blockOutOfRange(term, BlockID(9)),
    ])
    #expect(rendered(b.build()) == [
        "api.ssa:3:2: error: invalid temporary index 99 in first operand of copy",
        "api.ssa:4:2: error: invalid temporary index 98 defined",
        "api.ssa:4:2: error: invalid constant index 77 in first operand of copy",
        "api.ssa:5:2: error: invalid call site index 5",
        "api.ssa:6:2: error: jump to undefined block #9",
    ])
}

@Test func phiNamingUndefinedBlock() {
    var b = Builder()
    let start = b.block("start", line: 2)
    let next = b.block("next", line: 4)
    let p = b.temp("p", .w)
    b.end(start, .jmp(next), line: 3)
    b.f.blocks[next.int].phis.append(
        Phi(result: p.temp!, type: .w,
            incoming: [PhiArgument(block: start, value: b.int(1)), PhiArgument(block: BlockID(7), value: b.int(2))],
            position: SourcePosition(line: 5, column: 2)))
    b.end(next, .ret(.none), line: 6)
    #expect(rendered(b.build()) == ["api.ssa:5:2: error: phi argument names undefined block #7"])
}

@Test func undefinedAggregateTypes() {
    var b = Builder(returns: .aggregate(TypeID(3)))
    b.f.parameters.append(Parameter(type: .aggregate(TypeID(4)), temp: b.temp("p", .l).temp!,
                                    position: SourcePosition(line: 1, column: 10)))
    let start = b.block("start", line: 2)
    let site = b.f.addCall(CallSite(returnType: nil, arguments: [CallArgument(type: .aggregate(TypeID(5)), value: b.int(0))]))
    let callee = b.f.addConstant(.symbol(b.module.symbols.intern("g"), offset: 0, access: .direct))
    b.add(start, .call, .l, .none, callee, extra: UInt32(site.index), line: 3)
    b.end(start, .ret(b.int(0)), line: 4)
    #expect(rendered(b.build()) == [
        "api.ssa:1:1: error: undefined type #3",
        "api.ssa:1:10: error: undefined type #4",
        "api.ssa:3:2: error: undefined type #5",
    ])
}

@Test func nestedUndefinedTypeInAggregate() {
    var m = Module()
    m.files = ["t.ssa"]
    _ = m.addType(AggregateType(name: "s", explicitAlignment: nil,
                                layout: .fields([[AggregateField(.scalar(.w)), AggregateField(.aggregate(TypeID(2)))]]),
                                size: 8, alignment: 4, position: SourcePosition(line: 3, column: 1)))
    #expect(Verifier.errors(m) == [.undefinedTypeInType(TypeID(0), field: TypeID(2))])
    #expect(Verifier.errors(m).first?.message(in: m) == "type :s has a field of undefined type #2")
}

@Test func resultMustBeATemporary() {
    var b = Builder()
    let start = b.block("start", line: 2)
    b.add(start, .add, .w, b.int(3), b.int(1), b.int(2), line: 3)
    b.end(start, .ret(.none), line: 4)
    #expect(rendered(b.build()) == ["api.ssa:3:2: error: the result of add must be a temporary"])
}

@Test func recordedClassMustMatchDefinition() {
    var b = Builder()
    let start = b.block("start", line: 2)
    let x = b.temp("x", .l)
    b.add(start, .add, .w, x, b.int(1), b.int(2), line: 3)
    b.end(start, .ret(.none), line: 4)
    #expect(rendered(b.build()) == ["api.ssa:3:2: error: %x is defined with class w but recorded as l"])
}

@Test func positionsFallBackToBlockThenFunction() {
    var b = Builder()
    let start = b.block("start", line: 2)
    // No position on the instruction: reported at the block label.
    b.f.blocks[start.int].instructions.append(Instruction(op: .neg, type: .w, result: b.temp("x", .w)))
    b.f.blocks[start.int].terminator = .ret(b.int(1))
    #expect(rendered(b.build()) == [
        "api.ssa:2:1: error: missing first operand of neg",
        "api.ssa:2:1: error: ret with a value in $f, which returns nothing",
    ])
}

@Test func errorsAreSortedByPosition() {
    var b = Builder()
    let start = b.block("start", line: 2)
    let x = b.temp("x", .w)
    b.add(start, .add, .w, x, b.int(1), .none, line: 5)
    b.add(start, .neg, .w, b.temp("y", .w), x, x, line: 3)
    b.end(start, .hlt, line: 6)
    #expect(rendered(b.build()) == [
        "api.ssa:3:2: error: unexpected second operand of neg",
        "api.ssa:5:2: error: missing second operand of add",
    ])
}

/// A long chain of diamonds, each merging two values with a phi and using
/// values defined blocks earlier: large, valid, and dominance-heavy.
func diamondChain(_ count: Int) -> Module {
    var m = Module()
    m.files = ["big.ssa"]
    var f = Function(name: m.symbols.intern("big"), returnType: .base(.l))
    let p = f.newTemp(name: "p", type: .l)
    f.parameters = [Parameter(type: .base(.l), temp: p)]
    var value = Ref.temp(p)
    var current = f.addBlock(label: "start")
    for i in 0..<count {
        let left = f.addBlock(label: "l\(i)"), right = f.addBlock(label: "r\(i)"), join = f.addBlock(label: "j\(i)")
        let c = Ref.temp(f.newTemp(name: "c\(i)", type: .w))
        f.blocks[current.int].instructions.append(Instruction(op: .cnel, type: .w, result: c, a: value, b: f.addConstant(.integer(0))))
        f.blocks[current.int].terminator = .jnz(c, left, right)
        let a = Ref.temp(f.newTemp(name: "a\(i)", type: .l)), b = Ref.temp(f.newTemp(name: "b\(i)", type: .l))
        f.blocks[left.int].instructions.append(Instruction(op: .add, type: .l, result: a, a: value, b: .temp(p)))
        f.blocks[left.int].terminator = .jmp(join)
        f.blocks[right.int].instructions.append(Instruction(op: .sub, type: .l, result: b, a: value, b: f.addConstant(.integer(1))))
        f.blocks[right.int].terminator = .jmp(join)
        let phi = f.newTemp(name: "v\(i)", type: .l)
        f.blocks[join.int].phis.append(Phi(result: phi, type: .l, incoming: [
            PhiArgument(block: left, value: a), PhiArgument(block: right, value: b)]))
        value = .temp(phi)
        current = join
    }
    f.blocks[current.int].terminator = .ret(value)
    m.addFunction(f)
    return m
}

@Test func largeValidFunctionHasNoErrors() {
    let m = diamondChain(3000)
    #expect(Verifier.errors(m).isEmpty)
}

@Test func resultPresenceFollowsTheOpcode() {
    var b = Builder()
    let start = b.block("start", line: 2)
    let p = b.temp("p", .l)
    b.add(start, .copy, .l, p, b.int(0), line: 3)
    b.add(start, .add, .w, .none, b.int(1), b.int(2), line: 4)
    b.add(start, .storew, .w, b.temp("x", .w), b.int(1), p, line: 5)
    b.add(start, .blit, .l, .none, p, p, extra: UInt32.max, line: 6)
    b.add(start, .dbgloc, .w, .none, p, b.int(1), line: 7)
    b.end(start, .ret(.none), line: 8)
    #expect(rendered(b.build()) == [
        "api.ssa:4:2: error: add needs a result temporary",
        "api.ssa:5:2: error: storew does not define a result",
        "api.ssa:6:2: error: invalid blit size 4294967295",
        "api.ssa:7:2: error: line of dbgloc must be an integer constant",
    ])
}

@Test func callSiteConsistency() {
    var b = Builder()
    let start = b.block("start", line: 2)
    let g = b.f.addConstant(.symbol(b.module.symbols.intern("g"), offset: 0, access: .direct))
    let noType = b.f.addCall(CallSite(returnType: nil, arguments: []))
    let typed = b.f.addCall(CallSite(returnType: .base(.d), arguments: []))
    let marker = b.f.addCall(CallSite(returnType: nil, arguments: [CallArgument(type: .base(.w), value: .none)],
                                      variadicStart: 3))
    b.add(start, .call, .w, b.temp("a", .w), g, extra: UInt32(noType.index), line: 3)
    b.add(start, .call, .d, .none, g, extra: UInt32(typed.index), line: 4)
    b.add(start, .call, .w, b.temp("c", .w), g, extra: UInt32(typed.index), line: 5)
    b.add(start, .call, .w, .none, g, extra: UInt32(marker.index), line: 6)
    b.end(start, .ret(.none), line: 7)
    #expect(rendered(b.build()) == [
        "api.ssa:3:2: error: call defines a result but has no return type",
        "api.ssa:4:2: error: call returning d has no result temporary",
        "api.ssa:5:2: error: call result of class w does not match return type d",
        "api.ssa:6:2: error: variadic marker at argument 3 of a call with 1 arguments",
        "api.ssa:6:2: error: missing argument 1 of call",
    ])
}

@Test func entryBlockHasNoPredecessors() {
    var b = Builder()
    let start = b.block("start", line: 2)
    let x = b.temp("x", .w)
    b.f.blocks[start.int].phis.append(Phi(result: x.temp!, type: .w, incoming: [],
                                          position: SourcePosition(line: 3, column: 2)))
    b.end(start, .jnz(.none, start, start), line: 4)
    #expect(rendered(b.build()) == [
        "api.ssa:3:2: error: phi %x in the entry block",
        "api.ssa:3:2: error: phi %x has no argument for predecessor @start",
        "api.ssa:4:2: error: missing jnz condition",
        "api.ssa:4:2: error: jump to the entry block @start",
    ])
}

@Test func symbolIndexOutOfRange() {
    var b = Builder()
    let start = b.block("start", line: 2)
    b.end(start, .ret(b.f.addConstant(.symbol(SymbolID(40), offset: 0, access: .direct))), line: 3)
    b.f.returnType = .base(.l)
    #expect(rendered(b.build()) == ["api.ssa:3:2: error: invalid symbol index 40 in return value"])
}

@Test func unnamedTempsAndBlocksAreNamedByIndex() {
    var b = Builder()
    let start = b.block("", line: 2)
    let x = b.temp("", .w)
    b.add(start, .add, .w, x, x, b.int(1), line: 3)
    b.end(start, .ret(.none), line: 4)
    #expect(rendered(b.build()) == [
        "api.ssa:3:2: error: %#0 used as first operand of add is not dominated by its definition (defined 3:2)",
    ])
}

@Test func vastartOnlyInVariadicFunctions() {
    var b = Builder()
    let start = b.block("start", line: 2)
    let ap = b.temp("ap", .l)
    b.add(start, .alloc8, .l, ap, b.int(32), line: 3)
    b.add(start, .vastart, .l, .none, ap, line: 4)
    b.end(start, .ret(b.int(0)), line: 5)
    #expect(rendered(b.build()) == [
        "api.ssa:4:2: error: vastart in non-variadic function $f",
        "api.ssa:5:2: error: ret with a value in $f, which returns nothing",
    ])
    b.f.isVariadic = true
    b.f.returnType = .base(.w)
    #expect(rendered(b.build()) == [])
}

@Test func dataNamingASymbolOutOfRange() {
    var m = Module()
    m.files = ["d.ssa"]
    m.addData(DataDefinition(name: m.symbols.intern("tab"), items: [.values(.l, [.symbol(SymbolID(9), offset: 0)])],
                             position: SourcePosition(line: 2, column: 6)))
    #expect(Verifier.errors(m) == [.symbolOutOfRangeInData(data: 0, symbol: SymbolID(9))])
    #expect(Verifier.verify(m).map(\.description) == ["d.ssa:2:6: error: invalid symbol index 9 in data $tab"])
}

@Test func operandClassTableMatchesSignatures() {
    for op in Opcode.allCases {
        for cls in BaseType.allCases {
            let row = OperandClasses.of(op, cls)
            let types = op.operandTypes(for: cls)
            #expect(row.isValid == (types != nil), "\(op.name) \(cls.name)")
            if let types {
                #expect(row.first == types[0], "\(op.name) \(cls.name)")
                if types.count > 1 { #expect(row.second == types[1], "\(op.name) \(cls.name)") }
            }
        }
    }
}
