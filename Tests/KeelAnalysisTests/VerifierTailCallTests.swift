import KeelAnalysis
import KeelIR
import Testing

// The verifier's tail-call rules (docs/il-extensions.md, "Tail calls"), one
// test per rule, each with its file:line:col.

@Test func wellFormedTailCallsVerify() throws {
    let il = """
    function l $f(l %n, d %x) {
    @start
    \tjnz %n, @more, @done
    @done
    \tret %n
    @more
    \t%m =l sub %n, 1
    \ttailcall $g(d %x, l %m)
    }
    function l $g(d %x, l %n) {
    @start
    \ttailcall $f(l %n, d %x)
    }
    function $v(l %p, l %e) {
    @start
    \ttailcall %p(env %e, l 1)
    }
    """
    #expect(try verifyIL(il) == [])
}

@Test func tailCallMustEndItsBlock() throws {
    // Only the IR can say this: the parser always ends the block at `tailcall`.
    let il = """
    function l $f(l %n) {
    @start
    \t%x =l call $f(l %n)
    \t%y =l add %x, 1
    \tret %y
    }
    """
    var module = try Module(parsing: il, fileName: "t.ssa")
    module.functions[0].calls[0].isTail = true
    #expect(Verifier.verify(module).map(\.description) == [
        "t.ssa:3:2: error: tailcall must end its block: it is the block's terminator and returns what the callee returns",
    ])
}

@Test func tailCallReturnsTheCallersType() throws {
    let il = """
    function w $f(w %n) {
    @start
    \ttailcall $g(w %n)
    }
    function l $g(w %n) {
    @start
    \t%r =l extsw %n
    \tret %r
    }
    function w $h(w %n) {
    @start
    \ttailcall $v(w %n)
    }
    function $v(w %n) {
    @start
    \tret
    }
    function $dropsResult(w %n) {
    @start
    \ttailcall $g(w %n)
    }
    """
    // The ordinary call check speaks first: the call site's type is the caller's.
    #expect(try verifyIL(il) == [
        "t.ssa:3:2: error: call to $g expects a result of type w, $g returns l",
        "t.ssa:3:2: error: tailcall to $g, which returns l, from $f, which returns w: the callee's result is the caller's, so the types must be the same",
        "t.ssa:12:2: error: call to $v expects a result of type w, $v returns nothing",
        "t.ssa:12:2: error: tailcall to $v, which returns nothing, from $h, which returns w: the callee's result is the caller's, so the types must be the same",
    ])
}

@Test func tailCallIsNotVariadic() throws {
    let il = """
    function w $f(l %fmt) {
    @start
    \ttailcall $printf(l %fmt, ..., w 1)
    }
    function w $g(w %n, ...) {
    @start
    \tret %n
    }
    function w $h(w %n) {
    @start
    \ttailcall $g(w %n, ...)
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:3:2: error: tailcall cannot pass variadic arguments or call a variadic function: a variadic callee needs the caller's %al and stack argument area",
        "t.ssa:11:2: error: tailcall cannot pass variadic arguments or call a variadic function: a variadic callee needs the caller's %al and stack argument area",
    ])
}

@Test func tailCallPassesNoAggregateByValue() throws {
    let il = """
    type :pair = { l, l }
    function l $f(l %p) {
    @start
    \ttailcall $g(:pair %p)
    }
    function l $g(:pair %p) {
    @start
    \tret 0
    }
    function :pair $h(l %p) {
    @start
    \ttailcall $k(l %p)
    }
    function :pair $k(l %p) {
    @start
    \tret %p
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:4:2: error: tailcall cannot pass an aggregate by value (argument 1): its copy would live in the frame the tail call removes; pass its address from the heap or use call",
        "t.ssa:12:2: error: tailcall cannot return an aggregate by value: use call and ret",
    ])
}

@Test func tailCallPassesNoAddressOfTheCallersFrame() throws {
    let il = """
    function l $f(l %n) {
    @start
    \t%slot =l alloc8 16
    \tstorel %n, %slot
    \t%inner =l add %slot, 8
    \t%same =l copy %inner
    \tjnz %n, @a, @b
    @a
    \ttailcall $g(l %slot)
    @b
    \ttailcall $h(env %same, l %n)
    }
    function l $g(l %p) {
    @start
    \t%v =l loadl %p
    \tret %v
    }
    function l $h(env %e, l %n) {
    @start
    \tret %n
    }
    """
    #expect(try verifyIL(il) == [
        "t.ssa:9:2: error: %slot, the address of an alloc slot of this function, is argument 1 of this tailcall: the tail call removes the caller's frame, so the callee would read freed stack; use call, or allocate the memory elsewhere",
        "t.ssa:11:2: error: %same, an address into the alloc slot %slot of this function, is the env argument of this tailcall: the tail call removes the caller's frame, so the callee would read freed stack; use call, or allocate the memory elsewhere",
    ])
}
