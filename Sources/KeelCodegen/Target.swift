import KeelIR

// What a target supplies to the target-independent driver (KeelDriver's
// `CodeGenerator`): its names for `-t`, its register file, ABI lowering,
// instruction selection into a `MachineFunction` of its own instruction
// payloads, frame layout and the writer of its output. Everything between
// selection and emission — register allocation, spill-slot sharing and the
// allocation checker — is the driver's and works on the machine layer only.
//
// A target is a value with no mutable state: one instance may compile many
// modules. Its associated types are specialized into the driver (no
// existentials on the compile path).
public protocol Target: Sendable {
    /// The target's machine instruction payload.
    associatedtype Payload: Sendable
    /// The module-wide facts ABI lowering computes once (aggregate
    /// classifications, which functions return what).
    associatedtype ModuleABI: Sendable
    /// The calling-convention assignment of one function's boundary: its
    /// parameters, returns and every call site, decided before selection.
    associatedtype FunctionABI: Sendable
    /// A selected function: its machine function and what the target keeps beside it.
    associatedtype Selected: SelectedFunction where Selected.Payload == Payload
    /// Where everything of one function lives in its stack frame.
    associatedtype Frame: Sendable
    /// Writes the module's output (assembly text) piece by piece.
    associatedtype Writer: TargetWriter where Writer.Selected == Selected, Writer.Frame == Frame

    /// The names `-t` accepts for this target, the canonical one first.
    var names: [String] { get }
    var registers: RegisterFile { get }

    func moduleABI(_ module: Module) -> ModuleABI
    /// ABI lowering: where each parameter, argument and result of `f` goes.
    func lowerABI(_ f: Function, _ abi: ModuleABI) throws(SelectionError) -> FunctionABI
    func select(_ f: Function, in module: Module, abi: ModuleABI, boundary: FunctionABI)
        throws(SelectionError) -> Selected
    /// Lays out the frame: callee-saved registers, spill cells (`spillSlots`
    /// says which spill slots share one), the function's own stack slots.
    func layoutFrame(_ s: Selected, _ allocation: AllocationResult, spillSlots: SpillSlotSharing) -> Frame
    /// The cell of every spill slot in `frame`, for the allocation checker.
    func spillCells(_ frame: Frame) -> [Int32]
    /// Checks the finished frame (slots sharing memory are never live at once); one message per failure.
    func checkFrame(_ s: Selected, _ allocation: AllocationResult, _ frame: Frame) -> [String]
    func makeWriter(for module: Module) -> Writer
}

extension Target where Frame == FrameLayout {
    /// A `FrameLayout` records its spill cells itself.
    public func spillCells(_ frame: FrameLayout) -> [Int32] { frame.spillCells }
}

/// A function after instruction selection.
public protocol SelectedFunction: Sendable {
    associatedtype Payload: Sendable
    var machine: MachineFunction<Payload> { get }
}

/// The output of one module, written in source order.
public protocol TargetWriter {
    associatedtype Selected
    associatedtype Frame
    /// A `dbgfile` item.
    mutating func file(_ name: String)
    mutating func data(_ d: DataDefinition)
    /// One function, allocated and laid out; `sequencer` orders each parallel
    /// copy exactly as the allocation checker replayed it.
    mutating func function(_ s: Selected, _ allocation: AllocationResult, _ frame: Frame,
                           sequencer: @escaping ParallelCopySequencer)
    /// The whole output.
    mutating func finish() -> [UInt8]
    /// The function written last, read back from its text by the target's own
    /// model of its instructions (not the emitter's tables), and the facts of
    /// the calling convention the emitted-code checks judge it by; nil only
    /// for a writer of something other than machine code.
    func readBackLastFunction() -> (function: EmittedFunction, convention: EmittedConvention)?
}

/// A construct instruction selection or ABI lowering rejects, with where it was written.
public struct SelectionError: Error, Sendable {
    public var position: SourcePosition
    public var message: String
    public init(position: SourcePosition, message: String) { (self.position, self.message) = (position, message) }
}
