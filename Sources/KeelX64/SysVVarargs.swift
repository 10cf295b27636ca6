// The System V AMD64 `va_list` and what `vastart` stores in it.
//
// Contract: pure facts derived from a variadic function's `SysVAssignment`
// (its named parameters); nothing is emitted here.
//
// Source: System V AMD64 psABI §3.5.7 ("Variable Argument Lists"), checked
// against gcc 12.2 `-O1` (`va_start` after `(int, double, ...)` starts at
// gp_offset 8; after seven named longs at gp_offset 48 with the overflow area
// 8 bytes into the incoming argument area):
// - `va_list` is 24 bytes, 8-aligned: gp_offset (w, at 0), fp_offset (w, at 4),
//   overflow_arg_area (l, at 8), reg_save_area (l, at 16);
// - the register save area is 176 bytes: rdi rsi rdx rcx r8 r9 at 0, 8, ..., 40,
//   then xmm0–xmm7 at 48, 64, ..., 160 (16 bytes each; only the low 8 are read);
// - `vaarg` of an integer class reads the save area while gp_offset < 48 (then
//   adds 8), of a float class while fp_offset < 176 (then adds 16), and
//   otherwise reads overflow_arg_area and advances it by 8.
import KeelCodegen

public enum SysVVaList {
    public static let size = 24
    public static let alignment = 8
    public static let gpOffsetField = 0
    public static let fpOffsetField = 4
    public static let overflowArgAreaField = 8
    public static let regSaveAreaField = 16

    /// Size of the register save area a variadic function spills its argument registers to.
    public static let registerSaveAreaSize = 176
    /// gp_offset past the last integer register.
    public static let gpLimit = 48
    /// fp_offset past the last SSE register.
    public static let fpLimit = 176

    /// Offset in the register save area where argument register `r` is saved, if it is one.
    public static func saveAreaOffset(of r: PReg) -> Int? {
        if let i = SysV.integerArgumentRegisters.firstIndex(of: r) { return 8 * i }
        if let i = SysV.sseArgumentRegisters.firstIndex(of: r) { return gpLimit + 16 * i }
        return nil
    }
}

/// What `vastart` stores, for a variadic function whose named parameters are `assignment`.
public struct SysVVaStart: Hashable, Sendable {
    /// Initial gp_offset: 8 × integer registers taken by named parameters (hidden pointer included).
    public var gpOffset: Int
    /// Initial fp_offset: 48 + 16 × SSE registers taken by named parameters.
    public var fpOffset: Int
    /// Offset of the first variadic stack argument from the start of the
    /// incoming argument area (rsp + 8 at entry).
    public var overflowArgAreaOffset: Int

    public init(gpOffset: Int, fpOffset: Int, overflowArgAreaOffset: Int) {
        self.gpOffset = gpOffset
        self.fpOffset = fpOffset
        self.overflowArgAreaOffset = overflowArgAreaOffset
    }

    public init(_ assignment: SysVAssignment) {
        gpOffset = 8 * assignment.integerRegistersUsed
        fpOffset = SysVVaList.gpLimit + 16 * assignment.sseRegistersUsed
        overflowArgAreaOffset = assignment.stackArgumentBytes
    }
}
