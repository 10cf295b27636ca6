import KeelDriver
import KeelFuzz
import KeelTestSupport
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
        let mismatch = r.run(pointer, name: name)
        #expect(mismatch.failure == .mismatch)
        // Named by the first level compiled, in the detail and the reproducer name.
        #expect(mismatch.level == .o0 && mismatch.detail.hasPrefix("at -O0:") && mismatch.name == "mismatch-O0")
        var atO2 = r
        atO2.levels = [.o2]
        #expect(atO2.run(pointer, name: name).name == "mismatch-O2")
        // Division by zero traps natively, but the interpreter reports it
        // first: the program is undefined, not miscompiled.
        let divide = Self.main("\t%z =w copy 0\n\t%x =w div 1, %z\n\tret %x")
        let undefined = r.run(divide, name: name)
        #expect(undefined.failure == .interpreterError && undefined.level == nil && undefined.name == "interpreter-error")
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

    /// The oracle runs the module as verified, before any IR pass: a local
    /// stays in its slot there, whatever the levels compiled do with it.
    @Test func oracleRunsBeforeThePasses() throws {
        let p = Self.main("\t%x =l alloc4 4\n\tstorew 7, %x\n\t%v =w loadw %x\n\tret %v")
        guard case .success(let verified) = Pipeline.verify(p) else {
            Issue.record("does not verify")
            return
        }
        #expect(verified.functions[0].blocks[0].instructions.contains { $0.op == .alloc4 })
        guard case .success(let optimized) = Pipeline.optimize(verified, level: .o2) else {
            Issue.record("fails at -O2")
            return
        }
        #expect(!optimized.functions[0].blocks[0].instructions.contains { $0.op == .alloc4 })
        #expect(Pipeline.interpret(verified).status == 7)
        #expect(Self.runner().run(p, name: "oracle-\(getpidText())").failure == nil)
    }

    /// The CI campaign: a fixed seed, 200 programs, each compiled at -O0 and
    /// at -O2, all clean.
    @Test func fixedSeedCampaignIsClean() {
        var options = Campaign.Options()
        options.seed = 2026
        options.count = 200
        options.jobs = 2
        options.shrink = false
        #expect(options.levels == [.o0, .o2])
        let summary = Campaign.run(options)
        #expect(summary.programs == 200)
        for f in summary.failures {
            let report = "\(f.kind.rawValue) at \(f.level?.flag ?? "-") for program seed \(f.programSeed): " +
                "\(f.shrunk ?? f.reproducer ?? "")\n\(f.detail)"
            Issue.record(Comment(rawValue: report))
        }
        print("differential campaign: \(summary.programs) programs at -O0 and -O2 in \(summary.seconds) s, " +
              "\(summary.failures.count) failures")
    }
}

/// The CI campaign of programs with references (`keel fuzz --gc`): a fixed
/// seed, 60 programs at -O0 and -O2, each linked with the runtime and run
/// plainly and under KEEL_GC_STRESS=1 KEEL_GC_VERIFY=1, all clean.
@Suite struct GCCampaignTests {
    @Test func fixedSeedGCCampaignIsClean() {
        var options = Campaign.Options()
        options.seed = 2026
        options.count = 60
        options.jobs = 2
        options.shrink = false
        options.gc = true
        options.runtimeDirectory = KeelBinary.packageRoot.appendingPathComponent("Sources/KeelRuntime").path
        let summary = Campaign.run(options)
        #expect(summary.programs == 60)
        for f in summary.failures {
            Issue.record(Comment(rawValue: "\(f.kind.rawValue) at \(f.level?.flag ?? "-") for program seed " +
                                 "\(f.programSeed): \(f.reproducer ?? "")\n\(f.detail)"))
        }
        print("GC campaign: \(summary.programs) programs at -O0 and -O2, plain and under GC stress, in " +
              "\(summary.seconds) s, \(summary.failures.count) failures")
    }

    @Test func gcProgramsUseTheRuntime() {
        let text = Campaign.program(seed: 3, { var o = Campaign.Options(); o.gc = true; return o }())
        #expect(text.contains("call $keel_alloc") && text.contains("storer") && text.contains("=r "))
        #expect(text == GCProgramGenerator.generate(seed: 3))
        // Global reference cells are written by some programs' statements.
        #expect((0..<20).contains { GCProgramGenerator.generate(seed: $0).range(of: #"storer %r\d, \$globals"#, options: .regularExpression) != nil })
    }
}

func getpidText() -> String { String(UInt32.random(in: 0..<UInt32.max)) }
