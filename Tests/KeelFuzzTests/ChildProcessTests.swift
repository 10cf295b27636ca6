import KeelFuzz
import Testing

@Suite struct ChildProcessTests {
    @Test func statusOutputSignalAndTimeout() throws {
        let ok = try ChildProcess.run(["sh", "-c", "echo out; echo err >&2; exit 3"], scratch: "/tmp/keel-cp-\(getpidText())",
                                      timeoutMilliseconds: 10_000)
        #expect(ok.status == 3 && ok.signal == nil && !ok.timedOut)
        #expect(ok.stdout == Array("out\n".utf8) && ok.stderr == Array("err\n".utf8))
        let killed = try ChildProcess.run(["sh", "-c", "kill -SEGV $$"], scratch: "/tmp/keel-cp-\(getpidText())",
                                          timeoutMilliseconds: 10_000)
        #expect(killed.signal == 11 && killed.status == -1)
        let slow = try ChildProcess.run(["sleep", "5"], scratch: "/tmp/keel-cp-\(getpidText())", timeoutMilliseconds: 200)
        #expect(slow.timedOut)
        #expect(throws: ChildProcess.Failure.self) {
            try ChildProcess.run(["/nonexistent/program"], scratch: "/tmp/keel-cp-\(getpidText())", timeoutMilliseconds: 1000)
        }
    }
}
