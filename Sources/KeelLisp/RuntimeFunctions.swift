/// The value encoding and the runtime's functions as the compiler sees them
/// (Sources/KeelLispRuntime/include/KeelLisp.h is the other side).
enum Value {
    static let nilValue: Int64 = 0
    static let falseValue: Int64 = 0x02
    static let trueValue: Int64 = 0x0A
    static let emptyList: Int64 = 0x12
    static let unbound: Int64 = 0x1A
    static let fixnumMin: Int64 = -(1 << 62)
    static let fixnumMax: Int64 = (1 << 62) - 1

    /// The immediate word of a fixnum, if `n` fits in 63 bits.
    static func fixnum(_ n: Int64) -> Int64? {
        (fixnumMin...fixnumMax).contains(n) ? (n << 1) | 1 : nil
    }
    static func character(_ c: UInt32) -> Int64 { Int64(c) << 3 | 4 }
}

enum RuntimeFunctions {
    /// Runtime functions that never allocate: declared in the module's
    /// `keel_nocollect` section, so calls to them are not safepoints. Every
    /// other kl_ function may collect and is entered through a stub
    /// (KeelLispRuntime/entry.c).
    static let neverCollect: [String] = [
        "kl_is_fn", "kl_not_fn_error", "kl_case_error", "kl_fail", "kl_compare", "kl_hash", "kl_invoke_data", "kl_throw",
        "kl_add_fixnum", "kl_sub_fixnum", "kl_mul_fixnum", "kl_inc_fixnum", "kl_dec_fixnum", "kl_arity_error", "kl_unbound_error", "kl_set_root", "kl_exit_status",
        "kl_lt", "kl_gt", "kl_le", "kl_ge", "kl_num_eq", "kl_equiv", "kl_zero_p", "kl_pos_p", "kl_neg_p",
        "kl_even_p", "kl_odd_p", "kl_empty_p", "kl_number_p", "kl_string_p", "kl_keyword_p", "kl_map_p",
        "kl_vector_p", "kl_set_p", "kl_peek", "kl_reverse_fresh", "kl_fn_p", "kl_seq_p", "kl_contains_p", "kl_count", "kl_nth", "kl_nth3", "kl_get", "kl_get3",
        "kl_max2", "kl_min2", "kl_pr", "kl_prn", "kl_print", "kl_println",
        "kl_bit_and_fixnum", "kl_bit_or_fixnum", "kl_bit_xor_fixnum", "kl_bit_not_fixnum",
        "kl_bit_shift_left_fixnum", "kl_bit_shift_right_fixnum", "kl_unsigned_bit_shift_right_fixnum",
        "kl_quot_fixnum", "kl_rem_fixnum", "kl_mod_fixnum",
        "kl_aset", "kl_alength", "kl_array_error", "kl_mul_overflows", "kl_unchecked_byte", "kl_byte",
    ]

    /// Arithmetic with a fixnum fast path that never collects: it returns
    /// the unbound immediate when the full function is needed.
    static let fixnumFastPath: [String: String] = [
        "kl_add": "kl_add_fixnum", "kl_sub": "kl_sub_fixnum", "kl_mul": "kl_mul_fixnum",
        "kl_inc": "kl_inc_fixnum", "kl_dec": "kl_dec_fixnum",
        "kl_bit_and": "kl_bit_and_fixnum", "kl_bit_or": "kl_bit_or_fixnum", "kl_bit_xor": "kl_bit_xor_fixnum",
        "kl_bit_not": "kl_bit_not_fixnum", "kl_bit_shift_left": "kl_bit_shift_left_fixnum",
        "kl_bit_shift_right": "kl_bit_shift_right_fixnum",
        "kl_unsigned_bit_shift_right": "kl_unsigned_bit_shift_right_fixnum",
        "kl_quot": "kl_quot_fixnum", "kl_rem": "kl_rem_fixnum", "kl_mod": "kl_mod_fixnum",
    ]

    /// Word offsets in a function's static information (KlFnInfo).
    static let infoRequired = 8
    static let infoVariadic = 16
    static func infoFixed(_ n: Int) -> Int { 24 + 8 * n }
    static let maxFixedArity = 20
}
