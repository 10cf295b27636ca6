import KeelIR
import KeelOpt
import KeelTestSupport
import Testing

/// Every IR pass keeps a tail call where it is: last in its block, which
/// returns its result (the verifier checks the shape after each pass), and
/// the program still means the same. The program gives the passes work
/// around the tail call: blocks to merge, constants and copies in its
/// arguments, dead code, a slot to promote, a value to number.
struct TailCallPassTests {
    static let program = """
        data $fmt = { b "%ld\\n", b 0 }

        function l $loop(l %n, l %acc) {
        @start
        \t%slot =l alloc8 8
        \tstorel %acc, %slot
        \t%z =w ceql %n, 0
        \tjnz %z, @done, @more
        @done
        \t%r =l loadl %slot
        \tret %r
        @more
        \t%dead =l mul %n, 7
        \t%k =l copy 1
        \t%n1 =l sub %n, %k
        \t%twice =l add %n, %n
        \t%again =l add %n, %n
        \t%a =l loadl %slot
        \t%acc1 =l add %a, %twice
        \t%acc2 =l sub %acc1, %again
        \t%acc3 =l add %acc2, %n
        \tjmp @tail
        @tail
        \ttailcall $loop(l %n1, l %acc3)
        }

        export function w $main() {
        @start
        \t%s =l call $loop(l 200000, l 0)
        \t%r =w call $printf(l $fmt, ..., l %s)
        \tret 0
        }
        """

    static let passNames = ["promoteSlots", "propagateCopies", "propagateConstants", "simplifyAlgebra",
                            "numberValues", "eliminateDeadCode", "simplifyControlFlow"]

    static func apply(_ name: String, _ f: inout Function) {
        switch name {
        case "promoteSlots": _ = promoteSlots(&f)
        case "propagateCopies": propagateCopies(&f)
        case "propagateConstants": propagateConstants(&f)
        case "simplifyAlgebra": simplifyAlgebra(&f)
        case "numberValues": numberValues(&f)
        case "eliminateDeadCode": eliminateDeadCode(&f)
        default: simplifyControlFlow(&f)
        }
    }

    @Test(arguments: TailCallPassTests.passNames)
    func passKeepsTheTailCall(_ name: String) throws {
        let (before, after) = try PassTesting.run(Self.program) { Self.apply(name, &$0) }
        let f = after.functions[0]
        #expect(f.calls.filter(\.isTail).count == 1)
        #expect(f.blocks.contains { f.tailCall(endingBlock: $0) != nil }, "\(name):\n\(ILPrinter.print(after))")
        #expect(try interpretedOutcome(after) == interpretedOutcome(before))
        #expect(try interpretedOutcome(after) == ["20000100000\n", "status 0"])
    }
}
