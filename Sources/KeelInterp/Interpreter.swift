import KeelIR

/// The reference interpreter of Keel IL: runs a self-contained module from
/// its entry function and reports what the program printed and returned.
///
/// Semantics (see docs/interp.md for the full list):
/// - Temporaries are mutable registers, one array slot per `Temp`, so the
///   input need not be in SSA form. Phis run on block entry as a parallel
///   assignment from the incoming edge.
/// - Every register is 64 bits. A `w` (or `s`) result is stored with its
///   upper 32 bits zero; every operation reading a `w` reads only the low
///   32 bits, so the upper bits are never observable and an `l` may be used
///   as a `w`.
/// - Memory and pointers: see `Memory`. Emulated C functions: see `Builtin`.
/// - Calls run on an explicit frame stack (no Swift recursion), so deep
///   recursion ends with a `RuntimeError` at `maxCallDepth`, not a crash.
///
/// ```swift
/// var interp = try Interpreter(module: module)
/// interp.stepLimit = 10_000_000
/// var out: [UInt8] = []
/// let status = try interp.run(arguments: ["prog"], output: &out)
/// ```
public struct Interpreter: Sendable {
    var program: Program
    /// Maximum number of instructions (terminators included) to execute;
    /// nil for no limit. Exceeding it raises "step limit of N reached".
    public var stepLimit: Int?
    /// Maximum depth of IL calls before "call depth limit ... exceeded".
    public var maxCallDepth: Int = 100_000
    /// Upper bound on the bytes all live heap blocks and alloc slots may
    /// take; an allocation beyond it makes `malloc` return null and `alloc`
    /// fail with a runtime error.
    public var memoryLimit: Int = 1 << 30

    public init(module: Module) throws(Diagnostic) {
        program = try Program(module: module)
    }

    /// Names (without `$`) of symbols the program refers to that are neither
    /// defined in the module nor emulated; calling or accessing one at run
    /// time is an error.
    public func undefinedExternals() -> [String] { program.undefinedExternals }

    /// The C functions the interpreter emulates, by name.
    public static var emulatedFunctions: [String] { Builtin.allCases.map(\.rawValue) }

    /// Runs `$entry` and returns its result (0 if it returns nothing) or the
    /// status given to `exit`. `arguments` is argv (program name first),
    /// passed when the entry function takes parameters `(w argc, l argv)`.
    /// Everything printed is appended to `output`, also when an error is thrown.
    public mutating func run(entry: String = "main", arguments: [String] = ["a.out"],
                             output: inout [UInt8]) throws(RuntimeError) -> Int32 {
        var machine = Machine(program: program, stepLimit: stepLimit, maxCallDepth: maxCallDepth,
                              memoryLimit: memoryLimit)
        defer { output.append(contentsOf: machine.out) }
        return try machine.start(entry: entry, arguments: arguments)
    }
}

/// A call frame on the explicit stack.
struct Frame {
    var function: Int
    /// The pc to resume at (valid while the frame is not the innermost).
    var pc: Int
    var base: Int
    /// Start of this frame's regions in `Machine.owned`.
    var ownedStart: Int
    /// Address of the variadic argument area, 0 if the function is not variadic.
    var varargs: UInt64
    /// Bytes in the variadic area.
    var varargsSize: Int
}

/// Everything that changes while a program runs.
struct Machine {
    let functions: [DecodedFunction]
    let codes: [[Op]]
    let headers: [FunctionHeader]
    let params: [CallArg]
    let templates: [UInt64]
    let callArgs: [CallArg]
    let calls: [CallInfo]
    let edges: [Edge]
    let moves: [Move]
    let symbolFunction: [Int32]
    let symbolBuiltin: [Builtin?]
    let symbolNames: [String]
    let symbolAddress: [UInt64]
    let files: [String]
    let referenceCells: [Int32: Set<Int>]
    var memory: Memory
    var regs: [UInt64] = []
    var frames: [Frame] = []
    /// Regions (alloc slots, copies of aggregate arguments, variadic areas)
    /// owned by frames, released when their frame returns.
    var owned: [Int] = []
    var scratch: [UInt64] = []
    var out: [UInt8] = []
    var steps: Int
    let stepLimit: Int?
    let maxCallDepth: Int
    let memoryLimit: Int
    var memoryInUse = 0
    /// Set by `exit`.
    var exitStatus: Int32?
    /// Objects and handles of Keel's runtime.
    var managed = ManagedHeap()
    /// `execute` returns when a `ret` leaves this many frames (a destructor runs above the program's frames).
    var stopDepth = 0
    /// Registers of all live frames together may not exceed this (512 MiB).
    static let maxRegisters = 1 << 26

    init(program: Program, stepLimit: Int?, maxCallDepth: Int, memoryLimit: Int) {
        functions = program.functions
        codes = program.functions.map(\.code)
        headers = program.headers
        params = program.params
        templates = program.templates
        callArgs = program.callArgs
        calls = program.calls
        edges = program.edges
        moves = program.moves
        symbolFunction = program.symbolFunction
        symbolBuiltin = program.symbolBuiltin
        symbolNames = program.symbolNames
        symbolAddress = program.symbolAddress
        files = program.files
        referenceCells = program.referenceCells
        memory = program.memory
        self.stepLimit = stepLimit
        steps = stepLimit ?? Int.max
        self.maxCallDepth = maxCallDepth
        self.memoryLimit = memoryLimit
    }

    // MARK: errors

    func error(_ message: String, function fi: Int, pc: Int) -> RuntimeError {
        guard fi >= 0, fi < functions.count else { return RuntimeError(message) }
        let f = functions[fi]
        let pos = pc >= 0 && pc < f.positions.count ? f.positions[pc] : .unknown
        let b = f.block(at: pc)
        return RuntimeError(message, function: f.name, block: b < f.blockLabels.count ? f.blockLabels[b] : nil,
                            file: f.file < files.count ? files[f.file] : nil, position: pos)
    }

    func fault(_ address: UInt64, width: Int, access: String) -> String {
        memory.describeFault(address, width: width, access: access,
                             symbolName: { symbolNames[Int($0)] },
                             functionName: { $0 >= 0 && Int($0) < functions.count ? functions[Int($0)].name : "?" })
    }

    // MARK: memory helpers used by calls and builtins

    mutating func newRegion(size: Int, kind: Memory.Kind, owner: Int32) -> UInt64? {
        guard size >= 0, size <= Memory.maxRegionSize, memoryInUse + size <= memoryLimit else { return nil }
        memoryInUse += size
        return memory.allocate(size: size, kind: kind, owner: owner)
    }

    mutating func releaseRegion(_ r: Int) {
        memoryInUse -= memory.regions[r].size
        memory.release(region: r)
    }

    /// Copies `size` bytes from `from` into a new region owned by the innermost frame.
    /// Throws a `RuntimeError` carrying only a message; callers add the location.
    mutating func copyToOwnedRegion(from: UInt64, size: Int, kind: Memory.Kind, owner: Int32) throws(RuntimeError) -> UInt64 {
        guard let bytes = memory.read(from, count: size) else { throw RuntimeError(fault(from, width: size, access: "read")) }
        guard let p = newRegion(size: size, kind: kind, owner: owner) else { throw RuntimeError("out of memory") }
        _ = memory.write(p, bytes: bytes)
        owned.append(Memory.region(of: p))
        return p
    }

    // MARK: running

    mutating func start(entry: String, arguments: [String]) throws(RuntimeError) -> Int32 {
        guard let sym = symbolNames.firstIndex(of: entry), symbolFunction[sym] >= 0 else {
            throw RuntimeError("no function $\(entry) to run")
        }
        let fi = Int(symbolFunction[sym])
        let h = headers[fi]
        if h.paramCount > 2 || h.isVariadic {
            throw RuntimeError("entry function $\(entry) takes \(h.paramCount) parameters; expected none or (w argc, l argv)")
        }
        var values: [UInt64] = []
        if h.paramCount > 0 {
            values = [UInt64(arguments.count), try buildArgv(arguments)]
        }
        let base = pushFrame(fi)
        for i in 0..<Int(h.paramCount) {
            let p = params[Int(h.paramStart) + i]
            regs[base + Int(p.reg)] = p.conv.apply(values[i])
        }
        let result = try execute()
        let status = exitStatus ?? Int32(truncatingIfNeeded: result)
        // As the runtime does at exit: every handle still open is destroyed.
        if !managed.handles.isEmpty {
            exitStatus = nil
            try closeHandlesAtExit()
            if let s = exitStatus { return s }
        }
        return status
    }

    /// argv: each argument a NUL-terminated string, then an array of pointers ending in null.
    mutating func buildArgv(_ arguments: [String]) throws(RuntimeError) -> UInt64 {
        var pointers: [UInt64] = []
        for a in arguments {
            let bytes = Array(a.utf8) + [0]
            guard let p = newRegion(size: bytes.count, kind: .argv, owner: -1) else { throw RuntimeError("out of memory") }
            _ = memory.write(p, bytes: bytes)
            pointers.append(p)
        }
        pointers.append(0)
        guard let arr = newRegion(size: 8 * pointers.count, kind: .argv, owner: -1) else { throw RuntimeError("out of memory") }
        for (i, p) in pointers.enumerated() { _ = memory.store(arr + UInt64(8 * i), width: 8, value: p) }
        return arr
    }

    /// Pushes a frame for `functions[fi]` with its registers preset; returns its base.
    mutating func pushFrame(_ fi: Int) -> Int {
        let h = headers[fi]
        let base = regs.count
        let t = Int(h.templateStart)
        regs.append(contentsOf: templates[t..<t + Int(h.templateCount)])
        frames.append(Frame(function: fi, pc: 0, base: base, ownedStart: owned.count, varargs: 0, varargsSize: 0))
        return base
    }

    /// Enters `functions[fi]` for call site `calls[ci]`, whose argument
    /// registers are read from the caller's frame at `callerBase`.
    mutating func enter(function fi: Int, call ci: Int, callerBase: Int,
                        callerFunction: Int, callerPC: Int) throws(RuntimeError) {
        let h = headers[fi]
        let info = calls[ci]
        let argc = Int(info.argCount)
        let named = Int(h.paramCount)
        if h.isVariadic ? argc < named : argc != named {
            throw error("$\(functions[fi].name) called with \(argc) argument\(argc == 1 ? "" : "s") but takes \(named)\(h.isVariadic ? " or more" : "")",
                        function: callerFunction, pc: callerPC)
        }
        if regs.count + Int(h.templateCount) > Machine.maxRegisters {
            throw error("call stack exhausted (\(frames.count) frames) calling $\(functions[fi].name)",
                        function: callerFunction, pc: callerPC)
        }
        if frames.count >= maxCallDepth {
            throw error("call depth limit of \(maxCallDepth) exceeded calling $\(functions[fi].name) (runaway recursion?)",
                        function: callerFunction, pc: callerPC)
        }
        let base = pushFrame(fi)
        let a0 = Int(info.argStart), p0 = Int(h.paramStart)
        for i in 0..<named {
            let a = callArgs[a0 + i]
            let p = params[p0 + i]
            let v = a.conv.apply(a.reg >= 0 ? regs[callerBase + Int(a.reg)] : 0)
            if p.conv == .aggregate {
                do {
                    regs[base + Int(p.reg)] = try copyToOwnedRegion(from: v, size: Int(p.size), kind: .alloc, owner: Int32(fi))
                } catch let e {
                    throw error("aggregate argument \(i + 1) of $\(functions[fi].name): \(e.message)",
                                function: callerFunction, pc: callerPC)
                }
            } else {
                regs[base + Int(p.reg)] = p.conv.apply(v)
            }
        }
        if h.envReg >= 0 { regs[base + Int(h.envReg)] = info.env >= 0 ? regs[callerBase + Int(info.env)] : 0 }
        if h.isVariadic {
            let count = argc - named
            guard let area = newRegion(size: 8 * count, kind: .varargs, owner: Int32(fi)) else {
                throw error("out of memory", function: callerFunction, pc: callerPC)
            }
            owned.append(Memory.region(of: area))
            for i in 0..<count {
                let a = callArgs[a0 + named + i]
                let v = a.conv.apply(a.reg >= 0 ? regs[callerBase + Int(a.reg)] : 0)
                _ = memory.store(area + UInt64(8 * i), width: 8, value: v)
            }
            frames[frames.count - 1].varargs = area
            frames[frames.count - 1].varargsSize = 8 * count
        }
    }

    /// A tail call: the frame just entered takes the place of its caller's,
    /// which is released as at a return, so a chain of tail calls runs at
    /// constant depth and the caller's `alloc` memory is freed before the
    /// callee runs (an address into it faults, as the stack frame would be gone).
    mutating func replaceCallerFrame() {
        let callee = frames.removeLast()
        let caller = frames.removeLast()
        for r in owned[caller.ownedStart..<callee.ownedStart] { releaseRegion(r) }
        owned.removeSubrange(caller.ownedStart..<callee.ownedStart)
        regs.removeSubrange(caller.base..<callee.base)
        var moved = callee
        moved.base = caller.base
        moved.ownedStart = caller.ownedStart
        frames.append(moved)
    }

    /// Pops the innermost frame, releasing what it owns.
    mutating func leave() {
        let f = frames.removeLast()
        for r in owned[f.ownedStart...] { releaseRegion(r) }
        owned.removeSubrange(f.ownedStart...)
        regs.removeSubrange(f.base...)
    }

    /// The interpreter loop. Runs until the outermost frame returns; returns its value.
    mutating func execute() throws(RuntimeError) -> UInt64 {
        var fi = frames[frames.count - 1].function
        var code = codes[fi]
        var base = frames[frames.count - 1].base
        var pc = 0
        while true {
            if steps <= 0 {
                throw error("step limit of \(stepLimit ?? 0) instructions reached", function: fi, pc: pc)
            }
            steps &-= 1
            let o = code[pc]
            pc &+= 1
            let da = o.a >= 0 ? regs[base &+ Int(o.a)] : 0
            let db = o.b >= 0 ? regs[base &+ Int(o.b)] : 0
            var result: UInt64 = 0
            switch o.op {
            case .addW: result = w(u32(da) &+ u32(db))
            case .addL: result = da &+ db
            case .addS: result = bits(f32(da) + f32(db))
            case .addD: result = bits(f64(da) + f64(db))
            case .subW: result = w(u32(da) &- u32(db))
            case .subL: result = da &- db
            case .subS: result = bits(f32(da) - f32(db))
            case .subD: result = bits(f64(da) - f64(db))
            case .mulW: result = w(u32(da) &* u32(db))
            case .mulL: result = da &* db
            case .mulS: result = bits(f32(da) * f32(db))
            case .mulD: result = bits(f64(da) * f64(db))
            case .divW, .remW:
                let x = i32(da), y = i32(db)
                if y == 0 { throw error("division by zero", function: fi, pc: pc - 1) }
                if x == Int32.min && y == -1 {
                    throw error("signed overflow: \(x) \(o.op == .divW ? "/" : "%") -1", function: fi, pc: pc - 1)
                }
                result = w(o.op == .divW ? x / y : x % y)
            case .divL, .remL:
                let x = i64(da), y = i64(db)
                if y == 0 { throw error("division by zero", function: fi, pc: pc - 1) }
                if x == Int64.min && y == -1 {
                    throw error("signed overflow: \(x) \(o.op == .divL ? "/" : "%") -1", function: fi, pc: pc - 1)
                }
                result = UInt64(bitPattern: o.op == .divL ? x / y : x % y)
            case .divS: result = bits(f32(da) / f32(db))
            case .divD: result = bits(f64(da) / f64(db))
            case .negW: result = w(0 &- u32(da))
            case .negL: result = 0 &- da
            case .negS: result = bits(-f32(da))
            case .negD: result = bits(-f64(da))
            case .sqrtS: result = bits(f32(da).squareRoot())
            case .sqrtD: result = bits(f64(da).squareRoot())
            case .udivW, .uremW:
                let x = u32(da), y = u32(db)
                if y == 0 { throw error("division by zero", function: fi, pc: pc - 1) }
                result = w(o.op == .udivW ? x / y : x % y)
            case .udivL, .uremL:
                if db == 0 { throw error("division by zero", function: fi, pc: pc - 1) }
                result = o.op == .udivL ? da / db : da % db
            case .andW: result = (da & db) & 0xFFFF_FFFF
            case .andL: result = da & db
            case .orW: result = (da | db) & 0xFFFF_FFFF
            case .orL: result = da | db
            case .xorW: result = (da ^ db) & 0xFFFF_FFFF
            case .xorL: result = da ^ db
            case .sarW: result = w(i32(da) >> (u32(db) & 31))
            case .sarL: result = UInt64(bitPattern: i64(da) >> (db & 63))
            case .shrW: result = w(u32(da) >> (u32(db) & 31))
            case .shrL: result = da >> (db & 63)
            case .shlW: result = w(u32(da) << (u32(db) & 31))
            case .shlL: result = da << (db & 63)
            case .ceqw: result = flag(u32(da) == u32(db))
            case .cnew: result = flag(u32(da) != u32(db))
            case .csgew: result = flag(i32(da) >= i32(db))
            case .csgtw: result = flag(i32(da) > i32(db))
            case .cslew: result = flag(i32(da) <= i32(db))
            case .csltw: result = flag(i32(da) < i32(db))
            case .cugew: result = flag(u32(da) >= u32(db))
            case .cugtw: result = flag(u32(da) > u32(db))
            case .culew: result = flag(u32(da) <= u32(db))
            case .cultw: result = flag(u32(da) < u32(db))
            case .ceql: result = flag(da == db)
            case .cnel: result = flag(da != db)
            case .csgel: result = flag(i64(da) >= i64(db))
            case .csgtl: result = flag(i64(da) > i64(db))
            case .cslel: result = flag(i64(da) <= i64(db))
            case .csltl: result = flag(i64(da) < i64(db))
            case .cugel: result = flag(da >= db)
            case .cugtl: result = flag(da > db)
            case .culel: result = flag(da <= db)
            case .cultl: result = flag(da < db)
            case .ceqs: result = flag(f32(da) == f32(db))
            case .cnes: result = flag(f32(da) != f32(db))
            case .cges: result = flag(f32(da) >= f32(db))
            case .cgts: result = flag(f32(da) > f32(db))
            case .cles: result = flag(f32(da) <= f32(db))
            case .clts: result = flag(f32(da) < f32(db))
            case .cos: result = flag(!f32(da).isNaN && !f32(db).isNaN)
            case .cuos: result = flag(f32(da).isNaN || f32(db).isNaN)
            case .ceqd: result = flag(f64(da) == f64(db))
            case .cned: result = flag(f64(da) != f64(db))
            case .cged: result = flag(f64(da) >= f64(db))
            case .cgtd: result = flag(f64(da) > f64(db))
            case .cled: result = flag(f64(da) <= f64(db))
            case .cltd: result = flag(f64(da) < f64(db))
            case .cod: result = flag(!f64(da).isNaN && !f64(db).isNaN)
            case .cuod: result = flag(f64(da).isNaN || f64(db).isNaN)
            case .store8, .store16, .store32, .store64:
                let width = o.op == .store8 ? 1 : o.op == .store16 ? 2 : o.op == .store32 ? 4 : 8
                if !memory.store(db, width: width, value: da) {
                    throw error(fault(db, width: width, access: "store"), function: fi, pc: pc - 1)
                }
                continue
            case .storeRef:
                let why: String?
                do {
                    why = try referenceStoreFault(value: da, address: db, symbolAddress: o.extra == 1)
                } catch let e {
                    why = e.message
                }
                if let why { throw error(why, function: fi, pc: pc - 1) }
                _ = memory.store(db, width: 8, value: da)
                continue
            case .ld8s32, .ld8s64, .ld8u, .ld16s32, .ld16s64, .ld16u, .ld32, .ld32s64, .ld64:
                let width: Int
                switch o.op {
                case .ld8s32, .ld8s64, .ld8u: width = 1
                case .ld16s32, .ld16s64, .ld16u: width = 2
                case .ld32, .ld32s64: width = 4
                default: width = 8
                }
                guard let v = memory.load(da, width: width) else {
                    throw error(fault(da, width: width, access: "load"), function: fi, pc: pc - 1)
                }
                switch o.op {
                case .ld8s32: result = w(Int32(Int8(truncatingIfNeeded: v)))
                case .ld8s64: result = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: v)))
                case .ld16s32: result = w(Int32(Int16(truncatingIfNeeded: v)))
                case .ld16s64: result = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: v)))
                case .ld32s64: result = UInt64(bitPattern: Int64(Int32(truncatingIfNeeded: v)))
                default: result = v
                }
            case .blit:
                let n = Int(o.extra)
                if da != db && Memory.region(of: da) == Memory.region(of: db)
                    && (da < db ? db - da : da - db) < UInt64(max(n, 0)) {
                    throw error("blit source and destination partly overlap (\(hex(da)), \(hex(db)), \(n) bytes)",
                                function: fi, pc: pc - 1)
                }
                guard let bytes = memory.read(da, count: n) else {
                    throw error("blit: " + fault(da, width: n, access: "read"), function: fi, pc: pc - 1)
                }
                if !memory.write(db, bytes: bytes) {
                    throw error("blit: " + fault(db, width: n, access: "write"), function: fi, pc: pc - 1)
                }
                continue
            case .alloc:
                let size = i64(da)
                guard size >= 0, size <= Int64(Memory.maxRegionSize),
                      let p = newRegion(size: Int(size), kind: .alloc, owner: Int32(fi)) else {
                    throw error("alloc of \(size) bytes failed", function: fi, pc: pc - 1)
                }
                owned.append(Memory.region(of: p))
                result = p
            case .extsbW: result = w(Int32(Int8(truncatingIfNeeded: da)))
            case .extsbL: result = UInt64(bitPattern: Int64(Int8(truncatingIfNeeded: da)))
            case .extub: result = da & 0xFF
            case .extshW: result = w(Int32(Int16(truncatingIfNeeded: da)))
            case .extshL: result = UInt64(bitPattern: Int64(Int16(truncatingIfNeeded: da)))
            case .extuh: result = da & 0xFFFF
            case .extsw: result = UInt64(bitPattern: Int64(i32(da)))
            case .extuw: result = da & 0xFFFF_FFFF
            case .exts: result = bits(Double(f32(da)))
            case .truncd: result = bits(Float(f64(da)))
            case .stosiW: result = Convert.toInt32(Double(f32(da)))
            case .stosiL: result = Convert.toInt64(Double(f32(da)))
            case .stouiW: result = Convert.toUInt32(Double(f32(da)))
            case .stouiL: result = Convert.toUInt64(Double(f32(da)))
            case .dtosiW: result = Convert.toInt32(f64(da))
            case .dtosiL: result = Convert.toInt64(f64(da))
            case .dtouiW: result = Convert.toUInt32(f64(da))
            case .dtouiL: result = Convert.toUInt64(f64(da))
            case .swtofS: result = bits(Float(i32(da)))
            case .swtofD: result = bits(Double(i32(da)))
            case .uwtofS: result = bits(Float(u32(da)))
            case .uwtofD: result = bits(Double(u32(da)))
            case .sltofS: result = bits(Float(i64(da)))
            case .sltofD: result = bits(Double(i64(da)))
            case .ultofS: result = bits(Float(da))
            case .ultofD: result = bits(Double(da))
            case .copyW: result = da & 0xFFFF_FFFF
            case .copyL: result = da
            case .tagr: result = da | 1
            case .vastart:
                let frame = frames[frames.count - 1]
                if frame.varargs == 0 {
                    throw error("vastart in $\(functions[fi].name), which is not variadic", function: fi, pc: pc - 1)
                }
                if !memory.store(da, width: 8, value: frame.varargs)
                    || !memory.store(da &+ 8, width: 8, value: frame.varargs + UInt64(frame.varargsSize)) {
                    throw error("vastart: " + fault(da, width: 16, access: "store"), function: fi, pc: pc - 1)
                }
                continue
            case .vaargW, .vaargL:
                guard let next = memory.load(da, width: 8), let end = memory.load(da &+ 8, width: 8) else {
                    throw error("vaarg: " + fault(da, width: 16, access: "load"), function: fi, pc: pc - 1)
                }
                guard next < end, let v = memory.load(next, width: 8) else {
                    throw error(next >= end && Memory.region(of: next) == Memory.region(of: end)
                                ? "vaarg: no variadic argument left" : "vaarg: " + fault(next, width: 8, access: "load"),
                                function: fi, pc: pc - 1)
                }
                _ = memory.store(da, width: 8, value: next &+ 8)
                result = o.op == .vaargW ? v & 0xFFFF_FFFF : v
            case .call, .tailCall:
                let info = calls[Int(o.extra)]
                frames[frames.count - 1].pc = pc
                let target = da
                let r = Memory.region(of: target)
                let valid = r > 0 && r < memory.regions.count && Memory.offset(of: target) == 0
                let kind = valid ? memory.regions[r].kind : .data
                if valid && kind == .function {
                    let callee = Int(symbolFunction[Int(memory.regions[r].owner)])
                    try enter(function: callee, call: Int(o.extra), callerBase: base, callerFunction: fi, callerPC: pc - 1)
                    if o.op == .tailCall { replaceCallerFrame() }
                    fi = callee
                    code = codes[fi]
                    base = frames[frames.count - 1].base
                    pc = 0
                    continue
                }
                if valid && kind == .external {
                    let sym = Int(memory.regions[r].owner)
                    guard let builtin = symbolBuiltin[sym] else {
                        throw error("call to undefined external function $\(symbolNames[sym])", function: fi, pc: pc - 1)
                    }
                    var converted: [UInt64] = []
                    for i in Int(info.argStart)..<Int(info.argStart + info.argCount) {
                        let a = callArgs[i]
                        converted.append(a.conv.apply(a.reg >= 0 ? regs[base + Int(a.reg)] : 0))
                    }
                    let v: UInt64
                    do {
                        v = try callBuiltin(builtin, converted, info)
                    } catch let e {
                        // An error inside IL code the builtin ran (a handle destructor) keeps its own location.
                        if e.function != nil { throw e }
                        throw error(e.message, function: fi, pc: pc - 1)
                    }
                    if exitStatus != nil { return 0 }
                    if info.result >= 0 { regs[base + Int(info.result)] = info.resultMask32 ? v & 0xFFFF_FFFF : v }
                    continue
                }
                throw error("call through \(hex(target)), which is not the address of a function", function: fi, pc: pc - 1)
            case .jmp:
                pc = try takeEdge(Int(o.extra), function: fi, base: base, pc: pc - 1)
                continue
            case .jnz:
                pc = try takeEdge(Int(u32(da) != 0 ? o.dst : o.extra), function: fi, base: base, pc: pc - 1)
                continue
            case .ret:
                let f = headers[fi]
                var value = da
                var aggregate: [UInt8]? = nil
                if let conv = f.returnConv {
                    if conv == .aggregate {
                        guard let bytes = memory.read(da, count: Int(f.returnSize)) else {
                            throw error("returning aggregate: " + fault(da, width: Int(f.returnSize), access: "read"),
                                        function: fi, pc: pc - 1)
                        }
                        aggregate = bytes
                    } else {
                        value = conv.apply(value)
                    }
                } else {
                    value = 0
                }
                leave()
                if frames.count == stopDepth { return value }
                let caller = frames[frames.count - 1]
                fi = caller.function
                code = codes[fi]
                base = caller.base
                pc = caller.pc
                let info = calls[Int(code[pc - 1].extra)]
                if info.result >= 0 {
                    if let bytes = aggregate {
                        guard let p = newRegion(size: bytes.count, kind: .alloc, owner: Int32(fi)) else {
                            throw error("out of memory", function: fi, pc: pc - 1)
                        }
                        _ = memory.write(p, bytes: bytes)
                        owned.append(Memory.region(of: p))
                        value = p
                    } else if let conv = info.returnConv, conv != .aggregate {
                        value = conv.apply(value)
                    }
                    regs[base + Int(info.result)] = info.resultMask32 ? value & 0xFFFF_FFFF : value
                }
                continue
            case .hlt:
                throw error("hlt reached", function: fi, pc: pc - 1)
            case .noTerminator:
                throw error("fell off the end of block @\(functions[fi].blockLabels[functions[fi].block(at: pc - 1)]), which has no terminator",
                            function: fi, pc: pc - 1)
            }
            regs[base &+ Int(o.dst)] = result
        }
    }

    /// Runs the phi moves of edge `e` as a parallel assignment and returns the target pc.
    @inline(__always)
    mutating func takeEdge(_ e: Int, function fi: Int, base: Int, pc: Int) throws(RuntimeError) -> Int {
        let edge = edges[e]
        let start = Int(edge.movesStart), end = Int(edge.movesEnd)
        if start == end { return Int(edge.pc) }
        scratch.removeAll(keepingCapacity: true)
        for m in start..<end {
            let mv = moves[m]
            if mv.src < 0 {
                let f = functions[fi]
                let b = f.block(at: pc)
                throw error("phi %\(f.tempNames[Int(mv.dst)]) in @\(f.blockLabels[Int(mv.block)]) has no value for predecessor @\(f.blockLabels[b])",
                            function: fi, pc: pc)
            }
            let v = regs[base + Int(mv.src)]
            scratch.append(mv.mask32 ? v & 0xFFFF_FFFF : v)
        }
        for m in start..<end { regs[base + Int(moves[m].dst)] = scratch[m - start] }
        return Int(edge.pc)
    }
}
