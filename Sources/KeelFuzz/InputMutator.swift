// Mutations of IL text for robustness fuzzing of the front end and code
// generator. Byte edits exercise the lexer and parser; line and token
// edits (swap an opcode, a type letter, a temporary or a label for another
// from the corpus) keep most of the text well-formed, so many mutants get
// past parsing into SSA construction, verification and compilation.
import KeelRandom
public enum InputMutator {
    static let interesting: [UInt8] = Array("%@$:,(){}=+-#\"\\ \t\n0123456789_.swldrbhz".utf8) + [0, 0x80, 0xFF, 13]
    static let words = ["w", "l", "s", "d", "b", "h", "sb", "ub", "sh", "uh", "add", "sub", "mul", "div", "rem",
                        "udiv", "urem", "and", "or", "xor", "shl", "shr", "sar", "neg", "sqrt", "copy", "cast", "call",
                        "jmp", "jnz", "ret", "hlt", "phi", "alloc4", "alloc8", "alloc16", "loadw", "loadl",
                        "loadd", "loads", "storew", "storel", "stored", "stores", "storeb", "blit", "vastart",
                        "vaarg", "extsw", "extuw", "extsb", "dtosi", "stoui", "ultof", "swtof", "truncd", "exts",
                        "ceqw", "csltl", "cuod", "cgtd", "env", "export", "function", "data", "type", "align",
                        "thread", "section", "z", "0", "-1", "1", "9223372036854775807", "4294967296", "d_1.5",
                        "s_-0.5", "...", "$main", "$printf", "%x", "@start"]

    /// One mutant of `bytes`: one to four edits, drawing replacement
    /// material from `donor` (another corpus file; may be `bytes` itself).
    public static func mutate(_ bytes: [UInt8], donor: [UInt8], rng: inout SplitMix64) -> [UInt8] {
        var b = bytes
        // Mostly one edit: most mutants then still parse and reach the later stages.
        let edits = rng.chance(25) ? 2 + rng.below(3) : 1
        for _ in 0..<edits {
            if b.isEmpty { b = [10] }
            let at = rng.below(b.count)
            switch rng.below(14) {
            case 0 where rng.chance(50): b.removeSubrange(rng.below(b.count + 1)...)  // truncate
            case 0, 12, 13: replaceToken(&b, at: at, donor: donor, rng: &rng)
            case 1: b[at] = UInt8(truncatingIfNeeded: rng.next())
            case 2: b[at] = rng.pick(interesting)
            case 3: b.remove(at: at)
            case 4: b.insert(rng.pick(interesting), at: at)
            case 5, 6: replaceToken(&b, at: at, donor: donor, rng: &rng)
            case 7: replaceToken(&b, at: at, donor: Array(rng.pick(words).utf8), rng: &rng)
            case 8: editLines(&b, rng: &rng)
            case 9:
                // Splice a run of the donor's lines in.
                let lines = lineRanges(donor)
                guard !lines.isEmpty else { continue }
                let first = rng.below(lines.count)
                let last = min(lines.count - 1, first + rng.below(4))
                let chunk = Array(donor[lines[first].lowerBound..<lines[last].upperBound])
                let target = lineRanges(b)
                b.insert(contentsOf: chunk, at: target.isEmpty ? 0 : target[rng.below(target.count)].lowerBound)
            default:
                // Duplicate a short chunk elsewhere (repeats labels, temps, definitions).
                let len = min(1 + rng.below(40), b.count - at)
                let chunk = Array(b[at..<(at + len)])
                b.insert(contentsOf: chunk, at: rng.below(b.count))
            }
        }
        return b
    }

    /// Byte ranges of `bytes`' lines, each including its newline.
    static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        for (i, c) in bytes.enumerated() where c == 10 {
            out.append(start..<(i + 1))
            start = i + 1
        }
        if start < bytes.count { out.append(start..<bytes.count) }
        return out
    }

    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 46
            || c == 37 || c == 64 || c == 36 || c == 58  // % @ $ :
    }

    /// The word (identifier, number, sigil name) around `at`, if any.
    static func token(in bytes: [UInt8], around at: Int) -> Range<Int>? {
        guard at < bytes.count, isWordByte(bytes[at]) else { return nil }
        var lo = at, hi = at + 1
        while lo > 0 && isWordByte(bytes[lo - 1]) { lo -= 1 }
        while hi < bytes.count && isWordByte(bytes[hi]) { hi += 1 }
        return lo..<hi
    }

    /// Replaces the token near `at` with a random token of `donor`.
    static func replaceToken(_ b: inout [UInt8], at: Int, donor: [UInt8], rng: inout SplitMix64) {
        var pos = at
        while pos < b.count && !isWordByte(b[pos]) { pos += 1 }
        guard let target = token(in: b, around: pos), !donor.isEmpty else { return }
        var d = rng.below(donor.count)
        var tries = 0
        while !isWordByte(donor[d]) && tries < 64 { d = rng.below(donor.count); tries += 1 }
        guard let source = token(in: donor, around: d) else { return }
        b.replaceSubrange(target, with: donor[source])
    }

    /// Deletes, duplicates or swaps whole lines.
    static func editLines(_ b: inout [UInt8], rng: inout SplitMix64) {
        let lines = lineRanges(b)
        guard lines.count >= 2 else { return }
        let i = rng.below(lines.count), j = rng.below(lines.count)
        var parts = lines.map { Array(b[$0]) }
        switch rng.below(3) {
        case 0: parts.remove(at: i)
        case 1: parts.insert(parts[i], at: j)
        default: parts.swapAt(i, j)
        }
        b = parts.flatMap { $0 }
    }
}
