/// A basic block: phis, straight-line instructions, one terminator.
public struct Block: Hashable, Sendable {
    public var label: String
    public var phis: [Phi]
    public var instructions: [Instruction]
    public var terminator: Terminator
    /// Where the label was written.
    public var position: SourcePosition
    /// Where the terminator was written (`.unknown` for an implicit fall-through jump).
    public var terminatorPosition: SourcePosition

    public init(label: String, position: SourcePosition = .unknown) {
        self.label = label
        self.phis = []
        self.instructions = []
        self.terminator = .none
        self.position = position
        self.terminatorPosition = .unknown
    }

    public var successors: [BlockID] { terminator.successors }
}
