// The runtime's root sections as GNU assembler text, for every target
// (docs/stack-maps.md, "The section" and "Global references").
//
// Expects the maps of `AllocationResult.safepointMaps` (sorted by
// instruction, as the allocator writes them) and, from the target, the
// frame-pointer-relative byte offset of each spill slot's cell (rbp on
// x86-64, x29 on arm64). Guarantees one `keel_stackmaps` entry per safepoint
// — empty ones included, so the collector's walk goes on through the frame —
// listing each cell once, and one `keel_globals` address per reference cell
// of a data definition. The section format is the runtime's (stackmap.c,
// roots.c), so it is written here once, not once per target.
import KeelIR

/// The `keel_stackmaps` entries of one function, written by its emitter
/// right after each safepoint's call.
public struct StackMapSection {
    /// The section directive written once before a module's first entry.
    public static let header = "\t.section keel_stackmaps,\"a\",@progbits\n\t.p2align 2\n"

    let maps: [SafepointMap]
    /// The next of `maps` a safepoint may own (safepoints come in instruction order).
    var next = 0

    public init(maps: [SafepointMap]) { self.maps = maps }

    /// The frame offsets listed at safepoint instruction `i`, each cell once
    /// (slots sharing a cell hold one value there); `offset` gives a slot's.
    public mutating func offsets(atSafepoint i: Int, _ offset: (SpillSlot) -> Int32) -> [Int32] {
        while next < maps.count, maps[next].instruction.int < i { next += 1 }
        var out: [Int32] = []
        guard next < maps.count, maps[next].instruction.int == i else { return out }
        for s in maps[next].slots {
            let off = offset(s)
            if !out.contains(off) { out.append(off) }
        }
        return out
    }

    /// One entry: the return address `label` (self-relative), the count, flags 0, the offsets.
    public static func entry(returnAddress label: String, offsets: [Int32]) -> String {
        var s = "\t.long \(label) - .\n\t.short \(offsets.count), 0\n"
        for off in offsets { s += "\t.long \(off)\n" }
        return s
    }

    /// The `keel_globals` entries of `d`'s reference cells: one absolute
    /// 8-byte address per cell, `name+offset` past the first word; nil for
    /// data without reference cells (plain QBE data is no root). The section
    /// is writable because a position-independent executable relocates them.
    public static func globalRoots(_ d: DataDefinition, name: String) -> String? {
        guard ManagedRuntime.hasReferenceCells(d) else { return nil }
        var s = "\t.section \(ManagedRuntime.globalsSection),\"aw\",@progbits\n\t.balign 8\n"
        for offset in ManagedRuntime.referenceCells(of: d) { s += "\t.quad \(offset == 0 ? name : "\(name)+\(offset)")\n" }
        return s
    }
}
