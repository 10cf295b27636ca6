import KeelIR
import Testing

@testable import KeelAnalysis

/// The reference rules of the `r` class (docs/il-extensions.md, "What the
/// verifier enforces"): derived pointers never cross a safepoint, references
/// are stored with storer, runtime allocations return r.

private let layouts = """
data $pair = align 8 { w 1263288665, w 3, w 0, w 0, l 0, l 0 }

"""

// MARK: derived pointers across a safepoint

@Test func derivedPointerLiveAcrossAllocationIsAnError() throws {
    let il = layouts + """
    function $f(r %o) {
    @start
    \t%a =l add %o, 16
    \t%p =r call $keel_alloc(l $pair, l 2)
    \tstorer %p, %a
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:5:2: error: %a (defined at 4:2), an l derived from reference %o, is live across this call to $keel_alloc, which may collect: the collector may move %o's object and %a would point into its old copy; recompute %a from %o after the call",
    ])
    let errors = try verificationErrors(il)
    guard case .derivedPointerAcrossSafepoint(_, let t, let base, _) = errors.first else {
        Issue.record("expected derivedPointerAcrossSafepoint, got \(errors)")
        return
    }
    #expect(t != base)
}

@Test func derivedPointerRecomputedAfterTheCallIsFine() throws {
    let il = layouts + """
    function $f(r %o) {
    @start
    \t%p =r call $keel_alloc(l $pair, l 2)
    \t%a =l add %o, 16
    \tstorer %p, %a
    \t%b =l add %o, 24
    \t%v =l loadl %b
    \tret
    }
    """
    #expect(try verifyIL(il) == [])
}

@Test func derivedPointerUsedOnlyBeforeTheCallIsFine() throws {
    let il = layouts + """
    function l $f(r %o) {
    @start
    \t%a =l add %o, 16
    \t%v =l loadl %a
    \t%p =r call $keel_alloc(l $pair, l 2)
    \tret %v
    }
    """
    #expect(try verifyIL(il) == [])
}

@Test func derivedPointerThroughCopiesAndPhisAcrossALoopCall() throws {
    // %c is derived through a copy and a loop phi, and live around the back edge across $g.
    let il = """
    function $f(r %o, w %n) {
    @start
    \t%a =l add %o, 8
    \t%b =l copy %a
    \tjmp @loop
    @loop
    \t%c =l phi @start %b, @loop %d
    \t%i =w phi @start 0, @loop %j
    \tcall $g()
    \t%d =l add %c, 8
    \t%j =w add %i, 1
    \t%m =w csltw %j, %n
    \tjnz %m, @loop, @end
    @end
    \tret
    }
    """
    let d = try verifyIL(il)
    #expect(d.count == 1)
    #expect(d.first?.hasPrefix("t.ssa:9:2: error: %c (defined at 7:2), an l derived from reference %o, is live across this call to $g") == true)
}

@Test func derivedPointerLiveAcrossABranchCall() throws {
    // Live across the call on one path only: still an error there.
    let il = """
    function l $f(r %o, w %c) {
    @start
    \t%a =l add %o, 16
    \tjnz %c, @call, @join
    @call
    \tcall $g()
    \tjmp @join
    @join
    \t%v =l loadl %a
    \tret %v
    }
    """
    let d = try verifyIL(il)
    #expect(d.count == 1)
    #expect(d.first?.hasPrefix("t.ssa:6:2: error: %a (defined at 3:2), an l derived from reference %o") == true)
}

@Test func indirectCallsAreSafepoints() throws {
    let il = """
    function l $f(r %o, l %fp) {
    @start
    \t%a =l add %o, 16
    \tcall %fp()
    \t%v =l loadl %a
    \tret %v
    }
    """
    let d = try verifyIL(il)
    #expect(d.count == 1)
    #expect(d.first?.contains("is live across this indirect call, which may collect") == true)
}

@Test func notDerivedValuesMayCrossCalls() throws {
    // Loaded values, w results, distances and small masks are not addresses.
    let il = """
    function l $f(r %o, r %p) {
    @start
    \t%v =l loadl %o
    \t%lo =w copy %o
    \t%d =l sub %o, %p
    \t%t =l and %o, 7
    \t%eq =w ceql %o, %p
    \tcall $g()
    \t%s =l add %v, %d
    \t%s2 =l add %s, %t
    \t%w =w add %lo, %eq
    \t%x =l extuw %w
    \t%r =l add %s2, %x
    \tret %r
    }
    """
    #expect(try verifyIL(il) == [])
}

@Test func callsDeclaredNeverToCollectAreNotSafepoints() throws {
    let il = """
    section "keel_nocollect" data $nc = { l $g, l $printf }
    function l $f(r %o) {
    @start
    \t%a =l add %o, 16
    \tcall $g(l %a)
    \t%n =l call $keel_heap_size()
    \tcall $printf(l %a, ..., l %o)
    \t%v =l loadl %a
    \tret %v
    }
    """
    #expect(try verifyIL(il) == [])
}

@Test func aDeclarationCoversOnlyTheSymbolsItNames() throws {
    let il = """
    section "keel_nocollect" data $nc = { l $g }
    data $other = { l $h }
    function l $f(r %o) {
    @start
    \t%a =l add %o, 16
    \tcall $h()
    \t%v =l loadl %a
    \tret %v
    }
    """
    let d = try verifyIL(il)
    #expect(d.count == 1)
    #expect(d.first?.hasPrefix("t.ssa:6:2: error: %a (defined at 5:2), an l derived from reference %o") == true)
}

@Test func eachDerivedPointerIsReportedOnceAtItsFirstCall() throws {
    let il = """
    function l $f(r %o) {
    @start
    \t%a =l add %o, 16
    \tcall $g()
    \tcall $g()
    \tcall $g()
    \t%v =l loadl %a
    \tret %v
    }
    """
    let d = try verifyIL(il)
    #expect(d.count == 1)
    #expect(d.first?.hasPrefix("t.ssa:4:2:") == true)
}

// MARK: derived pointers and references as arguments

@Test func derivedPointerArgumentOfACollectingCall() throws {
    let il = """
    function $f(r %o) {
    @start
    \t%a =l add %o, 16
    \tcall $g(l %a)
    \tcall $g(l %o)
    \tcall $h(r %o)
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:4:2: error: %a, an l derived from reference %o, is argument 1 of this call to $g, which may collect: the object may move while the callee holds the old address; pass it as r, or declare the callee never to collect (section \"keel_nocollect\")",
        "t.ssa:5:2: error: reference %o passed as an untracked integer is argument 1 of this call to $g, which may collect: the object may move while the callee holds the old address; pass it as r, or declare the callee never to collect (section \"keel_nocollect\")",
    ])
}

// MARK: stores

@Test func storingAReferenceWithoutStorerIsAnError() throws {
    let il = """
    function $f(r %o, r %v, l %n) {
    @start
    \t%a =l add %o, 16
    \tstorel %v, %a
    \tstorew %v, %a
    \tstorel %n, %a
    \tstorel 17, %a
    \tstorer %v, %a
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:4:2: error: storel of reference %v: a reference must be stored with storer, which emits the write barrier (without it, an old object pointing to a young one is missed by the next minor collection)",
        "t.ssa:5:2: error: storew of reference %v: a reference must be stored with storer, which emits the write barrier (without it, an old object pointing to a young one is missed by the next minor collection)",
    ])
    let errors = try verificationErrors(il)
    #expect(errors.contains { if case .referenceStoreWithoutBarrier(_, .storel, _) = $0 { return true } else { return false } })
}

// MARK: allocation results

@Test func runtimeAllocationsMustReturnReferences() throws {
    let il = layouts + """
    function $f(l %res) {
    @start
    \t%a =l call $keel_alloc(l $pair, l 2)
    \tcall $keel_alloc(l $pair, l 2)
    \t%h =l call $keel_handle_new(l %res, l 0)
    \t%ok =r call $keel_alloc(l $pair, l 2)
    \t%hk =r call $keel_handle_new(l %res, l 0)
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:4:2: error: the result of $keel_alloc is of class l: it must be an r temporary, or the collector does not know the object is live and may move or free it",
        "t.ssa:5:2: error: the result of $keel_alloc is discarded: it must be an r temporary, or the collector does not know the object is live and may move or free it",
        "t.ssa:6:2: error: the result of $keel_handle_new is of class l: it must be an r temporary, or the collector does not know the object is live and may move or free it",
    ])
}

// MARK: plain QBE IL

@Test func plainILWithoutReferencesIsUntouched() throws {
    // Pointer arithmetic on l values across calls is QBE's business, not the collector's.
    let il = """
    function l $f(l %p) {
    @start
    \t%a =l add %p, 16
    \tcall $g(l %a)
    \tstorel %p, %a
    \t%v =l loadl %a
    \tret %v
    }
    """
    #expect(try verifyIL(il) == [])
}

// MARK: layouts written as data

@Test func layoutsDefinedInTheModuleAreCheckedAtTheAllocation() throws {
    let il = """
    data $pair = align 8 { w 1263288665, w 1, w 2, w 0, l 0, l 0 }
    data $vec = align 8 { w 1263288665, w 2, w 0, w 0, l 0, l 0 }
    data $notlayout = align 8 { w 7, w 1, w 2, w 0, l 0, l 0 }
    data $handle = align 8 { w 1263288665, w 4, w 1, w 0, l 0, l 0 }
    data $bytewise = align 8 { b 89, b 65, b 76, b 75, w 1, w 2, w 0, l 0, l 0 }
    function $f(l %n, l %layout) {
    @start
    \t%a =r call $keel_alloc(l $pair, l 2)
    \t%b =r call $keel_alloc(l $pair, l 3)
    \t%c =r call $keel_alloc(l $pair, l %n)
    \t%d =r call $keel_alloc(l $vec, l 1000)
    \t%e =r call $keel_alloc(l $notlayout, l 2)
    \t%g =r call $keel_alloc(l $handle, l 1)
    \t%h =r call $keel_alloc(l $bytewise, l 2)
    \t%i =r call $keel_alloc(l %layout, l 2)
    \t%j =r call $keel_alloc(l $external, l 2)
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:9:2: error: keel_alloc asks 3 words of RECORD layout $pair, which has 2: the collector would read the object with the layout's size",
        "t.ssa:12:2: error: $notlayout is not a layout descriptor: its first word is 7, not the magic 1263288665 (0x4b4c4159, \"KLAY\")",
        "t.ssa:13:2: error: layout $handle has kind 4; a program's layouts are 1 (RECORD), 2 (REFS) or 3 (BYTES)",
    ])
}
