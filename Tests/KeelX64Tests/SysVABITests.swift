import Testing
import KeelIR
import KeelCodegen
@testable import KeelX64

/// System V AMD64 classification and assignment.
///
/// The "gcc:" cases encode what gcc 12.2 `-O1` on x86-64 Linux does for the
/// equivalent C, observed in its assembly (callers built the struct from
/// constants, so every register/stack write is visible); the tests do not run gcc.

/// The struct shapes of the gcc cross-check, as IL types.
let shapes = """
type :II = { w, w }
type :DD = { d, d }
type :LD = { l, d }
type :DL = { d, l }
type :FFF = { s, s, s }
type :C17 = { b 17 }
type :UFI = { { s } { w } }
type :UFD = { { s 2 } { d } }
type :P = { s, s }
type :NEST = { :P, d }
type :FIF = { s, w, s }
type :CD = { b, d }
type :SFD = { h, s, d }
type :LLL = { l, l, l }
type :AL16 = align 16 { l }
type :C12 = { b 12 }
type :LL = { l, l }
type :LL16 = align 16 { l, l }
type :A32 = align 32 { l }
type :ULD = { { l } { d } }
type :C1 = { b }
type :OP12 = align 4 { 12 }
type :OP24 = align 8 { 24 }
type :EMPTY = { }
type :FI = { s, w }
type :IFD = { w, s, d }
type :DFI = { d, s, w }
type :S3 = { h 3 }
type :FF = { s, s }
"""

struct Shapes {
    let module: Module
    let abi: SysVABI
    init(opaqueRule: OpaqueTypeRule = .integerEightbytes) throws {
        module = try Module(parsing: shapes)
        abi = SysVABI(module: module, opaqueRule: opaqueRule)
    }
    func id(_ name: String) -> TypeID {
        TypeID(module.types.firstIndex { $0.name == name } ?? -1)
    }
    func agg(_ name: String) -> ABIType { .aggregate(id(name)) }
    func classify(_ name: String) -> AggregateClass { abi.classifier.classify(id(name)) }
    /// Location of a lone aggregate argument.
    func single(_ name: String) throws -> ArgumentLocation {
        try abi.assign([agg(name)], returnType: nil, hasEnvironment: false, variadic: false).arguments[0]
    }
}

func part(_ r: PRegLike, _ offset: Int, _ type: BaseType, _ size: Int) -> RegisterPart {
    RegisterPart(register: r, offset: offset, type: type, size: size)
}
typealias PRegLike = PReg

let rdi = SysV.rdi, rsi = SysV.rsi, rdx = SysV.rdx, rcx = SysV.rcx, r8 = SysV.r8, r9 = SysV.r9, rax = SysV.rax
let xmm0 = SysV.xmm(0), xmm1 = SysV.xmm(1), xmm2 = SysV.xmm(2), xmm7 = SysV.xmm(7)

@Suite struct SysVClassificationTests {
    @Test func registerNumbersFollowHardwareEncoding() {
        #expect([rax, rcx, rdx, SysV.rbx, SysV.rsp, SysV.rbp, rsi, rdi, r8, r9].map(\.number) == Array(0...9))
        #expect(xmm0.number == 16 && SysV.xmm(15).number == 31)
        #expect(SysV.integerArgumentRegisters.map(\.number) == [7, 6, 2, 1, 8, 9])
    }

    @Test func psABIStructShapes() throws {
        let s = try Shapes()
        #expect(s.classify("II") == .registers([.integer]))
        #expect(s.classify("DD") == .registers([.sse, .sse]))
        #expect(s.classify("LD") == .registers([.integer, .sse]))
        #expect(s.classify("DL") == .registers([.sse, .integer]))
        #expect(s.classify("FFF") == .registers([.sse, .sse]))
        #expect(s.classify("C17") == .memory(.tooLarge))
        #expect(s.classify("LLL") == .memory(.tooLarge))
        #expect(s.classify("C12") == .registers([.integer, .integer]))
        #expect(s.classify("C1") == .registers([.integer]))
    }

    @Test func unionsMergeIntegerOverSSE() throws {
        let s = try Shapes()
        #expect(s.classify("UFI") == .registers([.integer]))
        #expect(s.classify("UFD") == .registers([.sse]))
        #expect(s.classify("ULD") == .registers([.integer]))
    }

    @Test func nestedAndMixedEightbytes() throws {
        let s = try Shapes()
        #expect(s.classify("NEST") == .registers([.sse, .sse]))
        // float and int share the first eightbyte: INTEGER.
        #expect(s.classify("FIF") == .registers([.integer, .sse]))
        #expect(s.classify("CD") == .registers([.integer, .sse]))
        #expect(s.classify("SFD") == .registers([.integer, .sse]))
    }

    @Test func paddingOnlyEightbyteHasNoClass() throws {
        let s = try Shapes()
        #expect(s.classify("AL16") == .registers([.integer, .none]))
        #expect(s.classify("AL16").registerCounts == (1, 0))
        #expect(s.classify("A32") == .memory(.tooLarge))
    }

    @Test func opaqueTypes() throws {
        let keel = try Shapes()
        #expect(keel.classify("OP12") == .registers([.integer, .integer]))
        #expect(keel.classify("OP24") == .memory(.tooLarge))
        let qbe = try Shapes(opaqueRule: .memory)
        #expect(qbe.classify("OP12") == .memory(.opaque))
        #expect(qbe.classify("OP24") == .memory(.tooLarge))
    }

    @Test func emptyAggregateIsMemory() throws {
        #expect(try Shapes().classify("EMPTY") == .memory(.empty))
    }

    @Test func underAlignedTypeIsMemory() {
        // Built through the API: alignment 1 while holding a `w` field.
        let t = AggregateType(name: "packed", explicitAlignment: 1, layout: .fields([[.init(.scalar(.w))]]),
                              size: 4, alignment: 1)
        #expect(SysVClassifier(types: [t]).classify(TypeID(0)) == .memory(.unalignedField))
        // A nested type whose alignment is below its field's: the field lands unaligned.
        let inner = AggregateType(name: "in", explicitAlignment: 1, layout: .fields([[.init(.scalar(.w))]]),
                                  size: 4, alignment: 1)
        let outer = AggregateType(name: "out", explicitAlignment: nil,
                                  layout: .fields([[.init(.scalar(.b)), .init(.aggregate(TypeID(0)))]]),
                                  size: 5, alignment: 1)
        #expect(SysVClassifier(types: [inner, outer]).classify(TypeID(1)) == .memory(.unalignedField))
    }

    @Test func malformedTablesDoNotTrap() {
        let cyclic = AggregateType(name: "c", explicitAlignment: nil,
                                   layout: .fields([[.init(.aggregate(TypeID(0)))]]), size: 8, alignment: 8)
        #expect(SysVClassifier(types: [cyclic]).classify(TypeID(0)) == .memory(.malformed))
        let lying = AggregateType(name: "l", explicitAlignment: nil,
                                  layout: .fields([[.init(.scalar(.l), count: 1 << 40)]]), size: 8, alignment: 8)
        #expect(SysVClassifier(types: [lying]).classify(TypeID(0)) == .memory(.malformed))
        #expect(SysVClassifier(types: []).classify(TypeID(3)) == .memory(.malformed))
    }
}

@Suite struct SysVAssignmentTests {
    @Test func gccAggregateArguments() throws {
        let s = try Shapes()
        // gcc: {int,int} packed in rdi.
        #expect(try s.single("II") == .registers([part(rdi, 0, .l, 8)]))
        #expect(try s.single("DD") == .registers([part(xmm0, 0, .d, 8), part(xmm1, 8, .d, 8)]))
        #expect(try s.single("LD") == .registers([part(rdi, 0, .l, 8), part(xmm0, 8, .d, 8)]))
        #expect(try s.single("DL") == .registers([part(xmm0, 0, .d, 8), part(rdi, 8, .l, 8)]))
        // gcc: {float,float,float}: a,b in xmm0 (movq), c in xmm1 (movss).
        #expect(try s.single("FFF") == .registers([part(xmm0, 0, .d, 8), part(xmm1, 8, .s, 4)]))
        #expect(try s.single("UFI") == .registers([part(rdi, 0, .w, 4)]))
        #expect(try s.single("UFD") == .registers([part(xmm0, 0, .d, 8)]))
        #expect(try s.single("ULD") == .registers([part(rdi, 0, .l, 8)]))
        #expect(try s.single("NEST") == .registers([part(xmm0, 0, .d, 8), part(xmm1, 8, .d, 8)]))
        // gcc: {float,int,float}: first eightbyte in rdi, c in xmm0.
        #expect(try s.single("FIF") == .registers([part(rdi, 0, .l, 8), part(xmm0, 8, .s, 4)]))
        #expect(try s.single("CD") == .registers([part(rdi, 0, .l, 8), part(xmm0, 8, .d, 8)]))
        #expect(try s.single("SFD") == .registers([part(rdi, 0, .l, 8), part(xmm0, 8, .d, 8)]))
        // gcc: {char[12]} in rdi and esi.
        #expect(try s.single("C12") == .registers([part(rdi, 0, .l, 8), part(rsi, 8, .w, 4)]))
        #expect(try s.single("C1") == .registers([part(rdi, 0, .w, 1)]))
        // gcc: aligned(16) {long} uses rdi only.
        #expect(try s.single("AL16") == .registers([part(rdi, 0, .l, 8)]))
        // gcc: {char[17]} copied to 0(%rsp), 24 bytes; {long,long,long} to 0..24.
        #expect(try s.single("C17") == .stack(offset: 0, size: 24))
        #expect(try s.single("LLL") == .stack(offset: 0, size: 24))
    }

    @Test func gccAggregateSpillsWholeWhileLaterScalarsUseRegisters() throws {
        let s = try Shapes()
        // gcc: g(1,2,3,4,5, LL{100,200}, 6): LL pushed at 0 and 8, 6 in r9.
        let l = ABIType.base(.l)
        let a = try s.abi.assign([l, l, l, l, l, s.agg("LL"), l], returnType: nil, hasEnvironment: false,
                                 variadic: false)
        #expect(a.arguments[4] == .registers([part(r8, 0, .l, 8)]))
        #expect(a.arguments[5] == .stack(offset: 0, size: 16))
        #expect(a.arguments[6] == .registers([part(r9, 0, .l, 8)]))
        #expect(a.integerRegistersUsed == 6)
        #expect(a.stackSize == 16)
    }

    @Test func gccSixteenAlignedStackAggregate() throws {
        let s = try Shapes()
        // gcc: g(1..6, 7, LL16{55,66}): 7 at 0, LL16 at 16 (8 bytes of padding), 32 bytes pushed.
        let l = ABIType.base(.l)
        let a = try s.abi.assign(Array(repeating: l, count: 7) + [s.agg("LL16")], returnType: nil,
                                 hasEnvironment: false, variadic: false)
        #expect(a.arguments[6] == .stack(offset: 0, size: 8))
        #expect(a.arguments[7] == .stack(offset: 16, size: 16))
        #expect(a.stackArgumentBytes == 32 && a.stackSize == 32)
    }

    @Test func gccThirtyTwoAlignedStackAggregate() throws {
        let s = try Shapes()
        // gcc: g(1, A32{55}, 2): A32 at 0 of a 32-aligned area, 1 and 2 in rdi, rsi.
        let l = ABIType.base(.l)
        let a = try s.abi.assign([l, s.agg("A32"), l], returnType: nil, hasEnvironment: false, variadic: false)
        #expect(a.arguments == [.registers([part(rdi, 0, .l, 8)]), .stack(offset: 0, size: 32),
                                .registers([part(rsi, 0, .l, 8)])])
        #expect(a.stackAlignment == 32 && a.stackSize == 32)
    }

    @Test func gccNinthDoubleGoesToStack() throws {
        // gcc: g9(1.0 ... 8.0 in xmm0-7, 9.5 at 0(%rsp), 10 in rdi).
        let d = ABIType.base(.d)
        let a = try SysVABI(types: []).assign(Array(repeating: d, count: 9) + [.base(.l)], returnType: nil,
                                              hasEnvironment: false, variadic: false)
        #expect(a.arguments[7] == .registers([part(xmm7, 0, .d, 8)]))
        #expect(a.arguments[8] == .stack(offset: 0, size: 8))
        #expect(a.arguments[9] == .registers([part(rdi, 0, .l, 8)]))
        #expect(a.sseRegistersUsed == 8 && a.integerRegistersUsed == 1)
        #expect(a.stackArgumentBytes == 8 && a.stackSize == 16)
    }

    @Test func tooManyIntegersSpillInOrder() throws {
        let a = try SysVABI(types: []).assign(Array(repeating: .base(.w), count: 9), returnType: nil,
                                              hasEnvironment: false, variadic: false)
        #expect(a.arguments.prefix(6).map { loc -> PRegLike? in
            if case .registers(let p) = loc { return p[0].register } else { return nil }
        } == [rdi, rsi, rdx, rcx, r8, r9])
        #expect(Array(a.arguments.suffix(3)) == [.stack(offset: 0, size: 8), .stack(offset: 8, size: 8),
                                                  .stack(offset: 16, size: 8)])
        #expect(a.stackArgumentBytes == 24 && a.stackSize == 32)
    }

    @Test func mixedIntegerAndFloatArguments() throws {
        let a = try SysVABI(types: []).assign([.base(.w), .base(.d), .base(.l), .base(.s), .base(.r)],
                                              returnType: .base(.d), hasEnvironment: false, variadic: false)
        #expect(a.arguments == [.registers([part(rdi, 0, .w, 4)]), .registers([part(xmm0, 0, .d, 8)]),
                                .registers([part(rsi, 0, .l, 8)]), .registers([part(xmm1, 0, .s, 4)]),
                                .registers([part(rdx, 0, .r, 8)])])
        #expect(a.returnLocation == .registers([part(xmm0, 0, .d, 8)]))
        #expect(a.stackSize == 0 && a.vectorRegisterCount == nil)
    }

    @Test func subWordArguments() throws {
        // gcc extends them to 32 bits in the caller (movsbl, movzbl, movswl, movzwl) and uses edi, esi, edx, ecx.
        let a = try SysVABI(types: []).assign([.sb, .ub, .sh, .uh], returnType: .ub, hasEnvironment: false,
                                              variadic: false)
        #expect(a.arguments == [.registers([part(rdi, 0, .w, 1)]), .registers([part(rsi, 0, .w, 1)]),
                                .registers([part(rdx, 0, .w, 2)]), .registers([part(rcx, 0, .w, 2)])])
        #expect(a.returnLocation == .registers([part(rax, 0, .w, 1)]))
    }

    @Test func gccAggregateReturns() throws {
        let s = try Shapes()
        #expect(s.abi.assignReturn(s.agg("LD")) == .registers([part(rax, 0, .l, 8), part(xmm0, 8, .d, 8)]))
        #expect(s.abi.assignReturn(s.agg("DL")) == .registers([part(xmm0, 0, .d, 8), part(rax, 8, .l, 8)]))
        #expect(s.abi.assignReturn(s.agg("DD")) == .registers([part(xmm0, 0, .d, 8), part(xmm1, 8, .d, 8)]))
        #expect(s.abi.assignReturn(s.agg("II")) == .registers([part(rax, 0, .l, 8)]))
        #expect(s.abi.assignReturn(s.agg("LL")) == .registers([part(rax, 0, .l, 8), part(rdx, 8, .l, 8)]))
        #expect(s.abi.assignReturn(s.agg("FFF")) == .registers([part(xmm0, 0, .d, 8), part(xmm1, 8, .s, 4)]))
        // gcc: {long,long,long} is written through rdi, and rdi is returned in rax.
        #expect(s.abi.assignReturn(s.agg("LLL")) == .hiddenPointer)
        #expect(s.abi.assignReturn(nil) == ReturnLocation.none)
        #expect(s.abi.assignReturn(.base(.w)) == .registers([part(rax, 0, .w, 4)]))
        #expect(s.abi.assignReturn(.base(.s)) == .registers([part(xmm0, 0, .s, 4)]))
    }

    @Test func gccMoreReturnsAndSmallShapes() throws {
        let s = try Shapes()
        // gcc: {float,int} returned packed in rax; {int,float,double} in rax, xmm0;
        // {double,float,int} in xmm0, rax; {float,float} in xmm0 alone.
        #expect(s.abi.assignReturn(s.agg("FI")) == .registers([part(rax, 0, .l, 8)]))
        #expect(s.abi.assignReturn(s.agg("IFD")) == .registers([part(rax, 0, .l, 8), part(xmm0, 8, .d, 8)]))
        #expect(s.abi.assignReturn(s.agg("DFI")) == .registers([part(xmm0, 0, .d, 8), part(rax, 8, .l, 8)]))
        #expect(s.abi.assignReturn(s.agg("FF")) == .registers([part(xmm0, 0, .d, 8)]))
        // gcc: {short[3]} (6 bytes) in rdi.
        #expect(try s.single("S3") == .registers([part(rdi, 0, .l, 6)]))
    }

    @Test func gccCalleeStackOffsets() throws {
        let s = try Shapes()
        let l = ABIType.base(.l)
        // gcc: f7(a..g) reads g at 8(%rsp): offset 0 of the argument area, which starts at rsp + 8.
        let f7 = try s.abi.assign(Array(repeating: l, count: 7), returnType: l, hasEnvironment: false, variadic: false)
        #expect(f7.arguments[6] == .stack(offset: 0, size: 8))
        // gcc: fm(LLL s, long x) reads s.c at 24(%rsp) and x in rdi.
        let fm = try s.abi.assign([s.agg("LLL"), l], returnType: l, hasEnvironment: false, variadic: false)
        #expect(fm.arguments == [.stack(offset: 0, size: 24), .registers([part(rdi, 0, .l, 8)])])
    }

    @Test func hiddenPointerTakesRdi() throws {
        let s = try Shapes()
        let l = ABIType.base(.l)
        let a = try s.abi.assign([l, s.agg("LL"), l, l, l, l], returnType: s.agg("LLL"), hasEnvironment: false,
                                 variadic: false)
        #expect(a.returnLocation == .hiddenPointer)
        #expect(a.arguments[0] == .registers([part(rsi, 0, .l, 8)]))
        #expect(a.arguments[1] == .registers([part(rdx, 0, .l, 8), part(rcx, 8, .l, 8)]))
        #expect(a.arguments[3] == .registers([part(r9, 0, .l, 8)]))
        #expect(a.arguments[4] == .stack(offset: 0, size: 8))
        #expect(a.integerRegistersUsed == 6)
        #expect(a.argumentRegisters.contains(rdi) && a.returnRegisters == RegSet([rax]))
    }

    @Test func gccVariadicVectorCounts() throws {
        let s = try Shapes()
        // gcc: printf("%f %d %f\n", 1.5, 3, 2.5) sets eax to 2.
        let printf = try s.abi.assign([.base(.l), .base(.d), .base(.w), .base(.d)], returnType: .base(.w),
                                      hasEnvironment: false, variadic: true)
        #expect(printf.vectorRegisterCount == 2)
        #expect(printf.argumentRegisters.contains(rax))
        // gcc: gv(1, DD{1.5,2.5}, 2.5) passes xmm0, xmm1, xmm2 and sets eax to 3.
        let gv = try s.abi.assign([.base(.w), s.agg("DD"), .base(.d)], returnType: nil, hasEnvironment: false,
                                  variadic: true)
        #expect(gv.arguments[2] == .registers([part(xmm2, 0, .d, 8)]))
        #expect(gv.vectorRegisterCount == 3)
        let none = try s.abi.assign([.base(.l)], returnType: nil, hasEnvironment: false, variadic: true)
        #expect(none.vectorRegisterCount == 0)
    }

    @Test func environmentTravelsInRax() throws {
        let a = try SysVABI(types: []).assign([.base(.l)], returnType: .base(.l), hasEnvironment: true,
                                              variadic: false)
        #expect(a.environment == rax)
        #expect(a.arguments == [.registers([part(rdi, 0, .l, 8)])])
        #expect(a.argumentRegisters == RegSet([rdi, rax]))
        #expect(throws: SysVError.variadicWithEnvironment) {
            try SysVABI(types: []).assign([], returnType: nil, hasEnvironment: true, variadic: true)
        }
    }

    @Test func functionsAndCallSitesFromIL() throws {
        let m = try Module(parsing: shapes + """

        export function :LLL $f(env %e, :LL %a, d %b, :C17 %c, w %d) {
        @start
            %r =l call $g(env %e, :DD %a, w 1, ..., d %b)
            ret %a
        }
        """)
        let abi = SysVABI(module: m)
        let f = try #require(m.functions.first)
        let params = try abi.assignParameters(f)
        #expect(params.environment == rax)
        #expect(params.returnLocation == .hiddenPointer)
        #expect(params.arguments[0] == .registers([part(rsi, 0, .l, 8), part(rdx, 8, .l, 8)]))
        #expect(params.arguments[1] == .registers([part(xmm0, 0, .d, 8)]))
        #expect(params.arguments[2] == .stack(offset: 0, size: 24))
        #expect(params.arguments[3] == .registers([part(rcx, 0, .w, 4)]))
        #expect(params.stackArgumentBytes == 24 && params.stackSize == 32)
        let call = try #require(f.calls.first)
        #expect(throws: SysVError.variadicWithEnvironment) { try abi.assignCall(call) }
        var plain = call
        plain.env = .none
        let a = try abi.assignCall(plain)
        #expect(a.arguments[0] == .registers([part(xmm0, 0, .d, 8), part(xmm1, 8, .d, 8)]))
        #expect(a.arguments[2] == .registers([part(xmm2, 0, .d, 8)]))
        #expect(a.vectorRegisterCount == 3)
        #expect(a.returnLocation == .registers([part(rax, 0, .l, 8)]))
    }

    @Test func aggregateNeedingTooManySSERegistersGoesToStack() throws {
        let s = try Shapes()
        let d = ABIType.base(.d)
        let a = try s.abi.assign(Array(repeating: d, count: 7) + [s.agg("DD"), d], returnType: nil,
                                 hasEnvironment: false, variadic: false)
        #expect(a.arguments[7] == .stack(offset: 0, size: 16))
        #expect(a.arguments[8] == .registers([part(xmm7, 0, .d, 8)]))
        #expect(a.sseRegistersUsed == 8)
    }
}

@Suite struct SysVVarargsTests {
    @Test func gccVaStartAfterIntAndDouble() throws {
        // gcc: f(int a, double b, ...) starts at gp_offset 8, overflow area at rsp + 8.
        let a = try SysVABI(types: []).assign([.base(.w), .base(.d)], returnType: .base(.l), hasEnvironment: false,
                                              variadic: false)
        #expect(SysVVaStart(a) == SysVVaStart(gpOffset: 8, fpOffset: 64, overflowArgAreaOffset: 0))
    }

    @Test func gccVaStartAfterSevenLongs() throws {
        // gcc: g(7 longs, ...) stores gp_offset 48 and reads the first variadic long at 16(%rsp).
        let a = try SysVABI(types: []).assign(Array(repeating: .base(.l), count: 7), returnType: .base(.l),
                                              hasEnvironment: false, variadic: false)
        #expect(SysVVaStart(a) == SysVVaStart(gpOffset: 48, fpOffset: 48, overflowArgAreaOffset: 8))
    }

    @Test func hiddenPointerCountsAsAGeneralRegister() throws {
        let s = try Shapes()
        let a = try s.abi.assign([.base(.d)], returnType: s.agg("LLL"), hasEnvironment: false, variadic: false)
        #expect(SysVVaStart(a) == SysVVaStart(gpOffset: 8, fpOffset: 64, overflowArgAreaOffset: 0))
    }

    @Test func registerSaveAreaLayout() {
        #expect(SysV.integerArgumentRegisters.compactMap(SysVVaList.saveAreaOffset) == [0, 8, 16, 24, 32, 40])
        #expect(SysV.sseArgumentRegisters.compactMap(SysVVaList.saveAreaOffset) == [48, 64, 80, 96, 112, 128, 144, 160])
        #expect(SysVVaList.saveAreaOffset(of: rax) == nil)
        #expect(SysVVaList.registerSaveAreaSize == 6 * 8 + 8 * 16)
    }
}
