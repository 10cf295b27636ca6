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
        // Division by zero: the interpreter reports it (natively it traps first).
        let divide = Self.main("\t%z =w copy 0\n\t%x =w div 1, %z\n\tret %x")
        #expect(r.run(divide, name: name).failure == .crash)
        // A load from address 8 kills the native program.
        let segfault = Self.main("\t%x =l loadl 8\n\t%y =w copy %x\n\tret %y")
        #expect(r.run(segfault, name: name).failure == .crash)
        // An endless loop.
        let loop = Self.main("\tjmp @spin\n@spin\n\tjmp @spin")
        #expect(r.run(loop, name: name).failure == .timeout)
        // A runtime error only the interpreter sees: reading past an alloc slot's end.
        let oob = Self.main("\t%p =l alloc8 8\n\t%q =l add %p, 8\n\t%x =w loadub %q\n\t%y =w and %x, 0\n\tret %y")
        #expect(r.run(oob, name: name).failure == .interpreterError)
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
