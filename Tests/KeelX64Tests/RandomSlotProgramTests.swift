import Foundation
import KeelCodegen
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

/// Random IL programs full of alloc slots — whole and partial writes, reads,
/// addresses through `add`, do-while loops, diamonds, escaping slots read
/// back through a global — compiled natively and run: the output must equal
/// the reference interpreter's. Slots are read only after a write that
/// happens on every path, so no output depends on uninitialized memory.
struct RandomSlotProgramTests {
    struct Generator {
        var rng: SplitMix64
        var lines: [String] = []
        var temps = 0
        var labels = 0
        let slotCount: Int
        /// Slots written on every path to the current point.
        var written: Set<Int> = []

        init(seed: UInt64) {
            rng = SplitMix64(seed: seed)
            slotCount = 4 + Int(rng.next() % 9)
        }

        mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        mutating func temp() -> String { temps += 1; return "%t\(temps)" }
        mutating func label() -> String { labels += 1; return "@l\(labels)" }

        /// One straight-line operation on the slots.
        mutating func operation() {
            let s = below(slotCount)
            switch below(7) {
            case 0, 1:
                lines.append("\tstorel %acc, %s\(s)")
                written.insert(s)
            case 2:
                // Partial write of the second half, through an address.
                let p = temp()
                lines += ["\t\(p) =l add %s\(s), 8", "\tstorel \(below(1000)), \(p)"]
            case 3:
                lines.append("\tstorew \(below(1000)), %s\(s)")
            case 4:
                // Escapes: a callee keeps the address; a later call reads through it.
                if written.contains(s) { lines.append("\tcall $keep(l %s\(s))") }
            default:
                guard written.contains(s) else { lines.append("\tstorel %acc, %s\(s)"); written.insert(s); return }
                let a = temp(), b = temp()
                lines += ["\t\(a) =l loadl %s\(s)", "\t%acc =l mul %acc, 31", "\t%acc =l add %acc, \(a)",
                          "\t\(b) =l call $peek()", "\t%acc =l xor %acc, \(b)"]
            }
        }

        mutating func block(depth: Int) {
            for _ in 0..<(2 + below(4)) {
                switch depth > 0 ? below(6) : 0 {
                case 1:
                    // do-while: the body runs at least once, so its writes count.
                    let body = label(), after = label()
                    let i = "%i\(labels)"
                    lines += ["\t\(i) =l copy 0", "\tjmp \(body)", body]
                    block(depth: depth - 1)
                    let c = temp()
                    lines += ["\t\(i) =l add \(i), 1", "\t\(c) =w csltl \(i), \(2 + below(3))",
                              "\tjnz \(c), \(body), \(after)", after]
                case 2:
                    let yes = label(), no = label(), join = label()
                    let x = temp(), c = temp()
                    lines += ["\t\(x) =l and %acc, \(1 << below(4))", "\t\(c) =w cnel \(x), 0",
                              "\tjnz \(c), \(yes), \(no)", yes]
                    let before = written
                    block(depth: depth - 1)
                    let left = written
                    written = before
                    lines += ["\tjmp \(join)", no]
                    block(depth: depth - 1)
                    written.formIntersection(left)
                    lines += ["\tjmp \(join)", join]
                default:
                    operation()
                }
            }
        }

        mutating func program() -> String {
            var head = ["data $fmt = { b \"%ld\\n\", b 0 }", "data $kept = { l 0 }", "data $zero = { l 0 }",
                        "function $keep(l %p) {", "@start", "\tstorel %p, $kept", "\tret", "}",
                        "function l $peek() {", "@start", "\t%p =l loadl $kept", "\t%v =l loadl %p", "\tret %v", "}",
                        "export function w $main() {", "@start", "\tstorel $zero, $kept"]
            for s in 0..<slotCount { head.append("\t%s\(s) =l alloc8 16") }
            head.append("\t%acc =l copy \(below(100))")
            block(depth: 3)
            lines += ["\tcall $printf(l $fmt, ..., l %acc)", "\tret 0", "}"]
            return (head + lines).joined(separator: "\n") + "\n"
        }
    }

    @Test func nativeMatchesInterpreter() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("keel-slots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var sharedSomewhere = 0
        for seed in 0..<40 as Range<UInt64> {
            var g = Generator(seed: seed)
            let text = g.program()
            let source = work.appendingPathComponent("p\(seed).ssa")
            try text.write(to: source, atomically: true, encoding: .utf8)

            var module = try Module(parsing: text)
            #expect(constructSSA(&module).isEmpty)
            if let main = module.functions.last, let s = try? selectInstructions(main, in: module),
               let a = try? allocateRegisters(s.machine, registers: X64Reg.sysV),
               Int(X64Frame(function: s, allocation: a).size) < X64Frame.unsharedSize(function: s, allocation: a) {
                sharedSomewhere += 1
            }

            let assembly = work.appendingPathComponent("p\(seed).s").path
            let executable = work.appendingPathComponent("p\(seed)").path
            let compiled = try KeelBinary.run(["il", source.path, "-o", assembly])
            try #require(compiled.status == 0, "seed \(seed): \(compiled.stderr)\n\(text)")
            let linked = try KeelBinary.run(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                            ["cc", assembly, "-o", executable])
            try #require(linked.status == 0, "seed \(seed): \(linked.stderr)")
            let native = try KeelBinary.run(executable: URL(fileURLWithPath: executable), [], timeout: 10)
            let reference = try KeelBinary.run(["interp", source.path], timeout: 60)
            #expect(reference.status == 0, "seed \(seed): \(reference.stderr)")
            #expect(native.stdout == reference.stdout && native.status == reference.status,
                    "seed \(seed): native \(native.stdout) vs interp \(reference.stdout)\n\(text)")
        }
        #expect(sharedSomewhere >= 10, "slots shared memory in only \(sharedSomewhere) of 40 programs")
    }
}
