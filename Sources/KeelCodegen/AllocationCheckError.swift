/// What the allocation checker (AllocationChecker.swift) reports: one value
/// per violation, naming the function, the block, the instruction and
/// program point where it shows, and a precise case with the operand, the
/// expected virtual register and what the location really held.
public struct AllocationCheckError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What a location held when it was read, in the checker's abstract state.
    public enum Content: Hashable, Sendable, CustomStringConvertible {
        /// Certainly this vreg on every path.
        case value(VReg)
        /// Nothing written yet on some path (garbage from the caller or the frame).
        case uninitialized
        /// Overwritten by the clobbers of instruction `by` (a call) and not written since.
        case clobbered(by: MInst)
        /// Different contents on different incoming paths.
        case conflict
        /// A register copy of a reference taken before safepoint `after`: the
        /// collector may have moved the object and updated only its slot.
        case stale(after: MInst)

        public var description: String {
            switch self {
            case .value(let v): return "\(v)"
            case .uninitialized: return "nothing (never written)"
            case .clobbered(let i): return "garbage (clobbered by \(i))"
            case .conflict: return "different values on different paths"
            case .stale(let i): return "a stale copy of a reference (not reloaded after the safepoint \(i))"
            }
        }
    }

    public enum Kind: Hashable, Sendable {
        /// A use operand's location does not hold its vreg. `elsewhere` is a
        /// location that does hold it at that point, if any.
        case useReadsWrongValue(operand: Int, vreg: VReg, location: Location, found: Content, elsewhere: Location?)
        /// An inserted move reads a location that does not hold the move's vreg.
        case editReadsWrongValue(Edit, found: Content)
        /// After the sequentialized moves of a parallel copy, a destination does
        /// not hold what the parallel copy promised (moves in a wrong order,
        /// or two of its locations share one stack cell).
        case copyLeftWrongValue(Edit, found: Content)
        /// On the edge to `successor`, its parameter `param` is not where the
        /// block expects it (`blockParamLocations`) before the jump.
        case branchArgumentMisplaced(successor: MBlock, param: Int, vreg: VReg, location: Location, found: Content)
        /// An operand with a fixed-register constraint is elsewhere.
        case fixedConstraintViolated(operand: Int, vreg: VReg, required: PReg, location: Location)
        /// A `.reuse(i)` def is not in the location of use operand `i`.
        case reuseConstraintViolated(operand: Int, vreg: VReg, reused: Int, location: Location)
        /// An operand was given a stack slot (or a nonexistent register).
        case operandNotInRegister(operand: Int, vreg: VReg, location: Location)
        /// An operand's register is of another class than its vreg.
        case wrongRegisterClass(operand: Int, vreg: VReg, location: Location)
        /// A `.reg` operand in a register the allocator may not hand out (the emitter's scratch, rsp ...).
        case reservedRegister(operand: Int, vreg: VReg, register: PReg)
        /// An early def shares a register with a use of the same instruction (it is written before the use is read).
        case earlyDefOverlapsUse(operand: Int, vreg: VReg, register: PReg)
        /// A late use shares a register with a def of the same instruction (the def is written before it is read).
        case lateUseOverlapsDef(operand: Int, vreg: VReg, register: PReg)
        /// A late use sits in a register the instruction clobbers.
        case lateUseClobbered(operand: Int, vreg: VReg, register: PReg)
        /// An early def sits in a register the instruction clobbers.
        case earlyDefClobbered(operand: Int, vreg: VReg, register: PReg)
        /// Two defs of one instruction in one register.
        case defsShareRegister(operand: Int, vreg: VReg, register: PReg)
        /// Two moves of one parallel copy write the same location.
        case duplicateCopyDestination(Edit)
        /// A move of the allocator touches a reserved register (the emitter's scratch).
        case editTouchesReservedRegister(Edit)
        /// A move between locations of different classes than its vreg, or to/from a nonexistent location.
        case invalidEdit(Edit)
        /// A move placed after a block's terminator: it would never run (the
        /// emitter writes nothing there), so the checker does not model it as running.
        case editAfterTerminator(Edit)
        /// Two parameters of a block share one entry location.
        case parametersShareLocation(param: Int, location: Location)
        /// A callee-saved register is written but missing from `usedCalleeSaved` (the prologue would not save it).
        case calleeSavedNotRecorded(PReg)
        /// At a safepoint, a reference live across it is in no slot its stack
        /// map lists (the collector would neither see nor update it); `elsewhere`
        /// is where it is, if anywhere.
        case referenceNotInMap(vreg: VReg, elsewhere: Location?)
        /// A slot listed in a safepoint's map does not hold a reference (an
        /// integer, garbage, nothing, or different values on different paths):
        /// the collector would trace it.
        case mapListsNonReference(slot: SpillSlot, found: Content)
        /// A slot listed in a safepoint's map holds a reference that is dead
        /// across it (its cell may be reused, or the object freed).
        case mapListsDeadValue(slot: SpillSlot, vreg: VReg)
        /// A safepoint of a reachable block without a stack map: the
        /// collector's frame walk would stop at it.
        case safepointWithoutMap
        /// The result's shape does not fit the function (array lengths, unsorted edits, bad cell map ...).
        case malformedResult(String)
    }

    public var function: String
    public var block: MBlock?
    public var instruction: MInst?
    public var point: ProgramPoint?
    public var kind: Kind

    public init(function: String, block: MBlock?, instruction: MInst?, point: ProgramPoint?, kind: Kind) {
        self.function = function
        self.block = block
        self.instruction = instruction
        self.point = point
        self.kind = kind
    }

    public var description: String { "\(function): \(message(registers: nil))" }

    /// The report without the function name, registers named by `registers` when given.
    public func message(registers: RegisterFile?) -> String {
        func loc(_ l: Location) -> String {
            if case .reg(let r) = l, let registers, Int(r.number) < registers.names.count {
                return registers.name(r)
            }
            return "\(l)"
        }
        func reg(_ r: PReg) -> String { loc(.reg(r)) }
        func edit(_ e: Edit) -> String { "move of \(e.vreg) \(loc(e.from)) -> \(loc(e.to))" }
        var whereText = ""
        if let block { whereText += "\(block)" }
        if let instruction { whereText += (whereText.isEmpty ? "" : ", ") + "\(instruction)" }
        if let point { whereText += " (\(point))" }
        let what: String
        switch kind {
        case .useReadsWrongValue(let k, let v, let l, let found, let elsewhere):
            what = "operand \(k) uses \(v) in \(loc(l)), which holds \(found)"
                + (elsewhere.map { "; \(v) is in \(loc($0))" } ?? "; \(v) is in no location")
        case .editReadsWrongValue(let e, let found):
            what = "\(edit(e)) reads \(loc(e.from)), which holds \(found)"
        case .copyLeftWrongValue(let e, let found):
            what = "after the sequentialized parallel copy, \(loc(e.to)) holds \(found) instead of \(e.vreg)"
        case .branchArgumentMisplaced(let s, let p, let v, let l, let found):
            what = "edge to \(s): parameter \(p) expects \(v) in \(loc(l)), which holds \(found)"
        case .fixedConstraintViolated(let k, let v, let r, let l):
            what = "operand \(k) (\(v)) must be in \(reg(r)) but is in \(loc(l))"
        case .reuseConstraintViolated(let k, let v, let u, let l):
            what = "operand \(k) (\(v)) must reuse the register of operand \(u) but is in \(loc(l))"
        case .operandNotInRegister(let k, let v, let l):
            what = "operand \(k) (\(v)) is in \(loc(l)), not in a register"
        case .wrongRegisterClass(let k, let v, let l):
            what = "operand \(k) (\(v)) is in \(loc(l)) of the wrong register class"
        case .reservedRegister(let k, let v, let r):
            what = "operand \(k) (\(v)) is in \(reg(r)), which the allocator may not use"
        case .earlyDefOverlapsUse(let k, let v, let r):
            what = "early def operand \(k) (\(v)) in \(reg(r)) overwrites a use of the same instruction"
        case .lateUseOverlapsDef(let k, let v, let r):
            what = "late use operand \(k) (\(v)) in \(reg(r)) is overwritten by a def of the same instruction"
        case .lateUseClobbered(let k, let v, let r):
            what = "late use operand \(k) (\(v)) in \(reg(r)), which the instruction clobbers"
        case .earlyDefClobbered(let k, let v, let r):
            what = "early def operand \(k) (\(v)) in \(reg(r)), which the instruction clobbers"
        case .defsShareRegister(let k, let v, let r):
            what = "def operand \(k) (\(v)) in \(reg(r)), already written by another def"
        case .duplicateCopyDestination(let e):
            what = "\(edit(e)): another move of the same parallel copy writes \(loc(e.to)) (or its stack cell)"
        case .editTouchesReservedRegister(let e):
            what = "\(edit(e)) touches a register reserved for the emitter"
        case .invalidEdit(let e):
            what = "\(edit(e)) names a nonexistent location or one of another class"
        case .editAfterTerminator(let e):
            what = "\(edit(e)) is placed after the block's terminator, where nothing runs"
        case .parametersShareLocation(let p, let l):
            what = "parameter \(p) shares its entry location \(loc(l)) with another parameter"
        case .calleeSavedNotRecorded(let r):
            what = "callee-saved \(reg(r)) is written but not in usedCalleeSaved"
        case .referenceNotInMap(let v, let elsewhere):
            what = "reference \(v) is live across the safepoint but in no slot of its stack map"
                + (elsewhere.map { " (it is in \(loc($0)))" } ?? "")
        case .mapListsNonReference(let slot, let found):
            what = "the stack map lists \(slot), which holds \(found), not a reference"
        case .mapListsDeadValue(let slot, let v):
            what = "the stack map lists \(slot), which holds \(v), not live across the safepoint"
        case .safepointWithoutMap:
            what = "safepoint without a stack map"
        case .malformedResult(let why):
            what = "malformed allocation result: \(why)"
        }
        return whereText.isEmpty ? what : "\(whereText): \(what)"
    }
}
