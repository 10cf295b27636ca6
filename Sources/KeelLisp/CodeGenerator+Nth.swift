import Keel

/// `(nth v i)` compiled inline for the common case: a flat vector (up to 32
/// items, and every literal or argument vector) and a fixnum index within
/// it. Anything else, errors included, is the runtime's kl_nth.
extension CodeGenerator {
    mutating func inlineNth(_ coll: Ref, _ index: Ref) -> Ref {
        let result = b.declareVariable(.r, name: "item")
        let fixnum = b.createBlock("nth_object"), object = b.createBlock("nth_flat"), flat = b.createBlock("nth_index")
        let inRange = b.createBlock("nth_load"), slow = b.createBlock("nth_call"), join = b.createBlock("nth_done")
        b.markCold(slow)
        b.branch(b.emit(.and, .w, index, b.integer(1)), fixnum, slow)
        b.sealBlock(fixnum)
        b.switchTo(fixnum)
        b.branch(isObject(coll), object, slow)
        b.sealBlock(object)
        b.switchTo(object)
        b.branch(b.emit(.ceql, .w, b.emit(.loadl, .l, coll), symbol("kl_vector_layout")), flat, slow)
        b.sealBlock(flat)
        b.switchTo(flat)
        // The count is the header's payload word count; a negative index is
        // a huge unsigned one.
        let count = b.emit(.loaduw, .l, b.emit(.add, .l, coll, b.integer(8)))
        let i = b.emit(.sar, .l, index, b.integer(1))
        b.branch(b.emit(.cultl, .w, i, count), inRange, slow)
        b.sealBlock(inRange)
        b.switchTo(inRange)
        let offset = b.emit(.shl, .l, i, b.integer(3))
        let address = b.emit(.add, .l, b.emit(.add, .l, coll, b.integer(16)), offset)
        b.write(result, b.emit(.loadr, .r, address))
        b.jump(join)
        b.sealBlock(slow)
        b.switchTo(slow)
        b.write(result, callR("kl_nth", [coll, index]))
        b.jump(join)
        b.sealBlock(join)
        b.switchTo(join)
        return b.read(result)
    }
}
