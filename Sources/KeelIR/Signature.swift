/// Operand typing of the IL instructions (QBE's doc/il.txt, section 7).
///
/// `operandTypes(for:)` answers: when this opcode is written with result
/// class `cls`, which classes must its operands have? `nil` means `cls` is not
/// a valid result class for the opcode. Pointers (`m` in the IL reference) are
/// `l` on the 64-bit targets Keel supports.
extension Opcode {
    public func operandTypes(for cls: BaseType) -> [BaseType]? {
        let integer = cls == .w || cls == .l
        let numeric = cls != .r
        switch self {
        case .add, .sub, .mul, .div:
            return numeric ? [cls, cls] : nil
        case .neg:
            return numeric ? [cls] : nil
        case .udiv, .rem, .urem, .and, .or, .xor:
            return integer ? [cls, cls] : nil
        case .sar, .shr, .shl:
            return integer ? [cls, .w] : nil
        case .ceqw, .cnew, .csgew, .csgtw, .cslew, .csltw, .cugew, .cugtw, .culew, .cultw:
            return integer ? [.w, .w] : nil
        case .ceql, .cnel, .csgel, .csgtl, .cslel, .csltl, .cugel, .cugtl, .culel, .cultl:
            return integer ? [.l, .l] : nil
        case .ceqs, .cnes, .cges, .cgts, .cles, .clts, .cos, .cuos:
            return integer ? [.s, .s] : nil
        case .ceqd, .cned, .cged, .cgtd, .cled, .cltd, .cod, .cuod:
            return integer ? [.d, .d] : nil
        case .storeb, .storeh, .storew: return cls == .w ? [.w, .l] : nil
        case .storel: return cls == .l ? [.l, .l] : nil
        case .stores: return cls == .s ? [.s, .l] : nil
        case .stored: return cls == .d ? [.d, .l] : nil
        case .storer: return cls == .r ? [.r, .l] : nil
        case .loadsb, .loadub, .loadsh, .loaduh, .loadsw, .loaduw:
            return integer ? [.l] : nil
        case .loadl: return cls == .l ? [.l] : nil
        case .loads: return cls == .s ? [.l] : nil
        case .loadd: return cls == .d ? [.l] : nil
        case .loadr: return cls == .r ? [.l] : nil
        case .blit: return [.l, .l]
        case .alloc4, .alloc8, .alloc16: return cls == .l ? [.l] : nil
        case .extsb, .extub, .extsh, .extuh: return integer ? [.w] : nil
        case .extsw, .extuw: return cls == .l ? [.w] : nil
        case .exts: return cls == .d ? [.s] : nil
        case .truncd: return cls == .s ? [.d] : nil
        case .stosi, .stoui: return integer ? [.s] : nil
        case .dtosi, .dtoui: return integer ? [.d] : nil
        case .swtof, .uwtof: return cls.isFloat ? [.w] : nil
        case .sltof, .ultof: return cls.isFloat ? [.l] : nil
        case .cast:
            switch cls {
            case .w: return [.s]
            case .l: return [.d]
            case .s: return [.w]
            case .d: return [.l]
            case .r: return nil
            }
        case .copy: return [cls]
        case .call, .vastart: return [.l]
        case .vaarg: return numeric ? [.l] : nil
        case .dbgloc: return [.w, .w]
        case .tagr: return cls == .r ? [.l] : nil
        case .sqrt: return cls.isFloat ? [cls] : nil
        }
    }
}

extension BaseType {
    /// Whether a value of class `self` may be used where `expected` is required.
    ///
    /// QBE's subtyping: a long may be used as a word (its low 32 bits). Keel's
    /// extension: a GC reference may be used as a long (and so as a word), e.g.
    /// for address arithmetic; the result of such arithmetic is not tracked.
    public func canBeUsed(as expected: BaseType) -> Bool {
        switch (self, expected) {
        case _ where self == expected: return true
        case (.l, .w), (.r, .l), (.r, .w): return true
        default: return false
        }
    }
}
