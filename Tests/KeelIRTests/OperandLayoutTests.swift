import Foundation
import KeelTestSupport
import Testing
@testable import KeelIR

/// `forEachUse` (written out for speed) and the indexed operand accessors
/// describe the same layout, and `setOperand` writes where `operand` reads.
@Suite struct OperandLayoutTests {
    @Test func forEachUseAgreesWithTheIndexedOperands() throws {
        var instructions = 0
        for name in ILPrograms.names() {
            let text = try String(contentsOf: ILPrograms.directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
            let m = try Module(parsing: text, fileName: name)
            for f in m.functions {
                for b in f.blocks {
                    for ins in b.instructions {
                        var used: [Temp] = []
                        f.forEachUse(of: ins) { used.append($0) }
                        let indexed = (0..<f.operandCount(of: ins)).compactMap { f.operand($0, of: ins).temp }
                        #expect(used == indexed, "\(name): \(ins.op.name)")
                        instructions += 1
                    }
                    var used: [Temp] = []
                    f.forEachUse(of: b.terminator) { used.append($0) }
                    #expect(used == [Function.operand(of: b.terminator).temp].compactMap { $0 })
                }
            }
        }
        #expect(instructions > 1000)
    }

    @Test func setOperandWritesWhereOperandReads() throws {
        var m = try Module(parsing: """
            function w $f(w %a, l %e) {
            @start
            \t%x =w add %a, 1
            \t%y =w call $g(env %e, w %x, l %e)
            \tstorew %y, %e
            \tret %y
            }
            """)
        var f = m.functions[0]
        let marker = f.addConstant(.integer(77))
        for i in f.blocks[0].instructions.indices {
            for k in 0..<f.operandCount(of: f.blocks[0].instructions[i]) {
                f.setOperand(k, ofInstruction: i, inBlock: 0, to: marker)
                #expect(f.operand(k, of: f.blocks[0].instructions[i]) == marker)
            }
        }
        #expect(f.operandCount(of: f.blocks[0].instructions[1]) == 4)
        #expect(f.calls[0].env == marker && f.calls[0].arguments.allSatisfy { $0.value == marker })
        m.functions[0] = f
    }
}
