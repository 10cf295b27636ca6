/// Reduces a failing IL program to a small one that fails the same way.
///
/// Expects a predicate `stillFails` that is true for the original text and
/// that checks validity itself (the differential runner re-parses and
/// re-verifies every candidate, and a candidate that no longer verifies has
/// another failure kind, so it is rejected). Guarantees the returned text
/// satisfies the predicate and is no longer than the input.
///
/// Algorithm: delta debugging (Zeller and Hildebrandt, "Simplifying and
/// Isolating Failure-Inducing Input", TSE 2002) over the program's lines,
/// in passes repeated until none makes progress or the budget of predicate
/// calls runs out:
/// 1. remove whole function definitions;
/// 2. remove chunks of instruction lines, halving the chunk size down to one
///    line (ddmin's complement steps), later chunks of any lines (labels,
///    type and data definitions);
/// 3. turn conditional jumps into unconditional ones (either target);
/// 4. replace temporary operands by the constant 0 or 1.
/// Lines that make memory defined (`memset`, `calloc` calls, and lines the
/// generator marks `# init`: the first store to a local slot) are never
/// removed: without them a load would read garbage natively and zeros in
/// the interpreter, a mismatch of the shrunk program only. (Reads of
/// undefined temporaries are harmless: SSA construction makes them 0.)
public struct Shrinker {
    public var budget: Int
    var calls = 0
    var lines: [String]
    let stillFails: (String) -> Bool

    /// Shrinks `text`, calling `stillFails` at most `budget` times.
    public static func shrink(_ text: String, budget: Int = 2000, stillFails: @escaping (String) -> Bool) -> String {
        var s = Shrinker(budget: budget, lines: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
                         stillFails: stillFails)
        s.run()
        return s.text
    }

    var text: String { lines.joined(separator: "\n") }

    mutating func run() {
        var progress = true
        while progress && calls < budget {
            progress = false
            if removeFunctions() { progress = true }
            if removeChunks(instructionsOnly: true) { progress = true }
            if simplifyJumps() { progress = true }
            if replaceOperands() { progress = true }
            if removeChunks(instructionsOnly: false) { progress = true }
        }
    }

    /// Keeps `candidate` if it still fails.
    mutating func attempt(_ candidate: [String]) -> Bool {
        guard test(candidate) else { return false }
        lines = candidate
        return true
    }

    /// Whether `candidate` still fails, within the budget.
    mutating func test(_ candidate: [String]) -> Bool {
        guard calls < budget else { return false }
        calls += 1
        return stillFails(candidate.joined(separator: "\n"))
    }

    mutating func removeFunctions() -> Bool {
        var progress = false
        var i = 0
        while i < lines.count {
            if lines[i].hasPrefix("function") || (lines[i].hasPrefix("export function") && !lines[i].contains("$main(")) {
                guard let end = lines[i...].firstIndex(of: "}") else { break }
                var candidate = lines
                candidate.removeSubrange(i...end)
                if attempt(candidate) { progress = true; continue }
            }
            i += 1
        }
        return progress
    }

    /// Whether line `i` is an instruction (not a label, brace or top-level definition).
    func isInstruction(_ i: Int) -> Bool { lines[i].hasPrefix("\t") }

    /// ddmin's complement steps over instruction lines, or over all lines
    /// (labels, declarations, empty blocks' lines) when `instructionsOnly` is false.
    mutating func removeChunks(instructionsOnly: Bool) -> Bool {
        var progress = false
        func eligible(_ lines: [String]) -> [Int] {
            lines.indices.filter {
                !Shrinker.isProtected(lines[$0])
                    && (instructionsOnly ? lines[$0].hasPrefix("\t") : !lines[$0].contains("$main("))
            }
        }
        var chunk = max(1, eligible(lines).count / 2)
        while chunk >= 1 && calls < budget {
            var start = 0
            let candidates = eligible(lines)
            var removedAny = false
            var removed = Set<Int>()
            while start < candidates.count && calls < budget {
                let group = candidates[start..<min(start + chunk, candidates.count)]
                let drop = removed.union(group)
                let candidate = lines.indices.filter { !drop.contains($0) }.map { lines[$0] }
                // `lines` keeps its indexing during a pass; removals apply at its end.
                if test(candidate) {
                    removed = drop
                    removedAny = true
                }
                start += chunk
            }
            if removedAny {
                lines = lines.indices.filter { !removed.contains($0) }.map { lines[$0] }
                progress = true
            }
            if chunk == 1 { break }
            chunk /= 2
        }
        return progress
    }

    static func isProtected(_ line: String) -> Bool {
        line.contains("$memset(") || line.contains("$calloc(") || line.hasSuffix(ProgramGenerator.initMarker)
    }

    mutating func simplifyJumps() -> Bool {
        var progress = false
        for i in lines.indices where lines[i].hasPrefix("\tjnz ") {
            let parts = lines[i].split(separator: ",").map { $0.trimmingCharacters() }
            guard parts.count == 3 else { continue }
            for target in [parts[1], parts[2]] {
                var candidate = lines
                candidate[i] = "\tjmp " + target
                if attempt(candidate) { progress = true; break }
            }
        }
        return progress
    }

    mutating func replaceOperands() -> Bool {
        var progress = false
        for i in lines.indices where isInstruction(i) && !Self.isProtected(lines[i]) {
            // Operands are the %-tokens after the opcode (after '=' for a definition).
            let line = Array(lines[i].utf8)
            var p = (line.firstIndex(of: UInt8(ascii: "=")) ?? 0) + 1
            while p < line.count {
                guard line[p] == UInt8(ascii: "%") else { p += 1; continue }
                var end = p + 1
                while end < line.count, isNameByte(line[end]) { end += 1 }
                var done = false
                for constant in ["0", "1"] where !done {
                    var candidate = lines
                    candidate[i] = String(decoding: line[..<p], as: UTF8.self) + constant
                        + String(decoding: line[end...], as: UTF8.self)
                    if attempt(candidate) { progress = true; done = true }
                }
                if done { break }  // the line changed; its later operands are tried on the next pass
                p = end
            }
        }
        return progress
    }

    func isNameByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 46
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
