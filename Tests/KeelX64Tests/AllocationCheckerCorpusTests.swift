import Foundation
import KeelAnalysis
import KeelCodegen
import KeelDriver
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

/// The allocation checker on real x86-64 allocations: every function of our
/// IL programs (and of QBE's test suite and cproc's IL when /work/qbe,
/// /work/bench or $KEEL_QBE_DIR, $KEEL_BENCH_DIR exist) is selected, allocated and checked exactly as `keel il` does,
/// with the emitter's copy order and frame cells: no report. A corrupted
/// real allocation is reported.
struct AllocationCheckerCorpusTests {
    static let ourPrograms = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/il")
    static var qbeTests: URL? {
        let dir = ProcessInfo.processInfo.environment["KEEL_QBE_DIR"] ?? "/work/qbe"
        let url = URL(fileURLWithPath: dir).appendingPathComponent("test")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    static var benchDirectory: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["KEEL_BENCH_DIR"] ?? "/work/bench")
    }

    static func ssaFiles(_ dir: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".ssa") }.sorted().map { dir.appendingPathComponent($0) }
    }

    /// Selected and allocated functions of a file that compiles (files keel rejects are skipped).
    static func allocatedFunctions(_ url: URL) -> [(X64Function, AllocationResult)] {
        guard let module = verifiedCorpusModule(at: url) else { return [] }
        let abi = SysVABI(module: module)
        var out: [(X64Function, AllocationResult)] = []
        for f in module.functions {
            guard let selected = try? selectInstructions(f, in: module, abi: abi),
                  let a = try? allocateRegisters(selected.machine, registers: X64Reg.sysV) else { continue }
            out.append((selected, a))
        }
        return out
    }

    func checkAll(_ files: [URL]) -> (functions: Int, spilled: Int) {
        var functions = 0, spilled = 0
        for url in files {
            for (fn, a) in Self.allocatedFunctions(url) {
                let errors = CodeGenerator(target: X64Target()).check(fn, a, X64Frame(function: fn, allocation: a))
                #expect(errors.isEmpty, "\(url.lastPathComponent) $\(fn.name): \(errors.first ?? "")")
                functions += 1
                if !a.spillSlotClasses.isEmpty { spilled += 1 }
            }
        }
        return (functions, spilled)
    }

    @Test func ourILProgramsPassTheChecker() {
        let (functions, spilled) = checkAll(Self.ssaFiles(Self.ourPrograms))
        print("allocation checker: \(functions) functions of Tests/Programs/il (\(spilled) with spills), no report")
        #expect(functions > 100)
        #expect(spilled > 5)
    }

    @Test func qbeTestSuitePassesTheChecker() throws {
        guard let dir = Self.qbeTests else { return }  // CI has no QBE checkout
        let (functions, spilled) = checkAll(Self.ssaFiles(dir))
        print("allocation checker: \(functions) functions of QBE's tests (\(spilled) with spills), no report")
        #expect(functions > 100)
    }

    /// cproc's own sources as IL (the compile-speed benchmark), when present ($KEEL_BENCH_DIR or /work/bench).
    @Test func benchmarkILPassesTheChecker() throws {
        let dir = Self.benchDirectory
        let files = Self.ssaFiles(dir)
        guard !files.isEmpty else { return }
        let (functions, spilled) = checkAll(files)
        print("allocation checker: \(functions) functions of \(dir.path) (\(spilled) with spills), no report")
        #expect(functions > 100)
    }

    /// Real code under pressure: the same programs allocated with a small x86-64
    /// register file (fixed operands may still name any register), so most
    /// functions spill and join conventions shuffle; every allocation the
    /// allocator accepts passes the checker.
    @Test func realCodeWithFewRegistersPassesTheChecker() throws {
        let sysV = X64Reg.sysV
        let small = RegisterFile(
            allocatable: [.int: [X64Reg.rax, X64Reg.rcx, X64Reg.rdx, X64Reg.rbx, X64Reg.r12],
                          .float: [X64Reg.xmm(0), X64Reg.xmm(1), X64Reg.xmm(8)]],
            callerSaved: sysV.callerSaved, classes: sysV.classes, names: sysV.names, scratch: sysV.scratch)
        var files = Self.ssaFiles(Self.ourPrograms)
        if let qbe = Self.qbeTests { files += Self.ssaFiles(qbe) }
        files += Self.ssaFiles(Self.benchDirectory)
        var functions = 0, spilled = 0, refused = 0, outsideFile = 0
        for url in files {
            guard let module = verifiedCorpusModule(at: url) else { continue }
            let abi = SysVABI(module: module)
            for f in module.functions {
                guard let fn = try? selectInstructions(f, in: module, abi: abi) else { continue }
                guard let a = try? allocateRegisters(fn.machine, registers: small) else { refused += 1; continue }
                var errors = checkAllocation(fn.machine, a, registers: small, sequentialize:
                    emitterCopySequencer(registers: small, spillSlotClasses: a.spillSlotClasses), maxErrors: 1000)
                // The allocator leaves a value defined in a fixed register (an argument in rdi)
                // there for later free uses, although rdi is not allocatable in this file. Harmless
                // with the real file (every fixed register is allocatable, the scratch ones never
                // fixed): counted, not failed. Any other report fails.
                let before = errors.count
                errors.removeAll {
                    if case .reservedRegister(_, _, let r) = $0.kind { return r != X64Reg.intScratch && r != X64Reg.floatScratch }
                    return false
                }
                outsideFile += before - errors.count
                #expect(errors.isEmpty, "\(url.lastPathComponent) $\(fn.name): \(errors.first?.description ?? "")")
                functions += 1
                if !a.spillSlotClasses.isEmpty { spilled += 1 }
            }
        }
        print("allocation checker, small register file: \(functions) functions (\(spilled) with spills, \(refused) refused), "
              + "\(outsideFile) free operands in non-allocatable fixed registers, no other report")
        #expect(spilled > 20)
    }

    /// The checker is wired to x86-64's registers, copy order and frame: a real
    /// allocation with a reload removed, or with two live slots in one frame cell, fails.
    @Test func corruptedRealAllocationsAreReported() throws {
        var dropped = 0, overlapped = 0
        for url in Self.ssaFiles(Self.ourPrograms) {
            for (fn, a) in Self.allocatedFunctions(url) where a.spillSlotClasses.count >= 2 {
                guard let k = a.edits.firstIndex(where: {
                    if case .stack = $0.from, case .reg = $0.to { true } else { false }
                }) else { continue }
                var m = a
                m.edits.remove(at: k)
                if !CodeGenerator(target: X64Target()).check(fn, m, X64Frame(function: fn, allocation: m)).isEmpty { dropped += 1 }
                let cells = [Int](repeating: 0, count: a.spillSlotClasses.count)
                if !checkAllocation(fn.machine, a, registers: X64Reg.sysV, slotCells: cells).isEmpty { overlapped += 1 }
            }
        }
        #expect(dropped > 3)
        #expect(overlapped > 3)
    }
}
