import Foundation
import Testing
import KeelTestSupport
import KeelRandom
import KeelLispFuzz
@testable import KeelLisp

/// Bad input gives an error at file:line:col, never a crash: compile errors
/// one by one, and every program of Tests/Programs/lisp mutated many ways
/// (each mutant must compile to a module the verifier accepts, or be
/// rejected with a LispError inside the source).
@Suite struct LispBadInputTests {
    func compileError(_ source: String) -> LispError? {
        do {
            _ = try LispCompiler.module(source: source, file: "bad.clj")
            return nil
        } catch {
            return error
        }
    }

    @Test func compileErrorsNameTheirPosition() {
        let cases: [(String, Int, Int, String)] = [
            ("(defn f [x] (g x))", 1, 14, "Unable to resolve symbol: g"),
            ("(if)", 1, 1, "Too few arguments to if"),
            ("(if 1 2 3 4)", 1, 1, "Too many arguments to if"),
            ("(let [x] x)", 1, 6, "even number of forms"),
            ("(let [1 2] 1)", 1, 7, "Unsupported binding form: 1"),
            ("(let [{:keys [1]} {}] 1)", 1, 15, ":keys names must be symbols"),
            ("(fn [[a & ]] a)", 1, 9, "& must be followed by a pattern"),
            ("(fn [x] (recur))", 1, 9, "Mismatched argument count to recur"),
            ("(recur 1)", 1, 1, "Can only recur from tail position"),
            ("(loop [i 0] (do (recur 1) 2))", 1, 17, "Can only recur from tail position"),
            ("(defn f ([x] 1) ([y] 2))", 1, 18, "Can't have 2 overloads with same arity"),
            ("(inc 1 2)", 1, 1, "Wrong number of args (2) passed to: clojure.core/inc"),
            ("(%apply inc [1])", 1, 2, "Unable to resolve symbol: %apply"),
            ("(\"s\" 1)", 1, 1, "cannot be called"),
            ("(fn [a & b c] a)", 1, 8, "& must be followed by exactly one name"),
            ("(assoc {} :a)", 1, 1, "Wrong number of args"),
            ("(defn f [] (try 1 (catch Exception e 2)))", 1, 12, "try is not supported yet"),
        ]
        for (source, line, column, message) in cases {
            let e = compileError(source)
            #expect(e?.location == SourceLocation(line: line, column: column), "\(source): \(String(describing: e))")
            #expect(e?.message.contains(message) == true, "\(source): \(String(describing: e))")
        }
    }

    /// Locals and defs shadow the core functions of the same name.
    @Test func shadowingCoreNames() throws {
        #expect(compileError("(defn inc [x] (- x 1)) (defn -main [] (inc 5))") == nil)
        #expect(compileError("(defn f [count] (count 1))") == nil)
        // Core functions are values too (the core library's versions).
        #expect(compileError("(def f +) (defn -main [] (reduce f [1 2]))") == nil)
    }

    @Test func mutatedProgramsNeverCrashTheCompiler() throws {
        let directory = KeelBinary.packageRoot.appendingPathComponent("Tests/Programs/lisp")
        let sources = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".clj") }.sorted()
            .map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
        var random = SplitMix64(seed: 0x6b65656c)
        var accepted = 0, rejected = 0
        for source in sources {
            for _ in 0..<60 {
                let mutant = LispMutator.mutate(source, &random)
                do {
                    _ = try LispCompiler.optimizedModule(source: mutant, file: "mutant.clj")
                    accepted += 1
                } catch .source(let error) {
                    let lines = mutant.split(separator: "\n", omittingEmptySubsequences: false).count
                    #expect(error.location.line >= 1 && error.location.line <= lines, "\(error)")
                    rejected += 1
                } catch {
                    Issue.record("the backend rejected a module the front end built: \(error)\n\(mutant)")
                }
            }
        }
        // Both outcomes must occur, or the mutations test nothing.
        #expect(accepted > 50 && rejected > 50, "accepted \(accepted), rejected \(rejected)")
    }
}
