import Foundation
import KeelAnalysis
import KeelCodegen
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

/// The allocation checker on real x86-64 allocations: every function of our
/// IL programs (and of QBE's test suite when /work/qbe or $KEEL_QBE_DIR
/// exists) is selected, allocated and checked exactly as `keel il` does,
/// with the emitter's copy order and frame cells: no report. A corrupted
/// real allocation is reported.
struct AllocationCheckerCorpusTests {
    static let ourPrograms = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/il")
    static var qbeTests: URL? {
        let dir = ProcessInfo.processInfo.environment["KEEL_QBE_DIR"] ?? "/work/qbe"
        let url = URL(fileURLWithPath: dir).appendingPathComponent("test")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    static func ssaFiles(_ dir: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".ssa") }.sorted().map { dir.appendingPathComponent($0) }
    }

    /// Selected and allocated functions of a file that compiles (files keel rejects are skipped).
    static func allocatedFunctions(_ url: URL) -> [(X64Function, AllocationResult)] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        var module = Module()
        do { try ILParser.parse(Array(data), fileName: url.lastPathComponent, into: &module) } catch { return [] }
        guard constructSSA(&module).isEmpty,
              !Verifier.verify(module, options: VerifierOptions(strictCallSignatures: false)).contains(where: \.isError)
        else { return [] }
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
                let errors = checkX64Allocation(fn, a)
                #expect(errors.isEmpty, "\(url.lastPathComponent) $\(fn.name): \(errors.first?.description ?? "")")
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
                if !checkX64Allocation(fn, m).isEmpty { dropped += 1 }
                let cells = [Int](repeating: 0, count: a.spillSlotClasses.count)
                if !checkAllocation(fn.machine, a, registers: X64Reg.sysV, slotCells: cells).isEmpty { overlapped += 1 }
            }
        }
        #expect(dropped > 3)
        #expect(overlapped > 3)
    }
}
