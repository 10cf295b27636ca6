/// Hands out temporary names that cannot collide with names already in use.
///
/// A fresh name derived from `x` is `x` itself if unused, else `x.1`, `x.2`, ...
/// (the first unused). Names of the form `.N` (a dot and digits) are reserved
/// for unnamed temporaries, which callers name after their index; `fresh`
/// never returns such a name.
struct TempNamer {
    private var used: Set<String> = []
    /// Next suffix to try per base name, so that deriving many names from one
    /// base stays linear.
    private var nextSuffix: [String: Int] = [:]

    init() {}

    /// Records names that exist already (e.g. all temporaries of a parsed function).
    mutating func reserve(_ name: String) { used.insert(name) }

    /// Records an existing name that `derived` could produce from one of
    /// `bases`: `base.N` with `base` in `bases`. Hashes only names of that
    /// shape with a non-empty base (not `.N`, the shape of many front ends'
    /// unnamed temporaries).
    mutating func reserveIfDerived(_ name: String, fromAnyOf bases: Set<String>) {
        let u = name.utf8
        var i = u.endIndex
        var sawDigit = false
        while i > u.startIndex {
            let before = u.index(before: i)
            let c = u[before]
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                sawDigit = true
                i = before
                continue
            }
            guard c == UInt8(ascii: "."), sawDigit, before > u.startIndex else { return }
            if bases.contains(String(Substring(u[u.startIndex..<before]))) { used.insert(name) }
            return
        }
    }

    /// A name derived from `base`, never handed out before.
    mutating func fresh(_ base: String, allowBase: Bool = true) -> String {
        let root = base.isEmpty ? "v" : base
        if allowBase, !TempNamer.isReserved(root), used.insert(root).inserted { return root }
        var k = nextSuffix[root, default: 1]
        while true {
            let candidate = "\(root).\(k)"
            k += 1
            if used.insert(candidate).inserted {
                nextSuffix[root] = k
                return candidate
            }
        }
    }

    /// `base.N` for the next N from `counter` such that the name was not
    /// reserved. Not recorded: callers give each base its own counter, and
    /// `base.N` names of distinct bases differ (stripping `.N` gives the base
    /// back), so they cannot collide with each other. For renaming inside an
    /// existing function, after `reserveIfDerived` of every name.
    func derived(_ base: String, counter: inout Int) -> String {
        let root = base.isEmpty ? "v" : base
        while true {
            counter += 1
            let candidate = root + "." + String(counter)
            if used.isEmpty || !used.contains(candidate) { return candidate }
        }
    }

    /// The name given to an unnamed temporary.
    static func unnamed(_ t: Temp) -> String { ".\(t.index)" }

    /// Whether `name` has the shape of an unnamed temporary's name (`.` then digits).
    static func isReserved(_ name: String) -> Bool {
        let u = name.utf8
        guard u.count > 1, u.first == UInt8(ascii: ".") else { return false }
        return u.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
