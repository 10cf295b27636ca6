/// Reduces a failing KeelLisp program while it keeps failing the same way:
/// greedy passes over its forms (found in the text, strings and comments
/// skipped) that delete a form, or replace a list by one of its items,
/// until no candidate is accepted or the budget of predicate calls is spent.
public enum LispShrinker {
    public static func shrink(_ text: String, budget: Int, stillFails: (String) -> Bool) -> String {
        var current = Array(text.unicodeScalars)
        var calls = 0
        var progress = true
        while progress && calls < budget {
            progress = false
            // Larger forms first: their removal saves the most.
            for span in forms(current).sorted(by: { $0.count > $1.count }) where calls < budget {
                guard span.upperBound <= current.count else { break }
                var candidates: [[Unicode.Scalar]] = [Array(current[..<span.lowerBound] + current[span.upperBound...])]
                for child in forms(Array(current[span])).prefix(4) where child.lowerBound > 0 {
                    let inner = Array(current[span])[child]
                    candidates.append(Array(current[..<span.lowerBound]) + inner + Array(current[span.upperBound...]))
                }
                for c in candidates where calls < budget {
                    calls += 1
                    var s = String.UnicodeScalarView()
                    s.append(contentsOf: c)
                    if stillFails(String(s)) {
                        current = c
                        progress = true
                        break
                    }
                }
                if progress { break }
            }
        }
        var s = String.UnicodeScalarView()
        s.append(contentsOf: current)
        return String(s)
    }

    /// The ranges of the parenthesized forms of `text` (every nesting level),
    /// the outermost of a nested text excluded when it is the whole text.
    static func forms(_ text: [Unicode.Scalar]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var stack: [Int] = []
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == "\"" {
                i += 1
                while i < text.count && text[i] != "\"" { i += text[i] == "\\" ? 2 : 1 }
            } else if c == ";" {
                while i < text.count && text[i] != "\n" { i += 1 }
            } else if c == "\\" {
                i += 1
            } else if c == "(" || c == "[" || c == "{" {
                stack.append(i)
            } else if c == ")" || c == "]" || c == "}" {
                if let open = stack.popLast(), !(open == 0 && i == text.count - 1) {
                    // Keep prefixes ('( #{) with their form.
                    var start = open
                    if start > 0 && (text[start - 1] == "'" || text[start - 1] == "#") { start -= 1 }
                    result.append(start..<(i + 1))
                }
            }
            i += 1
        }
        return result
    }
}
