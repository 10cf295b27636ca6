// Differential testing of the toy target: 200 random integer programs
// (RandomIntegerPrograms.swift), each compiled by `CodeGenerator<ToyILTarget>`
// with the allocation checker and the frame check on and run on the toy
// machine, must give `$main` the result the reference interpreter gives.
import KeelRandom
import Testing

struct ToyILRandomProgramTests {
    static let programCount = 200
    static let campaignSeed: UInt64 = 0x6B65_656C_746F_7931

    @Test func randomProgramsMatchTheInterpreter() throws {
        var failures = 0
        for index in 0..<Self.programCount {
            let seed = SplitMix64.derive(Self.campaignSeed, index)
            let source = RandomIntegerProgram.generate(seed: seed)
            let name = "random-\(String(seed, radix: 16))"
            let module = try ToyILHarness.module(source, file: name + ".ssa")
            let expected = try ToyILHarness.interpret(module)
            do {
                let listing = try ToyILHarness.compile(module)
                let actual = try ToyILHarness.execute(listing, garbageSeed: seed)
                if actual != expected {
                    failures += 1
                    Issue.record("\(name): toy machine \(actual), interpreter \(expected)\n\(source)\n\(listing)")
                }
            } catch {
                failures += 1
                Issue.record("\(name): \(error)\n\(source)")
            }
            if failures >= 3 { break }
        }
    }

    /// The generator makes what it promises: programs with loops, joins,
    /// calls, and enough pressure that the allocator spills.
    @Test func randomProgramsExerciseLoopsCallsAndSpills() throws {
        var withSpills = 0, withLoops = 0, withCalls = 0
        for index in 0..<20 {
            let source = RandomIntegerProgram.generate(seed: SplitMix64.derive(Self.campaignSeed, index))
            if source.contains("@loop") { withLoops += 1 }
            if source.contains("call $mix") { withCalls += 1 }
            let listing = try ToyILHarness.compile(try ToyILHarness.module(source))
            if listing.contains("[0] = mov") { withSpills += 1 }
        }
        #expect(withLoops >= 5 && withCalls >= 10 && withSpills >= 5,
                "loops \(withLoops), calls \(withCalls), spills \(withSpills) of 20")
    }
}
