// Contract: `storer` always gets its card-marking barrier, and a program
// compiled without it is caught. Over Tests/Programs/gc: every `storer`
// through a register address is followed by an `X64Inst.cardMark` of the
// same address in the selected code; and a target identical to X64Target
// except that selection drops every card mark (the planted bug) compiles the
// programs that store young objects into old ones to executables that
// KEEL_GC_VERIFY stops with the runtime's report of a field pointing into
// the evacuated nursery (exit status 70), while the real target's pass.
import Foundation
import KeelAnalysis
import KeelCodegen
import KeelDriver
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

struct NoBarrierTarget: Target {
    let base = X64Target()
    var names: [String] { ["no-barrier"] }
    var registers: RegisterFile { base.registers }
    func moduleABI(_ module: Module) -> SysVABI { base.moduleABI(module) }
    func lowerABI(_ f: Function, _ abi: SysVABI) -> SysVBoundary { base.lowerABI(f, abi) }
    func select(_ f: Function, in module: Module, abi: SysVABI, boundary: SysVBoundary) throws(SelectionError) -> X64Function {
        var s = try base.select(f, in: module, abi: abi, boundary: boundary)
        s.machine = withoutCardMarks(s.machine)
        return s
    }
    func layoutFrame(_ s: X64Function, _ a: AllocationResult, spillSlots: SpillSlotSharing) -> X64Frame {
        base.layoutFrame(s, a, spillSlots: spillSlots)
    }
    func checkFrame(_ s: X64Function, _ a: AllocationResult, _ frame: X64Frame) -> [String] { base.checkFrame(s, a, frame) }
    func makeWriter(for module: Module) -> X64Writer { base.makeWriter(for: module) }
}

/// `mf` rebuilt without its `cardMark` instructions.
func withoutCardMarks(_ mf: MachineFunction<X64Inst>) -> MachineFunction<X64Inst> {
    var out = MachineFunction<X64Inst>(name: mf.name)
    out.vregClasses = mf.vregClasses
    out.referenceVRegs = mf.referenceVRegs
    for b in mf.blocks {
        _ = out.beginBlock(params: b.params)
        out.setSuccessors(b.successors, arguments: b.branchArguments)
        for i in b.instructions {
            let inst = mf.instructions[i]
            if case .cardMark = inst.payload { continue }
            out.append(inst.payload, Array(mf.operands[inst.operandRange]), clobbers: inst.clobbers,
                       terminator: inst.isTerminator, safepoint: inst.isSafepoint)
        }
    }
    out.computePredecessors()
    return out
}

@Suite struct MissingBarrierTests {
    static let directory = ILPrograms.suite("gc")

    static func module(_ name: String) throws -> Module {
        let text = try String(contentsOf: directory.appendingPathComponent(name + ".ssa"), encoding: .utf8)
        var module = try Module(parsing: text, fileName: name + ".ssa")
        _ = try FrontHalf.run(&module, upTo: .simplified, options: VerifierOptions(strictCallSignatures: false))
        return module
    }

    @Test func everyStorerThroughARegisterIsFollowedByItsCardMark() throws {
        var barriers = 0
        for name in ILPrograms.names(in: Self.directory) {
            let module = try Self.module(name)
            for f in module.functions {
                let mf = try selectInstructions(f, in: module).machine
                for (i, inst) in mf.instructions.enumerated() {
                    guard case .cardMark(let addr) = inst.payload else { continue }
                    // The store just before it, to the same address through the same registers.
                    let store = mf.instructions[i - 1]
                    var stored: X64Address? = nil
                    if case .store(8, false, let a) = store.payload { stored = a }
                    if case .storeImm(8, _, let a) = store.payload { stored = a }
                    #expect(stored == addr, "\(name) $\(mf.name) i\(i): card mark after \(store.payload)")
                    let storeBase = mf.operands[store.operandRange].filter { $0.kind == .use }.suffix(addr.registerCount)
                    let markBase = mf.operands[inst.operandRange].filter { $0.kind == .use }
                    #expect(storeBase.map(\.vreg) == markBase.map(\.vreg), "\(name) $\(mf.name) i\(i): other address registers")
                    barriers += 1
                }
            }
            // A storer to a global cell named by its symbol needs no card mark (the cell is a root).
            let storers = module.functions.reduce(0) { n, f in
                n + f.blocks.reduce(0) { b, block in
                    b + block.instructions.filter { ins in
                        guard ins.op == .storer else { return false }
                        if case .symbol? = f.constant(ins.b) { return false }
                        return true
                    }.count
                }
            }
            let marks = try module.functions.reduce(0) { n, f in
                n + (try selectInstructions(f, in: module).machine.instructions.filter {
                    if case .cardMark = $0.payload { return true } else { return false }
                }.count)
            }
            #expect(marks == storers, "\(name): \(storers) storer, \(marks) card marks")
        }
        #expect(barriers > 30)
    }

    /// Programs that store young objects into old ones (tree: parents before children, ...).
    static let oldToYoung = ["old_to_young", "tree", "bst", "hash_table", "vector_grow", "queue", "cycle"]

    static func run(_ name: String, _ generator: inout CodeGenerator<some Target>) throws -> KeelBinary.Result {
        let objects = RuntimeObjects.shared
        try #require(objects.failure == nil, "the runtime does not build: \(objects.failure ?? "")")
        let assembly = try generator.compile(try module(name))
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-nobarrier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let s = work.appendingPathComponent(name + ".s"), exe = work.appendingPathComponent(name)
        try Data(assembly).write(to: s)
        let cc = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["cc", s.path] + objects.paths + ["-o", exe.path])
        try #require(cc.status == 0, "cc \(name): \(cc.stderr)")
        return try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                  ["KEEL_GC_STRESS=1", "KEEL_GC_VERIFY=1", "KEEL_NURSERY=64K", exe.path], timeout: 120)
    }

    @Test(arguments: MissingBarrierTests.oldToYoung)
    func programWithoutBarriersIsStoppedByTheHeapVerifier(_ name: String) throws {
        var real = CodeGenerator(target: X64Target())
        let good = try Self.run(name, &real)
        #expect(good.status == 0 && good.stderr.isEmpty, "\(name) with barriers: \(good.status) \(good.stderr)")
        var planted = CodeGenerator(target: NoBarrierTarget())
        let bad = try Self.run(name, &planted)
        #expect(bad.status == 70, "\(name) without barriers: status \(bad.status)\n\(bad.stderr)")
        #expect(bad.stderr.contains("points into the evacuated nursery"), "\(name) without barriers: \(bad.stderr)")
    }
}
