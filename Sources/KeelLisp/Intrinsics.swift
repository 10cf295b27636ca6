/// The core functions the compiler lowers itself when they are called by
/// name (and not shadowed by a local or a def): arithmetic, comparison,
/// predicates, collections, strings and printing. Each lowers to runtime
/// calls (RuntimeFunctions.swift) or inline code (CodeGenerator+Intrinsics).
/// Used as values (`(reduce + xs)`) they need the core library written in
/// KeelLisp itself, which is planned (docs/lisp.md).
struct Intrinsic {
    enum Shape {
        /// n-ary arithmetic folded over a binary runtime function.
        case fold(binary: String, identity: Int64?, unary: String?)
        /// A chain of comparisons (`(< a b c)`), a predicate.
        case compare(String)
        /// A runtime function of fixed arity returning a value.
        case value(String)
        /// A runtime function of fixed arity returning a truth value (a `w`).
        case predicate(String)
        /// A runtime function taking all arguments as one fresh vector.
        case arguments(String, returnsNil: Bool)
        /// A runtime function of one argument returning nothing (the value is nil).
        case sink(String)
        /// Compiled inline (not, nil?, some?, not=, vector, get, subs, max, min, conj, assoc, %apply).
        case special
    }

    let name: String
    let shape: Shape
    /// Allowed argument counts (nil: any).
    let arities: ClosedRange<Int>?

    static let all: [String: Intrinsic] = {
        var table: [String: Intrinsic] = [:]
        func add(_ name: String, _ shape: Shape, _ arities: ClosedRange<Int>? = nil) {
            table[name] = Intrinsic(name: name, shape: shape, arities: arities)
        }
        add("+", .fold(binary: "kl_add", identity: 0, unary: nil))
        add("*", .fold(binary: "kl_mul", identity: 1, unary: nil))
        add("-", .fold(binary: "kl_sub", identity: nil, unary: "kl_neg"), 1...Int.max)
        add("/", .fold(binary: "kl_div", identity: nil, unary: nil), 1...Int.max)
        for (n, f) in [("<", "kl_lt"), (">", "kl_gt"), ("<=", "kl_le"), (">=", "kl_ge"), ("==", "kl_num_eq"),
                       ("=", "kl_equiv")] {
            add(n, .compare(f), 1...Int.max)
        }
        for (n, f) in [("inc", "kl_inc"), ("dec", "kl_dec"), ("count", "kl_count"), ("first", "kl_first"),
                       ("rest", "kl_rest"), ("next", "kl_next"), ("seq", "kl_seq"), ("vec", "kl_vec"),
                       ("keyword", "kl_keyword"), ("name", "kl_name"), ("namespace", "kl_namespace"), ("hash", "kl_hash"),
                       ("parse-long", "kl_parse_long"), ("pop", "kl_pop"), ("peek", "kl_peek")] {
            add(n, .value(f), 1...1)
        }
        for (n, f) in [("quot", "kl_quot"), ("rem", "kl_rem"), ("mod", "kl_mod"),
                       ("dissoc", "kl_dissoc"), ("disj", "kl_disj"), ("cons", "kl_cons")] {
            add(n, .value(f), 2...2)
        }
        for (n, f) in [("zero?", "kl_zero_p"), ("pos?", "kl_pos_p"), ("neg?", "kl_neg_p"), ("even?", "kl_even_p"),
                       ("odd?", "kl_odd_p"), ("empty?", "kl_empty_p"), ("number?", "kl_number_p"),
                       ("string?", "kl_string_p"), ("keyword?", "kl_keyword_p"), ("map?", "kl_map_p"),
                       ("vector?", "kl_vector_p"), ("set?", "kl_set_p"), ("fn?", "kl_fn_p"),
                       ("seq?", "kl_seq_p")] {
            add(n, .predicate(f), 1...1)
        }
        add("contains?", .predicate("kl_contains_p"), 2...2)
        for (n, f, returnsNil) in [("str", "kl_str", false), ("pr-str", "kl_pr_str", false), ("println", "kl_println", true),
                                   ("print", "kl_print", true), ("prn", "kl_prn", true), ("pr", "kl_pr", true),
                                   ("list", "kl_list_from", false), ("hash-map", "kl_hash_map_from", false),
                                   ("hash-set", "kl_set_from", false)] {
            add(n, .arguments(f, returnsNil: returnsNil))
        }
        // For the core library only (names starting with %): the runtime
        // functions behind the n-ary ones, taking a vector, and apply.
        add("%list-of-vector", .value("kl_list_from"), 1...1)
        add("%str-of-vector", .value("kl_str"), 1...1)
        add("%pr-str-of-vector", .value("kl_pr_str"), 1...1)
        add("%map-of-vector", .value("kl_map_from"), 1...1)
        add("%hash-map-of-vector", .value("kl_hash_map_from"), 1...1)
        // The core library's accumulators, reversed in place (collections.c).
        add("%reverse!", .value("kl_reverse_fresh"), 1...1)
        add("%set-of-vector", .value("kl_set_from"), 1...1)
        for (n, f) in [("%println-vector", "kl_println"), ("%print-vector", "kl_print"), ("%prn-vector", "kl_prn"),
                       ("%pr-vector", "kl_pr")] {
            add(n, .sink(f), 1...1)
        }
        add("%apply", .special, 2...2)
        add("%nthnext", .value("kl_nthnext"), 2...2)
        add("nth", .special, 2...3)
        add("%fail", .sink("kl_fail"), 1...1)
        add("compare", .value("kl_compare"), 2...2)
        // Bit operations on longs (and/or/xor fold like Clojure's n-ary ones),
        // and the numeric conversions nbody and md5 need.
        for (n, f) in [("bit-and", "kl_bit_and"), ("bit-or", "kl_bit_or"), ("bit-xor", "kl_bit_xor")] {
            add(n, .fold(binary: f, identity: nil, unary: nil), 2...Int.max)
        }
        for (n, f) in [("bit-shift-left", "kl_bit_shift_left"), ("bit-shift-right", "kl_bit_shift_right"),
                       ("unsigned-bit-shift-right", "kl_unsigned_bit_shift_right")] {
            add(n, .value(f), 2...2)
        }
        for (n, f) in [("bit-not", "kl_bit_not"), ("Math/sqrt", "kl_sqrt"), ("double", "kl_double"), ("long", "kl_long")] {
            add(n, .value(f), 1...1)
        }
        // Primitive arrays (arrays.c): plain runtime calls.
        add("double-array", .value("kl_double_array"), 1...1)
        add("long-array", .value("kl_long_array"), 1...1)
        add("aget", .value("kl_aget"), 2...2)
        add("aset", .value("kl_aset"), 3...3)
        add("alength", .value("kl_alength"), 1...1)
        add("byte-array", .value("kl_byte_array"), 1...1)
        add("unchecked-byte", .value("kl_unchecked_byte"), 1...1)
        add("byte", .value("kl_byte"), 1...1)
        // Wrapping long arithmetic (numbers.c): plain runtime calls.
        add("unchecked-add", .value("kl_unchecked_add"), 2...2)
        add("unchecked-subtract", .value("kl_unchecked_subtract"), 2...2)
        add("unchecked-multiply", .value("kl_unchecked_multiply"), 2...2)
        add("unchecked-inc", .value("kl_unchecked_inc"), 1...1)
        add("unchecked-dec", .value("kl_unchecked_dec"), 1...1)
        add("unchecked-negate", .value("kl_unchecked_negate"), 1...1)
        add("not", .special, 1...1)
        add("nil?", .special, 1...1)
        add("some?", .special, 1...1)
        add("not=", .special, 1...Int.max)
        add("vector", .special)
        add("get", .special, 2...3)
        add("subs", .special, 2...3)
        add("max", .special, 1...Int.max)
        add("min", .special, 1...Int.max)
        add("conj", .special, 1...Int.max)
        add("assoc", .special, 3...Int.max)
        return table
    }()
}
