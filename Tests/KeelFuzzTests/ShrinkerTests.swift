import KeelFuzz
import Testing

@Suite struct ShrinkerTests {
    /// A failure that needs one instruction: the shrinker must get down to
    /// little more than it, and every candidate it keeps must verify.
    @Test func shrinksToTheFailingInstruction() {
        let text = (0..<50).lazy.map { ProgramGenerator.generate(seed: $0) }.first { $0.contains(" udiv ") } ?? ""
        let fails: (String) -> Bool = { candidate in
            guard candidate.contains(" udiv ") else { return false }
            if case .success = Pipeline.check(Array(candidate.utf8), options: Pipeline.interpreterOptions) { return true }
            return false
        }
        #expect(fails(text))
        let small = Shrinker.shrink(text, budget: 3000, stillFails: fails)
        #expect(fails(small))
        let before = text.split(separator: "\n").count, after = small.split(separator: "\n").count
        #expect(after * 10 < before, "\(before) lines shrunk to only \(after)")
        // Besides the lines that make memory defined, which are kept on purpose.
        let instructions = small.split(separator: "\n").filter {
            $0.hasPrefix("\t") && !$0.contains("$memset(") && !$0.contains("$calloc(")
        }
        #expect(instructions.count <= 8, "\(small)")
    }

    @Test func respectsTheBudget() {
        var calls = 0
        _ = Shrinker.shrink(ProgramGenerator.generate(seed: 5), budget: 25) { _ in
            calls += 1
            return false
        }
        #expect(calls <= 25)
    }
}
