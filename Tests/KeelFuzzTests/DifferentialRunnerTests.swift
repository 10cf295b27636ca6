import KeelFuzz
import Testing

/// The runner must tell each kind of failure apart, and a fixed-seed
/// campaign of generated programs must run clean.
@Suite(.serialized) struct DifferentialRunnerTests {
    static func runner(timeout: Int = 10_000) -> DifferentialRunner {
        var r = DifferentialRunner(workDirectory: "/tmp")
        r.timeoutMilliseconds = timeout
        return r
    }

    static func main(_ body: String, data: String = "") -> [UInt8] {
        Array((data + "\nexport function w $main() {\n@start\n" + body + "\n}\n").utf8)
    }

    @Test func agreeingProgramIsClean() {
        let p = Self.main("""
            \t%x =w add 40, 2
            \tcall $printf(l $fmt, ..., w %x)
            \tret 3
            """, data: "data $fmt = { b \"%d\\n\", b 0 }")
        let outcome = Self.runner().run(p, name: "clean-\(getpidText())")
        #expect(outcome.failure == nil, "\(outcome.detail)")
    }

    @Test func kindsOfFailure() {
        let r = Self.runner(timeout: 1000)
        let name = "kinds-\(getpidText())"
        // Not valid IL.
        #expect(r.run(Array("function".utf8), name: name).failure == .invalidProgram)
        // A stack address printed natively differs from the interpreter's pointer.
        let pointer = Self.main("""
            \t%p =l alloc8 8
            \tcall $printf(l $fmt, ..., l %p)
            \tret 0
            """, data: "data $fmt = { b \"%lx\\n\", b 0 }")
        #expect(r.run(pointer, name: name).failure == .mismatch)
        // Division by zero traps natively, but the interpreter reports it
        // first: the program is undefined, not miscompiled.
        let divide = Self.main("\t%z =w copy 0\n\t%x =w div 1, %z\n\tret %x")
        #expect(r.run(divide, name: name).failure == .interpreterError)
        // Reading past an alloc slot's end: only the interpreter sees it.
        let oob = Self.main("\t%p =l alloc8 8\n\t%q =l add %p, 8\n\t%x =w loadub %q\n\t%y =w and %x, 0\n\tret %y")
        #expect(r.run(oob, name: name).failure == .interpreterError)
        // The interpreter's address of the first data definition is 0x100010000;
        // natively nothing is mapped there: a crash the interpreter does not share.
        let wild = Self.main("\t%x =l loadl 4295032832\n\t%y =w copy %x\n\tret %y", data: "data $d = { l 7 }")
        #expect(r.run(wild, name: name).failure == .crash)
        // Interpreter pointers have 16 low zero bits; a native stack address
        // does not (but for 1 in 4096), so this loop only ends interpreted.
        let spin = Self.main("""
            \t%p =l alloc16 16
            \tjmp @spin
            @spin
            \t%c =l and %p, 65535
            \tjnz %c, @spin, @done
            @done
            \tret 0
            """)
        #expect(r.run(spin, name: name).failure == .timeout)
    }

    /// The CI campaign: a fixed seed, 500 programs, all clean.
    @Test func fixedSeedCampaignIsClean() {
        var options = Campaign.Options()
        options.seed = 2026
        options.count = 500
        options.jobs = 2
        let summary = Campaign.run(options)
        #expect(summary.programs == 500)
        for f in summary.failures {
            Issue.record("\(f.kind.rawValue) for program seed \(f.programSeed): \(f.shrunk ?? f.reproducer ?? "")\n\(f.detail)")
        }
        print("differential campaign: \(summary.programs) programs in \(summary.seconds) s")
    }
}

func getpidText() -> String { String(UInt32.random(in: 0..<UInt32.max)) }
