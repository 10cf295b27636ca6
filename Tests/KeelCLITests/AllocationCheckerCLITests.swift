import Foundation
import KeelTestSupport
import Testing

/// `keel il --check-alloc`: accepted on both command-line paths, documented in --help.
@Suite struct AllocationCheckerCLITests {
    static let program = """
        export function l $f(l %a, l %b) {
        @start
        \t%c =l call $g(l %a)
        \t%d =l add %a, %b
        \t%e =l add %c, %d
        \tret %e
        }

        """

    @Test func checkAllocIsAcceptedOnTheFastPathAndWithOtherOptions() throws {
        let file = try KeelBinary.temporaryFile(Self.program)
        let plain = try KeelBinary.run(["il", file])
        for args in [["il", "--check-alloc", file], ["il", file, "--check-alloc", "-t", "amd64_sysv"],
                     ["il", "--check-alloc", "--stats", file]] {
            let r = try KeelBinary.run(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(r.stdout == plain.stdout)  // checking never changes the output
        }
    }

    @Test func helpDocumentsCheckAlloc() throws {
        let r = try KeelBinary.run(["il", "--help"])
        #expect(r.stdout.contains("--check-alloc"))
    }
}
