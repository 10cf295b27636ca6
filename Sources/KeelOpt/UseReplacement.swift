import KeelIR

extension Function {
    /// Replaces every operand `r` by `resolved(r)`: phi arguments in every
    /// block, instruction and terminator operands in the blocks
    /// `includesBody` admits (a pass that already rewrote some blocks while
    /// walking them skips those). For the passes that merge equal values.
    mutating func replaceUses(by resolved: (Ref) -> Ref, includesBody: (Int) -> Bool = { _ in true }) {
        for b in blocks.indices {
            for p in blocks[b].phis.indices {
                for k in blocks[b].phis[p].incoming.indices {
                    blocks[b].phis[p].incoming[k].value = resolved(blocks[b].phis[p].incoming[k].value)
                }
            }
            guard includesBody(b) else { continue }
            for i in blocks[b].instructions.indices {
                let ins = blocks[b].instructions[i]
                for k in 0..<operandCount(of: ins) {
                    let r = operand(k, of: ins)
                    if resolved(r) != r { setOperand(k, ofInstruction: i, inBlock: b, to: resolved(r)) }
                }
            }
            let term = blocks[b].terminator
            let v = Function.operand(of: term)
            if resolved(v) != v { blocks[b].terminator = Function.terminator(term, withOperand: resolved(v)) }
        }
    }
}
