import Foundation
import KeelCodegen
import KeelIR
import KeelTestSupport
import Testing
@testable import KeelX64

/// Frame sharing of alloc slots and spill cells on IL functions, and the
/// independent stack-slot check: it accepts every real layout and rejects
/// layouts tampered into sharing live memory.
struct StackSlotSharingTests {
    struct Compiled {
        var function: X64Function
        var allocation: AllocationResult
        var frame: X64Frame
    }

    func compile(_ text: String, function index: Int = 0) throws -> Compiled {
        var module = try Module(parsing: text)
        let problems = constructSSA(&module)
        #expect(problems.isEmpty, "\(problems)")
        let f = try selectInstructions(module.functions[index], in: module)
        let a = try allocateRegisters(f.machine, registers: X64Reg.sysV)
        return Compiled(function: f, allocation: a, frame: X64Frame(function: f, allocation: a))
    }

    func shares(_ c: Compiled, _ x: Int, _ y: Int) -> Bool {
        let lo = max(c.frame.allocOffsets[x], c.frame.allocOffsets[y])
        let hi = min(c.frame.allocOffsets[x] + c.function.allocSlots[x].size,
                     c.frame.allocOffsets[y] + c.function.allocSlots[y].size)
        return lo < hi
    }

    @Test func disjointAllocSlotsShareMemory() throws {
        let c = try compile("""
            function w $f() {
            @start
                %a =l alloc4 32
                %b =l alloc4 32
                storew 1, %a
                %x =w loadw %a
                storew 2, %b
                %y =w loadw %b
                %s =w add %x, %y
                ret %s
            }
            """)
        #expect(!AllocSlotLifetimes(function: c.function).interfere(0, 1))
        #expect(shares(c, 0, 1))
        #expect(c.frame.size < Int32(X64Frame.unsharedSize(function: c.function, allocation: c.allocation)))
        #expect(checkStackSlots(function: c.function, allocation: c.allocation, frame: c.frame).isEmpty)
    }

    @Test func overlappingAllocSlotsDoNot() throws {
        let c = try compile("""
            function w $f() {
            @start
                %a =l alloc4 4
                %b =l alloc4 4
                storew 1, %a
                storew 2, %b
                %x =w loadw %a
                %y =w loadw %b
                %s =w add %x, %y
                ret %s
            }
            """)
        #expect(AllocSlotLifetimes(function: c.function).interfere(0, 1))
        #expect(!shares(c, 0, 1))
    }

    @Test func escapingAllocSlotNeverShares() throws {
        // The first slot's address goes to a call (which may keep it): it lives for the whole function.
        let c = try compile("""
            function w $f() {
            @start
                %a =l alloc8 8
                storel 1, %a
                call $g(l %a)
                %b =l alloc8 8
                storel 2, %b
                %y =l loadl %b
                %z =w copy %y
                ret %z
            }
            """)
        let life = AllocSlotLifetimes(function: c.function)
        #expect(life.escapes[0] && !life.escapes[1])
        #expect(!shares(c, 0, 1))
        // An address stored as a value escapes too.
        let stored = try compile("""
            function $f(l %p) {
            @start
                %a =l alloc8 8
                storel %a, %p
                %b =l alloc8 8
                storel 2, %b
                ret
            }
            """)
        #expect(AllocSlotLifetimes(function: stored.function).escapes[0])
        #expect(!shares(stored, 0, 1))
    }

    @Test func addressArithmeticAndPhisAreFollowedNotEscaped() throws {
        let c = try compile("""
            function w $f(w %c) {
            @start
                %a =l alloc4 16
                %b =l alloc4 4
                jnz %c, @one, @two
            @one
                %p =l add %a, 4
                jmp @join
            @two
                %q =l add %a, 8
                jmp @join
            @join
                %r =l phi @one %p, @two %q
                storew 7, %r
                %x =w loadw %r
                storew %x, %b
                %y =w loadw %b
                ret %y
            }
            """)
        let life = AllocSlotLifetimes(function: c.function)
        #expect(!life.escapes[0])
        #expect(!life.escapes[1])
        // %a's last access (the load through %r) precedes %b's first one.
        #expect(!life.interfere(0, 1))
        #expect(checkStackSlots(function: c.function, allocation: c.allocation, frame: c.frame).isEmpty)
    }

    @Test func loopCarriedSlotStaysLiveAroundTheBackEdge() throws {
        // %acc is written before the loop and read/written in it; %tmp is used only inside the body.
        let c = try compile("""
            function w $f(w %n) {
            @start
                %acc =l alloc4 4
                %tmp =l alloc4 4
                %late =l alloc4 4
                storew 0, %acc
                %i =w copy 0
            @loop
                storew %i, %tmp
                %t =w loadw %tmp
                %v =w loadw %acc
                %v2 =w add %v, %t
                storew %v2, %acc
                %i =w add %i, 1
                %k =w csltw %i, %n
                jnz %k, @loop, @done
            @done
                %r =w loadw %acc
                storew %r, %late
                %o =w loadw %late
                ret %o
            }
            """)
        let life = AllocSlotLifetimes(function: c.function)
        #expect(life.interfere(0, 1))   // acc is live around the whole loop
        #expect(!life.interfere(1, 2))  // tmp is dead after the loop, late is born after it
        #expect(!life.interfere(0, 2))  // acc's last read comes before late's first write
        #expect(!shares(c, 0, 1))
        #expect(shares(c, 0, 2) || shares(c, 1, 2))
        #expect(checkStackSlots(function: c.function, allocation: c.allocation, frame: c.frame).isEmpty)
    }

    @Test func slotUsedOnlyInsideALoopIsLiveAcrossIterations() throws {
        // %x is read at the top of the body and written before %y's use: its value crosses the back
        // edge while %y is written, so they may not share.
        let c = try compile("""
            function w $f(w %n) {
            @start
                %x =l alloc4 4
                %y =l alloc4 4
                %i =w copy 0
            @loop
                %old =w loadw %x
                %new =w add %old, %i
                storew %new, %x
                storew %i, %y
                %t =w loadw %y
                %i =w add %i, %t
                %i =w add %i, 1
                %k =w csltw %i, %n
                jnz %k, @loop, @done
            @done
                ret %old
            }
            """)
        #expect(AllocSlotLifetimes(function: c.function).interfere(0, 1))
        #expect(!shares(c, 0, 1))
    }

    @Test func wholeOverwriteEndsALifetimeInsideALoop() throws {
        // %x's value is consumed at the top of the body and wholly rewritten at its bottom, after
        // %y's use: %x holds nothing needed while %y lives, so they may share.
        let c = try compile("""
            function w $f(w %n) {
            @start
                %x =l alloc4 4
                %y =l alloc4 4
                storew 0, %x
                %i =w copy 0
            @loop
                %old =w loadw %x
                storew %i, %y
                %t =w loadw %y
                %new =w add %old, %t
                storew %new, %x
                %i =w add %i, 1
                %k =w csltw %i, %n
                jnz %k, @loop, @done
            @done
                ret %old
            }
            """)
        #expect(!AllocSlotLifetimes(function: c.function).interfere(0, 1))
        #expect(shares(c, 0, 1))
        #expect(checkStackSlots(function: c.function, allocation: c.allocation, frame: c.frame).isEmpty)
        // A partial write (2 of 4 bytes) does not end the lifetime: the other bytes are still live.
        let partial = try compile("""
            function w $f(w %n) {
            @start
                %x =l alloc4 4
                %y =l alloc4 4
                storew 0, %x
                %i =w copy 0
            @loop
                %old =w loadw %x
                storew %i, %y
                %t =w loadw %y
                storeh %t, %x
                %i =w add %i, 1
                %k =w csltw %i, %n
                jnz %k, @loop, @done
            @done
                ret %old
            }
            """)
        #expect(AllocSlotLifetimes(function: partial.function).interfere(0, 1))
    }

    @Test func checkerRejectsSharedLiveAllocSlotsAndEscapes() throws {
        var c = try compile("""
            function w $f() {
            @start
                %a =l alloc4 4
                %b =l alloc4 4
                storew 1, %a
                storew 2, %b
                %x =w loadw %a
                %y =w loadw %b
                %s =w add %x, %y
                ret %s
            }
            """)
        c.frame.allocOffsets[1] = c.frame.allocOffsets[0]
        let errors = checkStackSlots(function: c.function, allocation: c.allocation, frame: c.frame)
        #expect(errors.contains { $0.message.contains("alloc slot") && $0.message.contains("is live") }, "\(errors)")

        var e = try compile("""
            function $f() {
            @start
                %a =l alloc8 8
                call $g(l %a)
                %b =l alloc8 8
                storel 2, %b
                ret
            }
            """)
        e.frame.allocOffsets[1] = e.frame.allocOffsets[0]
        let escapeErrors = checkStackSlots(function: e.function, allocation: e.allocation, frame: e.frame)
        #expect(escapeErrors.contains { $0.message.contains("escapes") }, "\(escapeErrors)")
    }

    /// A function with more simultaneously live values than registers, so the allocator spills.
    static let pressure: String = {
        var s = "function l $f(l %x) {\n@start\n"
        for k in 0..<24 { s += "    %v\(k) =l mul %x, \(k + 3)\n" }
        s += "    call $g()\n"
        for k in 0..<24 { s += "    %w\(k) =l add %v\(k), \(k)\n" }
        s += "    %s0 =l copy 0\n"
        for k in 0..<24 { s += "    %s\(k + 1) =l add %s\(k), %w\(k)\n" }
        s += "    ret %s24\n}\n"
        return s
    }()

    @Test func checkerRejectsSpillSlotsForcedTogether() throws {
        var c = try compile(Self.pressure)
        #expect(c.allocation.spillSlotClasses.count >= 2)
        #expect(checkStackSlots(function: c.function, allocation: c.allocation, frame: c.frame).isEmpty)
        // Put every spill slot on the first cell: the values are live across the call together.
        for k in c.frame.spillOffsets.indices { c.frame.spillOffsets[k] = c.frame.spillOffsets[0] }
        let errors = checkStackSlots(function: c.function, allocation: c.allocation, frame: c.frame)
        #expect(errors.contains { $0.message.contains("spill slot") }, "\(errors)")
    }

    @Test func checkerRejectsOverlappingAreas() throws {
        var c = try compile(Self.pressure)
        c.frame.spillOffsets[0] = -Int32(c.frame.size) - 8
        let errors = checkStackSlots(function: c.function, allocation: c.allocation, frame: c.frame)
        #expect(errors.contains { $0.message.contains("outside") }, "\(errors)")
    }

    /// Every function of every IL test program: the shared frame is never larger
    /// than the unshared one, and the stack-slot check passes.
    @Test func sharedFramesAreNeverLargerAndPassTheCheck() throws {
        let directory = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/il")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".ssa") }
        #expect(names.count >= 60)
        var shared = 0, unshared = 0, functions = 0, slots = 0, cells = 0
        for name in names.sorted() {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            guard var module = try? Module(parsing: text), constructSSA(&module).isEmpty else { continue }
            for f in module.functions {
                guard let s = try? selectInstructions(f, in: module),
                      let a = try? allocateRegisters(s.machine, registers: X64Reg.sysV) else { continue }
                let frame = X64Frame(function: s, allocation: a)
                let old = X64Frame.unsharedSize(function: s, allocation: a)
                #expect(Int(frame.size) <= old, "\(name) $\(s.name): \(frame.size) > \(old)")
                let errors = checkStackSlots(function: s, allocation: a, frame: frame)
                #expect(errors.isEmpty, "\(name): \(errors)")
                shared += Int(frame.size)
                unshared += old
                functions += 1
                slots += a.spillSlotClasses.count
                cells += Set(frame.spillCells).count
            }
        }
        #expect(functions > 100)
        #expect(cells < slots, "no spill slots shared a cell")
        #expect(shared < unshared, "sharing saved nothing over \(functions) functions")
        print("frame bytes over \(functions) functions of Tests/Programs/il: \(unshared) unshared, \(shared) shared;",
              "\(slots) spill slots in \(cells) cells")
    }

    /// The same over cproc's IL when present (/work/bench): prints the totals the report quotes.
    @Test func benchFrameTotals() throws {
        let directory = URL(fileURLWithPath: "/work/bench")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        var shared = 0, unshared = 0, functions = 0, slots = 0, cells = 0, allocSlots = 0, escaping = 0
        for name in names.sorted() where name.hasSuffix(".ssa") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            guard var module = try? Module(parsing: text), constructSSA(&module).isEmpty else { continue }
            for f in module.functions {
                guard let s = try? selectInstructions(f, in: module),
                      let a = try? allocateRegisters(s.machine, registers: X64Reg.sysV) else { continue }
                let frame = X64Frame(function: s, allocation: a)
                let old = X64Frame.unsharedSize(function: s, allocation: a)
                #expect(Int(frame.size) <= old, "\(name) $\(s.name)")
                #expect(checkStackSlots(function: s, allocation: a, frame: frame).isEmpty, "\(name) $\(s.name)")
                shared += Int(frame.size)
                unshared += old
                functions += 1
                slots += a.spillSlotClasses.count
                cells += Set(frame.spillCells).count
                allocSlots += s.allocSlots.count
                escaping += AllocSlotLifetimes(function: s).escapes.filter { $0 }.count
            }
        }
        print("frame bytes over \(functions) functions of /work/bench: \(unshared) unshared, \(shared) shared;",
              "\(slots) spill slots in \(cells) cells; \(allocSlots) alloc slots, \(escaping) escaping")
    }
}
