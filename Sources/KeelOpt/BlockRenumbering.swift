import KeelIR

// Deleting blocks, for the passes that find blocks dead (SCCP, CFG
// simplification), through KeelIR's one renumbering (`Function.reorderBlocks`,
// which the passes that place blocks call directly: inlining lays the copied
// blocks out after their call, LICM a loop's new preheader right before its
// header).

/// Deletes the blocks not in `keep`.
///
/// Expects: `keep[b]` for every block, the entry kept; no kept block jumps to
/// a deleted one.
/// Guarantees: the deleted blocks are gone, the kept ones keep their order
/// and are renumbered densely; phi arguments coming from deleted blocks are
/// dropped (those edges no longer exist). Linear in the function.
func removeBlocks(_ f: inout Function, keeping keep: [Bool]) {
    precondition(keep.count == f.blocks.count && keep[Function.entry.int], "the entry block is always kept")
    let kept = keep.indices.filter { keep[$0] }
    guard kept.count < keep.count else { return }
    f.reorderBlocks(kept.map(BlockID.init))
}

