/// The interpreter's side of Keel's managed runtime: objects from
/// `keel_alloc`, reference stores (`storer`) and handles, with the contract of
/// `Sources/KeelRuntime/include/KeelRuntime.h` (docs/il-extensions.md,
/// "Allocation", is the IL interface).
///
/// Contract:
/// - An object is a memory region of kind `.object`: the 16-byte header
///   (layout address, payload words) and the zeroed payload. Objects are never
///   moved and never freed, so a collection (`keel_collect`) changes nothing a
///   program can observe; a program that behaves differently natively has a
///   rooting bug (or depends on when a collection happens).
/// - The layout is read from the program's memory on every allocation and
///   checked as the runtime checks it (magic, kind, a RECORD's word count);
///   each fault is a `RuntimeError` naming the layout.
/// - `storer` is checked beyond the native code: its target must be a
///   reference field of an object (the runtime's card table covers the heap
///   only, and a reference in a non-reference field is never updated when its
///   object moves), and its value an object, 0 or an immediate (low three bits
///   not all 0), since the collector traces every other non-zero word.
/// - Handles: an object of the runtime's handle layout whose one word is its
///   index in `handles`. A destructor runs exactly once: at
///   `keel_handle_close`, else when the program ends (the interpreter never
///   finds a handle unreachable, so the destructors of handles the program
///   dropped run at exit too, latest first). A destructor is an IL function
///   taking the resource (`l`), or `$free`; it may not allocate.
struct ManagedHeap {
    struct Handle {
        var resource: UInt64
        var destructor: UInt64
        var open: Bool
    }

    var handles: [Handle] = []
    /// Address of the interpreter's own layout descriptor for handles (0 until the first handle).
    var handleLayout: UInt64 = 0
    /// Bytes of all objects allocated (`keel_heap_size`; nothing is freed).
    var objectBytes = 0
    /// Set while a destructor runs: allocating there is the runtime's misuse error.
    var inDestructor = false

    static let magic: UInt64 = 0x4b4c_4159
    static let headerBytes = 16
    /// Layout kinds (`enum KeelLayoutKind`).
    static let record: UInt64 = 1, refs: UInt64 = 2, bytes: UInt64 = 3, handle: UInt64 = 4
    /// Largest payload the interpreter allocates (words); the native bound is the heap's.
    static let maxWords: UInt64 = UInt64(Memory.maxRegionSize / 8 - 2)
}

extension Machine {
    /// `$keel_layout` when the layout is a data symbol, else its address.
    func layoutName(_ layout: UInt64) -> String {
        let r = Memory.region(of: layout)
        if r > 0, r < memory.regions.count, memory.regions[r].kind == .data, Memory.offset(of: layout) == 0 {
            return "$" + symbolNames[Int(memory.regions[r].owner)]
        }
        return "layout at \(hex(layout))"
    }

    /// What region `r` is, for messages.
    func regionName(_ r: Int) -> String {
        let region = memory.regions[r]
        switch region.kind {
        case .data: return region.owner >= 0 ? "data $\(symbolNames[Int(region.owner)])" : "the interpreter's data"
        case .alloc: return "an alloc slot"
        case .heap: return "a malloc block"
        case .varargs: return "a variadic argument area"
        case .argv: return "the argument vector"
        case .function, .external: return "code"
        case .object: return "a GC object"
        }
    }

    /// `keel_alloc(layout, nwords)`: a zeroed object after checking the layout.
    mutating func managedAllocate(layout: UInt64, words: UInt64) throws(RuntimeError) -> UInt64 {
        if managed.inDestructor { throw RuntimeError("keel_alloc called from a handle destructor (destructors must not allocate)") }
        let name = layoutName(layout)
        guard let magic = memory.load(layout, width: 4), let kind = memory.load(layout &+ 4, width: 4),
              let fixed = memory.load(layout &+ 8, width: 4), memory.check(layout, 32) != nil else {
            throw RuntimeError("keel_alloc: the layout descriptor: " + fault(layout, width: 32, access: "read"))
        }
        guard magic == ManagedHeap.magic else {
            throw RuntimeError("keel_alloc: \(name) is not a layout descriptor (its first word is \(magic), not the magic 1263288665 = 0x4b4c4159)")
        }
        guard kind >= ManagedHeap.record && kind <= ManagedHeap.bytes else {
            throw RuntimeError("keel_alloc: \(name) has kind \(kind); a program's layouts are 1 (RECORD), 2 (REFS) or 3 (BYTES)")
        }
        if kind == ManagedHeap.record && words != fixed {
            throw RuntimeError("keel_alloc: \(words) words asked of RECORD layout \(name), which has \(fixed)")
        }
        guard words <= ManagedHeap.maxWords else {
            throw RuntimeError("keel_alloc: \(words) words for \(name) is larger than any object")
        }
        let size = ManagedHeap.headerBytes + 8 * Int(words)
        guard let p = newRegion(size: size, kind: .object, owner: -1) else {
            throw RuntimeError("keel_alloc: out of memory allocating \(size) bytes for \(name)")
        }
        _ = memory.store(p, width: 8, value: layout)
        _ = memory.store(p &+ 8, width: 8, value: words)
        managed.objectBytes += size
        return p
    }

    /// Whether payload word `index` of the object with layout `layout` is a reference field.
    func isReferenceField(layout: UInt64, index: Int) throws(RuntimeError) -> Bool {
        let kind = memory.load(layout &+ 4, width: 4) ?? 0
        switch kind {
        case ManagedHeap.refs: return true
        case ManagedHeap.record:
            guard let refmap = memory.load(layout &+ 16, width: 8) else { return false }
            if refmap == 0 { return false }
            guard let bits = memory.load(refmap &+ UInt64(8 * (index / 64)), width: 8) else {
                throw RuntimeError("the reference bitmap of \(layoutName(layout)): " + fault(refmap &+ UInt64(8 * (index / 64)), width: 8, access: "read"))
            }
            return bits >> UInt64(index % 64) & 1 == 1
        default: return false
        }
    }

    /// Why `storer value, address` is wrong, or nil when it is a store of a
    /// reference into a reference field of an object, or into a global
    /// reference cell named by a symbol address (`symbolAddress`: the
    /// backend omits the card mark only for those).
    func referenceStoreFault(value: UInt64, address: UInt64, symbolAddress: Bool) throws(RuntimeError) -> String? {
        let r = Memory.region(of: address)
        if r > 0, r < memory.regions.count, memory.regions[r].kind == .data,
           let cells = referenceCells[memory.regions[r].owner] {
            let name = "$" + symbolNames[Int(memory.regions[r].owner)]
            let off = Memory.offset(of: address)
            guard cells.contains(off) else {
                if memory.check(address, 8) == nil { return fault(address, width: 8, access: "store") }
                return "storer into byte \(off) of \(name), which is not one of its reference cells (r items)"
            }
            guard symbolAddress else {
                return "storer into the reference cell \(name) + \(off) through a computed address: name it as `\(name) + \(off)` (the backend omits the heap's card mark only for a symbol address)"
            }
            return valueFault(value)
        }
        guard r > 0, r < memory.regions.count, memory.regions[r].kind == .object else {
            if memory.check(address, 8) == nil { return fault(address, width: 8, access: "store") }
            return "storer into \(hex(address)), in \(regionName(r)), which is not a GC object: the barrier's card table covers only the heap, and the collector does not see references kept elsewhere"
        }
        let off = Memory.offset(of: address)
        let object = Memory.address(region: r, offset: 0)
        guard off >= ManagedHeap.headerBytes, (off - ManagedHeap.headerBytes) % 8 == 0,
              off + 8 <= memory.regions[r].size else {
            if memory.check(address, 8) == nil { return fault(address, width: 8, access: "store") }
            return "storer at offset \(off) of the object at \(hex(object)), which is not a payload word (the header is 16 bytes, fields are 8-byte words)"
        }
        let layout = memory.load(object, width: 8) ?? 0
        let index = (off - ManagedHeap.headerBytes) / 8
        if !(try isReferenceField(layout: layout, index: index)) {
            return "storer into word \(index) of an object of \(layoutName(layout)), which is not a reference field: the collector would not update it when its object moves"
        }
        return valueFault(value)
    }

    /// Why `value` may not be stored into a reference field or cell: it is
    /// neither an object, 0 nor an immediate.
    func valueFault(_ value: UInt64) -> String? {
        if value != 0 && value & 7 == 0 {
            let v = Memory.region(of: value)
            guard v > 0, v < memory.regions.count, memory.regions[v].kind == .object, Memory.offset(of: value) == 0 else {
                return "storer of \(hex(value)), which is neither an object, 0 nor an immediate (low three bits not all 0): the collector would trace it"
            }
        }
        return nil
    }

    // MARK: handles

    mutating func newHandle(resource: UInt64, destructor: UInt64) throws(RuntimeError) -> UInt64 {
        if managed.inDestructor { throw RuntimeError("keel_handle_new called from a handle destructor (destructors must not allocate)") }
        if managed.handleLayout == 0 {
            guard let l = newRegion(size: 32, kind: .data, owner: -1) else { throw RuntimeError("keel_handle_new: out of memory") }
            _ = memory.store(l, width: 4, value: ManagedHeap.magic)
            _ = memory.store(l &+ 4, width: 4, value: ManagedHeap.handle)
            managed.handleLayout = l
        }
        guard let h = newRegion(size: ManagedHeap.headerBytes + 8, kind: .object, owner: -1) else {
            throw RuntimeError("keel_handle_new: out of memory")
        }
        _ = memory.store(h, width: 8, value: managed.handleLayout)
        _ = memory.store(h &+ 8, width: 8, value: 1)
        _ = memory.store(h &+ 16, width: 8, value: UInt64(managed.handles.count))
        managed.handles.append(ManagedHeap.Handle(resource: resource, destructor: destructor, open: true))
        managed.objectBytes += ManagedHeap.headerBytes + 8
        return h
    }

    /// The table index of handle object `h`.
    func handleIndex(_ h: UInt64, for name: String) throws(RuntimeError) -> Int {
        let r = Memory.region(of: h)
        guard r > 0, r < memory.regions.count, memory.regions[r].kind == .object, Memory.offset(of: h) == 0,
              managed.handleLayout != 0, memory.load(h, width: 8) == managed.handleLayout,
              let i = memory.load(h &+ 16, width: 8), i < UInt64(managed.handles.count) else {
            throw RuntimeError("\(name) of \(hex(h)), which is not a handle from keel_handle_new")
        }
        return Int(i)
    }

    /// Runs handle `i`'s destructor unless it already ran.
    mutating func closeHandle(_ i: Int) throws(RuntimeError) {
        guard managed.handles[i].open else { return }
        managed.handles[i].open = false
        let h = managed.handles[i]
        if h.destructor == 0 { return }
        managed.inDestructor = true
        defer { managed.inDestructor = false }
        try callDestructor(h.destructor, resource: h.resource)
    }

    /// The destructors of every handle still open, latest first (as at the native program's exit).
    mutating func closeHandlesAtExit() throws(RuntimeError) {
        for i in managed.handles.indices.reversed() where managed.handles[i].open { try closeHandle(i) }
    }

    /// Calls a destructor: an IL function of one parameter, or the emulated `free`.
    mutating func callDestructor(_ target: UInt64, resource: UInt64) throws(RuntimeError) {
        let r = Memory.region(of: target)
        guard r > 0, r < memory.regions.count, Memory.offset(of: target) == 0 else {
            throw RuntimeError("handle destructor \(hex(target)) is not the address of a function")
        }
        let region = memory.regions[r]
        if region.kind == .external, symbolBuiltin[Int(region.owner)] == .free {
            if resource != 0 { releaseRegion(try heapBlock(resource, for: "free")) }
            return
        }
        guard region.kind == .function else {
            throw RuntimeError("handle destructor \(hex(target)) is not an IL function or $free")
        }
        let fi = Int(symbolFunction[Int(region.owner)])
        let h = headers[fi]
        guard h.paramCount == 1, !h.isVariadic else {
            throw RuntimeError("handle destructor $\(functions[fi].name) must take one parameter (the resource), it takes \(h.paramCount)")
        }
        let saved = stopDepth
        stopDepth = frames.count
        defer { stopDepth = saved }
        let base = pushFrame(fi)
        let p = params[Int(h.paramStart)]
        regs[base + Int(p.reg)] = p.conv.apply(resource)
        _ = try execute()
    }
}
