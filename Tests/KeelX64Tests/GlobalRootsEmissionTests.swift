// Contract: each reference cell of a data definition (`r` items) gets one
// absolute 8-byte entry in the writable `keel_globals` section
// (docs/stack-maps.md, "Global references"), at the cell's byte offset; the
// cell itself is an ordinary 8-byte word of the definition; a `storer` to a
// cell named by its symbol gets no card mark; a module without cells writes
// no such section.
import Foundation
import KeelDriver
import KeelIR
import Testing
@testable import KeelX64

struct GlobalRootsEmissionTests {
    static func assembly(_ il: String) throws -> String { try x64Assembly(il) }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test func everyCellIsListedAtItsOffset() throws {
        let text = try Self.assembly("""
            data $roots = align 8 { r 0, l 5, r 9 }
            export data $mixed = align 16 { w 1, w 2, r 0 }
            data $plain = { l 3 }
            """)
        let l = Self.lines(text)
        var listed: [String] = []
        var inGlobals = false
        for line in l {
            if line.hasPrefix(".section") || line == ".data" || line == ".bss" || line == ".text" {
                inGlobals = line == ".section keel_globals,\"aw\",@progbits"
            } else if inGlobals, line.hasPrefix(".quad ") {
                listed.append(String(line.dropFirst(6)))
            }
        }
        #expect(listed == ["roots", "roots+16", "mixed+8"])
        // The cells are words of their definitions, with their initial values.
        let roots = try #require(l.firstIndex(of: "roots:"))
        #expect(Array(l[(roots + 1)...(roots + 3)]) == [".quad 0", ".quad 5", ".quad 9"])
    }

    @Test func aModuleWithoutCellsHasNoGlobalsSection() throws {
        let text = try Self.assembly("""
            data $g = align 8 { l 0 }
            export function w $main() {
            @start
            \tret 0
            }
            """)
        #expect(!text.contains("keel_globals"))
    }

    @Test func aStoreToACellByItsSymbolHasNoCardMark() throws {
        let text = try Self.assembly("""
            data $vector = align 8 { w 1263288665, w 2, w 0, w 0, l 0, l 0 }
            data $roots = align 8 { r 0, r 0 }
            export function w $main() {
            @start
            \t%o =r call $keel_alloc(l $vector, l 1)
            \tstorer %o, $roots + 8
            \tret 0
            }
            """)
        #expect(!text.contains("keel_card_table"))
        #expect(text.contains("roots+8(%rip)"))
    }
}
