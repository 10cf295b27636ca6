// IL programs compiled by `CodeGenerator<ToyILTarget>` with the allocation
// checker and the frame check on, run on the toy machine, and compared with
// the reference interpreter: `$main`'s result must be the same. The programs
// print nothing and return a checksum of what they computed; each one aims
// at one thing the back half must get right (named in its comment).
import KeelIR
import Testing

struct ToyILProgramTests {
    struct Program: CustomStringConvertible, Sendable {
        var name: String
        var source: String
        var description: String { name }
    }

    static let programs: [Program] = [
        // Loops whose phis form the swap and rotation problems, and a lost copy
        // (the phi's old value read after the loop).
        Program(name: "loop_phis", source: """
            export function w $main() {
            @start
            	jmp @sum
            @sum
            	%i =w phi @start 1, @sum %i1
            	%s =w phi @start 0, @sum %s1
            	%s1 =w add %s, %i
            	%i1 =w add %i, 1
            	%c =w cslew %i1, 100
            	jnz %c, @sum, @fibstart
            @fibstart
            	jmp @fib
            @fib
            	%k =w phi @fibstart 0, @fib %k1
            	%a =l phi @fibstart 0, @fib %b
            	%b =l phi @fibstart 1, @fib %ab
            	%ab =l add %a, %b
            	%k1 =w add %k, 1
            	%c2 =w csltw %k1, 90
            	jnz %c2, @fib, @swapstart
            @swapstart
            	jmp @swap
            @swap
            	%n =w phi @swapstart 0, @swap %n1
            	%x =w phi @swapstart 1, @swap %y
            	%y =w phi @swapstart 2, @swap %x
            	%p =w phi @swapstart 10, @swap %q
            	%q =w phi @swapstart 20, @swap %r
            	%r =w phi @swapstart 30, @swap %p
            	%n1 =w add %n, 1
            	%c3 =w csltw %n1, 5
            	jnz %c3, @swap, @lost
            @lost
            	%u =w phi @swap 7, @lost %v
            	%v =w add %u, 3
            	%c4 =w csltw %v, 40
            	jnz %c4, @lost, @end
            @end
            	%ahi =l shr %a, 32
            	%amix =l xor %a, %ahi
            	%h1 =w mul %s1, 31
            	%h2 =w add %h1, %amix
            	%h3 =w mul %h2, 31
            	%h4 =w add %h3, %x
            	%h5 =w mul %h4, 31
            	%h6 =w add %h5, %y
            	%h7 =w mul %h6, 31
            	%h8 =w add %h7, %p
            	%h9 =w mul %h8, 31
            	%h10 =w add %h9, %q
            	%h11 =w mul %h10, 31
            	%h12 =w add %h11, %r
            	%h13 =w mul %h12, 31
            	%h14 =w add %h13, %u
            	ret %h14
            }
            """),
        // Conditionals nested three deep, joined by one five-way phi, called in a loop.
        Program(name: "nested_conditionals", source: """
            function w $classify(w %x) {
            @start
            	%neg =w csltw %x, 0
            	jnz %neg, @negative, @nonnegative
            @negative
            	%small =w csgtw %x, -10
            	jnz %small, @negsmall, @negbig
            @negsmall
            	%r1 =w mul %x, 3
            	jmp @done
            @negbig
            	%r2 =w sub 0, %x
            	jmp @done
            @nonnegative
            	%oddbit =w and %x, 1
            	jnz %oddbit, @odd, @even
            @odd
            	%big =w cugtw %x, 50
            	jnz %big, @oddbig, @oddsmall
            @oddbig
            	%r3 =w shl %x, 2
            	jmp @done
            @oddsmall
            	%r4 =w xor %x, 255
            	jmp @done
            @even
            	%r5 =w sar %x, 1
            	jmp @done
            @done
            	%r =w phi @negsmall %r1, @negbig %r2, @oddbig %r3, @oddsmall %r4, @even %r5
            	ret %r
            }

            export function w $main() {
            @start
            	jmp @loop
            @loop
            	%i =w phi @start -30, @loop %i1
            	%acc =w phi @start 0, @loop %acc2
            	%v =w call $classify(w %i)
            	%acc1 =w mul %acc, 7
            	%acc2 =w add %acc1, %v
            	%i1 =w add %i, 3
            	%c =w csltw %i1, 120
            	jnz %c, @loop, @end
            @end
            	ret %acc2
            }
            """),
        // Doubly recursive: the result of the first call lives across the second.
        Program(name: "fib", source: """
            function w $fib(w %n) {
            @start
            	%small =w csltw %n, 2
            	jnz %small, @base, @recurse
            @base
            	ret %n
            @recurse
            	%n1 =w sub %n, 1
            	%a =w call $fib(w %n1)
            	%n2 =w sub %n, 2
            	%b =w call $fib(w %n2)
            	%r =w add %a, %b
            	ret %r
            }

            export function w $main() {
            @start
            	%r =w call $fib(w 20)
            	ret %r
            }
            """),
        // Deep recursion whose argument is another call's result, inside nested loops.
        Program(name: "ackermann", source: """
            function w $ack(w %m, w %n) {
            @start
            	%mz =w ceqw %m, 0
            	jnz %mz, @m0, @mpos
            @m0
            	%r =w add %n, 1
            	ret %r
            @mpos
            	%m1 =w sub %m, 1
            	%nz =w ceqw %n, 0
            	jnz %nz, @n0, @npos
            @n0
            	%r0 =w call $ack(w %m1, w 1)
            	ret %r0
            @npos
            	%n1 =w sub %n, 1
            	%inner =w call $ack(w %m, w %n1)
            	%r1 =w call $ack(w %m1, w %inner)
            	ret %r1
            }

            export function w $main() {
            @start
            	%m =w copy 0
            	%acc =w copy 0
            @outer
            	%n =w copy 0
            @inner
            	%a =w call $ack(w %m, w %n)
            	%acc =w mul %acc, 3
            	%acc =w add %acc, %a
            	%n =w add %n, 1
            	%c =w csltw %n, 5
            	jnz %c, @inner, @next
            @next
            	%m =w add %m, 1
            	%c =w csltw %m, 4
            	jnz %c, @outer, @end
            @end
            	ret %acc
            }
            """),
        // Twelve values live across three calls: more than the callee-saved
        // registers, so most of them are spilled and reloaded.
        Program(name: "many_live_across_calls", source: """
            function l $mix(l %a, l %b, w %c) {
            @start
            	%x =l mul %a, 31
            	%y =l xor %x, %b
            	%z =l extsw %c
            	%r =l add %y, %z
            	ret %r
            }

            export function w $main() {
            @start
            	%v0 =l copy 11
            	%v1 =l mul %v0, 3
            	%v2 =l add %v1, 1000003
            	%v3 =l xor %v2, %v0
            	%v4 =l shl %v3, 7
            	%v5 =l sub %v4, %v1
            	%v6 =l mul %v5, %v5
            	%v7 =l sar %v6, 3
            	%v8 =l or %v7, %v2
            	%v9 =l and %v8, 65535
            	%v10 =l add %v9, %v4
            	%v11 =l xor %v10, %v6
            	%c0 =l call $mix(l %v0, l %v1, w 5)
            	%c1 =l call $mix(l %v2, l %c0, w %v3)
            	%c2 =l call $mix(l %c1, l %v4, w -7)
            	%s1 =l add %v0, %v1
            	%s2 =l mul %s1, 3
            	%s3 =l add %s2, %v2
            	%s4 =l mul %s3, 3
            	%s5 =l add %s4, %v3
            	%s6 =l mul %s5, 3
            	%s7 =l add %s6, %v4
            	%s8 =l mul %s7, 3
            	%s9 =l add %s8, %v5
            	%s10 =l mul %s9, 3
            	%s11 =l add %s10, %v6
            	%s12 =l mul %s11, 3
            	%s13 =l add %s12, %v7
            	%s14 =l mul %s13, 3
            	%s15 =l add %s14, %v8
            	%s16 =l mul %s15, 3
            	%s17 =l add %s16, %v9
            	%s18 =l mul %s17, 3
            	%s19 =l add %s18, %v10
            	%s20 =l mul %s19, 3
            	%s21 =l add %s20, %v11
            	%s22 =l xor %s21, %c2
            	%hi =l shr %s22, 32
            	%folded =l xor %s22, %hi
            	%r =w copy %folded
            	ret %r
            }
            """),
        // Five values live across a recursive call in the callee and the
        // accumulator and counter across calls in the caller's loop: every
        // callee-saved register in use at every depth, and spills besides.
        Program(name: "callee_saved_pressure", source: """
            function l $walk(w %n, l %seed) {
            @start
            	%z =w ceqw %n, 0
            	jnz %z, @leaf, @node
            @leaf
            	ret %seed
            @node
            	%a =l mul %seed, 6364136223846793005
            	%b =l add %a, 1442695040888963407
            	%c =l shr %b, 17
            	%d =l xor %b, %c
            	%e =l extsw %n
            	%n1 =w sub %n, 1
            	%r =l call $walk(w %n1, l %d)
            	%s1 =l add %r, %a
            	%s2 =l xor %s1, %b
            	%s3 =l sub %s2, %c
            	%s4 =l add %s3, %d
            	%s5 =l mul %s4, %e
            	ret %s5
            }

            export function w $main() {
            @start
            	jmp @loop
            @loop
            	%i =w phi @start 0, @loop %i1
            	%acc =l phi @start 12345, @loop %acc1
            	%depth =w mul %i, 3
            	%w =l call $walk(w %depth, l %acc)
            	%acc1 =l xor %acc, %w
            	%i1 =w add %i, 1
            	%more =w csltw %i1, 10
            	jnz %more, @loop, @end
            @end
            	%hi =l shr %acc1, 32
            	%folded =l xor %acc1, %hi
            	%r =w copy %folded
            	ret %r
            }
            """),
        // The w/l distinction: 32-bit wrap-around, shift amounts modulo the
        // width, signed and unsigned comparisons and division, every ext*.
        Program(name: "widths_and_bits", source: """
            export function w $main() {
            @start
            	%a =w copy 2147483647
            	%b =w add %a, 1
            	%c =w sar %b, 35
            	%d =w shr %b, 3
            	%e =l copy -1
            	%f =l shl %e, 70
            	%g =w cultw %b, 5
            	%h =w csltw %b, 5
            	%i =l extsb 200
            	%j =l extub %b
            	%k =l extsw %b
            	%m =l extuw %b
            	%n =w div -7, 2
            	%o =w rem -7, 2
            	%p =l udiv %e, 3
            	%q =l urem %e, 10
            	%r =w extsh 40000
            	%s =w neg %r
            	%t =w csgel %e, %k
            	%u =w cugtl %e, %k
            	%v =w extuh %s
            	%x =w udiv %b, 7
            	%y =l mul %m, %m
            	%z =w copy %y
            	%l1 =l add %f, %i
            	%l2 =l xor %l1, %j
            	%l3 =l add %l2, %k
            	%l4 =l sub %l3, %m
            	%l5 =l xor %l4, %p
            	%l6 =l add %l5, %q
            	%l7 =l shr %l6, 13
            	%l8 =l xor %l6, %l7
            	%w1 =w add %c, %d
            	%w2 =w mul %w1, 17
            	%w3 =w add %w2, %g
            	%w4 =w mul %w3, 17
            	%w5 =w add %w4, %h
            	%w6 =w mul %w5, 17
            	%w7 =w add %w6, %n
            	%w8 =w mul %w7, 17
            	%w9 =w add %w8, %o
            	%w10 =w mul %w9, 17
            	%w11 =w add %w10, %r
            	%w12 =w mul %w11, 17
            	%w13 =w add %w12, %s
            	%w14 =w mul %w13, 17
            	%w15 =w add %w14, %t
            	%w16 =w mul %w15, 17
            	%w17 =w add %w16, %u
            	%w18 =w mul %w17, 17
            	%w19 =w add %w18, %v
            	%w20 =w mul %w19, 17
            	%w21 =w add %w20, %x
            	%w22 =w xor %w21, %z
            	%w23 =w add %w22, %l8
            	ret %w23
            }
            """),
        // Arguments that must be permuted into the argument registers (a
        // cycle through the scratch register), one value passed twice, constants.
        Program(name: "argument_shuffles", source: """
            function w $digits(w %a, w %b, w %c) {
            @start
            	%x =w mul %a, 100
            	%y =w mul %b, 10
            	%s =w add %x, %y
            	%r =w add %s, %c
            	ret %r
            }

            function w $rotate(w %a, w %b, w %c) {
            @start
            	%r =w call $digits(w %c, w %a, w %b)
            	%s =w call $digits(w %r, w %r, w 7)
            	%t =w call $digits(w %b, w %c, w %a)
            	%u =w add %r, %s
            	%v =w sub %u, %t
            	ret %v
            }

            export function w $main() {
            @start
            	%r =w call $rotate(w 1, w 2, w 3)
            	%s =w call $rotate(w %r, w 5, w %r)
            	%t =w add %r, %s
            	ret %t
            }
            """),
        // A loop with three back edges into one header, a two-way branch in
        // its body and a counter: Collatz step counts.
        Program(name: "collatz", source: """
            function w $collatz(l %n) {
            @start
            	jmp @loop
            @loop
            	%x =l phi @start %n, @even %half, @odd %triple
            	%steps =w phi @start 0, @even %s1, @odd %s1
            	%one =w ceql %x, 1
            	jnz %one, @done, @step
            @step
            	%s1 =w add %steps, 1
            	%bit =l and %x, 1
            	jnz %bit, @odd, @even
            @even
            	%half =l shr %x, 1
            	jmp @loop
            @odd
            	%t3 =l mul %x, 3
            	%triple =l add %t3, 1
            	jmp @loop
            @done
            	ret %steps
            }

            export function w $main() {
            @start
            	jmp @loop
            @loop
            	%n =l phi @start 1, @loop %n1
            	%acc =w phi @start 0, @loop %acc1
            	%s =w call $collatz(l %n)
            	%nw =w copy %n
            	%p =w mul %s, %nw
            	%acc1 =w add %acc, %p
            	%n1 =l add %n, 1
            	%c =l csltl %n1, 60
            	jnz %c, @loop, @end
            @end
            	ret %acc1
            }
            """),
        // A call without result, `hlt` on a path never taken, an unreachable
        // block, a jnz with one target twice, constant conditions.
        Program(name: "odd_control_flow", source: """
            function $nothing(w %x) {
            @start
            	ret
            }

            export function w $main() {
            @start
            	call $nothing(w 3)
            	%a =w copy 5
            	%c =w csltw %a, 3
            	jnz %c, @trap, @ok
            @trap
            	hlt
            @ok
            	jnz %a, @same, @same
            @same
            	jnz 0, @trap, @last
            @last
            	ret %a
            @dead
            	ret 9
            }
            """),
    ]

    @Test(arguments: ToyILProgramTests.programs)
    func sameResultAsInterpreter(_ program: Program) throws {
        try ToyILHarness.expectSameResult(program.source, name: program.name)
    }

    /// The pressure programs do exercise what they are named for: spill
    /// cells in use, callee-saved registers saved and restored.
    @Test func pressureProgramsSpillAndSaveCalleeSavedRegisters() throws {
        for name in ["many_live_across_calls", "callee_saved_pressure"] {
            let program = try #require(Self.programs.first { $0.name == name })
            // -O1: inlining would take the calls, and so the pressure, away.
            let listing = try ToyILHarness.expectSameResult(program.source, name: name, level: .o1, sourceLocation: #_sourceLocation)
            #expect(listing.contains(" = mov [0]"), "\(name): a reload from a spill cell")
            #expect(listing.contains("[0] = mov r"), "\(name): a spill to a cell")
            #expect(listing.contains("save callee-saved"), "\(name): callee-saved registers saved")
        }
    }

    /// The machine is hostile: a callee that returns with a callee-saved
    /// register changed is an error, not a silently wrong caller.
    @Test func machineRejectsCalleeThatChangesCalleeSavedRegister() throws {
        let listing = """
            function $main cells 0
            @b0:
              r3 = li 1
              call $bad
              r0 = mov r3
              ret
            function $bad cells 0
            @b0:
              r3 = li 2
              ret
            """
        // `main` itself changes r3 without saving it, but `bad` is caught first.
        #expect(throws: ToyMachineError.self) { try ToyILHarness.execute(listing) }
    }

    /// Values left in caller-saved registers across a call are garbage after it.
    @Test func machineClobbersCallerSavedRegistersAtCalls() throws {
        let listing = """
            function $main cells 0
            @b0:
              r1 = li 42
              call $leaf
              r0 = mov r1
              ret
            function $leaf cells 0
            @b0:
              ret
            """
        #expect(try ToyILHarness.execute(listing, garbageSeed: 1) != 42)
    }
}
