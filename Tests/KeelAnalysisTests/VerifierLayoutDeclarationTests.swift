import KeelIR
import Testing

@testable import KeelAnalysis

/// Declarations of external layouts (section `keel_layouts`,
/// docs/il-extensions.md "Declared layouts"): allocations of a declared
/// layout are checked against the declared header, and a malformed or
/// contradictory declaration is an error at the declaring definition.

private let allocations = """
function $f(l %n) {
@start
\t%a =r call $keel_alloc(l $pair, l 2)
\t%b =r call $keel_alloc(l $vector, l 5)
\t%c =r call $keel_alloc(l $pair, l %n)
\tret
}
"""

@Test func aWellFormedDeclarationIsAccepted() throws {
    let il = """
    section "keel_layouts" data $declared = { l $pair, l 1, l 2, l $vector, l 2, l 0 }
    section "keel_layouts" data $again = { l $pair, l 1, l 2 }

    """ + allocations
    #expect(try verifyIL(il) == [])
    let module = try Module(parsing: il, fileName: "t.ssa")
    let policy = SafepointPolicy(module: module)
    let pair = SymbolID(module.symbols.names.firstIndex(of: "pair")!)
    let vector = SymbolID(module.symbols.names.firstIndex(of: "vector")!)
    #expect(policy.inlinesAllocation(callee: policy.allocate, layout: pair, words: 2))
    #expect(policy.inlinesAllocation(callee: policy.allocate, layout: vector, words: 5))
}

@Test func undeclaredExternalLayoutsAreNotInlined() throws {
    let module = try Module(parsing: allocations, fileName: "t.ssa")
    let policy = SafepointPolicy(module: module)
    let pair = SymbolID(module.symbols.names.firstIndex(of: "pair")!)
    #expect(!policy.inlinesAllocation(callee: policy.allocate, layout: pair, words: 2))
}

@Test func allocationsAreCheckedAgainstTheDeclaredHeader() throws {
    let il = """
    section "keel_layouts" data $declared = { l $pair, l 1, l 3, l $vector, l 2, l 0 }

    """ + allocations
    #expect(try verifyIL(il) == [
        "t.ssa:4:2: error: keel_alloc asks 2 words of RECORD layout $pair, which has 3: the collector would read the object with the layout's size",
    ])
}

@Test func malformedDeclarationsAreErrorsAtTheDefinition() throws {
    let cases: [(String, String)] = [
        ("{ l $pair, l 1 }",
         "its items must be l values, three per layout: l $layout, l KIND, l WORDS (found 2 values)"),
        ("{ w 1, w 2, w 3 }",
         "its items must be l values, three per layout: l $layout, l KIND, l WORDS (found another item type, a string, z or r)"),
        ("{ l $pair, l 1, l 2, z 8 }",
         "its items must be l values, three per layout: l $layout, l KIND, l WORDS (found another item type, a string, z or r)"),
        ("{ l 7, l 1, l 2 }",
         "declaration 1 does not start with a symbol: its items must be l values, three per layout: l $layout, l KIND, l WORDS"),
        ("{ l $pair, l 1, l 2, l $vector, l $pair, l 0 }",
         "declaration 2 has a kind or word count that is not an integer: its items must be l values, three per layout: l $layout, l KIND, l WORDS"),
        ("{ l $pair, l 4, l 1 }",
         "declaration 1 has kind 4; a program's layouts are 1 (RECORD), 2 (REFS) or 3 (BYTES)"),
        ("{ l $pair, l 0, l 0 }",
         "declaration 1 has kind 0; a program's layouts are 1 (RECORD), 2 (REFS) or 3 (BYTES)"),
        ("{ l $vector, l 2, l 5 }",
         "declaration 1 gives 5 words to a layout of kind 2; only a RECORD has a word count (the others' is 0)"),
        ("{ l $pair, l 1, l -1 }",
         "declaration 1 gives a RECORD -1 words, not a count from 0 to 4294967295"),
        ("align 4 { l $pair, l 1, l 2 }",
         "it must be 8-byte aligned, not thread-local and not common: the runtime reads one array of 8-byte words at start-up"),
    ]
    for (body, message) in cases {
        let il = "\nsection \"keel_layouts\" data $declared = \(body)\n"
        #expect(try verifyIL(il) == ["t.ssa:2:29: error: layout declaration $declared (section \"keel_layouts\"): " + message],
                "\(body)")
    }
}

@Test func aLayoutDeclaredTwiceWithDifferentHeadersIsAnError() throws {
    let il = """
    section "keel_layouts" data $one = { l $pair, l 1, l 2 }
    section "keel_layouts" data $two = { l $vector, l 2, l 0, l $pair, l 3, l 0 }
    section "keel_layouts" data $three = { l $pair, l 1, l 2 }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:2:29: error: layout declaration $two declares $pair as kind 3 (BYTES) with 0 words, but $one declares it as kind 1 (RECORD) with 2 words: a layout has one header",
    ])
}

@Test func aDeclarationMustAgreeWithTheModulesDefinition() throws {
    let il = """
    data $pair = align 8 { w 1263288665, w 1, w 2, w 0, l 0, l 0 }
    data $vector = align 8 { w 1263288665, w 2, w 0, w 0, l 0, l 0 }
    data $text = { b "not a layout", b 0 }
    section "keel_layouts" data $declared = { l $pair, l 1, l 3, l $vector, l 2, l 0, l $text, l 3, l 0 }

    """ + allocations
    #expect(try verifyIL(il) == [
        "t.ssa:4:29: error: layout declaration $declared declares $pair as kind 1 (RECORD) with 3 words, but the module defines it as data with kind 1 (RECORD) with 2 words: the inline allocation would write a header the collector reads differently",
        "t.ssa:4:29: error: layout declaration $declared declares $text as kind 3 (BYTES) with 0 words, but the module defines it as data that is not a layout descriptor (its first word is not the magic 1263288665): the inline allocation would write a header the collector reads differently",
    ])
}
