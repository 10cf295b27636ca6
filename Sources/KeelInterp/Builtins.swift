/// The C library functions the interpreter emulates, called like IL
/// functions through their symbols (`call $printf(l $fmt, ..., w %x)`).
///
/// - Output: `printf`, `puts`, `putchar` append to the interpreter's output
///   buffer (flushed to the caller on return, `exit` and errors alike).
///   `printf` supports `%d %i %u %x %X %o %c %s %p %f %F %e %E %g %G %a %A %%`,
///   flags `-+ 0#`, width and precision (also `*`), length `hh h l ll z j t L`.
///   Its variadic values are the call's arguments after the format, read
///   according to the conversion: `%d` reads the low 32 bits, `%ld` all 64,
///   `%f` reads a `d` (an `s` argument is widened first, as C's default
///   promotion would have done). Returns the number of bytes printed.
/// - Heap: `malloc`, `calloc`, `realloc`, `free` manage heap regions (see
///   `Memory`); `free` of a pointer not from `malloc`, or freed twice, is an
///   error; allocation beyond the memory limit returns null.
///   `realloc(p, 0)` frees `p` and returns null.
/// - Memory and strings: `memcpy`, `memmove`, `memset`, `memcmp`, `strlen`,
///   `strcmp`, `strncmp`, `strcpy`, `strcat`; every byte touched is bounds
///   checked. `memcmp`/`strcmp`/`strncmp` return the difference of the first
///   differing bytes (as unsigned char).
/// - `abs`, `labs`; `exit(status)` stops the program with that status;
///   `abort()` stops it with the runtime error "abort() called".
/// - Keel's runtime: `keel_alloc`, `keel_collect`, `keel_heap_size`,
///   `keel_init` and the handle functions, over objects that never move
///   (see `ManagedHeap`).
enum Builtin: String, CaseIterable {
    case printf, puts, putchar
    case malloc, calloc, realloc, free
    case memcpy, memmove, memset, memcmp
    case strlen, strcmp, strncmp, strcpy, strcat
    case abs, labs
    case exit, abort
    // Keel's managed runtime (docs/il-extensions.md, "Allocation"); see ManagedHeap.swift.
    case keel_alloc, keel_collect, keel_heap_size, keel_init
    case keel_handle_new, keel_handle_resource, keel_handle_close, keel_handle_count
}

extension Machine {
    mutating func callBuiltin(_ b: Builtin, _ args: [UInt64], _ info: CallInfo) throws(RuntimeError) -> UInt64 {
        let name = b.rawValue
        func arg(_ i: Int) throws(RuntimeError) -> UInt64 {
            guard i < args.count else { throw RuntimeError("\(name) called with \(args.count) arguments, needs at least \(i + 1)") }
            return args[i]
        }
        switch b {
        case .printf:
            let fmt = try string(at: try arg(0), for: name)
            var values: [(UInt64, Conv)] = []
            for i in 1..<max(1, args.count) { values.append((args[i], callArgs[Int(info.argStart) + i].conv)) }
            let text = try formatPrintf(fmt, values)
            out.append(contentsOf: text)
            return UInt64(text.count)
        case .puts:
            let s = try string(at: try arg(0), for: name)
            out.append(contentsOf: s)
            out.append(10)
            return UInt64(s.count + 1)
        case .putchar:
            let c = try arg(0) & 0xFF
            out.append(UInt8(c))
            return c
        case .malloc:
            return heapAllocate(try arg(0))
        case .calloc:
            let (n, overflow) = try arg(0).multipliedReportingOverflow(by: try arg(1))
            return overflow ? 0 : heapAllocate(n)
        case .realloc:
            let p = try arg(0), n = try arg(1)
            if p == 0 { return heapAllocate(n) }
            let r = try heapBlock(p, for: name)
            if n == 0 {
                releaseRegion(r)
                return 0
            }
            let q = heapAllocate(n)
            if q == 0 { return 0 }
            let keep = min(Int(n), memory.regions[r].size)
            if let bytes = memory.read(p, count: keep) { _ = memory.write(q, bytes: bytes) }
            releaseRegion(r)
            return q
        case .free:
            let p = try arg(0)
            if p != 0 { releaseRegion(try heapBlock(p, for: name)) }
            return 0
        case .memcpy, .memmove:
            let d = try arg(0), s = try arg(1), n = try count(try arg(2), for: name)
            guard let bytes = memory.read(s, count: n) else { throw RuntimeError("\(name): " + fault(s, width: n, access: "read")) }
            guard memory.write(d, bytes: bytes) else { throw RuntimeError("\(name): " + fault(d, width: n, access: "write")) }
            return d
        case .memset:
            let d = try arg(0), c = UInt8(truncatingIfNeeded: try arg(1)), n = try count(try arg(2), for: name)
            guard memory.write(d, bytes: [UInt8](repeating: c, count: n)) else {
                throw RuntimeError("\(name): " + fault(d, width: n, access: "write"))
            }
            return d
        case .memcmp:
            let a = try arg(0), c = try arg(1), n = try count(try arg(2), for: name)
            guard let x = memory.read(a, count: n) else { throw RuntimeError("\(name): " + fault(a, width: n, access: "read")) }
            guard let y = memory.read(c, count: n) else { throw RuntimeError("\(name): " + fault(c, width: n, access: "read")) }
            return compare(x, y, terminated: false)
        case .strlen:
            return UInt64(try string(at: try arg(0), for: name).count)
        case .strcmp:
            return compare(try string(at: try arg(0), for: name), try string(at: try arg(1), for: name), terminated: true)
        case .strncmp:
            let n = try count(try arg(2), for: name)
            let x = try string(at: try arg(0), for: name, limit: n)
            let y = try string(at: try arg(1), for: name, limit: n)
            return compare(x, y, terminated: true)
        case .strcpy:
            let d = try arg(0)
            let s = try string(at: try arg(1), for: name)
            guard memory.write(d, bytes: s + [0]) else { throw RuntimeError("\(name): " + fault(d, width: s.count + 1, access: "write")) }
            return d
        case .strcat:
            let d = try arg(0)
            let head = try string(at: d, for: name)
            let s = try string(at: try arg(1), for: name)
            let at = d &+ UInt64(head.count)
            guard memory.write(at, bytes: s + [0]) else { throw RuntimeError("\(name): " + fault(at, width: s.count + 1, access: "write")) }
            return d
        case .abs:
            let v = i32(try arg(0))
            return w(v == Int32.min ? v : Swift.abs(v))
        case .labs:
            let v = i64(try arg(0))
            return UInt64(bitPattern: v == Int64.min ? v : Swift.abs(v))
        case .exit:
            exitStatus = i32(try arg(0))
            return 0
        case .abort:
            throw RuntimeError("abort() called")
        case .keel_alloc:
            return try managedAllocate(layout: try arg(0), words: try arg(1))
        case .keel_collect, .keel_init:
            // Nothing moves and nothing is freed: a collection changes nothing a program can see.
            return 0
        case .keel_heap_size:
            return UInt64(managed.objectBytes)
        case .keel_handle_new:
            return try newHandle(resource: try arg(0), destructor: try arg(1))
        case .keel_handle_resource:
            let i = try handleIndex(try arg(0), for: name)
            return managed.handles[i].open ? managed.handles[i].resource : 0
        case .keel_handle_close:
            try closeHandle(try handleIndex(try arg(0), for: name))
            return 0
        case .keel_handle_count:
            return UInt64(managed.handles.lazy.filter(\.open).count)
        }
    }

    /// C's comparison result: difference of the first differing bytes as
    /// unsigned chars (a `w`). `terminated`: the arrays are C strings whose
    /// NUL is implicit after the last byte.
    func compare(_ x: [UInt8], _ y: [UInt8], terminated: Bool) -> UInt64 {
        let n = terminated ? max(x.count, y.count) : min(x.count, y.count)
        for i in 0..<n {
            let a = i < x.count ? Int32(x[i]) : 0
            let b = i < y.count ? Int32(y[i]) : 0
            if a != b { return w(a - b) }
        }
        return 0
    }

    func count(_ n: UInt64, for name: String) throws(RuntimeError) -> Int {
        guard n <= UInt64(Memory.maxRegionSize) else { throw RuntimeError("\(name): size \(n) is larger than any object") }
        return Int(n)
    }

    /// The NUL-terminated string at `p` (without its NUL).
    func string(at p: UInt64, for name: String, limit: Int = Int.max) throws(RuntimeError) -> [UInt8] {
        if let s = memory.cString(p, limit: limit) {
            if memory.check(p, 0) != nil { return s }
        }
        if memory.check(p, 1) == nil { throw RuntimeError("\(name): " + fault(p, width: 1, access: "string read")) }
        throw RuntimeError("\(name): string at \(hex(p)) has no terminating NUL before the end of its memory")
    }

    mutating func heapAllocate(_ n: UInt64) -> UInt64 {
        guard n <= UInt64(Memory.maxRegionSize), let p = newRegion(size: Int(n), kind: .heap, owner: -1) else { return 0 }
        return p
    }

    /// The region of the live heap block starting at `p`.
    func heapBlock(_ p: UInt64, for name: String) throws(RuntimeError) -> Int {
        let r = Memory.region(of: p)
        guard r > 0, r < memory.regions.count, memory.regions[r].kind == .heap, Memory.offset(of: p) == 0 else {
            throw RuntimeError("\(name) of \(hex(p)), which was not returned by malloc, calloc or realloc")
        }
        guard memory.regions[r].alive else {
            throw RuntimeError(name == "free" ? "double free of heap block at \(hex(p))"
                                              : "\(name) of heap block at \(hex(p)), which was already freed")
        }
        return r
    }
}
