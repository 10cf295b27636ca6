// Contract: a `keel_nocollect` definition only declares callees that never
// collect (docs/il-extensions.md, "Safepoints"); the backend writes nothing
// for it, unless it is exported or its symbol is used, and the calls it
// names still get no stack map.
import Foundation
import KeelDriver
import KeelIR
import Testing
@testable import KeelX64

struct NoCollectDeclarationEmissionTests {
    static func assembly(_ il: String) throws -> String { try x64Assembly(il) }

    static let program = """
        data $vector = align 8 { w 1263288665, w 2, w 0, w 0, l 0, l 0 }
        section "keel_nocollect" data $nocollect = { l $puts }
        export function w $main() {
        @start
        \t%o =r call $keel_alloc(l $vector, l 1)
        \t%c =w call $puts(l $vector)
        \t%p =r copy %o
        \t%d =w call $puts(l $vector)
        \tret 0
        }
        """

    @Test func theDeclarationIsNotWritten() throws {
        let text = try Self.assembly(Self.program)
        #expect(!text.contains("keel_nocollect"))
        #expect(!text.contains("nocollect:"))
        // Only keel_alloc is a safepoint: the declaration still counts.
        #expect(text.components(separatedBy: "call puts").count == 3)
        #expect(text.components(separatedBy: ".long .Lsp").count == 2)
    }

    @Test func aDeclarationThatIsUsedOrExportedIsWritten() throws {
        let used = try Self.assembly(Self.program.replacingOccurrences(of: "call $puts(l $vector)\n\t%p",
                                                                       with: "call $puts(l $nocollect)\n\t%p"))
        #expect(used.contains("nocollect:"))
        let exported = try Self.assembly(Self.program.replacingOccurrences(of: "section \"keel_nocollect\" data",
                                                                           with: "export section \"keel_nocollect\" data"))
        #expect(exported.contains("nocollect:"))
    }
}
