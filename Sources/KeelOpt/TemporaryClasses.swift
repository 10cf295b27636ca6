import KeelIR

extension Function {
    /// The class of each temporary, by index, from its definition (the
    /// environment, a parameter, a phi or an instruction's result); nil for
    /// an index nothing defines. Passes that rewrite uses check classes
    /// with it (a copy must not change a value's class).
    func temporaryClasses() -> [BaseType?] {
        let n = temps.count
        var classOf = [BaseType?](repeating: nil, count: n)
        if let env, env.int < n { classOf[env.int] = .l }
        for p in parameters where p.temp.int < n { classOf[p.temp.int] = p.type.valueClass }
        for block in blocks {
            for phi in block.phis where phi.result.int < n { classOf[phi.result.int] = phi.type }
            for ins in block.instructions { if let t = ins.result.temp, t.int < n { classOf[t.int] = ins.type } }
        }
        return classOf
    }
}
