// How hard the compiler works on a module: `-O0`, `-O1`, `-O2`.
//
// A level only chooses which IR passes run; what each level runs is
// `FrontHalf.pipeline`, the one list of passes. Every level keeps the
// program's meaning, and every level runs what QBE compatibility needs
// (dead code elimination), so a program that compiles at one level compiles
// at all of them.
public enum OptimizationLevel: Int, Comparable, CaseIterable, Sendable, CustomStringConvertible {
    /// Only what QBE compatibility needs.
    case o0 = 0
    case o1 = 1
    case o2 = 2

    /// What `keel il` and `keel opt` use when no level is given.
    public static let standard: OptimizationLevel = .o2

    /// The command-line spelling, `-O2`.
    public var flag: String { "-O\(rawValue)" }
    public var description: String { flag }

    /// The level a command-line flag (`-O0`, `-O1`, `-O2`) names, or nil.
    public init?(flag: String) {
        guard let level = Self.allCases.first(where: { $0.flag == flag }) else { return nil }
        self = level
    }

    public static func < (a: OptimizationLevel, b: OptimizationLevel) -> Bool { a.rawValue < b.rawValue }
}
