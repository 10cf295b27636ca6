import KeelIR
import Testing

@testable import KeelAnalysis

/// Calls: argument values against their ABI types, and calls to functions of
/// the module against the callee's signature.

let callees = """
type :pair = { l, l }
function w $two(w %a, l %b) {
@start
\tret %a
}
function $none() {
@start
\tret
}
function w $va(l %fmt, ...) {
@start
\tret 0
}
function $sub(sb %c, :pair %p) {
@start
\tret
}
function sh $short(w %x) {
@start
\tret %x
}

"""

@Test func wellTypedCallsHaveNoErrors() throws {
    let il = callees + """
    function $f(l %p) {
    @start
    \t%a =w call $two(w 1, l %p)
    \t%b =l call $two(w 1, l %p)
    \tcall $none()
    \t%c =w call $va(l %p, ..., d d_1, w 2)
    \tcall $sub(sb %a, :pair %p)
    \t%e =w call $va(l %p)
    \t%h =w call $short(ub %a)
    \tcall $none(env %p)
    \t%d =w call $ext(w 1, ..., l %p)
    \t%g =l call %p(d d_1)
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:25:2: error: call to $two expects a result of type l, $two returns w",
    ])
}

@Test func callArgumentCountAndTypes() throws {
    let il = callees + """
    function $f(l %p, w %w) {
    @start
    \t%a =w call $two(w 1)
    \t%b =w call $two(l %p, l %p)
    \t%c =w call $two(w 1, l %p, w 3)
    \tcall $sub(w %w, l %p)
    \t%d =w call $none()
    \t%e =sh call $two(w 1, l %p)
    \tcall $short(sh %w)  # a sub-word arrives extended: fine where w is declared
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:24:2: error: call to $two passes 1 argument, $two takes 2",
        "t.ssa:25:2: error: argument 1 of call to $two has type l, $two expects w",
        "t.ssa:26:2: error: call to $two passes 3 arguments, $two takes 2",
        "t.ssa:27:2: error: argument 1 of call to $sub has type w, $sub expects sb",
        "t.ssa:27:2: error: argument 2 of call to $sub has type l, $sub expects :pair",
        "t.ssa:28:2: error: call to $none expects a result of type w, $none returns nothing",
        "t.ssa:29:2: error: call to $two expects a result of type sh, $two returns w",
    ])
}

@Test func variadicMarker() throws {
    let il = callees + """
    function $f(l %p) {
    @start
    \t%a =w call $va(l %p, w 1)
    \t%b =w call $va(..., l %p)
    \t%c =w call $va()
    \t%d =w call $two(w 1, ..., l %p)
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:24:2: error: call to variadic $va needs '...' after 1 fixed argument, found none",
        "t.ssa:25:2: error: call to variadic $va needs '...' after 1 fixed argument, found after 0",
        "t.ssa:26:2: error: call to variadic $va needs '...' after 1 fixed argument, found none",
        "t.ssa:26:2: error: call to $va passes 0 arguments, $va takes 1",
        "t.ssa:27:2: error: call to non-variadic $two must not use '...'",
    ])
}

@Test func argumentValueClassAgainstABIType() throws {
    let il = """
    function $f(d %x, w %w) {
    @start
    \tcall $g(l %x, d %w, ub %w, s $g)
    \tcall $g(env %x)
    \tret
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:3:2: error: %x of class d used as argument 1 of call, which needs l",
        "t.ssa:3:2: error: %w of class w used as argument 2 of call, which needs d",
        "t.ssa:3:2: error: symbol used as argument 4 of call, which needs s",
        "t.ssa:4:2: error: %x of class d used as env argument of call, which needs l",
    ])
}
