import KeelRandom

/// Random IL programs with references, for differential runs against the
/// interpreter under a collecting runtime (`keel fuzz --gc`).
///
/// Contract: `GCProgramGenerator.generate(seed:)` returns IL that verifies and
/// terminates, whose output depends only on the values it computes (never
/// on addresses), so `keel interp` and the native program under any GC
/// setting print the same bytes. `main` keeps a handful of reference
/// variables (initially 0) and integer variables, reassigned in straight
/// code, if/else diamonds and counted loops (so references flow through
/// phis, loop-carried phis and across many allocating calls); statements
/// allocate cells {integer, reference} inline or through a helper, read and
/// rewrite fields (old-to-young stores), call a recursive builder, and drop
/// values or replace them with a tagged integer (`tagr`: an immediate, which
/// the helpers and the digest read as a value); lists are also kept in, and
/// read back from, global reference cells (`r` items of `$globals`, roots
/// through `keel_globals`). Reading through 0 or an immediate is avoided by
/// checking helpers; cycles made by rewriting
/// fields are harmless since walks are bounded. At the end and at
/// checkpoints the program prints a digest of every variable's and global's
/// list.
public struct GCProgramGenerator {
    var rng: SplitMix64
    var lines: [String] = []
    var temp = 0
    let refs = 5, ints = 3, globals = 3

    public static func generate(seed: UInt64) -> String {
        var g = GCProgramGenerator(rng: SplitMix64(seed: seed))
        return g.program()
    }

    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func ref() -> String { "%r\(below(refs))" }
    mutating func int() -> String { "%i\(below(ints))" }
    mutating func fresh() -> String { temp += 1; return "%t\(temp)" }
    mutating func emit(_ s: String) { lines.append("\t" + s) }

    mutating func global() -> String { let k = below(globals); return k == 0 ? "$globals" : "$globals + \(8 * k)" }

    mutating func statement(depth: Int) {
        switch below(depth < 3 ? 15 : 12) {
        case 0, 1, 9:  // cons through the helper
            emit("\(ref()) =r call $cons(l \(int()), r \(ref()))")
        case 2:  // an inline allocation filled by hand
            let o = fresh(), f0 = fresh(), f1 = fresh()
            emit("\(o) =r call $keel_alloc(l $cell, l 2)")
            emit("\(f0) =l add \(o), 16")
            emit("storel \(int()), \(f0)")
            emit("\(f1) =l add \(o), 24")
            emit("storer \(ref()), \(f1)")
            emit("\(ref()) =r copy \(o)")
        case 3:
            emit("\(ref()) =r call $cdr(r \(ref()))")
        case 4:  // an old cell may point to a young one
            emit("call $setcdr(r \(ref()), r \(ref()))")
        case 5:
            emit("\(int()) =l call $car(r \(ref()))")
        case 6:
            let a = int(), b = int()
            emit("\(a) =l add \(a), \(b)")
            emit("\(a) =l and \(a), 1023")
        case 7:
            emit("\(ref()) =r call $build(l \(below(8)), l \(int()))")
        case 8:
            if below(2) == 0 {
                emit("\(ref()) =r copy 0")
            } else {  // a tagged integer: an immediate the collector must skip
                let t = fresh()
                emit("\(t) =l shl \(int()), 1")
                emit("\(ref()) =r tagr \(t)")
            }
        case 10:  // a global cell: a root the stack maps do not cover
            emit("storer \(ref()), \(global())")
        case 11:
            emit("\(ref()) =r loadr \(global())")
        case 12, 13:
            diamond(depth: depth + 1)
        default:
            loop(depth: depth + 1)
        }
    }

    mutating func block(depth: Int) {
        for _ in 0..<(2 + below(5)) { statement(depth: depth) }
    }

    mutating func label() -> String { temp += 1; return "@l\(temp)" }

    mutating func diamond(depth: Int) {
        let c = fresh(), yes = label(), no = label(), join = label()
        emit("\(c) =w and \(int()), 1")
        emit("jnz \(c), \(yes), \(no)")
        lines.append(yes)
        block(depth: depth)
        emit("jmp \(join)")
        lines.append(no)
        block(depth: depth)
        lines.append(join)
    }

    mutating func loop(depth: Int) {
        let n = fresh(), head = label(), body = label(), done = label(), more = fresh()
        emit("\(n) =l copy \(1 + below(8))")
        lines.append(head)
        emit("\(more) =w csgtl \(n), 0")
        emit("jnz \(more), \(body), \(done)")
        lines.append(body)
        block(depth: depth)
        emit("\(n) =l sub \(n), 1")
        emit("jmp \(head)")
        lines.append(done)
    }

    mutating func digest() {
        for k in 0..<refs {
            let s = fresh()
            emit("\(s) =l call $sum(r %r\(k))")
            emit("call $printf(l $fmt, ..., l \(k), l \(s))")
        }
        for k in 0..<ints { emit("call $printf(l $ifmt, ..., l \(k), l %i\(k))") }
        for k in 0..<globals {
            let g = fresh(), s = fresh()
            emit("\(g) =r loadr $globals + \(8 * k)")
            emit("\(s) =l call $sum(r \(g))")
            emit("call $printf(l $gfmt, ..., l \(k), l \(s))")
        }
    }

    mutating func program() -> String {
        lines.append("@start")
        for k in 0..<refs { emit("%r\(k) =r copy 0") }
        for k in 0..<ints { emit("%i\(k) =l copy \(below(100))") }
        for _ in 0..<(3 + below(4)) {
            block(depth: 0)
            digest()
        }
        emit("ret 0")
        return Self.prelude + "export function w $main() {\n" + lines.joined(separator: "\n") + "\n}\n"
    }

    static let prelude = """
        data $cell_refs = align 8 { l 2 }
        data $cell = align 8 { w 1263288665, w 1, w 2, w 0, l $cell_refs, l 0 }
        data $fmt = { b "r%ld %ld\\n", b 0 }
        data $ifmt = { b "i%ld %ld\\n", b 0 }
        data $gfmt = { b "g%ld %ld\\n", b 0 }
        data $globals = align 8 { r 0, r 0, r 0 }
        section "keel_nocollect" data $nocollect = { l $printf }

        function r $cons(l %car, r %cdr) {
        @start
        \t%o =r call $keel_alloc(l $cell, l 2)
        \t%f0 =l add %o, 16
        \tstorel %car, %f0
        \t%f1 =l add %o, 24
        \tstorer %cdr, %f1
        \tret %o
        }

        function r $cdr(r %o) {
        @start
        \t%z =w ceql %o, 0
        \tjnz %z, @nil, @object
        @object
        \t%tag =l and %o, 7
        \tjnz %tag, @nil, @read
        @nil
        \tret 0
        @read
        \t%f =l add %o, 24
        \t%n =r loadr %f
        \tret %n
        }

        function l $car(r %o) {
        @start
        \t%z =w ceql %o, 0
        \tjnz %z, @nil, @object
        @nil
        \tret 7
        @object
        \t%tag =l and %o, 7
        \tjnz %tag, @immediate, @read
        @immediate
        \tret %o
        @read
        \t%f =l add %o, 16
        \t%n =l loadl %f
        \tret %n
        }

        function $setcdr(r %o, r %v) {
        @start
        \t%z =w ceql %o, 0
        \tjnz %z, @done, @object
        @object
        \t%tag =l and %o, 7
        \tjnz %tag, @done, @write
        @write
        \t%f =l add %o, 24
        \tstorer %v, %f
        @done
        \tret
        }

        # A list of depth + 1 cells built recursively, each allocated before its tail.
        function r $build(l %depth, l %v) {
        @start
        \t%head =r call $cons(l %v, r 0)
        \t%z =w ceql %depth, 0
        \tjnz %z, @done, @more
        @more
        \t%d =l sub %depth, 1
        \t%w =l add %v, 3
        \t%tail =r call $build(l %d, l %w)
        \tcall $setcdr(r %head, r %tail)
        @done
        \tret %head
        }

        # The cars of at most 40 cells of a list, mixed (cycles are possible).
        function l $sum(r %o) {
        @start
        \t%s =l copy 0
        \t%n =l copy 0
        \t%p =r copy %o
        @loop
        \t%z =w ceql %p, 0
        \tjnz %z, @done, @object
        @object
        \t%tag =l and %p, 7
        \tjnz %tag, @immediate, @check
        @immediate
        \t%s =l add %s, %p
        \tjmp @done
        @check
        \t%more =w csltl %n, 40
        \tjnz %more, @step, @done
        @step
        \t%f =l add %p, 16
        \t%c =l loadl %f
        \t%s =l mul %s, 31
        \t%s =l add %s, %c
        \t%s =l and %s, 1048575
        \t%n =l add %n, 1
        \t%g =l add %p, 24
        \t%p =r loadr %g
        \tjmp @loop
        @done
        \tret %s
        }


        """
}
