// Tail calls (`tailcall VAL(ARG, ...)`, docs/il-extensions.md): in the IR a
// tail call is an ordinary `call` whose `CallSite.isTail` is set, placed
// last in its block, whose terminator is `ret` of the call's result. Passes
// that know nothing of tail calls therefore see a call followed by a return,
// which is exactly what a tail call means; the verifier keeps the shape
// (VerifierFunction.swift), and the interpreter and the targets read the flag.
extension Function {
    /// Whether `i` is a call marked as a tail call.
    @inlinable
    public func isTailCall(_ i: Instruction) -> Bool {
        i.op == .call && Int(i.extra) < calls.count && calls[Int(i.extra)].isTail
    }

    /// The tail call that ends `block` in the proper shape (last instruction,
    /// terminator `ret` of its result), if there is one.
    public func tailCall(endingBlock block: Block) -> Instruction? {
        guard let last = block.instructions.last, isTailCall(last), case .ret(let v) = block.terminator,
              v == last.result else { return nil }
        return last
    }

    /// Whether any block ends in a tail call.
    public var hasTailCalls: Bool { calls.contains(where: \.isTail) }
}
