import Foundation
import Testing
import KeelTestSupport
import KeelLisp

/// The evaluator (the oracle of `keel fuzz --lisp`) checked against the
/// expected output of the hand-written programs, which the native code
/// passes too: this validates the evaluator itself.
@Suite struct LispEvaluatorTests {
    static let directory = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/lisp")

    /// Programs the evaluator does not model, and why: it must say so
    /// (unsupported), never print something else.
    static let unsupported: [String: String] = [
        "hashing": "hash",                          // the runtime's own hash values
        "array_map_transition": "hash", "hash_collisions": "hash", "pcoll_random": "hash", "pmap_keys": "hash",
        "pmap": "hash", "psets": "hash", "pvec_literals": "hash", "pvec": "hash",
        "qualified_hash_order": "hash",
        "collections": "hash order", "printing": "hash order", "collections_into": "hash order",   // sets print in the runtime's hash order
        // 10^6-iteration loops: past the step budget (2M) that keeps this test quick in a debug build
        // (tailCallsAndDeepRecursion runs tail calls 10^5 deep instead).
        "loop_garbage": "step limit",
        "tail_state_machine": "step limit",
        "tail_closure": "step limit",
        "tail_many_args": "step limit",
        "tail_mutual": "step limit",
        "tail_self": "step limit",
        "speculative_arities": "step limit",
    ]

    static var programs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".clj") }.map { String($0.dropLast(4)) }.sorted()
            .filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent($0 + ".out").path) }
    }

    static func text(_ name: String, _ ext: String) -> String? {
        try? String(contentsOf: directory.appendingPathComponent(name + "." + ext), encoding: .utf8)
    }

    @Test(arguments: programs)
    func program(_ name: String) throws {
        let source = try #require(Self.text(name, "clj"))
        // As LispProgramTests runs them: two command-line arguments.
        let result = LispEvaluator.run(source: source, file: name + ".clj", arguments: ["first", "second"],
                                       budget: 2_000_000)
        if let why = Self.unsupported[name] {
            guard case .failure(.unsupported(let message)) = result else {
                Issue.record("\(name): expected the evaluator to refuse (\(why)), got \(result)")
                return
            }
            #expect(message.contains(why), "\(name): \(message)")
            return
        }
        let run = try result.get()
        #expect(run.output == Self.text(name, "out"), "\(name)")
        let status = Int32(Self.text(name, "status")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0
        #expect(run.status == status, "\(name): \(run.error ?? "")")
        if let err = Self.text(name, "err") {
            // The first line of .err is the message.
            let message = String(err.split(separator: "\n")[0])
            #expect(run.error?.contains(message) == true, "\(name): \(run.error ?? "no error")")
        } else {
            #expect(run.error == nil, "\(name): \(run.error ?? "")")
        }
    }

    func run(_ source: String) throws -> LispEvaluator.Run {
        try LispEvaluator.run(source: source, file: "t.clj").get()
    }

    /// The array errors with the runtime's messages (arrays.c; checked natively too).
    @Test func arrayErrorsAreReportedAsNatively() throws {
        let cases: [(String, String)] = [
            ("(aset [1] 0 1.0)", "(IllegalArgumentException): No matching method aset found taking 3 args: clojure.lang.PersistentVector is not an array"),
            ("(alength nil)", "(IllegalArgumentException): No matching method alength found taking 1 args: nil is not an array"),
            ("(aget (long-array 2) :a)", "(IllegalArgumentException): aget: index must be an integer, got clojure.lang.Keyword"),
            ("(double-array [1 :a])", "(ClassCastException): double-array: class clojure.lang.Keyword cannot be cast to class java.lang.Number"),
            ("(long-array :a)", "(IllegalArgumentException): long-array: expected a size or a list or vector, got clojure.lang.Keyword"),
            ("(double-array 2.5)", "(IllegalArgumentException): double-array: size must be an integer, got java.lang.Double"),
            ("(aget (double-array 2) -1)", "(ArrayIndexOutOfBoundsException): Index -1 out of bounds for length 2"),
            ("(aset (long-array 1) 1 2)", "(ArrayIndexOutOfBoundsException): Index 1 out of bounds for length 1"),
            ("(aset (double-array 1) 0 nil)", "(IllegalArgumentException): No matching method aset found taking 3 args: a nil cannot be stored in a [D"),
            ("(count (long-array -2))", "(NegativeArraySizeException): long-array: negative size -2"),
            ("(nth (long-array 3) 0)", "(UnsupportedOperationException): nth not supported on this type: [J"),
        ]
        for (expr, message) in cases {
            let r = try run("(defn -main [] (println (identity \(expr))))")
            #expect(r.error == "Execution error " + message, "\(expr)")
        }
        let printed = try run("(defn -main [] (let [a (double-array 3)] (prn a (long-array []) (= a a) (= a (double-array 3)) (aset a 0 2) (aget a 0))))")
        #expect(printed.output == "#object[\"[D\" 3] #object[\"[J\" 0] true false 2 2.0\n")
    }

    /// The errors of byte-array, byte, unchecked-byte and the unchecked-* arithmetic with the runtime's messages
    /// (arrays.c, numbers.c; checked natively too).
    @Test func byteAndUncheckedErrorsAreReportedAsNatively() throws {
        let cases: [(String, String)] = [
            ("(byte 1e30)", "(IllegalArgumentException): Value out of range for long: 1.0E30"),
            ("(byte 200.5)", "(IllegalArgumentException): Value out of range for byte: 200.5"),
            ("(byte -129.0)", "(IllegalArgumentException): Value out of range for byte: -129.0"),
            ("(byte nil)", "(ClassCastException): byte: class nil cannot be cast to class java.lang.Number"),
            ("(unchecked-byte nil)", "(ClassCastException): unchecked-byte: class nil cannot be cast to class java.lang.Number"),
            ("(byte-array -1)", "(NegativeArraySizeException): byte-array: negative size -1"),
            ("(byte-array 2.5)", "(IllegalArgumentException): byte-array: size must be an integer, got java.lang.Double"),
            ("(byte-array :a)", "(IllegalArgumentException): byte-array: expected a size or a list or vector, got clojure.lang.Keyword"),
            ("(aset (byte-array 1) 0 nil)", "(IllegalArgumentException): No matching method aset found taking 3 args: a nil cannot be stored in a [B"),
            ("(aset (byte-array 1) 0 -129)",
             "(IllegalArgumentException): No matching method aset found taking 3 args: -129 is out of range for a [B (-128..127: use unchecked-byte)"),
            ("(aget (byte-array 2) 2)", "(ArrayIndexOutOfBoundsException): Index 2 out of bounds for length 2"),
            ("(nth (byte-array 3) 0)", "(UnsupportedOperationException): nth not supported on this type: [B"),
            ("(unchecked-inc nil)", "(ClassCastException): unchecked-inc: nil cannot be cast to java.lang.Number"),
            ("(unchecked-negate \"x\")", "(ClassCastException): unchecked-negate: java.lang.String cannot be cast to java.lang.Number"),
            ("(unchecked-multiply 2.5 :a)", "(ClassCastException): unchecked-multiply: clojure.lang.Keyword cannot be cast to java.lang.Number"),
        ]
        for (expr, message) in cases {
            let r = try run("(defn -main [] (println (identity \(expr))))")
            #expect(r.error == "Execution error " + message, "\(expr)")
        }
        let printed = try run("(defn -main [] (let [a (byte-array 3)] (prn a (byte-array []) (= a a) (= a (byte-array 3)) (aset a 0 2) (aget a 0))))")
        #expect(printed.output == "#object[\"[B\" 3] #object[\"[B\" 0] true false 2 2\n")
    }

    @Test func overflowAndErrorsAreReportedAsNatively() throws {
        let overflow = try run("(defn -main [] (println 1) (* 4611686018427387904 2))")
        #expect(overflow.output == "1\n" && overflow.status == 1)
        #expect(overflow.error == "Execution error (ArithmeticException): integer overflow")
        let arity = try run("(defn f [x] x) (defn -main [] (f 1 2))")
        #expect(arity.error == "Execution error (ArityException): Wrong number of args (2) passed to: user/f")
        let notFn = try run("(defn -main [] (let [x 1] (x 2)))")
        #expect(notFn.error == "Execution error (ClassCastException): java.lang.Long cannot be cast to clojure.lang.IFn")
    }

    /// Tail calls through closures and mutual recursion run in constant stack; deep non-tail recursion works.
    @Test func tailCallsAndDeepRecursion() throws {
        let tail = try run("""
            (declare odd2)
            (defn even2 [n] (if (zero? n) true (odd2 (dec n))))
            (defn odd2 [n] (if (zero? n) false (even2 (dec n))))
            (defn deep [n] (if (zero? n) 0 (inc (deep (dec n)))))
            (defn -main [] (println (even2 100001) (deep 10000) ((fn [f] (f 3)) inc)) 7)
            """)
        #expect(tail.output == "false 10000 4\n" && tail.status == 7)
    }

    /// Keyword arguments, #(), fnil, names, compare, bit operations and stacks, as Clojure 1.11 gives them.
    @Test func newerCoreFeaturesFollowClojure() throws {
        let r = try run("""
            (defn -main []
              (prn ((fn [& {:keys [k]}] k) :k 9) ((fn [& {:keys [k] :or {k 1}}] k)) ((fn [& {:as m}] m) {:a 1}))
              (prn (#(list %2 %&) 1 2 3) ((fnil + 0) nil 5) (keyword "a" "b") (namespace :a/b) (name :a/b))
              (prn (compare "a" "c") (compare \\a \\d) (compare [1 2] [1 3]) (compare [1 2 3] [2]) (compare :b :a/z))
              (prn (bit-and 12 10) (bit-shift-left 1 64) (unsigned-bit-shift-right -1 60) (bit-not 0))
              (prn (pop [1 2]) (pop '(1 2)) (peek [1 2]) (peek '(1 2)) (disj #{1 2} 2) (Math/sqrt 2) (long -2.5) (double 3)))
            """)
        #expect(r.output == """
            9 1 {:a 1}
            (2 (3)) 5 :a/b "a" "b"
            -2 -3 -1 1 -1
            8 1 15 -1
            [1] (2) 2 1 #{1} 1.4142135623730951 -2 3.0

            """)
        let empty = try run("(defn -main [] (pop []))")
        #expect(empty.error == "Execution error (IllegalStateException): Can't pop empty vector")
        let bits = try run("(defn -main [] (bit-or 1 2.0))")
        #expect(bits.error == "Execution error (IllegalArgumentException): bit operation not supported for: class java.lang.Double")
    }

    @Test func printingFollowsClojure() throws {
        let p = try run(#"(defn -main [] (prn "a\nb" \c 1.5 1.0E10 [1 '(2)] {:k "v"} #{}) (println "a\nb" \c nil) (print (str nil 1 :k "s" [\c "d"])))"#)
        #expect(p.output == "\"a\\nb\" \\c 1.5 1.0E10 [1 (2)] {:k \"v\"} #{}\na\nb c nil\n1:ks[\\c \"d\"]")
    }

    @Test func unsupportedIsSaidPlainly() {
        guard case .failure(.unsupported(let why)) = LispEvaluator.run(source: "(defn -main [] (hash 1))", file: "t.clj") else {
            Issue.record("hash should be refused")
            return
        }
        #expect(why.contains("hash"))
        guard case .failure(.unsupported) = LispEvaluator.run(source: "(defn -main [] (loop [] (recur)))", file: "t.clj",
                                                             budget: 10_000) else {
            Issue.record("an endless loop should hit the step limit")
            return
        }
    }
}
