import KeelIR

/// Where in a function a verification error was found.
public enum VerificationSite: Hashable, Sendable {
    /// The function header (name, return type, linkage).
    case header
    /// A parameter, by index in `Function.parameters`.
    case parameter(Int)
    /// A block's label (errors about the block as a whole).
    case label(BlockID)
    /// A phi, by index in `Block.phis`.
    case phi(BlockID, Int)
    /// A regular instruction, by index in `Block.instructions`.
    case instruction(BlockID, Int)
    /// A block's terminator.
    case terminator(BlockID)
}

/// A function (index in `Module.functions`) and a site in it.
public struct CodeLocation: Hashable, Sendable {
    public var function: Int
    public var site: VerificationSite
    public init(function: Int, site: VerificationSite) {
        self.function = function
        self.site = site
    }
}

/// The part an operand plays where it is used.
public enum OperandRole: Hashable, Sendable {
    /// Operand 0 or 1 of an instruction (a `call`'s callee is operand 0).
    case operand(Opcode, Int)
    /// A call argument, by index in `CallSite.arguments`.
    case callArgument(Int)
    /// The `env` argument of a call.
    case callEnvironment
    /// A phi argument, by index in `Phi.incoming`.
    case phiArgument(Int)
    /// The value of a `ret`.
    case returnValue
    /// The condition of a `jnz`.
    case jumpCondition
}

/// A global definition: a function or a data object (index in its module array).
public enum GlobalDefinition: Hashable, Sendable {
    case function(Int)
    case data(Int)
}

/// One thing wrong with a module. Each case carries what is involved, so tests
/// can match it exactly and `Verifier` can render it with the best position.
public enum VerificationError: Hashable, Sendable {
    // MARK: module

    /// Two functions or data objects share a name.
    case duplicateDefinition(SymbolID, first: GlobalDefinition, second: GlobalDefinition)
    /// A field of an aggregate type names a type that does not exist.
    case undefinedTypeInType(TypeID, field: TypeID)
    /// A data item refers to a symbol neither defined nor a known external.
    case undefinedSymbolInData(data: Int, symbol: SymbolID)
    /// A data item refers to a symbol index outside the symbol table.
    case symbolOutOfRangeInData(data: Int, symbol: SymbolID)
    /// A reference cell (`r` item) of a data definition is not 8-byte
    /// aligned (its offset, or the definition's alignment below 8).
    case referenceCellMisaligned(data: Int, offset: Int)
    /// A thread-local data definition has reference cells: the collector
    /// scans the one copy listed in `keel_globals`, not every thread's.
    case referenceCellThreadLocal(data: Int)
    /// A definition of the section `keel_layouts` that is not a list of
    /// well-formed declarations `l $layout, l KIND, l WORDS`.
    case malformedLayoutDeclaration(data: Int, ManagedRuntime.LayoutDeclarationProblem)
    /// `layout` declared twice (in `data`, first in `firstData`) with different headers.
    case conflictingLayoutDeclarations(data: Int, layout: SymbolID, ManagedRuntime.LayoutHeader,
                                       firstData: Int, first: ManagedRuntime.LayoutHeader)
    /// `layout` declared (in `data`) with another header than its definition in the module has.
    case layoutDeclarationDisagrees(data: Int, layout: SymbolID, declared: ManagedRuntime.LayoutHeader,
                                    defined: ManagedRuntime.LayoutHeader?)

    // MARK: structure

    /// A function without blocks.
    case emptyFunction(function: Int)
    /// A temporary index outside `Function.temps`.
    case tempOutOfRange(CodeLocation, OperandRole?, Temp)
    /// A constant index outside `Function.constants`.
    case constantOutOfRange(CodeLocation, OperandRole, ConstID)
    /// A call instruction whose call site index is outside `Function.calls`.
    case callSiteOutOfRange(CodeLocation, CallID)
    /// A jump or phi names a block that does not exist.
    case blockOutOfRange(CodeLocation, BlockID)
    /// An aggregate type index outside `Module.types`.
    case typeOutOfRange(CodeLocation, TypeID)
    /// A symbol index outside `Module.symbols`.
    case symbolOutOfRange(CodeLocation, OperandRole, SymbolID)
    /// A symbol used in code that is neither defined nor a known external.
    case undefinedSymbol(CodeLocation, OperandRole, SymbolID)

    // MARK: instructions

    /// The instruction's class is not valid for its opcode.
    case invalidClass(CodeLocation, Opcode, BaseType)
    /// An instruction that defines a value has no result.
    case missingResult(CodeLocation, Opcode)
    /// An instruction that defines nothing has a result.
    case unexpectedResult(CodeLocation, Opcode)
    /// The result is a constant, not a temporary.
    case resultNotTemp(CodeLocation, Opcode)
    /// A required operand is absent.
    case missingOperand(CodeLocation, OperandRole)
    /// An operand is present where the opcode takes none.
    case unexpectedOperand(CodeLocation, OperandRole)
    /// A temporary's class is not acceptable where it is used.
    case operandClass(CodeLocation, OperandRole, Temp, expected: BaseType, found: BaseType)
    /// A symbol constant where a float or reference is expected.
    case symbolOperand(CodeLocation, OperandRole, expected: BaseType)
    /// `vastart` in a function that is not variadic.
    case vastartInNonVariadicFunction(CodeLocation)
    /// A `blit` size outside 0...Int32.max.
    case invalidBlitSize(CodeLocation, UInt32)
    /// An `alloc` with a negative constant size.
    case invalidAllocSize(CodeLocation, Int64)
    /// A `dbgloc` operand that is not an integer constant.
    case invalidDebugLocation(CodeLocation, operand: Int)

    // MARK: calls

    /// A call defines a result but has no return type.
    case callResultWithoutType(CodeLocation)
    /// A call has a return type but no result temporary.
    case callTypeWithoutResult(CodeLocation, ABIType)
    /// The call instruction's class differs from its return type's class.
    case callResultClass(CodeLocation, BaseType, returnType: ABIType)
    /// The `...` marker lies beyond the last argument.
    case variadicMarkerOutOfRange(CodeLocation, marker: Int, argumentCount: Int)
    /// A call to a function of the module passes the wrong number of arguments.
    case callArgumentCount(CodeLocation, callee: Int, expected: Int, found: Int)
    /// A call to a variadic function without `...` at its fixed-parameter
    /// count, or a call with `...` to a non-variadic function.
    case callVariadicMarker(CodeLocation, callee: Int, expected: Int?, found: Int?)
    /// An argument's ABI type differs from the callee's parameter.
    case callArgumentType(CodeLocation, callee: Int, argument: Int, expected: ABIType, found: ABIType)
    /// The call's return type does not match what the callee returns
    /// (`expected` is `nil` when the callee returns nothing).
    case callReturnType(CodeLocation, callee: Int, expected: ABIType?, found: ABIType)

    // MARK: phis

    /// A phi in the entry block, which has no predecessors.
    case phiInEntryBlock(CodeLocation)
    /// A predecessor with no phi argument.
    case phiMissingPredecessor(CodeLocation, BlockID)
    /// A phi argument for a block that is not a predecessor.
    case phiNotPredecessor(CodeLocation, BlockID)
    /// Two phi arguments for the same predecessor.
    case phiDuplicatePredecessor(CodeLocation, BlockID)

    // MARK: SSA

    /// A temporary defined more than once (with `requireSSA`).
    case multipleDefinitions(Temp, first: CodeLocation, second: CodeLocation)
    /// A temporary assigned with two different classes.
    case conflictingClasses(Temp, first: CodeLocation, BaseType, second: CodeLocation, BaseType)
    /// A definition's class differs from `TempInfo.type`.
    case recordedClassMismatch(CodeLocation, Temp, recorded: BaseType, defined: BaseType)
    /// A temporary used but defined nowhere.
    case undefinedTemp(CodeLocation, OperandRole, Temp)
    /// A use not dominated by its definition (with `requireSSA`).
    case notDominated(CodeLocation, OperandRole, Temp, definition: CodeLocation)

    // MARK: tail calls (docs/il-extensions.md, "Tail calls")

    /// A tail call that is not the last instruction of its block, or whose
    /// block does not end in `ret` of its result.
    case tailCallNotInTailPosition(CodeLocation)
    /// A tail call whose callee (a function of the module) returns another
    /// type than the caller: `callee` returns `found` (nil: nothing), the
    /// caller `expected`. Also a call site whose written return type is not the caller's.
    case tailCallReturnType(CodeLocation, callee: Int?, expected: ABIType?, found: ABIType?)
    /// A tail call with variadic arguments, or to a variadic function.
    case tailCallVariadic(CodeLocation)
    /// A tail call passing an aggregate (`argument`) or returning one (`argument` nil).
    case tailCallAggregate(CodeLocation, argument: Int?)
    /// A tail call passing the address of the caller's `alloc` slot `slot`
    /// (the slot itself, or `add`/`sub`/`copy` of it): the frame is gone when the callee runs.
    case tailCallFrameAddress(CodeLocation, OperandRole, Temp, slot: Temp)

    // MARK: references (the `r` class and the runtime; docs/il-extensions.md)

    /// An `l` derived from reference `base` (address arithmetic, a copy or a
    /// phi of such values) is live across a call that may collect.
    case derivedPointerAcrossSafepoint(CodeLocation, Temp, base: Temp, definition: CodeLocation)
    /// A derived `l`, or a reference passed as an integer, is an argument of a
    /// call that may collect (`base` is the reference itself when passed as is).
    case derivedPointerArgument(CodeLocation, argument: Int, Temp, base: Temp)
    /// A store other than `storer` whose value is a reference: no barrier.
    case referenceStoreWithoutBarrier(CodeLocation, Opcode, Temp)
    /// `storer` through an address computed from a data symbol with
    /// reference cells: only a symbol address gets no card mark.
    case referenceCellThroughComputedAddress(CodeLocation, SymbolID)
    /// `keel_alloc` of a layout defined or declared in the module that is not
    /// one a program may allocate (wrong magic or kind), or of a RECORD with
    /// another word count.
    case badLayout(CodeLocation, layout: SymbolID, ManagedRuntime.LayoutHeader, askedWords: Int64?)
    /// A call to a runtime allocator whose result is not of class `r`.
    case allocationNotReference(CodeLocation, callee: SymbolID, found: BaseType?)

    // MARK: terminators

    /// A block without terminator.
    case missingTerminator(CodeLocation)
    /// A jump to the entry block.
    case jumpToEntry(CodeLocation)
    /// A `ret` without value in a function with a return type.
    case missingReturnValue(CodeLocation, ABIType)
    /// A `ret` with a value in a function without return type.
    case unexpectedReturnValue(CodeLocation)
}
