import Testing

/// Shrink-wrapping of an early return (X64EarlyExit.swift): the return taken
/// before anything needs a callee-saved register neither saves nor restores
/// them; every other path does both (the emitted-code check, on in tests,
/// confirms the caller's registers survive every path).
struct EarlyExitTests {
    static let ackermann = """
        function w $f(w %m, w %n) {
        @start
            jnz %m, @more, @base
        @base
            %r =w add %n, 1
            ret %r
        @more
            jnz %n, @both, @one
        @one
            %m1 =w sub %m, 1
            %a =w call $f(w %m1, w 1)
            ret %a
        @both
            %m2 =w sub %m, 1
            %n1 =w sub %n, 1
            %i =w call $f(w %m, w %n1)
            %b =w call $f(w %m2, w %i)
            ret %b
        }
        """

    @Test func baseCaseReturnsBeforeTheSaves() throws {
        let lines = try functionAssemblyLines(Self.ackermann)
        let saves = lines.indices.filter { lines[$0].hasPrefix("movq %rbx, -") }
        let returns = lines.indices.filter { lines[$0] == "ret" }
        #expect(saves.count == 1)
        #expect(returns.count == 3)
        // The first return comes before the save and restores nothing; the others restore.
        if let save = saves.first, let first = returns.first {
            #expect(first < save)
            #expect(!lines[..<first].contains { $0.hasSuffix("%rbx") && $0.hasPrefix("movq -") })
        }
        #expect(lines.filter { $0.hasPrefix("movq -") && $0.hasSuffix("%rbx") }.count == 2)
    }

    @Test func exitThatNeedsACalleeSavedRegisterSavesInThePrologue() throws {
        // The exit block keeps a value across a call: it needs rbx, so the saves stay in the prologue.
        let lines = try functionAssemblyLines("""
            function w $f(w %m, w %n) {
            @start
                jnz %m, @more, @base
            @base
                %x =w call $g()
                %r =w add %x, %n
                ret %r
            @more
                %y =w call $g()
                %s =w add %y, %m
                ret %s
            }
            """)
        let save = lines.firstIndex { $0.hasPrefix("movq %rbx, -") }
        let branch = lines.firstIndex { $0.hasPrefix("j") }
        #expect(save != nil && branch != nil && save! < branch!)
    }
}
