import Foundation
import KeelAnalysis
import KeelInterp
import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

@Suite struct SlotPromotionTests {
    static let options = VerifierOptions(strictCallSignatures: false)

    /// Parses `text`, builds SSA, verifies, promotes, verifies again.
    func promoted(_ text: String) throws -> (before: Module, after: Module, counts: SlotPromotionCounts) {
        var before = try Module(parsing: text)
        #expect(constructSSA(&before).isEmpty)
        #expect(Verifier.verify(before, options: Self.options).filter(\.isError).isEmpty)
        var after = before
        let counts = promoteSlots(&after)
        let errors = Verifier.verify(after, options: Self.options).filter(\.isError)
        #expect(errors.isEmpty, "not verifier-clean after promotion: \(errors)\n\(ILPrinter.print(after))")
        return (before, after, counts)
    }

    func opcodes(_ m: Module, _ function: Int = 0) -> [Opcode] {
        m.functions[function].blocks.flatMap { $0.instructions.map(\.op) }
    }

    func memoryOpcodes(_ m: Module, _ function: Int = 0) -> [Opcode] {
        opcodes(m, function).filter { $0.isAlloc || $0.isLoad || $0.isStore || $0 == .blit }
    }

    /// Promotes `text`, checks that `$f` (function 0) has no slot, load or
    /// store left, and that `$main` prints `expected` before and after.
    func promotesAll(_ text: String, printing expected: String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> Module {
        let r = try promoted(text)
        #expect(r.counts.promoted == r.counts.candidates && r.counts.promoted > 0,
                "\(r.counts)", sourceLocation: sourceLocation)
        #expect(memoryOpcodes(r.after).isEmpty, "\(ILPrinter.print(r.after))", sourceLocation: sourceLocation)
        #expect(try interpretedOutcome(r.before) == [expected, "status 0"], sourceLocation: sourceLocation)
        #expect(try interpretedOutcome(r.after) == [expected, "status 0"], "\(ILPrinter.print(r.after))",
                sourceLocation: sourceLocation)
        return r.after
    }

    // MARK: loops and joins

    @Test func loopVariablesBecomePhis() throws {
        let m = try promotesAll("""
            function w $f(w %n) {
            @start
                %x =l alloc4 4
                %i =l alloc4 4
                storew 0, %x
                storew 0, %i
            @loop
                %iv =w loadw %i
                %lt =w csltw %iv, %n
                jnz %lt, @body, @done
            @body
                %xv =w loadw %x
                %s =w add %xv, %iv
                storew %s, %x
                %iv2 =w loadw %i
                %iv3 =w add %iv2, 1
                storew %iv3, %i
                jmp @loop
            @done
                %r =w loadw %x
                ret %r
            }
            \(Self.mainPrinting("$f(w 10)"))
            """, printing: "45\n")
        #expect(ILPrinter.print(m.functions[0], in: m) == """
            function w $f(w %n) {
            @start
            \tjmp @loop
            @loop
            \t%i.1 =w phi @start 0, @body %iv3
            \t%x.1 =w phi @start 0, @body %s
            \t%lt =w csltw %i.1, %n
            \tjnz %lt, @body, @done
            @body
            \t%s =w add %x.1, %i.1
            \t%iv3 =w add %i.1, 1
            \tjmp @loop
            @done
            \tret %x.1
            }

            """)
    }

    @Test func joinMergesTheStoresOfBothArms() throws {
        let m = try promotesAll("""
            function l $f(w %c, l %a, l %b) {
            @start
                %x =l alloc8 8
                jnz %c, @yes, @no
            @yes
                storel %a, %x
                jmp @join
            @no
                storel %b, %x
            @join
                %v =l loadl %x
                ret %v
            }
            \(Self.mainPrinting("$f(w 1, l 7, l 9)", "$f(w 0, l 7, l 9)", format: "%ld"))
            """, printing: "7\n9\n")
        let join = m.functions[0].blocks[3]
        #expect(join.phis.count == 1)
        #expect(join.phis.first?.incoming.map(\.value).compactMap(\.temp).count == 2)
        #expect(join.terminator == .ret(.temp(join.phis[0].result)))
    }

    @Test func aLoadNoStoreReachesReadsZero() throws {
        // On the path through @skip nothing is stored: the value read is
        // undefined, and promotion makes it 0.
        let m = try promotesAll("""
            function w $f(w %c) {
            @start
                %x =l alloc4 4
                %never =l alloc4 4
                jnz %c, @set, @skip
            @set
                storew 5, %x
            @skip
                %v =w loadw %x
                %u =w loadw %never
                %r =w add %v, %u
                ret %r
            }
            \(Self.mainPrinting("$f(w 1)", "$f(w 0)"))
            """, printing: "5\n0\n")
        let skip = m.functions[0].blocks[2]
        #expect(skip.phis.count == 1)
        #expect(skip.phis[0].incoming.contains { m.functions[0].constant($0.value) == .integer(0) })
        #expect(m.functions[0].constant(skip.instructions[0].b) == .integer(0))
    }

    // MARK: widths

    @Test func wordsReadAsWordsAndExtendedToLongs() throws {
        let m = try promotesAll("""
            function $f(w %a) {
            @start
                %x =l alloc4 4
                storew %a, %x
                %w =w loadw %x
                %s =l loadsw %x
                %u =l loaduw %x
                call $printf(l $fmt, ..., w %w, l %s, l %u)
                ret
            }
            data $fmt = { b "%d %ld %ld\\n", b 0 }
            export function w $main() {
            @start
                call $f(w -2)
                ret 0
            }
            """, printing: "-2 -2 4294967294\n")
        #expect(opcodes(m) == [.extsw, .extuw, .call])
    }

    @Test func subwordStoresAndExtendingLoads() throws {
        let m = try promotesAll("""
            function $f(w %a) {
            @start
                %b =l alloc4 1
                %h =l alloc4 2
                storeb %a, %b
                storeh %a, %h
                %sb =w loadsb %b
                %ub =w loadub %b
                %sbl =l loadsb %b
                %ubl =l loadub %b
                %sh =w loadsh %h
                %uh =w loaduh %h
                %shl =l loadsh %h
                %uhl =l loaduh %h
                call $printf(l $fmt, ..., w %sb, w %ub, l %sbl, l %ubl, w %sh, w %uh, l %shl, l %uhl)
                ret
            }
            data $fmt = { b "%d %d %ld %ld %d %d %ld %ld\\n", b 0 }
            export function w $main() {
            @start
                call $f(w -3)
                call $f(w 65663)
                ret 0
            }
            """, printing: "-3 253 -3 253 -3 65533 -3 65533\n127 127 127 127 127 127 127 127\n")
        #expect(opcodes(m) == [.extsb, .extub, .extsb, .extub, .extsh, .extuh, .extsh, .extuh, .call])
    }

    @Test func aLongReadAsItsLowWord() throws {
        let m = try promotesAll("""
            function $f(l %a) {
            @start
                %x =l alloc8 8
                storel %a, %x
                %w =w loadw %x
                %s =l loadsw %x
                %u =l loaduw %x
                %b =w loadub %x
                %l =l loadl %x
                call $printf(l $fmt, ..., w %w, l %s, l %u, w %b, l %l)
                ret
            }
            data $fmt = { b "%d %ld %ld %d %lx\\n", b 0 }
            export function w $main() {
            @start
                call $f(l 81985529216486895)
                ret 0
            }
            """, printing: "-1985229329 -1985229329 2309737967 239 123456789abcdef\n")
        // The long itself is read by the l uses; the word read is a truncating copy.
        #expect(opcodes(m) == [.copy, .extsw, .extuw, .extub, .call])
    }

    @Test func floatSlotsHoldTheirValues() throws {
        let m = try promotesAll("""
            function $f(s %a, d %b) {
            @start
                %x =l alloc4 4
                %y =l alloc8 8
                stores %a, %x
                stored %b, %y
                %s =s loads %x
                %t =s add %s, %s
                stores %t, %x
                %u =s loads %x
                %e =d exts %u
                %d =d loadd %y
                call $printf(l $fmt, ..., d %e, d %d)
                ret
            }
            data $fmt = { b "%g %g\\n", b 0 }
            export function w $main() {
            @start
                call $f(s s_1.25, d d_-0.5)
                ret 0
            }
            """, printing: "2.5 -0.5\n")
        #expect(opcodes(m) == [.add, .exts, .call])
    }

    @Test func narrowStoresMergeIntoWiderValues() throws {
        // C unions and byte-wise initialization: the bytes a narrow store
        // leaves alone keep what the wider store wrote.
        _ = try promotesAll("""
            function $f(l %a, w %b, w %h, w %w) {
            @start
                %x =l alloc8 8
                %y =l alloc4 4
                storel %a, %x
                storeb %b, %x
                %l1 =l loadl %x
                storeh %h, %x
                %l2 =l loadl %x
                storew %w, %x
                %l3 =l loadl %x
                %w3 =w loadw %x
                storew %w, %y
                storeb %b, %y
                %y1 =w loadw %y
                storeh %h, %y
                %y2 =w loaduh %y
                %y3 =w loadw %y
                call $printf(l $fmt, ..., l %l1, l %l2, l %l3, w %w3, w %y1, w %y2, w %y3)
                ret
            }
            data $fmt = { b "%lx %lx %lx %x %x %x %x\\n", b 0 }
            export function w $main() {
            @start
                call $f(l 1311768467294899695, w 427, w 74565, w 3735928559)
                ret 0
            }
            """, printing: "1234567890abcdab 1234567890ab2345 12345678deadbeef deadbeef deadbeab 2345 dead2345\n")
    }

    @Test func integerAndFloatAccessesAreBitCasts() throws {
        let m = try promotesAll("""
            function $f(s %a, d %b, l %c) {
            @start
                %x =l alloc4 4
                %y =l alloc8 8
                %z =l alloc8 8
                stores %a, %x
                %xw =w loadw %x
                stored %b, %y
                %yl =l loadl %y
                %ys =s loads %y
                %yse =d exts %ys
                storel %c, %z
                %zd =d loadd %z
                storew 1, %z
                %zd1 =d loadd %z
                call $printf(l $fmt, ..., w %xw, l %yl, d %yse, d %zd, d %zd1)
                ret
            }
            data $fmt = { b "%x %lx %g %g %g\\n", b 0 }
            export function w $main() {
            @start
                call $f(s s_1, d d_2, l 4613937818241073152)
                ret 0
            }
            """, printing: "3f800000 4000000000000000 0 3 3\n")
        #expect(opcodes(m).contains(.cast))
    }

    @Test func doublesCopiedAsLongsStayDoubles() throws {
        // A struct copy moves the double with loadl/storel: both slots keep
        // class d, and only the copy is bit cast (twice, which algebra folds).
        let m = try promotesAll("""
            function $f(d %a) {
            @start
                %x =l alloc8 8
                %y =l alloc8 8
                stored %a, %x
                %v =l loadl %x
                storel %v, %y
                %b =d loadd %y
                %c =d loadd %x
                %s =d add %b, %c
                call $printf(l $fmt, ..., d %s, l %v)
                ret
            }
            data $fmt = { b "%g %lx\\n", b 0 }
            export function w $main() {
            @start
                call $f(d d_1.5)
                ret 0
            }
            """, printing: "3 3ff8000000000000\n")
        #expect(opcodes(m).filter { $0 == .cast }.count == 2)
    }

    // MARK: what stays in memory

    @Test func slotsWhoseAddressEscapesStay() throws {
        let r = try promoted("""
            function $g(l %p) {
            @start
                ret
            }
            function l $f(l %q) {
            @start
                %called =l alloc4 4
                %stored =l alloc8 8
                %offset =l alloc8 8
                %compared =l alloc4 4
                %copied =l alloc4 4
                %returned =l alloc4 4
                %blitted =l alloc4 4
                %fine =l alloc4 4
                storew 1, %called
                call $g(l %called)
                storel %stored, %q
                %p =l add %offset, 4
                storew 1, %p
                %c =w ceql %compared, %q
                storew %c, %fine
                %d =l copy %copied
                storel %d, %q
                blit %blitted, %q, 4
                %v =w loadw %fine
                storew %v, %returned
                ret %returned
            }
            """)
        #expect(r.counts == SlotPromotionCounts(candidates: 8, promoted: 1))
        #expect(memoryOpcodes(r.after, 1) == [.alloc4, .alloc8, .alloc8, .alloc4, .alloc4, .alloc4, .alloc4,
                                              .storew, .storel, .storew, .storel, .blit, .storew])
    }

    @Test func slotsMergedByPhisOrStoredIntoThemselvesStay() throws {
        let r = try promoted("""
            function l $f(w %c) {
            @start
                %a =l alloc8 8
                %b =l alloc8 8
                %s =l alloc8 8
                storel %s, %s
                jnz %c, @one, @two
            @one
                jmp @join
            @two
                jmp @join
            @join
                %p =l phi @one %a, @two %b
                storel 1, %p
                %v =l loadl %a
                ret %v
            }
            """)
        #expect(r.counts == SlotPromotionCounts(candidates: 3, promoted: 0))
        #expect(r.after == r.before)
    }

    @Test func accessesBeyondTheSlotOrDynamicOrLateSlotsStay() throws {
        let r = try promoted("""
            function w $f(l %n, w %c) {
            @start
                %short =l alloc4 2
                %dynamic =l alloc8 %n
                storew 1, %short
                storel 2, %dynamic
                jnz %c, @late, @end
            @late
                %l =l alloc4 4
                storew 3, %l
                %v =w loadw %l
                ret %v
            @end
                %w =w loadw %short
                ret %w
            }
            """)
        #expect(r.counts == SlotPromotionCounts(candidates: 1, promoted: 0))
        #expect(r.after == r.before)
    }

    @Test func referenceSlotsStay() throws {
        let r = try promoted("""
            function r $f(r %a) {
            @start
                %x =l alloc8 8
                storer %a, %x
                %v =r loadr %x
                ret %v
            }
            """)
        #expect(r.counts == SlotPromotionCounts(candidates: 1, promoted: 0))
        #expect(r.after == r.before)
    }

    @Test func aFunctionWithoutSlotsIsUntouched() throws {
        let r = try promoted("""
            function w $f(l %p) {
            @start
                %v =w loadw %p
                storew %v, %p
                ret %v
            }
            """)
        #expect(r.counts == SlotPromotionCounts())
        #expect(r.after == r.before)
    }

    // MARK: whole programs

    /// Every program of the IL suites interpreted before and after promotion
    /// prints the same and exits the same.
    @Test(arguments: Self.suitePrograms())
    func programSuiteRunsTheSame(_ path: String) throws {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        var before = try Module(parsing: String(contentsOfFile: path, encoding: .utf8), fileName: name + ".ssa")
        #expect(constructSSA(&before).isEmpty)
        var after = before
        promoteSlots(&after)
        let errors = Verifier.verify(after, options: Self.options).filter(\.isError)
        #expect(errors.isEmpty, "\(name): \(errors)")
        #expect(try interpretedOutcome(after, name) == interpretedOutcome(before, name), "\(name)")
    }

    /// The suites promote something, so the test above tests something.
    @Test func programSuitePromotesSlots() throws {
        var total = SlotPromotionCounts()
        for path in Self.suitePrograms() {
            var m = try Module(parsing: String(contentsOfFile: path, encoding: .utf8))
            constructSSA(&m)
            let c = promoteSlots(&m)
            total.candidates += c.candidates
            total.promoted += c.promoted
        }
        #expect(total.promoted >= 40 && total.promoted < total.candidates, "\(total)")
    }

    /// The .ssa files of the IL program suites (Tests/Programs/il, fuzz, qbe-compat).
    static func suitePrograms() -> [String] {
        ["il", "fuzz", "qbe-compat"].flatMap { dir -> [String] in
            let d = ILPrograms.suite(dir)
            return ILPrograms.names(in: d).map { d.appendingPathComponent($0 + ".ssa").path }
        }
    }

    /// `export function w $main` printing each call's result on a line.
    static func mainPrinting(_ calls: String..., format: String = "%d") -> String {
        let cls = format == "%ld" ? "l" : "w"
        var body = ""
        for (k, c) in calls.enumerated() {
            body += "    %r\(k) =\(cls) call \(c)\n    call $printf(l $fmt, ..., \(cls) %r\(k))\n"
        }
        return """
            data $fmt = { b "\(format)\\n", b 0 }
            export function w $main() {
            @start
            \(body)    ret 0
            }
            """
    }
}

extension SlotPromotionTests {
    @Test func aliasesOfTheAddressArePromotedWithTheSlot() throws {
        // cproc reaches a union's members through `add %u, 0`.
        let m = try promotesAll("""
            function l $f(l %a) {
            @start
                %u =l alloc8 8
                %m =l add %u, 0
                storel %a, %m
                %n =l add 0, %m
                %c =l copy %n
                %s =l sub %c, 0
                storeb 255, %s
                %v =l loadl %u
                ret %v
            }
            \(Self.mainPrinting("$f(l 4096)", format: "%ld"))
            """, printing: "4351\n")
        #expect(opcodes(m) == [.extub, .and, .or])
    }

    @Test func aliasesThatEscapeKeepTheSlot() throws {
        let r = try promoted("""
            function l $f(l %q) {
            @start
                %u =l alloc8 8
                %v =l alloc8 8
                %w =l alloc8 8
                %m =l add %u, 0
                storel %m, %q
                %n =l add %v, 8
                storel 1, %n
                %o =w copy %w
                storel 1, %w
                ret 0
            }
            """)
        #expect(r.counts == SlotPromotionCounts(candidates: 3, promoted: 0))
        #expect(r.after == r.before)
    }
}

extension SlotPromotionTests {
    @Test func aSlotStoredOnceOnEntryIsItsValue() throws {
        // cproc stores each parameter into its slot on entry; a loop reading it needs no phi.
        let m = try promotesAll("""
            function w $f(w %a, w %n) {
            @start
                %pa =l alloc4 4
                %early =l alloc4 4
                %e0 =w loadw %early
                storew %a, %pa
                storew 7, %early
                %e1 =w loadw %early
            @loop
                %v =w loadw %pa
                %c =w csltw %v, %n
                jnz %c, @loop, @done
            @done
                %r =w add %v, %e0
                %s =w add %r, %e1
                ret %s
            }
            \(Self.mainPrinting("$f(w 5, w 3)"))
            """, printing: "12\n")
        #expect(m.functions[0].blocks.allSatisfy { $0.phis.isEmpty })
        #expect(ILPrinter.print(m.functions[0], in: m).contains("%c =w csltw %a, %n"))
        #expect(ILPrinter.print(m.functions[0], in: m).contains("%r =w add %a, 0"))
    }
}
