import KeelRandom

/// Mutations of KeelLisp source text: one to three edits, each deleting a
/// character, inserting one of the characters that matter to the reader,
/// duplicating a short run, or swapping two characters. Used by
/// `keel fuzz --lisp-mutate` and LispBadInputTests.
public enum LispMutator {
    static let insertions = Array("()[]{}#_'\\\";:&^~@ x1.-\n")

    public static func mutate(_ source: String, _ random: inout SplitMix64) -> String {
        var text = Array(source)
        let edits = 1 + Int(random.next() % 3)
        for _ in 0..<edits where !text.isEmpty {
            let i = Int(random.next() % UInt64(text.count))
            switch random.next() % 4 {
            case 0: text.remove(at: i)
            case 1: text.insert(insertions[Int(random.next() % UInt64(insertions.count))], at: i)
            case 2:
                let j = min(text.count, i + 1 + Int(random.next() % 12))
                text.insert(contentsOf: text[i..<j], at: i)
            default:
                let j = Int(random.next() % UInt64(text.count))
                text.swapAt(i, j)
            }
        }
        return String(text)
    }
}
