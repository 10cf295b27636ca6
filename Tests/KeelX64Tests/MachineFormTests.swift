import Foundation
import KeelAnalysis
import KeelDriver
import KeelIR
import Testing
@testable import KeelX64

/// Selection that uses the machine, shown on the emitted text: addressing
/// modes, `lea` for sums, strength-reduced multiplication.
struct MachineFormTests {
    /// The instruction lines of function `name` in the assembly of `text`
    /// (every check of the code generator on, as in all tests).
    func lines(_ text: String, function name: String = "f", level: OptimizationLevel = .standard) throws -> [String] {
        try functionAssemblyLines(text, function: name, level: level)
    }

    func mnemonics(_ lines: [String]) -> [String] { lines.map { String($0.prefix { $0 != " " }) } }

    /// The lines with a memory operand of the shape `disp(%b,%i,scale)`.
    func indexed(_ lines: [String], _ shape: String) -> [String] {
        lines.filter { line in
            guard let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")") else { return false }
            let disp = line[..<open].split(separator: " ", omittingEmptySubsequences: false).last ?? ""
            let regs = line[line.index(after: open)..<close].split(separator: ",")
            let parts: [String] = regs.enumerated().map { $0.offset == 2 ? String($0.element) : "R" }
            let form: String = String(disp) + "(" + parts.joined(separator: ",") + ")"
            return form == shape
        }
    }

    @Test func arrayElementIsOneScaledLoad() throws {
        let l = try lines("""
            export function d $f(l %a, w %i) {
            @start
                %x =l extsw %i
                %o =l mul %x, 8
                %p =l add %a, %o
                %v =d loadd %p
                ret %v
            }
            """)
        // QBE's form: movsd (%rdi,%rax,8) — no multiply, no add.
        #expect(indexed(l, "(R,R,8)").count == 1, "\(l)")
        #expect(!mnemonics(l).contains { $0.hasPrefix("imul") || $0.hasPrefix("add") || $0.hasPrefix("shl") }, "\(l)")
    }

    @Test func displacementAndShiftFoldIntoAStore() throws {
        let l = try lines("""
            export function $f(l %a, l %i, w %v) {
            @start
                %o =l shl %i, 2
                %p =l add %a, %o
                %q =l add %p, 12
                storew %v, %q
                ret
            }
            """)
        #expect(indexed(l, "12(R,R,4)").count == 1, "\(l)")
        #expect(mnemonics(l).filter { $0 != "movl" && $0 != "leave" && $0 != "ret" && $0 != "endbr64"
            && $0 != "pushq" && $0 != "movq" }.isEmpty, "\(l)")
    }

    @Test func addressSharedByLoadAndStoreFoldsIntoBoth() throws {
        // x[i] += 1 as cproc writes it: one address, read then written.
        let l = try lines("""
            export function $f(l %x, l %i) {
            @start
                %o =l mul %i, 4
                %p =l add %x, %o
                %v =w loadw %p
                %w =w add %v, 1
                storew %w, %p
                ret
            }
            """)
        #expect(indexed(l, "(R,R,4)").count == 2, "\(l)")
        #expect(!mnemonics(l).contains("leaq") && !mnemonics(l).contains("addq"), "\(l)")
    }

    @Test func addressUsedInAnotherBlockIsComputedOnce() throws {
        // The sum is computed before the loop; folding it would redo it in every iteration.
        let l = try lines("""
            export function w $f(l %a, l %i, w %n) {
            @start
                %o =l mul %i, 4
                %p =l add %a, %o
            @loop
                %k =w phi @start 0, @loop %k1
                %s =w phi @start 0, @loop %s1
                %v =w loadw %p
                %s1 =w add %s, %v
                %k1 =w add %k, 1
                %c =w csltw %k1, %n
                jnz %c, @loop, @done
            @done
                ret %s1
            }
            """)
        // One lea before the loop computes it; the load in the loop reads it as its base.
        #expect(indexed(l, "(R,R,4)").map { String($0.prefix(4)) } == ["leaq"], "\(l)")
        #expect(l.contains { $0.hasPrefix("movl (%") }, "\(l)")
    }

    @Test func addressWithOtherUsesIsNotFolded() throws {
        let l = try lines("""
            export function l $f(l %a, l %i) {
            @start
                %o =l mul %i, 8
                %p =l add %a, %o
                %v =l loadl %p
                %r =l add %v, %p
                ret %r
            }
            """)
        // %p is needed as a value anyway: the load reads it as its base.
        #expect(indexed(l, "(R,R,8)").count == 1, "the lea computing %p: \(l)")
        #expect(l.contains { $0.hasPrefix("leaq (%") }, "\(l)")
        #expect(l.contains { $0.hasPrefix("movq (%") }, "\(l)")
    }

    @Test func globalTableIsAddressedFromItsRipRelativeAddress() throws {
        let l = try lines("""
            data $tab = { w 1, w 2, w 3, w 4 }
            export function w $f(l %i) {
            @start
                %o =l mul %i, 4
                %p =l add $tab, %o
                %v =w loadw %p
                ret %v
            }
            """)
        #expect(l.contains { $0.hasPrefix("leaq tab(%rip)") }, "\(l)")
        #expect(indexed(l, "(R,R,4)").count == 1, "\(l)")
    }

    @Test func constantOffsetOfAGlobalIsRipRelative() throws {
        let l = try lines("""
            data $tab = { w 1, w 2, w 3, w 4 }
            export function w $f() {
            @start
                %p =l add $tab, 8
                %v =w loadw %p
                ret %v
            }
            """)
        #expect(l.contains { $0.hasPrefix("movl tab+8(%rip)") }, "\(l)")
    }

    @Test func sumOfLiveOperandsIsOneLea() throws {
        let l = try lines("""
            export function l $f(l %a, l %b) {
            @start
                %s =l add %a, %b
                %t =l mul %s, %a
                %u =l mul %t, %b
                ret %u
            }
            """)
        #expect(l.contains { $0.hasPrefix("leaq (%") }, "\(l)")
        #expect(!mnemonics(l).contains("addq"), "\(l)")
    }

    @Test func scaledSumUsedAsAValueIsOneLea() throws {
        let l = try lines("""
            export function w $f(w %a, w %b) {
            @start
                %o =w mul %b, 8
                %s =w add %a, %o
                %t =w add %s, 5
                ret %t
            }
            """)
        #expect(indexed(l, "5(R,R,8)").count == 1 && l.contains { $0.hasPrefix("leal 5(%") }, "\(l)")
        #expect(l.count <= 6, "lea, ret and the frame: \(l)")
    }

    @Test(arguments: [(1, "movq"), (2, "shlq"), (4, "shlq"), (8, "shlq"), (1024, "shlq"),
                      (3, "leaq"), (5, "leaq"), (9, "leaq"), (7, "imulq"), (6, "imulq")])
    func multiplicationByAConstant(_ k: Int, _ mnemonic: String) throws {
        let l = try lines("""
            export function l $f(l %a) {
            @start
                %p =l mul %a, \(k)
                %r =l xor %p, %a
                ret %r
            }
            """)
        if k == 1 {
            #expect(!mnemonics(l).contains { $0.hasPrefix("imul") || $0.hasPrefix("shl") }, "\(l)")
        } else {
            #expect(mnemonics(l).contains(mnemonic), "\(l)")
            #expect(mnemonic == "imulq" || !mnemonics(l).contains("imulq"), "\(l)")
        }
    }

    @Test func scaledOperandOfASumFoldsIntoItsLea() throws {
        let l = try lines("""
            export function l $f(l %a, l %b) {
            @start
                %p =l mul %b, 8
                %r =l add %a, %p
                %s =l xor %r, %b
                ret %s
            }
            """)
        #expect(indexed(l, "(R,R,8)").count == 1, "\(l)")
        #expect(!mnemonics(l).contains { $0.hasPrefix("shl") || $0.hasPrefix("imul") }, "\(l)")
    }

    @Test func wordProductsWrapLikeMultiplication() throws {
        // 2^32 + 4 is 4 modulo 2^32: a shift by 2 for a word.
        let l = try lines("""
            export function w $f(w %a) {
            @start
                %p =w mul %a, 4294967300
                ret %p
            }
            """)
        #expect(l.contains { $0.hasPrefix("shll $2") }, "\(l)")
    }

    @Test func extensionOfALoadedByteIsTheLoad() throws {
        // cproc reads a char as loadub then extub: one movzbl.
        let l = try lines("""
            export function w $f(l %p) {
            @start
                %b =w loadub %p
                %c =w extub %b
                ret %c
            }
            """)
        #expect(mnemonics(l).filter { $0.hasPrefix("movz") || $0.hasPrefix("movs") } == ["movzbl"], "\(l)")
    }

    @Test(arguments: [("loadsw", "w", "extsw", "l", "movslq"), ("loadsb", "w", "extuw", "l", "movsbl"),
                      ("loadl", "l", "extub", "w", "movzbl"), ("loaduh", "w", "extsw", "l", "movzwq"),
                      ("loadsh", "l", "extsb", "l", "movsbq")])
    func extensionFoldsIntoItsLoad(_ load: String, _ lc: String, _ ext: String, _ ec: String, _ expected: String) throws {
        let l = try lines("""
            export function l $f(l %p) {
            @start
                %b =\(lc) \(load) %p
                %c =\(ec) \(ext) %b
                %d =l copy %c
                ret %d
            }
            """.replacingOccurrences(of: "%d =l copy %c", with: ec == "w" ? "%d =l extuw %c" : "%d =l copy %c"))
        #expect(l.contains { $0.hasPrefix(expected + " (%rdi)") }, "\(l)")
    }

    @Test func signExtensionOfAZeroExtendedHalfReadsTheHalfSigned() throws {
        // extsh of loaduh: the same 16 bits, read with the extension's signedness.
        let l = try lines("""
            export function w $f(l %p) {
            @start
                %b =w loaduh %p
                %c =w extsh %b
                ret %c
            }
            """)
        #expect(l.contains { $0.hasPrefix("movswl (%rdi)") } && !l.contains { $0.hasPrefix("movzw") }, "\(l)")
    }

    @Test func zeroExtensionOfASignExtendedByteToAHalfKeepsBoth() throws {
        // extuh of loadsb: no x86 load gives sext 8→16 then zext 16→32.
        let l = try lines("""
            export function w $f(l %p) {
            @start
                %b =w loadsb %p
                %c =w extuh %b
                ret %c
            }
            """)
        #expect(l.contains { $0.hasPrefix("movsbl (%rdi)") } && l.contains { $0.hasPrefix("movzwl %") }, "\(l)")
    }

    @Test func extensionOfALoadWithOtherUsesStays() throws {
        let l = try lines("""
            export function w $f(l %p) {
            @start
                %b =w loadub %p
                %c =w extsb %b
                %d =w add %c, %b
                ret %d
            }
            """)
        #expect(l.contains { $0.hasPrefix("movzbl (%rdi)") } && l.contains { $0.hasPrefix("movsbl %") }, "\(l)")
    }

    /// At -O0: from -O1 on, constant propagation folds these extensions
    /// before selection sees them.
    @Test func extensionOfAConstantIsAConstant() throws {
        let l = try lines("""
            export function l $f(l %a) {
            @start
                %c =l extsw -3
                %u =l extuw -3
                %b =l extsb 200
                %s =l add %a, %c
                %t =l xor %s, %u
                %r =l xor %t, %b
                ret %r
            }
            """, level: .o0)
        #expect(!mnemonics(l).contains { $0.hasPrefix("movs") || $0.hasPrefix("movz") }, "\(l)")
        #expect(l.contains { $0.hasPrefix("movl $4294967293,") } && l.contains { $0.hasPrefix("movq $-56,") }, "\(l)")
    }

    @Test func andOnlyBranchedOnIsATest() throws {
        let l = try lines("""
            export function w $f(w %a, l %b) {
            @start
                %t =w and %a, 8
                jnz %t, @one, @two
            @one
                %u =l and %b, %b
                jnz %u, @two, @three
            @two
                ret 1
            @three
                ret 2
            }
            """)
        #expect(l.contains { $0.hasPrefix("testl $8, %edi") }, "\(l)")
        #expect(l.contains { $0.hasPrefix("testl %esi, %esi") }, "\(l)")
        #expect(!mnemonics(l).contains { $0.hasPrefix("and") }, "\(l)")
    }

    @Test func subtractionOfAConstantFromALiveValueIsALea() throws {
        // cproc's a[i - 1] with i still needed: leal -1(%i), not a copy and a sub.
        let l = try lines("""
            export function w $f(l %a, w %i) {
            @start
                %j =w sub %i, 1
                %x =l extsw %j
                %p =l add %a, %x
                %v =w loadsb %p
                %r =w add %v, %i
                ret %r
            }
            """)
        #expect(l.contains { $0.hasPrefix("leal -1(%rsi),") }, "\(l)")
        #expect(!mnemonics(l).contains("subl"), "\(l)")
    }

    @Test func extendedConstantIndexIsADisplacement() throws {
        let l = try lines("""
            export function $f(l %a) {
            @start
                %z =l extsw 3
                %o =l mul %z, 4
                %p =l add %a, %o
                storew 0, %p
                ret
            }
            """)
        #expect(l.contains { $0.hasPrefix("movl $0, 12(%rdi)") }, "\(l)")
    }

    @Test func loadOnlyTestedIsReadByTheComparison() throws {
        // while (*s): cproc loads the byte, extends it and compares it with 0.
        let l = try lines("""
            export function l $f(l %s) {
            @start
            @loop
                %i =l phi @start 0, @loop %i1
                %p =l add %s, %i
                %c =w loadub %p
                %e =w extub %c
                %i1 =l add %i, 1
                %t =w cnew %e, 0
                jnz %t, @loop, @done
            @done
                ret %i1
            }
            """)
        #expect(l.contains { $0.hasPrefix("cmpb $0, (%") && $0.contains(",") }, "\(l)")
        #expect(!mnemonics(l).contains { $0.hasPrefix("movz") || $0.hasPrefix("test") }, "\(l)")
    }

    @Test func loadBeforeAStoreIsNotMovedPastIt() throws {
        let l = try lines("""
            export function w $f(l %p) {
            @start
                %v =w loadw %p
                storew 0, %p
                %c =w ceqw %v, 5
                jnz %c, @yes, @no
            @yes
                ret 1
            @no
                ret 0
            }
            """)
        #expect(l.contains { $0.hasPrefix("movl (%rdi)") } && l.contains { $0.hasPrefix("cmpl $5, %") }, "\(l)")
    }

    @Test func narrowLoadComparedWithAValueItCannotHoldKeepsTheLoad() throws {
        // A zero-extended byte never equals -1: no byte comparison says so.
        let l = try lines("""
            export function w $f(l %p, w %x) {
            @start
                %v =w loadub %p
                %c =w ceqw %v, -1
                jnz %c, @yes, @no
            @yes
                ret 1
            @no
                ret 0
            }
            """)
        #expect(l.contains { $0.hasPrefix("movzbl (%rdi)") }, "\(l)")
    }

    @Test func floatConstantsAreReadInPlace() throws {
        // mandel's loop: 2.0 * x * y and |z|^2 > 4.0 read their constants from the pool.
        let l = try lines("""
            export function w $f(d %x, d %y) {
            @start
                %a =d mul d_2, %x
                %b =d mul %a, %y
                %c =w cgtd %b, d_4
                jnz %c, @yes, @no
            @yes
                ret 1
            @no
                ret 0
            }
            """)
        #expect(l.contains { $0.hasPrefix("mulsd .Lfp") }, "\(l)")
        #expect(l.contains { $0.hasPrefix("ucomisd .Lfp") }, "\(l)")
        #expect(!l.contains { $0.hasPrefix("movsd .Lfp") }, "\(l)")
    }

    @Test func lessThanAConstantKeepsTheRegisterForm() throws {
        // x < c would need jb, which an unordered comparison also takes.
        let l = try lines("""
            export function w $f(d %x) {
            @start
                %c =w cltd %x, d_4
                jnz %c, @yes, @no
            @yes
                ret 1
            @no
                ret 0
            }
            """)
        #expect(l.contains { $0.hasPrefix("movsd .Lfp") } && !l.contains { $0.hasPrefix("ucomisd .Lfp") }, "\(l)")
    }

    /// An accumulator `s1 = s + x` (s the loop's phi of s1, x dying there)
    /// overwrites s's register: nothing is copied between the update and
    /// the back edge (a `jmp`, or the rotated loop's conditional branch).
    @Test func accumulatorIsUpdatedInPlace() throws {
        let l = try lines("""
            export function l $f(l %p, l %n) {
            @start
                jmp @loop
            @loop
                %s =l phi @start 0, @body %s1
                %i =l phi @start 0, @body %i1
                %c =l csltl %i, %n
                jnz %c, @body, @done
            @body
                %v =l loadl %p
                %x =l xor %v, %i
                %s1 =l add %s, %x
                %i1 =l add %i, 1
                jmp @loop
            @done
                ret %s
            }
            """)
        let registers = { (line: String) in line.split(separator: " ").count == 3 && !line.contains("$") && !line.contains("(") }
        let add = try #require(l.firstIndex { $0.hasPrefix("addq %") && registers($0) }, "\(l)")
        let jump = try #require(l[add...].firstIndex { $0.hasPrefix("j") }, "\(l)")
        #expect(!l[add..<jump].contains { $0.hasPrefix("movq %") && registers($0) }, "\(l)")
    }
}
