/// Sequentializes a parallel copy: moves that must all read their sources
/// before any destination is written become an ordered list of plain moves.
///
/// Expects each destination written at most once (sources may repeat).
/// Guarantees the sequence leaves every destination with its source's
/// original value, using only `scratch(class)` as an extra location, which
/// must be none of the copy's locations.
///
/// Algorithm: the classic one (e.g. Boissinot et al., "Revisiting
/// out-of-SSA translation", 2009, simplified): emit any move whose
/// destination no pending move still reads; when only cycles remain, save
/// one source in the scratch register and read it from there.
///
/// Target-independent (moved here from KeelX64 so the allocation checker can
/// replay exactly the sequence the emitter writes).
public func sequentializeParallelCopy(_ moves: [(from: Location, to: Location)],
                                      classOf: (Location) -> RegClass,
                                      scratch: (RegClass) -> Location) -> [(from: Location, to: Location)] {
    var pending = moves.filter { $0.from != $0.to }
    var out: [(from: Location, to: Location)] = []
    out.reserveCapacity(pending.count + 1)
    while !pending.isEmpty {
        var progress = false
        var i = 0
        while i < pending.count {
            let dst = pending[i].to
            if !pending.contains(where: { $0.from == dst }) {
                out.append(pending[i])
                pending.remove(at: i)
                progress = true
            } else {
                i += 1
            }
        }
        if !progress {
            let src = pending[0].from
            let s = scratch(classOf(src))
            out.append((src, s))
            for k in pending.indices where pending[k].from == src { pending[k].from = s }
        }
    }
    return out
}
